import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type MailCatcher = Awaited<ReturnType<typeof startMailCatcher>>;

/**
 * A real SMTP server on 127.0.0.1 (on `port`, or a free one) that keeps every message it accepts: the outside
 * world of the mailer, for tests that check what was delivered rather than what the outbox holds.
 */
export async function startMailCatcher(port = 0) {
  const received: { to: string[]; raw: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
