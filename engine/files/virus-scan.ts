import { createReadStream } from 'node:fs';
import { connect } from 'node:net';

export type ScanResult = { status: 'clean' } | { status: 'unscanned' } | { status: 'infected'; signature: string };

/** The virus-scan hook every upload goes through before it is stored. */
export interface VirusScanner {
  /** Rejects when a configured scanner cannot answer: an upload is then refused, never let through unscanned. */
  scan(filePath: string): Promise<ScanResult>;
}

/** Without `CLAMD_HOST`: nothing is scanned, and documents say so (`scan_status = 'unscanned'`). */
export const noVirusScanner: VirusScanner = { scan: () => Promise.resolve({ status: 'unscanned' }) };

/**
 * clamd's INSTREAM command over TCP: `zINSTREAM\0`, then chunks each prefixed with their length as
 * 4-byte big-endian, then a zero length; clamd answers `stream: OK` or `stream: <signature> FOUND`.
 */
export function createClamdScanner(options: { host: string; port: number; timeoutMs?: number }): VirusScanner {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    scan: (filePath) =>
      new Promise<ScanResult>((resolve, reject) => {
        const socket = connect({ host: options.host, port: options.port });
        const replies: Buffer[] = [];
        let settled = false;
        const fail = (error: Error) => {
          if (settled) return;
          settled = true;
          socket.destroy();
          reject(error);
        };
        socket.setTimeout(timeoutMs, () => fail(new Error(`clamd did not answer within ${timeoutMs} ms`)));
        socket.on('error', fail);
        socket.on('data', (chunk) => replies.push(chunk));
        socket.on('end', () => {
          if (settled) return;
          settled = true;
          socket.destroy();
          const reply = Buffer.concat(replies).toString('utf8').replace(/\0+$/, '').trim();
          const found = /^stream: (.+) FOUND$/.exec(reply);
          if (found?.[1]) resolve({ status: 'infected', signature: found[1] });
          else if (reply === 'stream: OK') resolve({ status: 'clean' });
          else reject(new Error(`clamd: ${reply || 'no answer'}`));
        });
        socket.on('connect', () => {
          socket.write('zINSTREAM\0');
          const file = createReadStream(filePath, { highWaterMark: 64 * 1024 });
          file.on('error', fail);
          file.on('data', (chunk) => {
            const length = Buffer.alloc(4);
            length.writeUInt32BE(chunk.length);
            if (!socket.write(Buffer.concat([length, Buffer.from(chunk)]))) {
              file.pause();
              socket.once('drain', () => file.resume());
            }
          });
          file.on('end', () => socket.write(Buffer.alloc(4)));
        });
      }),
  };
}
