import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClamdScanner, noVirusScanner } from './virus-scan.js';

// The EICAR test string, split so that this file itself is no test virus.
const EICAR = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}$', 'EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'].join('');

/** A stand-in for clamd speaking INSTREAM (the outside world, so a fake is fine): flags EICAR. */
function fakeClamd(): Promise<{ server: Server; port: number; commands: string[] }> {
  const commands: string[] = [];
  const server = createServer((socket) => {
    let buffer = Buffer.alloc(0);
    let command: string | undefined;
    const content: Buffer[] = [];
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (command === undefined) {
        const end = buffer.indexOf(0);
        if (end < 0) return;
        command = buffer.subarray(0, end).toString();
        commands.push(command);
        buffer = buffer.subarray(end + 1);
      }
      while (buffer.length >= 4) {
        const length = buffer.readUInt32BE(0);
        if (length === 0) {
          const infected = Buffer.concat(content).toString('latin1').includes(EICAR);
          socket.end(infected ? 'stream: Eicar-Test-Signature FOUND\0' : 'stream: OK\0');
          return;
        }
        if (buffer.length < 4 + length) return;
        content.push(buffer.subarray(4, 4 + length));
        buffer = buffer.subarray(4 + length);
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port, commands })),
  );
}

let dir: string;
let clamd: Awaited<ReturnType<typeof fakeClamd>>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotse-scan-'));
  clamd = await fakeClamd();
});

afterAll(async () => {
  clamd.server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('clamd scanner', () => {
  it('streams the file with INSTREAM and reports a clean file', async () => {
    const file = path.join(dir, 'clean.pdf');
    // Larger than one chunk, so the length-prefixed framing is exercised.
    await writeFile(file, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200_000, 0x20)]));
    const scanner = createClamdScanner({ host: '127.0.0.1', port: clamd.port });
    expect(await scanner.scan(file)).toEqual({ status: 'clean' });
    expect(clamd.commands.at(-1)).toBe('zINSTREAM');
  });

  it('reports the signature of an infected file', async () => {
    const file = path.join(dir, 'eicar.txt');
    await writeFile(file, EICAR);
    const scanner = createClamdScanner({ host: '127.0.0.1', port: clamd.port });
    expect(await scanner.scan(file)).toEqual({ status: 'infected', signature: 'Eicar-Test-Signature' });
  });

  it('rejects when clamd cannot be reached, so nothing passes unscanned', async () => {
    const file = path.join(dir, 'any.txt');
    await writeFile(file, 'hello');
    const closed = createServer();
    const port = await new Promise<number>((resolve) =>
      closed.listen(0, '127.0.0.1', () => resolve((closed.address() as AddressInfo).port)),
    );
    await new Promise((resolve) => closed.close(resolve));
    const scanner = createClamdScanner({ host: '127.0.0.1', port });
    await expect(scanner.scan(file)).rejects.toThrow();
  });

  it('without clamd, files are marked unscanned', async () => {
    expect(await noVirusScanner.scan('/nonexistent')).toEqual({ status: 'unscanned' });
  });
});
