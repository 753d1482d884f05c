import { randomUUID } from 'node:crypto';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agencyToday } from '../../engine/case/today.js';
import { cases, memberships, tasks, users } from '../../engine/db/schema.js';
import { createCaseRepository } from '../../engine/repositories/case.repository.js';
import { hashPassword, type CompanyUserSession } from '../../engine/services/auth.service.js';
import { pagePlanOf } from '../../engine/services/my-cases-query.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, newApplicant, openTaskOf } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
let paula: WebClient;
let erika: WebClient;
let companyId: string;
let paulaSession: CompanyUserSession;
/** Every case of the company, by subject. */
const caseIds = new Map<string, string>();

const PASSWORD = 'Test-Password-1';
const FUNDING = {
  companySize: 'kleinst',
  sector: 'tourismus',
  projectType: 'investition',
  investmentVolume: '60000',
  plannedStart: '2030-03-01',
  projectDescription: 'Wir modernisieren die Gästezimmer und senken den Energieverbrauch.',
};

/** A case started through the case-start service, as the start form would (fast: no pages in between). */
async function start(user: CompanyUserSession, slug: string, subject: string): Promise<string> {
  const input =
    slug === 'general-inquiry'
      ? { subject, message: 'Bitte um Rückruf.', contactChannel: 'email' }
      : { ...FUNDING, subject };
  const result = await system.services.caseStarts.submit(user, slug, randomUUID(), input, { locale: 'de' });
  if (!result?.ok) throw new Error(`${slug}: no case`);
  caseIds.set(subject, result.caseId);
  return result.caseId;
}

async function sessionOf(email: string, companyName: string): Promise<CompanyUserSession> {
  const [user] = await system.db.select().from(users).where(eq(users.email, email));
  if (!user) throw new Error(`no user ${email}`);
  return { kind: 'applicant', userId: user.id, name: user.name, email, companyId, companyName };
}

/** The case ids of a list page, top to bottom. */
const listed = (html: string) =>
  [...html.matchAll(/<th scope="row"[^>]*>\s*<a href="\/cases\/([0-9a-f-]{36})">/g)].map((m) => m[1]);
const linkOf = (html: string, rel: 'next' | 'prev') =>
  new RegExp(`<a href="([^"]+)" rel="${rel}">`)
    .exec(html)?.[1]
    ?.replaceAll('&amp;', '&')
    .replaceAll('&#x3D;', '=')
    .replace(/#cases$/, '');

/** Every case the workflow has reached its first wait on (an open task): its last change stays put from then on. */
async function settled(ids: string[]) {
  await eventually(
    async () => {
      const open = await system.db
        .select({ caseId: tasks.caseId })
        .from(tasks)
        .where(and(inArray(tasks.caseId, ids), eq(tasks.status, 'open')));
      return new Set(open.map((row) => row.caseId)).size === ids.length ? true : undefined;
    },
    60_000,
    'every case waiting at its first task',
  );
}

beforeAll(async () => {
  system = await startTestSystem();
  const owner = await newApplicant(system);
  companyId = owner.companyId;
  paula = owner.client;
  // A second member of the same company.
  const erikaEmail = `erika-${randomUUID()}@example.com`;
  const [erikaRow] = await system.db
    .insert(users)
    .values({ email: erikaEmail, name: 'Erika Mustermann', passwordHash: await hashPassword(PASSWORD) })
    .returning();
  if (!erikaRow) throw new Error('no user');
  await system.db.insert(memberships).values({ userId: erikaRow.id, companyId, role: 'member' });
  erika = new WebClient(system.url);
  await erika.login(erikaEmail, PASSWORD);

  paulaSession = await sessionOf(owner.email, owner.companyName);
  const erikaSession = await sessionOf(erikaEmail, owner.companyName);
  // 22 general inquiries by Paula, 4 funding inquiries by Erika: 26 cases, two pages of 20.
  for (let i = 1; i <= 22; i += 1)
    await start(paulaSession, 'general-inquiry', `Anfrage ${String(i).padStart(2, '0')}`);
  for (let i = 1; i <= 4; i += 1) await start(erikaSession, 'funding-inquiry', `Förderung ${i}`);
  await settled([...caseIds.values()]);
}, 240_000);

afterAll(async () => {
  await system?.stop();
});

describe('Meine Vorgänge', () => {
  it('pages by last change forward and back, without duplicates or gaps, while a new case arrives in between', async () => {
    const expected = (
      await system.db
        .select({ id: cases.id })
        .from(cases)
        .where(eq(cases.companyId, companyId))
        .orderBy(sql`${cases.updatedAt} desc, ${cases.id} desc`)
    ).map((row) => row.id);
    expect(expected).toHaveLength(26);

    const first = await paula.get('/cases');
    expect(first.status).toBe(200);
    const firstIds = listed(first.html);
    expect(firstIds).toEqual(expected.slice(0, 20));
    expect(linkOf(first.html, 'prev')).toBeUndefined();
    const older = linkOf(first.html, 'next');
    expect(older).toMatch(/^\/cases\?after=/);

    // A new case arrives while the user reads the first page.
    const arrived = await start(paulaSession, 'general-inquiry', 'Neu dazwischen');

    const second = await paula.get(older ?? '');
    const secondIds = listed(second.html);
    expect(secondIds).toEqual(expected.slice(20));
    expect(linkOf(second.html, 'next')).toBeUndefined();

    // Back: exactly the first page again, and a "Neuere" link, for the case that arrived meanwhile.
    const back = await paula.get(linkOf(second.html, 'prev') ?? '');
    expect(listed(back.html)).toEqual(firstIds);
    expect(back.html).toContain('Zum Anfang');
    // Newer than that is the top of the list: a full page, the new case first.
    await settled([arrived]);
    const top = await paula.get(linkOf(back.html, 'prev') ?? '');
    expect(listed(top.html)).toEqual([arrived, ...firstIds.slice(0, 19)]);
    expect(linkOf(top.html, 'prev')).toBeUndefined();
  });

  it('every member sees every case of the company, with who started it, in German and English', async () => {
    const page = await erika.get('/cases?service=funding-inquiry');
    expect(listed(page.html)).toHaveLength(4);
    expect(page.html).toContain('Erika Mustermann');
    const inquiries = await erika.get('/cases?service=general-inquiry&q=Anfrage%2001');
    expect(listed(inquiries.html)).toEqual([caseIds.get('Anfrage 01')]);
    expect(inquiries.html).toContain('Paula Planer');
    expect(inquiries.html).toContain('Allgemeine Anfrage');
    const english = await erika.get('/cases?service=general-inquiry&q=Anfrage%2001&lang=en');
    expect(english.html).toContain('Started by');
    expect(english.html).toContain('General inquiry');
  });

  it('filters by case number, start date, status group and sort; bad input answers 422 at the field, kept', async () => {
    const [one] = await system.db
      .select()
      .from(cases)
      .where(eq(cases.id, caseIds.get('Förderung 2') ?? ''));
    const byNumber = await paula.get(`/cases?q=${one?.number}`);
    expect(listed(byNumber.html)).toEqual([one?.id]);

    const today = agencyToday();
    expect(listed((await paula.get(`/cases?from=${today}&to=${today}`)).html).length).toBe(20);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const none = await paula.get(`/cases?from=${tomorrow}`);
    expect(listed(none.html)).toEqual([]);
    expect(none.html).toContain('Keine Vorgänge passen zu diesem Filter.');
    expect(listed((await paula.get('/cases?status=closed')).html)).toEqual([]);
    expect(listed((await paula.get('/cases?status=open')).html)).toHaveLength(20);

    const started = await paula.get('/cases?sort=started');
    const startedOrder = (
      await system.db
        .select({ id: cases.id })
        .from(cases)
        .where(eq(cases.companyId, companyId))
        .orderBy(sql`${cases.createdAt} desc, ${cases.id} desc`)
    ).map((row) => row.id);
    expect(listed(started.html)).toEqual(startedOrder.slice(0, 20));
    // The next page by start keeps the sort; a cursor of the other sort starts at the top.
    const startedOlder = linkOf(started.html, 'next') ?? '';
    expect(startedOlder).toContain('sort=started');
    expect(listed((await paula.get(startedOlder)).html)).toEqual(startedOrder.slice(20));
    const mixed = await paula.get(startedOlder.replace('sort=started', 'sort=changed'));
    expect(listed(mixed.html)).toHaveLength(20);

    const bad = await paula.get('/cases?from=2026-02-30&q=Halle&status=urgent');
    expect(bad.status).toBe(422);
    expect(bad.html).toContain('id="filter-from-error"');
    expect(bad.html).toContain('id="filter-status-error"');
    expect(bad.html).toContain('value="2026-02-30"');
    expect(bad.html).toContain('value="Halle"');
  });

  it('marks a case with an open Rückfrage and one with an unread message: badge, count, "Das braucht Sie"', async () => {
    const caseworker = await demoCaseworker(system);
    const withRequest = caseIds.get('Anfrage 03') ?? '';
    const withMessage = caseIds.get('Anfrage 04') ?? '';
    const staffTask = await openTaskOf(system, withRequest);
    await caseworker.get(`/staff/tasks/${staffTask.id}`);
    const token = /action="\/staff\/tasks\/[^"]+\/rueckfrage"[\s\S]*?name="_token" value="([^"]+)"/.exec(
      caseworker.lastHtml,
    )?.[1];
    const deadline = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    const asked = await caseworker.submit(
      `/staff/tasks/${staffTask.id}/rueckfrage`,
      { questions: 'Wie viele Mitarbeitende haben Sie?', documents: '', message: '', deadline },
      { token },
    );
    expect(asked.status).toBe(303);
    const requestTask = await eventually(async () => {
      const [row] = await system.db
        .select()
        .from(tasks)
        .where(
          and(
            eq(tasks.caseId, withRequest),
            eq(tasks.status, 'open'),
            sql`'applicant' = any(${tasks.candidateGroups})`,
          ),
        );
      return row;
    });

    await caseworker.get(`/staff/cases/${withMessage}`);
    const sent = await caseworker.submitMultipart(`/staff/cases/${withMessage}/messages`, {
      _token: caseworker.hidden('_token') ?? '',
      body: 'Wir haben eine Frage zu Ihrer Anfrage.',
    });
    expect(sent.status).toBe(303);

    const action = await erika.get('/cases?status=action&lang=de');
    expect(new Set(listed(action.html))).toEqual(new Set([withRequest, withMessage]));
    expect(action.html).toContain('Aktion erforderlich: 1 Aufgabe offen');
    expect(action.html).toContain('Aktion erforderlich: 1 neue Nachricht');
    expect(action.html).toContain(`href="/cases/${withMessage}#messages"`);
    expect(action.html).toContain('Das braucht Sie');
    expect(action.html).toContain(`href="/tasks/${requestTask.id}"`);
    expect((await erika.get('/cases?status=action&lang=en')).html).toContain('Action required: 1 new message');

    // Reading the message (opening the case) takes the badge away; answering the Rückfrage, the other one.
    await paula.get(`/cases/${withMessage}`);
    await erika.get(`/tasks/${requestTask.id}`);
    const answered = await erika.submitMultipart(`/tasks/${requestTask.id}`, {
      _token: erika.hidden('_token') ?? '',
      answer1: 'Zwölf',
    });
    expect(answered.status).toBe(303);
    await eventually(async () =>
      (await paula.get('/cases?status=action')).html.includes('<th scope="row"') ? undefined : true,
    );
    expect((await paula.get('/cases')).html).not.toContain('Das braucht Sie');

    // The timeline names who of the company did what, and the agency as the agency.
    const casePage = await paula.get(`/cases/${withRequest}`);
    const timeline = casePage.html.slice(casePage.html.indexOf('class="timeline"'));
    expect(timeline).toContain('Eingereicht von Paula Planer');
    expect(timeline).toContain('Rückfrage der Wirtschaftsförderung, Antwort bis');
    expect(timeline).toContain('Rückfrage beantwortet von Erika Mustermann');
    const messagePage = await paula.get(`/cases/${withMessage}?lang=en`);
    const messageTimeline = messagePage.html.slice(messagePage.html.indexOf('class="timeline"'));
    expect(messageTimeline).toContain('Message from the economic development agency');
    expect(messageTimeline).not.toContain(DEMO_ACCOUNTS.caseworker.name);
  });

  it('links the user’s own drafts from the list header', async () => {
    expect((await paula.get('/cases?lang=de')).html).not.toMatch(/<a href="\/drafts">\d+ Entw/);
    // Opening a stepped start makes a draft (it stays on /drafts).
    await paula.get('/services/permit-guidance/start');
    const page = await paula.get('/cases');
    expect(page.html).toContain('<a href="/drafts">1 Entwurf</a>');
    expect((await paula.get('/cases?lang=en')).html).toContain('<a href="/drafts">1 draft</a>');
    // Drafts are their user's: a colleague sees none of them.
    expect((await erika.get('/cases?lang=de')).html).not.toMatch(/<a href="\/drafts">\d+ Entw/);
  });

  it('never lists another company’s cases, and its case ids answer 404', async () => {
    const other = await newApplicant(system);
    const otherSession: CompanyUserSession = {
      kind: 'applicant',
      userId: (await system.db.select().from(users).where(eq(users.email, other.email)))[0]?.id ?? '',
      name: 'Paula Planer',
      email: other.email,
      companyId: other.companyId,
      companyName: other.companyName,
    };
    const result = await system.services.caseStarts.submit(
      otherSession,
      'general-inquiry',
      randomUUID(),
      { subject: 'Anfrage 01', message: 'Eine Anfrage einer anderen Firma.', contactChannel: 'email' },
      { locale: 'de' },
    );
    const foreignId = result?.ok ? result.caseId : '';
    expect(foreignId).not.toBe('');
    const mine = await paula.get('/cases?q=Anfrage%2001');
    expect(listed(mine.html)).toEqual([caseIds.get('Anfrage 01')]);
    expect(listed((await other.client.get('/cases')).html)).toEqual([foreignId]);
    expect((await paula.get(`/cases/${foreignId}`)).status).toBe(404);
  });

  it('the page query runs on the index (company, last change, id) in both directions', async () => {
    const client = await system.pool.connect();
    try {
      await client.query('begin');
      // A handful of rows would be read by a sequential scan anyway; forbid it to see which index the planner can use.
      await client.query('set local enable_seqscan = off');
      const statements: { sql: string; params: unknown[] }[] = [];
      const db = drizzle(client, { logger: { logQuery: (query, params) => statements.push({ sql: query, params }) } });
      const repository = createCaseRepository(db as unknown as Parameters<typeof createCaseRepository>[0]);
      const top = pagePlanOf({ sort: 'changed' });
      await repository.companyCasesPage(companyId, top);
      await repository.companyCasesPage(companyId, {
        ...top,
        direction: 'newer',
        cursor: { at: '2026-12-08T09:00:00.000000Z', id: randomUUID() },
      });
      for (const statement of statements) {
        const plan = await client.query(`explain ${statement.sql}`, statement.params);
        const text = plan.rows.map((row: Record<string, string>) => Object.values(row).join('')).join('\n');
        expect(text).toContain('cases_company_updated');
      }
      await client.query('rollback');
    } finally {
      client.release();
    }
  });
});
