import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Where uploaded files live, addressed by the SHA-256 of their content: the same file stored twice is
 * one blob, and a stored blob never changes. Names come from the server, never from the upload.
 * Local folder now; an S3-compatible store implements the same three methods later.
 */
export interface BlobStore {
  /** Moves the file at `sourcePath` into the store under `sha256` (computed while it was received). */
  putFile(sourcePath: string, sha256: string): Promise<void>;
  /** The blob's content; rejects when there is no such blob. */
  open(sha256: string): Promise<Readable>;
  exists(sha256: string): Promise<boolean>;
  /** Every stored blob with its size and when it was last stored (for the clean-up job). */
  list(): AsyncIterable<StoredBlob>;
  /** Removes the blob; no error when it is already gone. */
  remove(sha256: string): Promise<void>;
}

export interface StoredBlob {
  sha256: string;
  size: number;
  storedAt: Date;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** `<root>/<first two hex digits>/<sha256>`: at most 256 folders, none with millions of files. */
export function createLocalBlobStore(root: string): BlobStore {
  const pathOf = (sha256: string) => {
    // The hash comes from our own database, but a path built from it must never leave the root.
    if (!SHA256.test(sha256)) throw new Error(`Not a SHA-256: ${sha256}`);
    return path.join(root, sha256.slice(0, 2), sha256);
  };
  const exists = (sha256: string) =>
    stat(pathOf(sha256)).then(
      () => true,
      () => false,
    );

  return {
    exists,

    async putFile(sourcePath, sha256) {
      const target = pathOf(sha256);
      if (await exists(sha256)) {
        // Stored again now: the clean-up job spares blobs stored within its grace period, and this one is about
        // to be referenced by a new document row.
        const now = new Date();
        await utimes(target, now, now).catch(() => {});
        await unlink(sourcePath).catch(() => {});
        return;
      }
      await mkdir(path.dirname(target), { recursive: true });
      try {
        // Same file system: an atomic rename, so a reader never sees half a blob.
        await rename(sourcePath, target);
      } catch (error) {
        if (!(error instanceof Error && 'code' in error && error.code === 'EXDEV')) throw error;
        const partial = `${target}.${process.pid}.partial`;
        await copyFile(sourcePath, partial);
        await rename(partial, target);
        await unlink(sourcePath).catch(() => {});
      }
    },

    async *list() {
      const folders = await readdir(root).catch(() => []);
      for (const folder of folders) {
        // Only `<two hex digits>/<sha256>`: `incoming/` holds uploads in flight.
        if (!/^[0-9a-f]{2}$/.test(folder)) continue;
        for (const name of await readdir(path.join(root, folder)).catch(() => [])) {
          if (!SHA256.test(name) || !name.startsWith(folder)) continue;
          const info = await stat(path.join(root, folder, name)).catch(() => undefined);
          if (info?.isFile()) yield { sha256: name, size: info.size, storedAt: info.mtime };
        }
      }
    },

    async remove(sha256) {
      await unlink(pathOf(sha256)).catch((error: unknown) => {
        if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
      });
    },

    async open(sha256) {
      const file = pathOf(sha256);
      await stat(file);
      return createReadStream(file);
    },
  };
}
