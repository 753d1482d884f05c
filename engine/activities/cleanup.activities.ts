import type { BlobStore } from '../files/blob-store.js';
import type { Logger } from '../log/logger.js';
import type { DocumentRepository } from '../repositories/document.repository.js';
import type { DraftRepository } from '../repositories/draft.repository.js';
import type { LoginFailureRepository } from '../repositories/login-failure.repository.js';

/**
 * A blob or detached document younger than this is spared: an upload stores its blob a moment
 * before its document row exists, and the job must never take a file from under it.
 */
export const CLEANUP_GRACE_MS = 24 * 60 * 60_000;
/** Blobs are checked against the documents in batches of this many hashes. */
const BATCH = 500;

export interface CleanupSummary {
  drafts: number;
  documents: number;
  blobs: number;
  bytes: number;
  loginFailures: number;
}

export interface CleanupActivities {
  /** Removes expired drafts, their and other detached documents, unreferenced blobs and forgotten login failures. */
  cleanUp(): Promise<CleanupSummary>;
}

export function createCleanupActivities(deps: {
  drafts: DraftRepository;
  documents: DocumentRepository;
  blobs: BlobStore;
  loginFailures: LoginFailureRepository;
  /** Login failure counts older than this are forgotten by the throttle anyway (FORGET_FAILURES_AFTER_MS). */
  loginFailureMaxAgeMs: number;
  logger: Logger;
  clock?: () => Date;
}): CleanupActivities {
  const clock = deps.clock ?? (() => new Date());
  return {
    async cleanUp() {
      const now = clock();
      const graceBefore = new Date(now.getTime() - CLEANUP_GRACE_MS);
      // Rows first, then the files: a blob is only unreferenced once the rows pointing at it are gone.
      const expired = await deps.drafts.deleteExpired(now);
      const detached = await deps.documents.deleteDetached(graceBefore);
      let blobs = 0;
      let bytes = 0;
      let batch: { sha256: string; size: number }[] = [];
      const sweep = async () => {
        const referenced = await deps.documents.referencedBlobs(batch.map((blob) => blob.sha256));
        for (const blob of batch) {
          if (referenced.has(blob.sha256)) continue;
          await deps.blobs.remove(blob.sha256);
          blobs++;
          bytes += blob.size;
        }
        batch = [];
      };
      for await (const blob of deps.blobs.list()) {
        if (blob.storedAt >= graceBefore) continue;
        batch.push(blob);
        if (batch.length >= BATCH) await sweep();
      }
      await sweep();
      const loginFailures = await deps.loginFailures.deleteOlderThan(
        new Date(now.getTime() - deps.loginFailureMaxAgeMs),
      );
      const summary = { drafts: expired.drafts, documents: expired.documents + detached, blobs, bytes, loginFailures };
      deps.logger.info(
        { cleanup: summary },
        `clean-up removed ${summary.drafts} expired draft(s), ${summary.documents} document(s), ${blobs} blob(s) (${bytes} bytes), ${loginFailures} old login failure count(s)`,
      );
      return summary;
    },
  };
}
