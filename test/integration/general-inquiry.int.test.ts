import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseEvents, cases, outboxMails, tasks } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, createCompanyWithUser } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany, openTaskOf } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

const inquiry = {
  subject: 'Erweiterung unserer Halle',
  message: 'Wir möchten unsere Produktionshalle erweitern. Welche Förderungen gibt es dafür?',
  contactChannel: 'phone',
  phone: '+49 5151 123456',
};

async function submitInquiry(company: WebClient, fields = inquiry) {
  await company.get('/services/general-inquiry/start');
  const response = await company.submit('/services/general-inquiry/start', fields);
  expect(response.status).toBe(303);
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(response.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error('no case id in redirect');
  return caseId;
}

describe('general inquiry, end to end over HTTP', () => {
  it('company submits, caseworker answers, the case ends "Beantwortet" with the answer as its result', async () => {
    // Given the company user starts "Allgemeine Anfrage"
    const company = await demoCompany(system);
    const catalog = await company.get('/services');
    expect(catalog.html).toContain('Allgemeine Anfrage');
    const caseId = await submitInquiry(company);

    // Then the case has a number and status "Eingegangen" in "Meine Vorgänge"
    const myCases = await company.get('/cases');
    expect(myCases.html).toMatch(/WF-\d{4}-\d{6}/);
    expect(myCases.html).toContain('Eingegangen');
    const casePage = await company.get(`/cases/${caseId}`);
    expect(casePage.status).toBe(200);
    expect(casePage.html).toContain(inquiry.subject);
    // …with what the company submitted, labelled as in the form
    expect(casePage.html).toContain('<dt>Bevorzugter Kontaktweg</dt><dd>Telefon</dd>');

    // When the caseworker finds the task in the group inbox and answers it
    const task = await openTaskOf(system, caseId);
    expect(task.elementId).toBe('Task_Answer');
    const caseworker = await demoCaseworker(system);
    const inbox = await caseworker.get('/staff/tasks?view=all&sort=created&dir=desc');
    expect(inbox.html).toContain(`/staff/tasks/${task.id}`);
    const taskPage = await caseworker.get(`/staff/tasks/${task.id}`);
    expect(taskPage.html).toContain(inquiry.message);
    const answer = 'Für Ihre Erweiterung kommt das Programm „Regionale Wirtschaftsförderung“ in Frage.';
    const completed = await caseworker.submit(`/staff/tasks/${task.id}`, { answer });
    expect(completed.status).toBe(303);

    // Then the case ends "Beantwortet" for the company, the answer is its result on the case page, and the service
    // sends no mail of its own (the platform tells the company, ADR 0029)
    await eventually(
      async () => {
        const [done] = await system.db.select().from(cases).where(eq(cases.id, caseId));
        return done?.status === 'completed' ? done : undefined;
      },
      15_000,
      'the case to complete',
    );
    const finalPage = await company.get(`/cases/${caseId}`);
    expect(finalPage.html).toContain('<span class="status" id="case-status">Beantwortet</span>');
    expect(finalPage.html).toContain(answer);
    const serviceMails = await system.db.select().from(outboxMails).where(eq(outboxMails.caseId, caseId));
    expect(serviceMails.filter((mail) => mail.idempotencyKey.startsWith(`${caseId}:Task_`))).toEqual([]);
    // In English the statuses read as the service's labels name them (service.json statusLabels).
    const english = await company.get(`/cases/${caseId}?lang=en`);
    expect(english.html).toContain('<span class="status" id="case-status">Answered</span>');
    expect(english.html).toContain('<strong>Received</strong>');
    expect((await company.get('/cases?lang=en')).html).toContain('<span class="status">Answered</span>');
    await company.get('/cases?lang=de');
    // The caseworker reads the answer on the case page; the outbox of all companies is the administrators'.
    const staffCasePage = await caseworker.get(`/staff/cases/${caseId}`);
    expect(staffCasePage.html).toContain(answer);
    expect((await caseworker.get('/staff/outbox')).status).toBe(404);
  });

  it('the gateway routes a wanted follow-up call to a second caseworker task', async () => {
    const company = await demoCompany(system);
    const caseId = await submitInquiry(company);
    const caseworker = await demoCaseworker(system);
    const answerTask = await openTaskOf(system, caseId);
    await caseworker.get(`/staff/tasks/${answerTask.id}`);
    await caseworker.submit(`/staff/tasks/${answerTask.id}`, {
      answer: 'Gern rufen wir Sie zurück.',
      followUpCall: 'true',
    });
    const callTask = await openTaskOf(system, caseId);
    expect(callTask.elementId).toBe('Task_FollowUpCall');
    const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row?.publicStatus).toBe('Rückruf geplant');
  });

  it('the start form speaks English when the page does, from the translation next to the form', async () => {
    const company = await demoCompany(system);
    const english = await company.get('/services/general-inquiry/start?lang=en');
    expect(english.html).toContain('Preferred way to contact you');
    expect(english.html).toContain('In person');
    const german = await company.get('/services/general-inquiry/start?lang=de');
    expect(german.html).toContain('Bevorzugter Kontaktweg');
  });

  it('an invalid start form shows the errors next to the fields and keeps the input', async () => {
    const company = await demoCompany(system);
    await company.get('/services/general-inquiry/start');
    const response = await company.submit('/services/general-inquiry/start', {
      ...inquiry,
      subject: '',
      message: 'kurz',
    });
    expect(response.status).toBe(422);
    expect(response.html).toContain('error-summary');
    expect(response.html).toContain('aria-invalid="true"');
    expect(response.html).toContain(inquiry.phone);
  });

  it('a double submit of the start form creates one case, and of the task form one completion', async () => {
    const company = await demoCompany(system);
    await company.get('/services/general-inquiry/start');
    const tokens = { csrf: company.hidden('_csrf'), token: company.hidden('_token') };
    const [first, second] = await Promise.all([
      company.submit('/services/general-inquiry/start', inquiry, tokens),
      company.submit('/services/general-inquiry/start', inquiry, tokens),
    ]);
    expect(first.headers.get('location')).toBe(second.headers.get('location'));
    const third = await company.submit('/services/general-inquiry/start', inquiry, tokens);
    expect(third.headers.get('location')).toBe(first.headers.get('location'));
    const caseId = /\/cases\/([0-9a-f-]{36})/.exec(first.headers.get('location') ?? '')?.[1] ?? '';
    const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toBeDefined();
    const sameToken = await system.db
      .select()
      .from(cases)
      .where(eq(cases.submissionToken, tokens.token ?? ''));
    expect(sameToken).toHaveLength(1);

    const caseworker = await demoCaseworker(system);
    const task = await openTaskOf(system, caseId);
    await caseworker.get(`/staff/tasks/${task.id}`);
    const taskTokens = { csrf: caseworker.hidden('_csrf'), token: caseworker.hidden('_token') };
    const answers = await Promise.all([
      caseworker.submit(`/staff/tasks/${task.id}`, { answer: 'Die erste und einzige Antwort.' }, taskTokens),
      caseworker.submit(`/staff/tasks/${task.id}`, { answer: 'Die erste und einzige Antwort.' }, taskTokens),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([303, 303]);
    await eventually(
      async () => {
        const [done] = await system.db.select().from(cases).where(eq(cases.id, caseId));
        return done?.status === 'completed' ? done : undefined;
      },
      15_000,
      'the case to complete',
    );
    const ends = await system.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.type, 'caseCompleted')));
    expect(ends).toHaveLength(1);
    const completions = await system.db.select().from(tasks).where(eq(tasks.caseId, caseId));
    expect(completions).toHaveLength(1);
    expect(completions[0]?.status).toBe('completed');
  });

  it("another company's user gets 404 on the case page, the task and the files", async () => {
    const company = await demoCompany(system);
    const caseId = await submitInquiry(company);
    const task = await openTaskOf(system, caseId);
    const email = `other-${randomUUID()}@example.com`;
    await createCompanyWithUser(system.db, {
      company: 'Andere GmbH',
      email,
      name: 'Otto Other',
      password: 'Other-Password-1',
    });
    const other = new WebClient(system.url);
    await other.login(email, 'Other-Password-1');
    expect((await other.get(`/cases/${caseId}`)).status).toBe(404);
    expect((await other.get(`/cases/${caseId}/receipt`)).status).toBe(404);
    expect((await other.get(`/cases/${caseId}/messages`)).status).toBe(404);
    expect((await other.get(`/tasks/${task.id}`)).status).toBe(404);
    expect((await other.get('/cases')).html).not.toContain(caseId);
    // The owner still sees all three (so the 404s above are about ownership, not broken routes).
    expect((await company.get(`/cases/${caseId}`)).status).toBe(200);
    const receipt = await company.get(`/cases/${caseId}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.headers.get('content-type')).toBe('application/pdf');
    expect(receipt.html.startsWith('%PDF-')).toBe(true);
    // The caseworker's task is not for the company either.
    expect((await company.get(`/tasks/${task.id}`)).status).toBe(404);
  });

  it('staff see a case only when one of its tasks is for them; others get 404', async () => {
    const company = await demoCompany(system);
    const caseId = await submitInquiry(company);
    const task = await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    expect((await caseworker.get(`/staff/cases/${caseId}`)).status).toBe(200);
    const otherDepartment = new WebClient(system.url);
    await otherDepartment.login(DEMO_ACCOUNTS.buildingAuthority.email, DEMO_PASSWORD, true);
    expect((await otherDepartment.get(`/staff/cases/${caseId}`)).status).toBe(404);
    expect((await otherDepartment.get(`/staff/tasks/${task.id}`)).status).toBe(404);
    expect((await otherDepartment.get('/staff/tasks?view=all&sort=created&dir=desc')).html).not.toContain(task.id);
  });

  it('a wrong CSRF token gets 403 and changes nothing', async () => {
    const company = await demoCompany(system);
    await company.get('/services/general-inquiry/start');
    const token = company.hidden('_token') ?? '';
    const response = await company.submit('/services/general-inquiry/start', inquiry, { csrf: 'forged', token });
    expect(response.status).toBe(403);
    expect(await system.db.select().from(cases).where(eq(cases.submissionToken, token))).toHaveLength(0);

    const caseId = await submitInquiry(company);
    const task = await openTaskOf(system, caseId);
    const caseworker = await demoCaseworker(system);
    await caseworker.get(`/staff/tasks/${task.id}`);
    const forged = await caseworker.submit(
      `/staff/tasks/${task.id}`,
      { answer: 'Diese Antwort darf nicht ankommen.' },
      { csrf: 'x'.repeat(32) },
    );
    expect(forged.status).toBe(403);
    const [still] = await system.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(still?.status).toBe('open');
  });
});
