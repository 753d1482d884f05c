import { and, eq } from 'drizzle-orm';
import { cases, tasks } from '../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../engine/services/seed.js';
import { WebClient } from './browserless-client.js';
import { eventually, type startTestSystem } from './system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

/** The demo company user, logged in. */
export async function demoCompany(system: System): Promise<WebClient> {
  const company = new WebClient(system.url);
  await company.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
  return company;
}

/** The demo caseworker, logged in. */
export async function demoCaseworker(system: System): Promise<WebClient> {
  const caseworker = new WebClient(system.url);
  await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
  return caseworker;
}

/**
 * Sends a new "Allgemeine Anfrage" over HTTP as a company user would (a fresh form each time: after a
 * send, the start address says "already sent") and returns the case id.
 */
export async function submitGeneralInquiry(company: WebClient, subject: string): Promise<string> {
  await company.get('/services/general-inquiry/start?new=1');
  await company.get('/services/general-inquiry/start');
  const sent = await company.submit('/services/general-inquiry/start', {
    subject,
    message: 'Bitte um eine kurze Antwort per E-Mail.',
    contactChannel: 'email',
  });
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error(`no case id in the redirect (${sent.status})`);
  return caseId;
}

/** The case's open task, once the workflow has projected it. */
export function openTaskOf(system: System, caseId: string) {
  return eventually(
    async () => {
      const [task] = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
      return task;
    },
    15_000,
    `an open task on case ${caseId}`,
  );
}

/** The case's row once it has completed. */
export function completedCase(system: System, caseId: string) {
  return eventually(
    async () => {
      const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
      return row?.status === 'completed' ? row : undefined;
    },
    15_000,
    `case ${caseId} to complete`,
  );
}

/** A general inquiry sent by the demo company and answered by the demo caseworker: a finished case. */
export async function answeredInquiry(system: System, subject: string) {
  const caseId = await submitGeneralInquiry(await demoCompany(system), subject);
  const task = await openTaskOf(system, caseId);
  const caseworker = await demoCaseworker(system);
  await caseworker.get(`/staff/tasks/${task.id}`);
  const answered = await caseworker.submit(`/staff/tasks/${task.id}`, { answer: 'Hier ist unsere Antwort an Sie.' });
  if (answered.status !== 303) throw new Error(`the answer was refused (${answered.status})`);
  return completedCase(system, caseId);
}
