import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import { cases, companies, outboxMails, staff, staffGroups, tasks } from '../engine/db/schema.js';
import type { StaffSession } from '../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createCompanyWithUser } from '../engine/services/seed.js';
import { WebClient, type UploadFile } from './browserless-client.js';
import { eventually, type startTestSystem } from './system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

/**
 * The link to `path` (with its `?token=…`) in the latest mail to `email`, read from the outbox where every mail is
 * written first; as a path, for a browser or WebClient on the test system whatever PUBLIC_URL the mail used.
 */
export async function mailedLink(system: Pick<System, 'db'>, email: string, path: string): Promise<string> {
  const [mail] = await system.db
    .select()
    .from(outboxMails)
    .where(eq(outboxMails.recipient, email))
    .orderBy(desc(outboxMails.createdAt))
    .limit(1);
  const link = new RegExp(`https?://[^/\\s]+(${path}\\?token=[^\\s"<]+)`).exec(mail?.body ?? '')?.[1];
  if (!link) throw new Error(`no ${path} link mailed to ${email}`);
  return link;
}

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
 * send, the start address says "already sent") and returns the case id. `slug`: a copy of the service a test
 * published (e.g. the general inquiry with its own answer mail, test/service-versions.ts).
 */
export async function submitGeneralInquiry(
  company: WebClient,
  subject: string,
  slug = 'general-inquiry',
): Promise<string> {
  await company.get(`/services/${slug}/start?new=1`);
  await company.get(`/services/${slug}/start`);
  const sent = await company.submit(`/services/${slug}/start`, {
    subject,
    message: 'Bitte um eine kurze Antwort per E-Mail.',
    contactChannel: 'email',
  });
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(sent.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error(`no case id in the redirect (${sent.status})`);
  return caseId;
}

export const SITE_PLAN_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
);

/** What the permit-guidance applicant writes on the first step. */
export const PERMIT_PROJECT = {
  subject: 'Neubau einer Lagerhalle',
  projectDescription: 'Wir möchten auf unserem Grundstück eine Lagerhalle mit 800 m² errichten.',
  permitType: 'building',
  plannedStart: '06/2027',
};
export const PERMIT_SITE = {
  siteStreet: 'Industriestraße 9',
  sitePostalCode: '12345',
  siteCity: 'Musterstadt',
  siteParcel: '',
};

/** A company of its own, with its registered address, and a logged-in user of it (Paula Planer). */
export async function newApplicant(
  system: System,
  companyName = `Planer Bau ${randomUUID().slice(0, 8)} GmbH`,
): Promise<{ client: WebClient; email: string; companyId: string; companyName: string }> {
  const email = `applicant-${randomUUID()}@example.com`;
  const password = 'Test-Password-1';
  const { companyId } = await createCompanyWithUser(system.db, {
    company: companyName,
    email,
    name: 'Paula Planer',
    password,
  });
  await system.db
    .update(companies)
    .set({ street: 'Am Hafen 3', postalCode: '12347', city: 'Musterhafen' })
    .where(eq(companies.id, companyId));
  const client = new WebClient(system.url);
  await client.login(email, password);
  return { client, email, companyId, companyName };
}

/**
 * The permit guidance's three start steps over HTTP as a company user sends them, `sitePlan` (by default one
 * PDF) uploaded on the last; returns the case id.
 */
export async function submitPermitGuidance(
  client: WebClient,
  applicant: { email: string; companyName: string },
  options: { subject?: string; sitePlan?: UploadFile[] } = {},
): Promise<string> {
  const expectStatus = (response: { status: number }, status: number, what: string) => {
    if (response.status !== status) throw new Error(`${what}: ${response.status} instead of ${status}`);
  };
  const started = await client.get('/services/permit-guidance/start');
  const draftId = /^\/drafts\/([0-9a-f-]{36})\/steps\/1/.exec(started.headers.get('location') ?? '')?.[1];
  if (!draftId) throw new Error('no draft');
  await client.get(`/drafts/${draftId}/steps/1`);
  const first = await client.submitMultipart(`/drafts/${draftId}/steps/1`, {
    ...PERMIT_PROJECT,
    ...(options.subject && { subject: options.subject }),
    companyName: applicant.companyName,
    contactEmail: applicant.email,
    _action: 'next',
  });
  expectStatus(first, 303, 'step 1');
  await client.get(`/drafts/${draftId}/steps/2`);
  expectStatus(await client.submit(`/drafts/${draftId}/steps/2`, { ...PERMIT_SITE, _action: 'next' }), 303, 'step 2');
  await client.get(`/drafts/${draftId}/steps/3`);
  const sitePlan = options.sitePlan ?? [
    { field: 'sitePlan', name: 'Lageplan.pdf', content: SITE_PLAN_PDF, type: 'application/pdf' },
  ];
  const uploaded = await client.submitMultipart(`/drafts/${draftId}/steps/3`, { _action: 'next' }, sitePlan);
  if (uploaded.headers.get('location') !== `/drafts/${draftId}/review`) throw new Error('step 3: no review next');
  await client.get(`/drafts/${draftId}/review`);
  const submitted = await client.submit(`/drafts/${draftId}/submit`, {});
  const caseId = /^\/cases\/([0-9a-f-]{36})\?submitted=1$/.exec(submitted.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error(`no case in ${submitted.headers.get('location')}`);
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

/** The case's open task at `elementId`, once the workflow has projected it. */
export function openTaskAt(system: System, caseId: string, elementId: string) {
  return eventually(
    async () => {
      const [task] = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.elementId, elementId), eq(tasks.status, 'open')));
      return task;
    },
    15_000,
    `an open ${elementId} on case ${caseId}`,
  );
}

/** A staff member of the database as the web layer would have them in the session. */
export async function staffSessionOf(system: System, email: string): Promise<StaffSession> {
  const [member] = await system.db.select().from(staff).where(eq(staff.email, email));
  if (!member) throw new Error(`no staff ${email}`);
  const groups = await system.db.select().from(staffGroups).where(eq(staffGroups.staffId, member.id));
  return {
    kind: 'staff',
    staffId: member.id,
    name: member.name,
    email: member.email,
    groups: groups.map((row) => row.groupId),
    roles: member.roles,
  };
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
export async function answeredInquiry(system: System, subject: string, slug = 'general-inquiry') {
  const caseId = await submitGeneralInquiry(await demoCompany(system), subject, slug);
  const task = await openTaskOf(system, caseId);
  const caseworker = await demoCaseworker(system);
  await caseworker.get(`/staff/tasks/${task.id}`);
  const answered = await caseworker.submit(`/staff/tasks/${task.id}`, { answer: 'Hier ist unsere Antwort an Sie.' });
  if (answered.status !== 303) throw new Error(`the answer was refused (${answered.status})`);
  return completedCase(system, caseId);
}
