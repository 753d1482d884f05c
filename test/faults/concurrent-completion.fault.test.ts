import { and, eq, notLike } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outboxMails } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import type { WebClient } from '../browserless-client.js';
import { completedCase, demoCaseworker, demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { startTestSystem } from '../system.js';

/** A case's mails from its service's model; the platform's notifications (ADR 0030) are counted apart. */
const serviceMailsOf = (caseId: string) =>
  and(eq(outboxMails.caseId, caseId), notLike(outboxMails.idempotencyKey, 'notification:%'));

type System = Awaited<ReturnType<typeof startTestSystem>>;

const ROUNDS = 50;
const CASEWORKERS = 4;
/** No request may hang: every answer comes back well within this bound. */
const REQUEST_BOUND_MS = 20_000;

let system: System;
let company: WebClient;
let caseworkers: WebClient[];

/** The general inquiry as it shipped with its own answer mail: the winner's answer must go out once (ADR 0029). */
const MAIL_INQUIRY = 'concurrent-mail-inquiry';

beforeAll(async () => {
  system = await startTestSystem();
  await system.services.catalog.publish(testServiceCopy(await generalInquiryWithMail(), MAIL_INQUIRY));
  company = await demoCompany(system);
  // Four caseworker sessions: four browsers, four different form tokens for the same task.
  caseworkers = await Promise.all(Array.from({ length: CASEWORKERS }, () => demoCaseworker(system)));
});

afterAll(async () => {
  await system?.stop();
});

async function failedWorkflowTasks(caseId: string): Promise<string[]> {
  const history = await system.temporalClient.workflow.getHandle(caseId).fetchHistory();
  return (history.events ?? []).flatMap((event) =>
    event.workflowTaskFailedEventAttributes ? [event.workflowTaskFailedEventAttributes.failure?.message ?? '?'] : [],
  );
}

describe('concurrent completion of one task', () => {
  it(`${ROUNDS} rounds of ${CASEWORKERS} parallel answers: exactly one wins, the others hear who did, the case moves on`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const caseId = await submitGeneralInquiry(company, `Parallel ${round}`, MAIL_INQUIRY);
      const task = await openTaskOf(system, caseId);
      // Every caseworker has the task form open, each with its own submission token.
      const tokens: { csrf?: string; token?: string }[] = [];
      for (const caseworker of caseworkers) {
        await caseworker.get(`/staff/tasks/${task.id}`);
        tokens.push({ csrf: caseworker.hidden('_csrf'), token: caseworker.hidden('_token') });
      }
      const answers = await Promise.all(
        caseworkers.map((caseworker, index) =>
          Promise.race([
            caseworker.submit(`/staff/tasks/${task.id}`, { answer: `Antwort von Sitzung ${index}` }, tokens[index]),
            new Promise<never>((_, reject) =>
              setTimeout(() => reject(new Error(`round ${round}: a request hung`)), REQUEST_BOUND_MS),
            ),
          ]),
        ),
      );

      // Invariant: exactly one completion wins; every other request is told the task was done by someone else.
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses, `round ${round}`).toEqual([303, 409, 409, 409]);
      for (const loser of answers.filter((answer) => answer.status === 409)) {
        expect(loser.html).toContain('bereits erledigt');
        expect(loser.html).toContain(DEMO_ACCOUNTS.caseworker.name);
      }

      // Invariant: the case moves on — one answer mail with the winner's answer, the case completes.
      const winner = answers.findIndex((answer) => answer.status === 303);
      const done = await completedCase(system, caseId);
      expect(done.status).toBe('completed');
      const mails = await system.db.select().from(outboxMails).where(serviceMailsOf(caseId));
      expect(mails).toHaveLength(1);
      expect(mails[0]?.body).toContain(`Antwort von Sitzung ${winner}`);

      // Invariant: nothing a user sent made a workflow task fail.
      expect(await failedWorkflowTasks(caseId), `round ${round}`).toEqual([]);
    }
  });
});
