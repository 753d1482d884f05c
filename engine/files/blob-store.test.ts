import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalBlobStore } from './blob-store.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotse-blobs-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (content: string) => createHash('sha256').update(content).digest('hex');

describe('local blob store', () => {
  it('stores a file under <prefix>/<sha256>, once per content', async () => {
    const store = createLocalBlobStore(path.join(dir, 'blobs'));
    const hash = sha256('Lageplan');
    for (const name of ['first.upload', 'second.upload']) {
      const temp = path.join(dir, name);
      await writeFile(temp, 'Lageplan');
      await store.putFile(temp, hash);
      // The temporary file is gone either way: moved in, or dropped as a duplicate.
      await expect(readFile(temp)).rejects.toThrow();
    }
    expect(await readdir(path.join(dir, 'blobs', hash.slice(0, 2)))).toEqual([hash]);
    expect(await store.exists(hash)).toBe(true);
    expect(await text(await store.open(hash))).toBe('Lageplan');
  });

  it('refuses anything that is not a SHA-256 as a name', async () => {
    const store = createLocalBlobStore(path.join(dir, 'blobs'));
    await expect(store.open('../../etc/passwd')).rejects.toThrow('Not a SHA-256');
    await expect(store.open(sha256('missing'))).rejects.toThrow();
  });
});
