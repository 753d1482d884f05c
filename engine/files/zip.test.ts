import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { zip } from './zip.js';

/** Reads an archive with an independent implementation: Python's zipfile, which checks every CRC. */
function readWithPython(archive: Buffer): { name: string; text: string; time: number[] }[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'lotse-zip-'));
  try {
    const file = path.join(dir, 'test.zip');
    writeFileSync(file, archive);
    const script = [
      'import json, sys, zipfile',
      'z = zipfile.ZipFile(sys.argv[1])',
      'assert z.testzip() is None',
      'print(json.dumps([{"name": i.filename, "text": z.read(i).decode("utf-8", "replace"), "time": list(i.date_time)} for i in z.infolist()]))',
    ].join('\n');
    return JSON.parse(execFileSync('python3', ['-c', script, file], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('zip', () => {
  it('writes an archive another implementation reads back: names (UTF-8), contents, checksums, time', () => {
    const entries = [
      { name: 'README.txt', content: Buffer.from('Ihre Daten / your data\n') },
      { name: 'Vorgänge/WF-2026-000001/Lageplan – Süd.pdf', content: Buffer.from('%PDF-1.7 ' + 'x'.repeat(5000)) },
      { name: 'leer.txt', content: new Uint8Array() },
    ];
    const archive = zip(entries, new Date('2026-12-07T17:30:08Z'));
    const read = readWithPython(archive);
    expect(read.map((entry) => entry.name)).toEqual(entries.map((entry) => entry.name));
    expect(read.map((entry) => entry.text)).toEqual(entries.map((entry) => Buffer.from(entry.content).toString()));
    // 18:30:08 in Berlin (CET), as a person unpacking it there expects
    expect(read[0]?.time).toEqual([2026, 12, 7, 18, 30, 8]);
    // Deflated: the repeated content takes far less room than it is long
    expect(archive.length).toBeLessThan(1000);
  });

  it('an empty archive is still a valid archive', () => {
    expect(readWithPython(zip([], new Date('2026-01-01T00:00:00Z')))).toEqual([]);
  });
});
