import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cases,
  companies,
  groups,
  memberships,
  savedFilters,
  services,
  serviceVersions,
  staff,
  staffGroups,
  tasks,
  users,
} from '../../engine/db/schema.js';
import type { ProcessModel } from '../../engine/model/process-model.js';
import { hashPassword, type StaffRole } from '../../engine/services/auth.service.js';
import { createCompanyWithUser, DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { agencyNoon, clearOfAgencyMidnight } from '../agency-day.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

/**
 * The inbox over a group, a service, a company and colleagues of this file's own, written as the projection
 * would have written them (cases with `seq` 1, so no sweep starts them): other files' tasks in the shared
 * database never change what these members see. Claims and the completion check also run on a real case.
 */
const DAY = 86_400_000;
const run = randomUUID().slice(0, 8);
const group = `inbox-${run}`;
const otherGroup = `inbox-other-${run}`;
const pagerGroup = `inbox-pager-${run}`;
const slug = `inbox-test-${run}`;
const companyName = `Inboxtest Metallbau ${run}`;
const PASSWORD = 'Inbox-Test-2026!';
const account = (key: string, name: string, groupIds: string[], roles: StaffRole[] = ['caseworker']) => ({
  email: `${key}-${run}@wirtschaftsfoerderung.example`,
  name: `${name} ${run}`,
  groups: groupIds,
  roles,
});
const amy = account('amy', 'Amy Amsel', [group]);
const ben = account('ben', 'Ben Buchfink', [group]);
const lead = account('lead', 'Lea Leitner', [group], ['caseworker', 'team_lead']);
const outsider = account('out', 'Otto Außen', [otherGroup]);
const pager = account('pager', 'Paula Pager', [pagerGroup]);

let system: System;
const now = new Date();
const at = (days: number) => new Date(now.getTime() + days * DAY);
/** Due and follow-up dates at noon of an agency day, so "morgen" stays "morgen" at any hour of the run. */
const onDay = (days: number | undefined) => (days === undefined ? null : agencyNoon(days));
const ids = { staff: new Map<string, string>(), cases: [] as string[], versionId: '', serviceId: '', companyId: '' };
/** The numbered tasks of the main fixture, by name. */
const fixture = new Map<string, { taskId: string; caseNumber: string }>();
const paged: { id: string; dueDate: Date | null; followUpDate: Date | null; priority: number; createdAt: Date }[] = [];

async function addCase(spec: {
  key: string;
  subject: string;
  task: {
    name: string;
    groups: string[];
    due?: number;
    followUp?: number;
    priority?: number;
    assignee?: string;
    createdDaysAgo?: number;
  };
}) {
  const id = randomUUID();
  const number = `INB-${run}-${spec.key}`.toUpperCase();
  ids.cases.push(id);
  const [owner] = await system.db
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(eq(memberships.companyId, ids.companyId));
  await system.db.insert(cases).values({
    id,
    number,
    serviceVersionId: ids.versionId,
    companyId: ids.companyId,
    createdByUserId: owner!.userId,
    submissionToken: `inbox-test:${run}:${spec.key}`,
    subject: spec.subject,
    seq: 1,
  });
  const [task] = await system.db
    .insert(tasks)
    .values({
      caseId: id,
      tokenId: 't1',
      elementId: 'task1',
      name: spec.task.name,
      candidateGroups: spec.task.groups,
      assignee: spec.task.assignee ?? null,
      dueDate: onDay(spec.task.due),
      followUpDate: onDay(spec.task.followUp),
      priority: spec.task.priority ?? 50,
      createdAt: at(-(spec.task.createdDaysAgo ?? 1)),
    })
    .returning();
  fixture.set(spec.key, { taskId: task!.id, caseNumber: number });
  return task!;
}

beforeAll(async () => {
  await clearOfAgencyMidnight();
  system = await startTestSystem();
  const db = system.db;
  await db.insert(groups).values([
    { id: group, name: `Inbox-Gruppe ${run}` },
    { id: otherGroup, name: `Andere Gruppe ${run}` },
    { id: pagerGroup, name: `Seiten-Gruppe ${run}` },
  ]);
  for (const member of [amy, ben, lead, outsider, pager]) {
    const [row] = await db
      .insert(staff)
      .values({
        email: member.email,
        name: member.name,
        passwordHash: await hashPassword(PASSWORD),
        roles: member.roles,
      })
      .returning();
    ids.staff.set(member.email, row!.id);
    await db.insert(staffGroups).values(member.groups.map((groupId) => ({ staffId: row!.id, groupId })));
  }
  const [service] = await db
    .insert(services)
    .values({
      slug,
      titleDe: `Inbox-Testleistung ${run}`,
      titleEn: `Inbox test ${run}`,
      summaryDe: '-',
      summaryEn: '-',
    })
    .returning();
  ids.serviceId = service!.id;
  const [version] = await db
    .insert(serviceVersions)
    .values({
      serviceId: service!.id,
      version: 1,
      contentHash: run,
      bpmnXml: '<definitions/>',
      forms: {},
      model: {} as ProcessModel,
    })
    .returning();
  ids.versionId = version!.id;
  ids.companyId = (
    await createCompanyWithUser(db, {
      company: companyName,
      email: `inbox-${run}@example.com`,
      name: 'Ina Inbox',
      password: PASSWORD,
    })
  ).companyId;

  await addCase({
    key: 'overdue',
    subject: 'Hallenerweiterung Nord',
    task: { name: 'Vollständigkeit prüfen', groups: [group], due: -3, priority: 80, createdDaysAgo: 5 },
  });
  await addCase({
    key: 'mine',
    subject: 'Neubau Lagerhalle',
    task: { name: 'Bescheid erstellen', groups: [group], due: 1, followUp: -1, priority: 60, assignee: amy.email },
  });
  await addCase({
    key: 'nodate',
    subject: 'Photovoltaik auf dem Dach',
    task: { name: 'Stellungnahme einholen', groups: [group], priority: 20, createdDaysAgo: 2 },
  });
  await addCase({
    key: 'bens',
    subject: 'Zufahrt verbreitern',
    task: { name: 'Vollständigkeit prüfen', groups: [group], due: 10, assignee: ben.email, createdDaysAgo: 3 },
  });
  await addCase({ key: 'other', subject: 'Andere Abteilung', task: { name: 'Prüfen', groups: [otherGroup] } });
  await addCase({
    key: 'company',
    subject: 'Antwort des Unternehmens',
    task: { name: 'Nachreichen', groups: ['applicant'] },
  });

  // 55 tasks of one member: more than a page, with ties and missing dates in every sort.
  for (let index = 0; index < 55; index += 1) {
    const task = await addCase({
      key: `p${index}`,
      subject: `Seite ${index}`,
      task: {
        name: 'Blättern',
        groups: [pagerGroup],
        due: index % 4 === 0 ? undefined : (index % 7) - 3,
        followUp: index % 3 === 0 ? undefined : index % 5,
        priority: [20, 50, 50, 80][index % 4],
        createdDaysAgo: index % 6,
      },
    });
    paged.push(task);
  }
}, 8 * 60_000);

afterAll(async () => {
  const db = system.db;
  await db.delete(savedFilters).where(inArray(savedFilters.staffId, [...ids.staff.values()]));
  await db.delete(tasks).where(inArray(tasks.caseId, ids.cases));
  await db.delete(cases).where(inArray(cases.id, ids.cases));
  await db.delete(serviceVersions).where(eq(serviceVersions.id, ids.versionId));
  await db.delete(services).where(eq(services.id, ids.serviceId));
  await db.delete(staff).where(inArray(staff.id, [...ids.staff.values()]));
  await db.delete(groups).where(inArray(groups.id, [group, otherGroup, pagerGroup]));
  await db
    .delete(companies)
    .where(eq(companies.id, ids.companyId))
    .catch(() => undefined);
  await db
    .delete(users)
    .where(eq(users.email, `inbox-${run}@example.com`))
    .catch(() => undefined);
  await system?.stop();
});

async function as(member: { email: string }) {
  const client = new WebClient(system.url);
  await client.login(member.email, PASSWORD, true);
  return client;
}

/** The page with the entities Handlebars writes in attributes (`=`, `&`) decoded, to read links as a browser does. */
const decoded = (html: string) => html.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');

/** The task ids of the list's rows, in order. */
function rowTaskIds(html: string): string[] {
  return [...html.matchAll(/<th scope="row"><a href="\/staff\/tasks\/([0-9a-f-]{36})">/g)].map((match) => match[1]!);
}

const idOf = (key: string) => fixture.get(key)!.taskId;
const keysOf = (html: string) => {
  const byId = new Map([...fixture].map(([key, value]) => [value.taskId, key]));
  return rowTaskIds(html).map((id) => byId.get(id));
};
const countOf = (html: string, label: string) =>
  Number(new RegExp(`${label} <span class="inbox__count">\\((\\d+)\\)</span>`).exec(html)?.[1]);

describe('views', () => {
  it('count their tasks and open on "Meine Aufgaben" when there are any', async () => {
    const page = await (await as(amy)).get('/staff/tasks');
    expect(page.status).toBe(200);
    expect(countOf(page.html, 'Meine Aufgaben')).toBe(1);
    expect(countOf(page.html, 'Offen in meinen Gruppen')).toBe(2);
    expect(countOf(page.html, 'Alle')).toBe(4);
    expect(decoded(page.html)).toMatch(/href="\/staff\/tasks\?view=mine" aria-current="page"/);
    expect(keysOf(page.html)).toEqual(['mine']);
  });

  it('without tasks of one’s own, open on the groups’ unassigned tasks', async () => {
    const page = await (await as(lead)).get('/staff/tasks');
    expect(decoded(page.html)).toMatch(/href="\/staff\/tasks\?view=groups" aria-current="page"/);
    expect(keysOf(page.html)).toEqual(['overdue', 'nodate']);
  });

  it('"Alle" is every task the member may complete, never another department’s or the company’s', async () => {
    expect(keysOf((await (await as(amy)).get('/staff/tasks?view=all')).html)).toEqual([
      'overdue',
      'mine',
      'bens',
      'nodate',
    ]);
    expect(keysOf((await (await as(outsider)).get('/staff/tasks?view=all')).html)).toEqual(['other']);
  });

  it('show due dates in words and colour, priorities in words with the number', async () => {
    const html = (await (await as(amy)).get('/staff/tasks?view=all')).html;
    expect(html).toContain('<strong class="due due--overdue">überfällig seit 3 Tagen</strong>');
    expect(html).toContain('<strong class="due due--soon">fällig morgen</strong>');
    expect(html).toContain('<strong class="due due--soon">Wiedervorlage erreicht</strong>');
    expect(html).toContain('hoch (80)');
    expect(html).toContain('niedrig (20)');
    expect(html).toContain(`${amy.name} <span class="hint">(Sie)</span>`);
    expect(html).toContain(ben.name);
    const english = (await (await as(amy)).get('/staff/tasks?view=all&lang=en')).html;
    expect(english).toContain('overdue by 3 days');
    expect(english).toContain('due tomorrow');
    expect(english).toContain('high (80)');
  });

  it('/staff and the old /staff/inbox lead to /staff/tasks, the inbox keeping its query', async () => {
    const client = await as(amy);
    expect((await client.get('/staff')).headers.get('location')).toBe('/staff/tasks');
    const old = await client.get('/staff/inbox?view=all');
    expect(old.status).toBe(301);
    expect(old.headers.get('location')).toBe('/staff/tasks?view=all');
  });
});

describe('filters and sorting', () => {
  it.each([
    ['full text over the subject (word prefixes, German)', 'q=Hallenerw', ['overdue']],
    [
      'part of the company name in the search',
      `q=${encodeURIComponent('Inboxtest Metall')}`,
      ['overdue', 'mine', 'bens', 'nodate'],
    ],
    ['overdue', 'due=overdue', ['overdue']],
    ['due today', 'due=today', []],
    ['no due date', 'due=none', ['nodate']],
    ['part of the task name', 'task=stellungnahme', ['nodate']],
    ['the company', `company=${encodeURIComponent(companyName.slice(0, 12))}`, ['overdue', 'mine', 'bens', 'nodate']],
    ['the assignee', `assignee=${encodeURIComponent(ben.email)}`, ['bens']],
    ['unassigned', 'assignee=none', ['overdue', 'nodate']],
    ['assigned to me', 'assignee=me', ['mine']],
    ['the service', `service=${slug}`, ['overdue', 'mine', 'bens', 'nodate']],
    ['another service', 'service=general-inquiry', []],
  ])('by %s', async (_name, search, expected) => {
    const page = await (await as(amy)).get(`/staff/tasks?view=all&${search}`);
    expect(page.status).toBe(200);
    expect(keysOf(page.html)).toEqual(expected);
    if (expected.length === 0) expect(page.html).toContain('Keine offenen Aufgaben passen zu diesem Filter.');
  });

  it('by the case number', async () => {
    const { caseNumber } = fixture.get('bens')!;
    const page = await (await as(amy)).get(`/staff/tasks?view=all&q=${caseNumber.toLowerCase()}`);
    expect(keysOf(page.html)).toEqual(['bens']);
  });

  it.each([
    ['priority, highest first', 'sort=priority&dir=desc', ['overdue', 'mine', 'bens', 'nodate']],
    ['created, newest first', 'sort=created&dir=desc', ['mine', 'nodate', 'bens', 'overdue']],
    ['due date, latest first (none last)', 'sort=due&dir=desc', ['bens', 'mine', 'overdue', 'nodate']],
    ['follow-up date (none last)', 'sort=followUp', ['mine']],
  ])('sorts by %s', async (_name, search, expected) => {
    const ordered = keysOf((await (await as(amy)).get(`/staff/tasks?view=all&${search}`)).html);
    expect(ordered.slice(0, expected.length)).toEqual(expected);
  });

  it('by status: a task waiting for the company’s answer has its due date paused, not overdue', async () => {
    await system.db
      .update(tasks)
      .set({ waitingSince: at(-1) })
      .where(eq(tasks.id, idOf('overdue')));
    try {
      const client = await as(amy);
      const waiting = await client.get('/staff/tasks?view=all&status=waiting');
      expect(keysOf(waiting.html)).toEqual(['overdue']);
      expect(waiting.html).toContain('wartet auf Rückmeldung seit');
      expect(waiting.html).not.toContain('überfällig seit');
      expect(keysOf((await client.get('/staff/tasks?view=all&status=ready')).html)).toEqual(['mine', 'bens', 'nodate']);
    } finally {
      await system.db
        .update(tasks)
        .set({ waitingSince: null })
        .where(eq(tasks.id, idOf('overdue')));
    }
  });

  it('drops invalid parameters and says which', async () => {
    const page = await (await as(amy)).get('/staff/tasks?view=all&due=gestern&sort=name&q=Hallenerw');
    expect(page.status).toBe(200);
    expect(page.html).toContain(
      'Diese Filterangaben waren ungültig und wurden nicht angewendet: Sortierung, Fälligkeit',
    );
    expect(keysOf(page.html)).toEqual(['overdue']);
  });
});

describe('keyset pagination', () => {
  const expectedOrder = (sort: 'due' | 'followUp' | 'priority' | 'created', dir: 'asc' | 'desc') => {
    const value = (task: (typeof paged)[number]) =>
      sort === 'priority'
        ? task.priority
        : ((sort === 'due' ? task.dueDate : sort === 'followUp' ? task.followUpDate : task.createdAt)?.getTime() ??
          null);
    const sign = dir === 'asc' ? 1 : -1;
    return [...paged]
      .sort((a, b) => {
        const [left, right] = [value(a), value(b)];
        if (left === null || right === null) {
          if (left !== right) return left === null ? 1 : -1;
        } else if (left !== right) return sign * (left - right);
        return sign * (a.id < b.id ? -1 : 1);
      })
      .map((task) => task.id);
  };

  it.each([
    ['due', 'asc'],
    ['due', 'desc'],
    ['followUp', 'asc'],
    ['priority', 'desc'],
    ['created', 'asc'],
  ] as const)('walks %s %s in pages of 50: every task once, in order', async (sort, dir) => {
    const client = await as(pager);
    let path: string | undefined = `/staff/tasks?view=all&sort=${sort}&dir=${dir}`;
    const seen: string[] = [];
    const pageSizes: number[] = [];
    while (path) {
      const page = await client.get(path);
      expect(page.status).toBe(200);
      const rows = rowTaskIds(page.html);
      pageSizes.push(rows.length);
      seen.push(...rows);
      path = /<a href="([^"]+)" class="button button--secondary">Weitere Aufgaben<\/a>/.exec(decoded(page.html))?.[1];
      expect(pageSizes.length).toBeLessThan(4);
    }
    expect(pageSizes).toEqual([50, 5]);
    expect(seen).toEqual(expectedOrder(sort, dir));
  });

  it('starts at the top for a cursor of another sort or a forged one', async () => {
    const client = await as(pager);
    const first = await client.get('/staff/tasks?view=all&sort=due');
    const next = /<a href="([^"]+)" class="button button--secondary">Weitere Aufgaben<\/a>/.exec(
      decoded(first.html),
    )![1]!;
    const cursor = /after=([^&"]+)/.exec(next)![1]!;
    const otherSort = await client.get(`/staff/tasks?view=all&sort=priority&after=${cursor}`);
    expect(rowTaskIds(otherSort.html)).toEqual(expectedOrder('priority', 'asc').slice(0, 50));
    const forged = await client.get(`/staff/tasks?view=all&sort=due&after=${'A'.repeat(40)}`);
    expect(rowTaskIds(forged.html)).toEqual(expectedOrder('due', 'asc').slice(0, 50));
  });
});

describe('claim, release, assign', () => {
  it('a claim moves the task to "Meine Aufgaben"; a colleague’s claim then gets 409 naming who has it', async () => {
    const first = await as(amy);
    await first.get('/staff/tasks?view=groups');
    const claimed = await first.submit(`/staff/tasks/${idOf('nodate')}/claim`, { next: '/staff/tasks?view=groups' });
    expect(claimed.status).toBe(303);
    expect(claimed.headers.get('location')).toBe('/staff/tasks?view=groups');
    expect(keysOf((await first.get('/staff/tasks?view=mine')).html)).toContain('nodate');

    const second = await as(ben);
    await second.get('/staff/tasks');
    const late = await second.submit(`/staff/tasks/${idOf('nodate')}/claim`, {});
    expect(late.status).toBe(409);
    expect(late.html).toContain(`Diese Aufgabe wird bearbeitet von ${amy.name}.`);
    const [row] = await system.db
      .select()
      .from(tasks)
      .where(eq(tasks.id, idOf('nodate')));
    expect(row!.assignee).toBe(amy.email);
  });

  it('only the assignee or a team lead releases a task', async () => {
    const colleague = await as(ben);
    await colleague.get('/staff/tasks');
    expect((await colleague.submit(`/staff/tasks/${idOf('nodate')}/unclaim`, {})).status).toBe(409);
    const teamLead = await as(lead);
    await teamLead.get('/staff/tasks');
    expect((await teamLead.submit(`/staff/tasks/${idOf('nodate')}/unclaim`, {})).status).toBe(303);
    const [row] = await system.db
      .select()
      .from(tasks)
      .where(eq(tasks.id, idOf('nodate')));
    expect(row!.assignee).toBeNull();
  });

  it('a team lead assigns to a colleague of the task’s group, no one else; others may not assign', async () => {
    const teamLead = await as(lead);
    const list = await teamLead.get('/staff/tasks?view=groups');
    expect(list.html).toContain(`<option value="${ben.email}">${ben.name}</option>`);
    expect(list.html).not.toContain(`<option value="${outsider.email}">`);
    expect((await teamLead.submit(`/staff/tasks/${idOf('nodate')}/assign`, { assignee: outsider.email })).status).toBe(
      422,
    );
    expect((await teamLead.submit(`/staff/tasks/${idOf('nodate')}/assign`, { assignee: ben.email })).status).toBe(303);
    const [row] = await system.db
      .select()
      .from(tasks)
      .where(eq(tasks.id, idOf('nodate')));
    expect(row!.assignee).toBe(ben.email);

    const caseworker = await as(amy);
    await caseworker.get('/staff/tasks');
    expect((await caseworker.submit(`/staff/tasks/${idOf('nodate')}/assign`, { assignee: amy.email })).status).toBe(
      404,
    );
    expect((await caseworker.get('/staff/tasks?view=all')).html).not.toContain('/assign"');
    // Back to the group for the other tests.
    await system.db
      .update(tasks)
      .set({ assignee: null })
      .where(eq(tasks.id, idOf('nodate')));
  });

  it('a task of another department is not there (404), and a POST without its CSRF token changes nothing', async () => {
    const client = await as(amy);
    await client.get('/staff/tasks');
    expect((await client.submit(`/staff/tasks/${idOf('other')}/claim`, {})).status).toBe(404);
    expect((await client.submit(`/staff/tasks/${idOf('company')}/claim`, {})).status).toBe(404);
    expect((await client.submit('/staff/tasks/not-a-task/claim', {})).status).toBe(404);
    expect((await client.post(`/staff/tasks/${idOf('overdue')}/claim`, {})).status).toBe(403);
    const [row] = await system.db
      .select()
      .from(tasks)
      .where(eq(tasks.id, idOf('overdue')));
    expect(row!.assignee).toBeNull();
  });

  it('a substitute sees an away colleague’s tasks as theirs and may take them over', async () => {
    const benId = ids.staff.get(ben.email)!;
    const today = (offset: number) => at(offset).toISOString().slice(0, 10);
    await system.db
      .update(staff)
      .set({ awayFrom: today(-1), awayUntil: today(1), substituteId: ids.staff.get(amy.email)! })
      .where(eq(staff.id, benId));
    try {
      const substitute = await as(amy);
      const mine = await substitute.get('/staff/tasks?view=mine');
      expect(keysOf(mine.html)).toEqual(['mine', 'bens']);
      expect(countOf(mine.html, 'Meine Aufgaben')).toBe(2);
      const takeOver = await substitute.submit(`/staff/tasks/${idOf('bens')}/claim`, {});
      expect(takeOver.status).toBe(303);
      const [row] = await system.db
        .select()
        .from(tasks)
        .where(eq(tasks.id, idOf('bens')));
      expect(row!.assignee).toBe(amy.email);
    } finally {
      await system.db
        .update(staff)
        .set({ awayFrom: null, awayUntil: null, substituteId: null })
        .where(eq(staff.id, benId));
      await system.db
        .update(tasks)
        .set({ assignee: ben.email })
        .where(eq(tasks.id, idOf('bens')));
    }
    // Back in office: the tasks are Ben's alone again.
    expect(keysOf((await (await as(amy)).get('/staff/tasks?view=mine')).html)).toEqual(['mine']);
  });
});

describe('completing a task someone else has claimed', () => {
  it('is refused with 409 naming who has it, before anything reaches the workflow; the assignee completes it', async () => {
    // Given a real inquiry whose task the demo caseworker claimed
    const caseId = await submitGeneralInquiry(await demoCompany(system), `Beanspruchte Aufgabe ${run}`);
    const task = await openTaskOf(system, caseId);
    const jonas = await demoCaseworker(system);
    await jonas.get(`/staff/tasks/${task.id}`);
    expect(jonas.lastHtml).toContain('Diese Aufgabe ist noch niemandem zugewiesen.');
    expect((await jonas.submit(`/staff/tasks/${task.id}/claim`, { next: `/staff/tasks/${task.id}` })).status).toBe(303);
    expect((await jonas.get(`/staff/tasks/${task.id}`)).html).toContain('Sie bearbeiten diese Aufgabe.');

    // When a colleague of the same group opens and sends the task form
    const petra = new WebClient(system.url);
    await petra.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    const page = await petra.get(`/staff/tasks/${task.id}`);
    expect(page.html).toContain(`Diese Aufgabe wird bearbeitet von ${DEMO_ACCOUNTS.caseworker.name}`);
    const refused = await petra.submit(`/staff/tasks/${task.id}`, { answer: 'Meine Antwort, die nicht gilt.' });

    // Then it is refused, says who has it, keeps what was typed, and the task is still open
    expect(refused.status).toBe(409);
    expect(refused.html).toContain(
      `Nicht erledigt: Diese Aufgabe wird bearbeitet von ${DEMO_ACCOUNTS.caseworker.name}`,
    );
    expect(refused.html).toContain('Meine Antwort, die nicht gilt.');
    const [row] = await system.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(row!.status).toBe('open');

    // And the assignee completes it
    await jonas.get(`/staff/tasks/${task.id}`);
    expect((await jonas.submit(`/staff/tasks/${task.id}`, { answer: 'Die gültige Antwort.' })).status).toBe(303);
  });
});

describe('saved filters', () => {
  it('are saved validated and without page position, shared with a group, deleted only by their author', async () => {
    const author = await as(amy);
    await author.get('/staff/tasks?view=all&due=overdue');
    const saved = await author.submit('/staff/tasks/filters', {
      name: 'Überfällige',
      query: 'view=all&due=overdue&after=Zm9v&bogus=1&sort=name',
      group,
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/staff/tasks?view=all&due=overdue');
    const [row] = await system.db
      .select()
      .from(savedFilters)
      .where(eq(savedFilters.staffId, ids.staff.get(amy.email)!));
    expect(row).toMatchObject({ name: 'Überfällige', query: 'view=all&due=overdue', sharedWithGroupId: group });

    // A colleague of the group sees it, applies it, and cannot delete it
    const colleague = await as(ben);
    const list = await colleague.get('/staff/tasks');
    expect(decoded(list.html)).toContain('<a href="/staff/tasks?view=all&due=overdue">Überfällige</a>');
    expect(list.html).toContain(`geteilt mit Inbox-Gruppe ${run}, von ${amy.name}`);
    expect(list.html).not.toContain(`/staff/tasks/filters/${row!.id}/delete`);
    expect(keysOf((await colleague.get('/staff/tasks?view=all&due=overdue')).html)).toEqual(['overdue']);
    await colleague.get('/staff/tasks');
    expect((await colleague.submit(`/staff/tasks/filters/${row!.id}/delete`, {})).status).toBe(404);
    // Another department does not see it
    expect((await (await as(outsider)).get('/staff/tasks')).html).not.toContain('Überfällige');

    // The author deletes it
    await author.get('/staff/tasks');
    expect(
      (await author.submit(`/staff/tasks/filters/${row!.id}/delete`, { next: '/staff/tasks?view=all' })).status,
    ).toBe(303);
    expect(await system.db.select().from(savedFilters).where(eq(savedFilters.id, row!.id))).toEqual([]);
  });

  it('need a name and can only be shared with one’s own groups (422, input kept)', async () => {
    const author = await as(amy);
    await author.get('/staff/tasks');
    const unnamed = await author.submit('/staff/tasks/filters', { name: '  ', query: 'due=overdue', group: '' });
    expect(unnamed.status).toBe(422);
    expect(unnamed.html).toContain('Bitte geben Sie einen Namen ein.');
    expect(unnamed.html).toContain('aria-invalid="true"');
    const foreign = await author.submit('/staff/tasks/filters', { name: 'Fremd', query: '', group: otherGroup });
    expect(foreign.status).toBe(422);
    expect(foreign.html).toContain('Sie können nur mit Ihren eigenen Gruppen teilen.');
    expect(foreign.html).toContain('value="Fremd"');
    expect(
      await system.db
        .select()
        .from(savedFilters)
        .where(eq(savedFilters.staffId, ids.staff.get(amy.email)!)),
    ).toEqual([]);
  });
});
