import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BLOCK, createTarWriter, decodeHeader, encodeHeader, readTar, TarFormatError, type TarHeader } from './tar.js';

/** Writes entries into memory and returns the archive's bytes. */
async function archive(entries: { header: TarHeader; content: Buffer }[]): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const tar = createTarWriter(out);
  for (const entry of entries) await tar.add(entry.header, entry.content);
  await tar.finish();
  return Buffer.concat(chunks);
}

/** Reads an archive from memory, in chunks of `chunkSize` bytes (to cross every block boundary). */
async function extract(bytes: Buffer, chunkSize = 7_000) {
  const files = new Map<string, Buffer>();
  async function* chunks() {
    for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
  }
  await readTar(chunks(), async (header) => {
    const parts: Buffer[] = [];
    return new Writable({
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        done();
      },
      final(done) {
        files.set(header.name, Buffer.concat(parts));
        done();
      },
    });
  });
  return files;
}

const header = (name: string, size: number): TarHeader => ({ name, size, mtime: 1_796_000_000, mode: 0o600 });

describe('tar', () => {
  it('a header decodes to what was encoded, with a valid ustar checksum', () => {
    const encoded = encodeHeader(header('blobs/ab/abcdef', 12_345));
    expect(encoded).toHaveLength(BLOCK);
    expect(encoded.toString('latin1', 257, 262)).toBe('ustar');
    expect(decodeHeader(encoded)).toEqual(header('blobs/ab/abcdef', 12_345));
  });

  it('round-trips files of every size around the block boundary, read in odd chunks', async () => {
    // Invariant: whatever is written is read back byte for byte (sizes 0, 1, 511, 512, 513 and large).
    const entries = [0, 1, 511, 512, 513, 70_001].map((size, index) => ({
      header: header(`file-${index}`, size),
      content: Buffer.from(Array.from({ length: size }, (_, byte) => (byte * 31 + index) % 256)),
    }));
    const bytes = await archive(entries);
    expect(bytes.length % BLOCK).toBe(0);
    for (const chunkSize of [1, 513, 7_000, bytes.length]) {
      const files = await extract(bytes, chunkSize);
      expect([...files.keys()]).toEqual(entries.map((entry) => entry.header.name));
      for (const entry of entries) expect(files.get(entry.header.name)?.equals(entry.content)).toBe(true);
    }
  });

  it('refuses a truncated archive, a damaged header and a non-file entry', async () => {
    // Invariant: a damaged backup file is an error, never a silently shorter restore.
    const bytes = await archive([{ header: header('a', 2000), content: Buffer.alloc(2000, 7) }]);
    await expect(extract(bytes.subarray(0, 1024))).rejects.toThrow('ends in the middle of a');
    await expect(extract(bytes.subarray(0, BLOCK * 5))).rejects.toThrow('no end marker');
    const damaged = Buffer.from(bytes);
    damaged[10] = 0x41;
    await expect(extract(damaged)).rejects.toThrow('checksum');
    const link = encodeHeader(header('link', 0));
    link.write('2', 156, 'latin1');
    // Recompute the checksum so only the type is wrong.
    link.write('        ', 148, 'latin1');
    link.write(
      `${link
        .reduce((sum, byte) => sum + byte, 0)
        .toString(8)
        .padStart(6, '0')}\u0000 `,
      148,
      'latin1',
    );
    expect(() => decodeHeader(link)).toThrow(TarFormatError);
  });

  it('refuses to write a file that does not have the size its header says', async () => {
    const tar = createTarWriter(new PassThrough().resume());
    await expect(tar.add(header('short', 10), Buffer.alloc(9))).rejects.toThrow('changed size');
    await expect(tar.add(header('long', 10), Buffer.alloc(11))).rejects.toThrow('grew');
  });

  it('refuses names longer than ustar holds', () => {
    expect(() => encodeHeader(header('x'.repeat(101), 1))).toThrow('too long');
  });
});
