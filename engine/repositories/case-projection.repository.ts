import type { Database } from '../db/database.js';
import { createCaseRepository, type CaseStep } from './case.repository.js';
import { createIncidentRepository } from './incident.repository.js';
import { createMessageRepository, type ClaimedMessage } from './message.repository.js';
import { createSignalRepository } from './signal.repository.js';

/**
 * One interpreter step into the read model. It owns no table: it opens the transaction and has each
 * owner write its own tables within it (README.md) — the case, its tasks and trail, its incidents, its
 * subscriptions (message and signal) and the buffered messages they claim — so a step is written whole or not at
 * all.
 */
export function createCaseProjectionRepository(db: Database) {
  return {
    /**
     * Idempotent: the case row moves only forward (`where seq < new seq`); tasks, events and incidents are
     * keyed by case and token / seq / id, so a retried or replayed step changes nothing — and returns the
     * same claimed messages.
     */
    async project(step: CaseStep): Promise<{ messages: ClaimedMessage[] }> {
      const at = new Date(step.at);
      return db.transaction(async (tx) => {
        const cases = createCaseRepository(tx);
        const messages = createMessageRepository(tx);
        if (!(await cases.advance(step, at))) return { messages: await messages.claimedAt(step.caseId, step.seq) };
        await cases.writeTasks(step, at);
        await cases.appendEvents(step);
        await createIncidentRepository(tx).writeOfStep(step);
        await messages.writeSubscriptions(step, at);
        await createSignalRepository(tx).writeSubscriptions(step, at);
        return { messages: await messages.claimBuffered(step, at) };
      });
    },
  };
}

export type CaseProjectionRepository = ReturnType<typeof createCaseProjectionRepository>;
