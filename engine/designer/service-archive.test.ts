import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { filesToZip, zipToFiles } from './service-archive.js';

// Invariant: a service's files leave and re-enter as a zip unchanged (byte for byte, the same zip for the same
// files); a zip with folders, "..", binary or oversized entries is refused naming the entry, before inflating.

const files = {
  'service.json': '{\n  "slug": "zip-test"\n}\n',
  'zip-test.bpmn': '<?xml version="1.0"?>\n<definitions>Ümläute – “quotes”</definitions>\n',
  'a.form': '{}',
};

const zip = (entries: Record<string, Uint8Array>) => Buffer.from(zipSync(entries));
const text = (value: string) => new TextEncoder().encode(value);

describe('service archive', () => {
  it('round-trips the files exactly and gives the same bytes for the same files', () => {
    expect(zipToFiles(filesToZip(files))).toEqual({ ok: true, files });
    expect(filesToZip(files).equals(filesToZip({ ...files }))).toBe(true);
  });

  it('accepts a zip of the folder itself (every entry under one folder)', () => {
    const result = zipToFiles(zip({ 'zip-test/service.json': text('{}'), 'zip-test/a.form': text('{}') }));
    expect(result).toEqual({ ok: true, files: { 'service.json': '{}', 'a.form': '{}' } });
  });

  it.each([
    ['a nested folder', { 'a/b/service.json': text('{}'), 'c.form': text('{}') }, 'a/b/service.json'],
    ['a parent path', { '../evil.bpmn': text('x') }, '../evil.bpmn'],
    ['binary content', { 'logo.png': new Uint8Array([0x89, 0x50, 0xff, 0xfe, 0x00]) }, 'logo.png'],
    ['an entry over 2 MB', { 'big.json': new Uint8Array(2 * 1024 * 1024 + 1) }, 'big.json'],
  ])('refuses %s and names the entry', (_name, entries, entry) => {
    const result = zipToFiles(zip(entries));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContainEqual(expect.objectContaining({ file: entry, severity: 'error' }));
  });

  it('refuses more than 200 entries and what is not a zip', () => {
    const many = Object.fromEntries(Array.from({ length: 201 }, (_, index) => [`f${index}.json`, text('{}')]));
    const tooMany = zipToFiles(zip(many));
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.problems[0]?.message).toContain('201 Dateien');
    expect(zipToFiles(Buffer.from('not a zip')).ok).toBe(false);
  });
});
