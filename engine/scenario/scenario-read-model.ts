/** The read model as `lotse test` needs it: one consistent snapshot per case, the test applicant, clean-up. */
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database.js';
import { createAccountRepository } from '../repositories/account.repository.js';
import { createMessageRepository } from '../repositories/message.repository.js';
import { createSignalRepository } from '../repositories/signal.repository.js';
import { createScenarioRepository } from '../repositories/scenario.repository.js';
import { createCompanyWithUser } from '../services/seed.js';

export const SCENARIO_COMPANY = 'Szenario-Test GmbH';
export const SCENARIO_USER_EMAIL = 'szenario-test@lotse.invalid';

export function createScenarioReadModel(db: Database) {
  const accounts = createAccountRepository(db);
  const messages = createMessageRepository(db);
  const findApplicant = async () => {
    const row = await accounts.findUserByEmail(SCENARIO_USER_EMAIL);
    return row && { companyId: row.companyId, userId: row.user.id };
  };
  return {
    snapshot: createScenarioRepository(db).snapshot,

    /** The company and user scenario cases are filed under; created on first use. */
    async applicant(): Promise<{ companyId: string; userId: string }> {
      const existing = await findApplicant();
      if (existing) return existing;
      try {
        // Nobody logs in as this user: the password is random and thrown away.
        return await createCompanyWithUser(db, {
          company: SCENARIO_COMPANY,
          email: SCENARIO_USER_EMAIL,
          name: 'Szenario-Test',
          password: randomBytes(24).toString('base64url'),
        });
      } catch (error) {
        // A parallel run created it first (the e-mail is unique).
        const created = await findApplicant();
        if (created) return created;
        throw error;
      }
    },

    /**
     * After a test case: its cases stop waiting for messages and signals and its unclaimed messages expire, so no
     * later test case (which starts fresh, as in CPT) correlates with what this one left behind.
     */
    async forget(caseIds: string[], messageKeys: string[]): Promise<void> {
      await messages.dropSubscriptionsOf(caseIds);
      await createSignalRepository(db).dropSubscriptionsOf(caseIds);
      await messages.expireUnclaimed(messageKeys, new Date());
    },
  };
}

export type ScenarioReadModel = ReturnType<typeof createScenarioReadModel>;
