/**
 * The smallest tar (POSIX ustar) Lotse needs for its backup file: regular files only, names up to 100
 * characters, read and written as streams. Any `tar` reads what this writes (`tar -tzf backup.tar.gz`).
 * Header encoding is pure and unit-tested; the two stream functions are the shell.
 */
import type { Writable } from 'node:stream';

export const BLOCK = 512;

export interface TarHeader {
  name: string;
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  mode: number;
}

export class TarFormatError extends Error {}

/** The 512-byte ustar header of a regular file. */
export function encodeHeader(header: TarHeader): Buffer {
  const name = Buffer.from(header.name, 'utf8');
  if (name.length === 0 || name.length > 100)
    throw new TarFormatError(`tar entry name too long or empty: ${header.name}`);
  // 11 octal digits: up to 8 GiB per file.
  if (!Number.isSafeInteger(header.size) || header.size < 0 || header.size >= 8 ** 11) {
    throw new TarFormatError(`tar entry too large: ${header.name} (${header.size} bytes)`);
  }
  const block = Buffer.alloc(BLOCK, 0);
  name.copy(block, 0);
  writeOctal(block, 100, 8, header.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, header.size);
  writeOctal(block, 136, 12, Math.max(0, Math.floor(header.mtime)));
  block.write('        ', 148, 'latin1'); // the checksum counts its own field as spaces
  block.write('0', 156, 'latin1');
  block.write('ustar\u000000', 257, 'latin1');
  const checksum = block.reduce((sum, byte) => sum + byte, 0);
  block.write(`${checksum.toString(8).padStart(6, '0')}\u0000 `, 148, 'latin1');
  return block;
}

/** The header in `block`, `undefined` for the zero block that ends an archive; throws on anything else. */
export function decodeHeader(block: Buffer): TarHeader | undefined {
  if (block.length !== BLOCK) throw new TarFormatError('truncated tar header');
  if (block.every((byte) => byte === 0)) return undefined;
  const stored = readOctal(block, 148, 8);
  const copy = Buffer.from(block);
  copy.write('        ', 148, 'latin1');
  if (copy.reduce((sum, byte) => sum + byte, 0) !== stored) throw new TarFormatError('tar header checksum mismatch');
  const type = String.fromCharCode(block[156] ?? 0);
  const name = cString(block, 0, 100);
  // Only regular files: a link or device in a backup file is not ours and is never followed.
  if (type !== '0' && type !== '\u0000') throw new TarFormatError(`unexpected tar entry type '${type}' for ${name}`);
  const prefix = block.toString('latin1', 257, 262) === 'ustar' ? cString(block, 345, 155) : '';
  return {
    name: prefix ? `${prefix}/${name}` : name,
    mode: readOctal(block, 100, 8),
    size: readOctal(block, 124, 12),
    mtime: readOctal(block, 136, 12),
  };
}

/** Zero bytes that pad an entry of `size` bytes to whole blocks. */
export function paddingOf(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function writeOctal(block: Buffer, offset: number, length: number, value: number) {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, 'latin1');
}

function readOctal(block: Buffer, offset: number, length: number): number {
  const text = cString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError('malformed number in tar header');
  return Number.parseInt(text, 8);
}

function cString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString('utf8', 0, end < 0 ? length : end);
}

/** Writes tar entries to `out` (e.g. a gzip stream), honouring its back pressure. */
export function createTarWriter(out: Writable) {
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(chunk)) return resolve();
      const onDrain = () => {
        out.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        out.off('drain', onDrain);
        reject(error);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    });
  return {
    /** Adds a file whose content is `source`; throws unless exactly `header.size` bytes come. */
    async add(header: TarHeader, source: AsyncIterable<Buffer> | Buffer): Promise<void> {
      await write(encodeHeader(header));
      let written = 0;
      const chunks = Buffer.isBuffer(source) ? [source] : source;
      for await (const chunk of chunks) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
        written += buffer.length;
        if (written > header.size) throw new TarFormatError(`${header.name} grew while it was written`);
        await write(buffer);
      }
      if (written !== header.size) throw new TarFormatError(`${header.name} changed size while it was written`);
      const padding = paddingOf(header.size);
      if (padding > 0) await write(Buffer.alloc(padding, 0));
    },
    /** The two zero blocks that end an archive; then ends `out`. */
    async finish(): Promise<void> {
      await write(Buffer.alloc(BLOCK * 2, 0));
      await new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      });
    },
  };
}

/**
 * Reads a tar stream entry by entry. For each entry `open` gives the writable its content goes to
 * (it is ended after the last byte). Throws on a malformed or truncated archive.
 */
export async function readTar(
  input: AsyncIterable<Buffer | string>,
  open: (header: TarHeader) => Promise<Writable>,
): Promise<void> {
  let pending = Buffer.alloc(0);
  let current: { header: TarHeader; out: Writable; left: number; padding: number } | undefined;
  let ended = false;

  const write = (out: Writable, chunk: Buffer) =>
    new Promise<void>((resolve, reject) => out.write(chunk, (error) => (error ? reject(error) : resolve())));
  const close = (out: Writable) =>
    new Promise<void>((resolve, reject) => {
      out.once('error', reject);
      out.end(() => resolve());
    });

  for await (const chunk of input) {
    pending = Buffer.concat([pending, Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)]);
    for (;;) {
      if (ended) {
        pending = Buffer.alloc(0);
        break;
      }
      if (current) {
        if (current.left > 0) {
          if (pending.length === 0) break;
          const take = Math.min(current.left, pending.length);
          await write(current.out, pending.subarray(0, take));
          pending = pending.subarray(take);
          current.left -= take;
          continue;
        }
        if (pending.length < current.padding) break;
        pending = pending.subarray(current.padding);
        await close(current.out);
        current = undefined;
        continue;
      }
      if (pending.length < BLOCK) break;
      const header = decodeHeader(pending.subarray(0, BLOCK));
      pending = pending.subarray(BLOCK);
      if (!header) {
        ended = true;
        continue;
      }
      current = { header, out: await open(header), left: header.size, padding: paddingOf(header.size) };
    }
  }
  if (current) {
    current.out.destroy();
    throw new TarFormatError(`the archive ends in the middle of ${current.header.name}`);
  }
  if (!ended) throw new TarFormatError('the archive has no end marker: it is truncated');
}
