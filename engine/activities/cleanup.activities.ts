import type { BlobStore } from '../files/blob-store.js';
import type { Logger } from '../log/logger.js';
import type { CaseErasureRepository } from '../repositories/case-erasure.repository.js';
import type { CaseRepository } from '../repositories/case.repository.js';
import type { DocumentRepository } from '../repositories/document.repository.js';
import type { DraftRepository } from '../repositories/draft.repository.js';
import type { LoginFailureRepository } from '../repositories/login-failure.repository.js';
import type { MailQuotaRepository } from '../repositories/mail-quota.repository.js';

/**
 * A blob or detached document younger than this is spared: an upload stores its blob a moment
 * before its document row exists, and the job must never take a file from under it.
 */
export const CLEANUP_GRACE_MS = 24 * 60 * 60_000;
/** Blobs are checked against the documents in batches of this many hashes. */
const BATCH = 500;
/** Cases deleted per run at most: a backlog (a lowered retention) is worked off over the following nights. */
const MAX_CASES_PER_RUN = 1000;

export interface CleanupSummary {
  /** Finished cases deleted after their retention. */
  cases: number;
  drafts: number;
  documents: number;
  blobs: number;
  bytes: number;
  loginFailures: number;
  /** Account-mail counts of windows long over (engine/services/mail-quota.ts). */
  mailQuotas: number;
}

export interface CleanupActivities {
  /**
   * Deletes finished cases past their retention (with their workflow history), removes expired drafts,
   * their and other detached documents, unreferenced blobs and forgotten login failures.
   */
  cleanUp(): Promise<CleanupSummary>;
}

export function createCleanupActivities(deps: {
  cases: Pick<CaseRepository, 'pastRetention'>;
  erasure: CaseErasureRepository;
  /** Deletes the workflow execution (history) of a case; false if it still runs, true if deleted or gone. */
  deleteHistory: (caseId: string) => Promise<boolean>;
  /** `CASE_RETENTION_DAYS`: for services whose service.json sets no `retentionDays`. */
  defaultRetentionDays: number;
  drafts: DraftRepository;
  documents: DocumentRepository;
  blobs: BlobStore;
  loginFailures: LoginFailureRepository;
  /** Login failure counts older than this are forgotten by the throttle anyway (FORGET_FAILURES_AFTER_MS). */
  loginFailureMaxAgeMs: number;
  mailQuotas: Pick<MailQuotaRepository, 'deleteOlderThan'>;
  /** A count's window is over after this (MAIL_QUOTA_WINDOW_MS): older rows mean nothing. */
  mailQuotaWindowMs: number;
  logger: Logger;
  clock?: () => Date;
}): CleanupActivities {
  const clock = deps.clock ?? (() => new Date());
  return {
    async cleanUp() {
      const now = clock();
      const graceBefore = new Date(now.getTime() - CLEANUP_GRACE_MS);
      let cases = 0;
      for (const expiredCase of await deps.cases.pastRetention(now, deps.defaultRetentionDays, MAX_CASES_PER_RUN)) {
        // History first: if the rows then fail, the next run finds the case again and the history is gone already.
        if (!(await deps.deleteHistory(expiredCase.id))) continue;
        await deps.erasure.erase(expiredCase, now);
        cases++;
      }
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
      const mailQuotas = await deps.mailQuotas.deleteOlderThan(new Date(now.getTime() - deps.mailQuotaWindowMs));
      const summary = {
        cases,
        drafts: expired.drafts,
        documents: expired.documents + detached,
        blobs,
        bytes,
        loginFailures,
        mailQuotas,
      };
      deps.logger.info(
        { cleanup: summary },
        `clean-up removed ${summary.drafts} expired draft(s), ${summary.documents} document(s), ${blobs} blob(s) (${bytes} bytes), ${loginFailures} old login failure count(s), ${mailQuotas} old mail quota count(s), and ${cases} case(s) past their retention`,
      );
      return summary;
    },
  };
}
