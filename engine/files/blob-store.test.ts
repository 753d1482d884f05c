import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
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

  it('lists stored blobs with size and time (not uploads in flight), and removes one idempotently', async () => {
    const root = path.join(dir, 'listed');
    const store = createLocalBlobStore(root);
    const hash = sha256('Bauantrag');
    const temp = path.join(dir, 'listed.upload');
    await writeFile(temp, 'Bauantrag');
    await store.putFile(temp, hash);
    await mkdir(path.join(root, 'incoming'), { recursive: true });
    await writeFile(path.join(root, 'incoming', 'x.upload'), 'in flight');
    const listed = [];
    for await (const blob of store.list()) listed.push(blob);
    expect(listed).toEqual([{ sha256: hash, size: 9, storedAt: expect.any(Date) }]);
    await store.remove(hash);
    await store.remove(hash);
    expect(await store.exists(hash)).toBe(false);
  });

  it('refreshes the time of a blob stored again, so the clean-up job spares it', async () => {
    const store = createLocalBlobStore(path.join(dir, 'again'));
    const hash = sha256('Lageplan alt');
    const first = path.join(dir, 'first-again.upload');
    await writeFile(first, 'Lageplan alt');
    await store.putFile(first, hash);
    const file = path.join(dir, 'again', hash.slice(0, 2), hash);
    const old = new Date(Date.now() - 7 * 24 * 60 * 60_000);
    await utimes(file, old, old);
    const second = path.join(dir, 'second-again.upload');
    await writeFile(second, 'Lageplan alt');
    await store.putFile(second, hash);
    expect((await stat(file)).mtime.getTime()).toBeGreaterThan(old.getTime() + 60_000);
  });
});
