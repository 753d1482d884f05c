import type { Database } from '../db/database.js';
import { createCaseRepository, type ExpiredCase } from './case.repository.js';
import { createDocumentRepository } from './document.repository.js';
import { createDraftRepository } from './draft.repository.js';
import { createIncidentRepository } from './incident.repository.js';
import { createMessageRepository } from './message.repository.js';
import { createOutboxRepository } from './outbox.repository.js';
import { createSignalRepository } from './signal.repository.js';

/**
 * Deleting a case after its retention. It owns no table (README.md): it opens one transaction and has
 * every owner delete its rows of the case — documents, the draft it came from, mails, messages,
 * incidents, then the case with its tasks and trail, leaving a deletion record — all or nothing.
 * Blobs are files, not rows: the clean-up removes them once no document refers to them.
 */
export function createCaseErasureRepository(db: Database) {
  return {
    async erase(expired: ExpiredCase, at: Date): Promise<{ documents: number; mails: number }> {
      return db.transaction(async (tx) => {
        const documents = await createDocumentRepository(tx).deleteOfCase(expired.id);
        await createDraftRepository(tx).deleteSubmittedFor(expired.id);
        const mails = await createOutboxRepository(tx).deleteOfCase(expired.id);
        await createMessageRepository(tx).deleteOfCase(expired.id);
        await createSignalRepository(tx).dropSubscriptionsOf([expired.id]);
        await createIncidentRepository(tx).deleteOfCase(expired.id);
        await createCaseRepository(tx).deleteWithRecord(expired, at);
        return { documents, mails };
      });
    },
  };
}

export type CaseErasureRepository = ReturnType<typeof createCaseErasureRepository>;
