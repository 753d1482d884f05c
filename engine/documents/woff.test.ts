import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sfntOfWoff } from './woff.js';

const woff = readFileSync(
  path.join(
    path.dirname(createRequire(import.meta.url).resolve('@fontsource/dejavu-sans/LICENSE')),
    'files/dejavu-sans-latin-400-normal.woff',
  ),
);

/** The OpenType table checksum: the sum of the table's big-endian 32-bit words. */
function checksum(table: Buffer): number {
  const padded = Buffer.alloc(Math.ceil(table.length / 4) * 4);
  table.copy(padded);
  let sum = 0;
  for (let offset = 0; offset < padded.length; offset += 4) sum = (sum + padded.readUInt32BE(offset)) >>> 0;
  return sum;
}

describe('sfntOfWoff', () => {
  it('gives back every table of the original font, byte for byte (each matches the checksum WOFF kept)', () => {
    const sfnt = sfntOfWoff(woff);
    const numTables = sfnt.readUInt16BE(4);
    expect(sfnt.readUInt32BE(0)).toBe(woff.readUInt32BE(4)); // the flavor: TrueType outlines
    expect(numTables).toBe(woff.readUInt16BE(12));
    const tags: string[] = [];
    for (let index = 0; index < numTables; index++) {
      const record = 12 + index * 16;
      const tag = sfnt.toString('latin1', record, record + 4);
      const offset = sfnt.readUInt32BE(record + 8);
      const length = sfnt.readUInt32BE(record + 12);
      expect(offset % 4, tag).toBe(0);
      const table = Buffer.from(sfnt.subarray(offset, offset + length));
      // The head table's checksum counts its checksumAdjustment field as zero.
      if (tag === 'head') table.fill(0, 8, 12);
      expect(checksum(table), tag).toBe(sfnt.readUInt32BE(record + 4));
      tags.push(tag);
    }
    expect(tags).toEqual(expect.arrayContaining(['cmap', 'glyf', 'head', 'hmtx', 'loca']));
    expect(sfnt.length).toBe(woff.readUInt32BE(16)); // totalSfntSize
  });

  it('refuses what is not WOFF 1.0', () => {
    expect(() => sfntOfWoff(Buffer.from('wOF2 and more bytes than a header needs............'))).toThrow(/WOFF/);
  });
});
