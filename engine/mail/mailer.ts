import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingMail {
  /** Sending twice with the same key sends once. */
  idempotencyKey: string;
  caseId?: string;
  to: string;
  subject: string;
  body: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
}

/** The outbox as the mailer uses it (engine/repositories/outbox.repository.ts owns the table). */
export interface MailOutbox {
  /** Stores the mail unless one with its idempotency key is there; returns the stored one either way. */
  record(mail: {
    idempotencyKey: string;
    caseId: string | null;
    recipient: string;
    subject: string;
    body: string;
  }): Promise<
    | { id: string; idempotencyKey: string; recipient: string; subject: string; body: string; sentAt: Date | null }
    | undefined
  >;
  markSent(mailId: string, at: Date): Promise<void>;
}

/**
 * Every mail is written to the outbox first (viewable in the admin area); with SMTP_URL set it is then
 * delivered and marked sent. Without SMTP the outbox is where mail ends.
 */
export function createMailer(outbox: MailOutbox, smtpUrl: string | undefined, from: string): Mailer {
  const transport: Transporter | undefined = smtpUrl ? nodemailer.createTransport(smtpUrl) : undefined;
  return {
    async send(mail) {
      const stored = await outbox.record({
        idempotencyKey: mail.idempotencyKey,
        caseId: mail.caseId ?? null,
        recipient: mail.to,
        subject: mail.subject,
        body: mail.body,
      });
      if (!stored || stored.sentAt || !transport) return;
      // A crash between delivery and `sentAt` sends again on the job's retry: the same Message-ID lets
      // mail systems drop that duplicate.
      await transport.sendMail({
        from,
        to: stored.recipient,
        subject: stored.subject,
        text: stored.body,
        messageId: messageIdOf(stored.idempotencyKey),
      });
      await outbox.markSent(stored.id, new Date());
    },
  };
}

function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@lotse>`;
}
