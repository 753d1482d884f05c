import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tasks } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

const ROUNDS = 50;

let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

describe('two caseworkers claim the same task at the same moment', () => {
  it(`in each of ${ROUNDS} rounds exactly one wins (303), the other gets 409 naming the winner`, async () => {
    // Given a real task of the group both caseworkers are in
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Wer übernimmt zuerst?');
    const task = await openTaskOf(system, caseId);
    const jonas = await demoCaseworker(system);
    const petra = new WebClient(system.url);
    await petra.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    const contenders = [
      { client: jonas, account: DEMO_ACCOUNTS.caseworker },
      { client: petra, account: DEMO_ACCOUNTS.administrator },
    ];
    // Each has the inbox open: the claim buttons' forms carry the session's CSRF token.
    for (const { client } of contenders) await client.get('/staff/tasks?view=all');

    const wins = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round += 1) {
      await system.db.update(tasks).set({ assignee: null }).where(eq(tasks.id, task.id));
      // When both press "Übernehmen" at once
      const answers = await Promise.all(
        contenders.map(({ client }) => client.submit(`/staff/tasks/${task.id}/claim`, { next: '/staff/tasks' })),
      );

      // Then exactly one claim went through, the other was told who has the task, and the database agrees
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses, `round ${round}`).toEqual([303, 409]);
      const winner = contenders[answers.findIndex((answer) => answer.status === 303)]!.account;
      const loser = answers.find((answer) => answer.status === 409)!;
      expect(loser.html, `round ${round}`).toContain(`Diese Aufgabe wird bearbeitet von ${winner.name}.`);
      const [row] = await system.db.select().from(tasks).where(eq(tasks.id, task.id));
      expect(row!.assignee, `round ${round}`).toBe(winner.email);
      wins.set(winner.email, (wins.get(winner.email) ?? 0) + 1);
    }
    expect([...wins.values()].reduce((sum, count) => sum + count, 0)).toBe(ROUNDS);
  });
});
