import { randomUUID } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cases,
  groups,
  memberships,
  services,
  serviceVersions,
  staff,
  staffGroups,
  tasks,
  users,
} from '../../engine/db/schema.js';
import type { ProcessModel } from '../../engine/model/process-model.js';
import { createDashboardRepository } from '../../engine/repositories/dashboard.repository.js';
import { hashPassword, type StaffSession } from '../../engine/services/auth.service.js';
import { createDashboardService, type Dashboard } from '../../engine/services/dashboard.service.js';
import { DEMO_ACCOUNTS } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { demoCaseworker, demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

/**
 * The dashboard's figures over a service and a group of this file's own, so other files' cases in the shared
 * database do not change them: the cases, tasks and times are written as the projection would have written
 * them (with `seq` 1, so no sweep takes them for unstarted cases), at chosen ages.
 */
const DAY = 86_400_000;
const run = randomUUID().slice(0, 8);
const group = `dash-${run}`;
const otherGroup = `dash-other-${run}`;
const slug = `dashboard-test-${run}`;
const serviceTitle = `Dashboard-Testleistung ${run}`;
const member = {
  email: `dash-${run}@wirtschaftsfoerderung.example`,
  name: `Dana Dash ${run}`,
  password: 'Dash-Test-2026!',
};

let system: System;
let session: StaffSession;
const caseIds: string[] = [];
const now = new Date();
const ago = (days: number) => new Date(now.getTime() - days * DAY);

beforeAll(async () => {
  system = await startTestSystem();
  const db = system.db;
  await db.insert(groups).values([
    { id: group, name: `Dashboard-Gruppe ${run}` },
    { id: otherGroup, name: `Andere Gruppe ${run}` },
  ]);
  const [memberRow] = await db
    .insert(staff)
    .values({ email: member.email, name: member.name, passwordHash: await hashPassword(member.password) })
    .returning();
  if (!memberRow) throw new Error('no staff member');
  await db.insert(staffGroups).values({ staffId: memberRow.id, groupId: group });
  session = {
    kind: 'staff',
    staffId: memberRow.id,
    name: member.name,
    email: member.email,
    groups: [group],
    roles: ['caseworker'],
  };

  const [service] = await db
    .insert(services)
    .values({
      slug,
      titleDe: serviceTitle,
      titleEn: `Dashboard test service ${run}`,
      summaryDe: '-',
      summaryEn: '-',
      listed: false,
    })
    .returning();
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
  const [user] = await db.select().from(users).where(eq(users.email, DEMO_ACCOUNTS.companyUser.email));
  const [membership] = await db.select().from(memberships).where(eq(memberships.userId, user!.id));

  let counter = 0;
  const addCase = async (spec: {
    createdDaysAgo: number;
    completedDaysAgo?: number;
    tasks: {
      groups: string[];
      dueDaysAgo?: number;
      assignee?: string;
      completedDaysAgo?: number;
    }[];
  }) => {
    const id = randomUUID();
    counter += 1;
    caseIds.push(id);
    await db.insert(cases).values({
      id,
      number: `DASH-${run}-${counter}`,
      serviceVersionId: version!.id,
      companyId: membership!.companyId,
      createdByUserId: user!.id,
      submissionToken: `dashboard-test:${run}:${counter}`,
      status: spec.completedDaysAgo === undefined ? 'active' : 'completed',
      seq: 1,
      createdAt: ago(spec.createdDaysAgo),
      completedAt: spec.completedDaysAgo === undefined ? null : ago(spec.completedDaysAgo),
    });
    await db.insert(tasks).values(
      spec.tasks.map((task, index) => ({
        caseId: id,
        tokenId: `t${index}`,
        elementId: `task${index}`,
        name: 'Prüfen',
        candidateGroups: task.groups,
        assignee: task.assignee ?? null,
        dueDate: task.dueDaysAgo === undefined ? null : ago(task.dueDaysAgo),
        status: task.completedDaysAgo === undefined ? ('open' as const) : ('completed' as const),
        createdAt: ago(spec.createdDaysAgo),
        completedAt: task.completedDaysAgo === undefined ? null : ago(task.completedDaysAgo),
      })),
    );
  };

  // Open: one overdue and unassigned, one assigned to the member and due in a week.
  await addCase({ createdDaysAgo: 2, tasks: [{ groups: [group], dueDaysAgo: 1 }] });
  await addCase({ createdDaysAgo: 1, tasks: [{ groups: [group], dueDaysAgo: -7, assignee: member.email }] });
  // Completed in the last 30 days: lead 2 and 6 days, processing 1 and 2 days; the first had a Rückfrage.
  await addCase({
    createdDaysAgo: 12,
    completedDaysAgo: 10,
    tasks: [
      { groups: [group], completedDaysAgo: 11 },
      { groups: ['applicant'], completedDaysAgo: 10.5 },
    ],
  });
  await addCase({ createdDaysAgo: 26, completedDaysAgo: 20, tasks: [{ groups: [group], completedDaysAgo: 24 }] });
  // Completed 60 days ago: lead 10 days, processing 5 days — only in the 90-day window.
  await addCase({ createdDaysAgo: 70, completedDaysAgo: 60, tasks: [{ groups: [group], completedDaysAgo: 65 }] });
  // Older than every window.
  await addCase({ createdDaysAgo: 100, completedDaysAgo: 95, tasks: [{ groups: [group], completedDaysAgo: 99 }] });
  // Another group's open, overdue case: not the member's to see.
  await addCase({ createdDaysAgo: 3, tasks: [{ groups: [otherGroup], dueDaysAgo: 1 }] });
});

afterAll(async () => {
  if (system) {
    const db = system.db;
    if (caseIds.length > 0) {
      await db.delete(tasks).where(inArray(tasks.caseId, caseIds));
      await db.delete(cases).where(inArray(cases.id, caseIds));
    }
    await db.delete(serviceVersions).where(eq(serviceVersions.contentHash, run));
    await db.delete(services).where(eq(services.slug, slug));
    await db.delete(staff).where(eq(staff.email, member.email));
    await db.delete(groups).where(inArray(groups.id, [group, otherGroup]));
  }
  await system?.stop();
});

const dashboardOf = (viewer: StaffSession) =>
  createDashboardService({ dashboard: createDashboardRepository(system.db) }).forStaff(viewer, now);
const ofService = <T extends { slug: string }>(rows: T[]) => rows.find((row) => row.slug === slug);
const ofGroup = <T extends { groupId: string }>(rows: T[], id: string) => rows.filter((row) => row.groupId === id);

describe('the dashboard figures of a caseworker', () => {
  let figures: Dashboard;
  beforeAll(async () => {
    figures = await dashboardOf(session);
  });

  it('counts the open cases of their groups per service, not another group’s', () => {
    expect(ofService(figures.openCases)?.open).toBe(2);
  });

  it('counts the overdue open tasks of their group, and shows no other group', () => {
    expect(ofGroup(figures.overdueTasks, group).map((row) => row.overdue)).toEqual([1]);
    expect(figures.overdueTasks.every((row) => session.groups.includes(row.groupId))).toBe(true);
  });

  it('takes the medians of lead and processing time over the cases completed in the last 30 and 90 days', () => {
    expect(ofService(figures.times)).toMatchObject({
      leadSeconds30: (4 * DAY) / 1000,
      completed30: 2,
      leadSeconds90: (6 * DAY) / 1000,
      completed90: 3,
      processingSeconds30: (1.5 * DAY) / 1000,
      processingSeconds90: (2 * DAY) / 1000,
    });
  });

  it('gives the Rückfrage rate of the last 90 days: cases with an applicant task over all cases', () => {
    expect(ofService(figures.rueckfrage)).toMatchObject({ cases: 5, withRueckfrage: 1, rate: 0.2 });
  });

  it('counts new cases in the last 12 ISO weeks, one row per week up to this one, weeks without cases as 0', () => {
    expect(figures.casesPerWeek).toHaveLength(12);
    expect(figures.casesPerWeek.reduce((sum, week) => sum + week.cases, 0)).toBe(5);
    const mondays = figures.casesPerWeek.map((week) => Date.parse(`${week.monday}T12:00:00Z`));
    expect(mondays.slice(1).map((monday, index) => Math.round((monday - mondays[index]!) / DAY))).toEqual(
      Array(11).fill(7),
    );
    expect(new Date(mondays[0]!).getUTCDay()).toBe(1);
    expect(now.getTime() - mondays.at(-1)!).toBeLessThan(8 * DAY);
  });

  it('leaves out the workload per person for a caseworker who is no team lead', () => {
    expect(figures.workload).toBeUndefined();
  });

  it('shows a team lead the workload of their group per person: unassigned and assigned open tasks', async () => {
    const lead = await dashboardOf({ ...session, roles: ['caseworker', 'team_lead'] });
    expect(ofGroup(lead.workload ?? [], group)).toEqual([
      expect.objectContaining({ assignee: null, open: 1 }),
      expect.objectContaining({ assignee: member.email, assigneeName: member.name, open: 1 }),
    ]);
  });
});

describe('the dashboard figures of an administrator', () => {
  it('count every case: the other group’s open case and its overdue task too', async () => {
    const figures = await dashboardOf({
      kind: 'staff',
      staffId: randomUUID(),
      name: 'Admin',
      email: DEMO_ACCOUNTS.administrator.email,
      groups: [],
      roles: ['administrator'],
    });
    expect(ofService(figures.openCases)?.open).toBe(3);
    expect(ofGroup(figures.overdueTasks, otherGroup).map((row) => row.overdue)).toEqual([1]);
  });
});

describe('GET /staff/dashboard', () => {
  it('sends a visitor without a session, and a company user, to the staff login', async () => {
    const visitor = new WebClient(system.url);
    const anonymous = await visitor.get('/staff/dashboard');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe('/staff/login?next=%2Fstaff%2Fdashboard');
    const company = await (await demoCompany(system)).get('/staff/dashboard');
    expect(company.status).toBe(303);
    expect(company.headers.get('location')).toMatch(/^\/staff\/login/);
    expect(company.html).not.toContain(serviceTitle);
  });

  it('shows the caseworker each figure as a chart and as a table with the same numbers, in German and English', async () => {
    const client = new WebClient(system.url);
    await client.login(member.email, member.password, true);
    const german = await client.get('/staff/dashboard');
    expect(german.status).toBe(200);
    expect(german.html).toContain('<h2 id="open-cases-heading">Offene Vorgänge je Leistung</h2>');
    expect(german.html).toMatch(/<svg [^>]*role="img" aria-labelledby="chart-open-cases-title chart-open-cases-desc"/);
    expect(german.html).toContain('<caption>Offene Vorgänge je Leistung – Tabelle</caption>');
    expect(german.html).toContain(`<tr><th scope="row">${serviceTitle}</th><td>2</td></tr>`);
    expect(german.html).toContain(`<td>4,0 Tage</td><td>2</td><td>6,0 Tage</td><td>3</td>`);
    // de-DE writes a no-break space before the percent sign.
    expect(german.html).toContain('<td>5</td><td>1</td><td>20\u00a0%</td>');
    expect(german.html).toContain('<a href="/staff/dashboard" aria-current="page">Dashboard</a>');

    const english = await client.get('/staff/dashboard?lang=en');
    expect(english.html).toContain('<h2 id="open-cases-heading">Open cases per service</h2>');
    expect(english.html).toContain(`<tr><th scope="row">Dashboard test service ${run}</th><td>2</td></tr>`);
    expect(english.html).toContain('<td>4.0 days</td><td>2</td><td>6.0 days</td><td>3</td>');
    expect(english.html).toContain('<td>5</td><td>1</td><td>20%</td>');
  });

  it('shows a caseworker of another group nothing of this group’s cases, and their own new inquiry', async () => {
    const company = await demoCompany(system);
    await openTaskOf(system, await submitGeneralInquiry(company, 'Dashboard: eine neue Anfrage'));
    const page = await (await demoCaseworker(system)).get('/staff/dashboard');
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(serviceTitle);
    expect(page.html).not.toContain(group);
    expect(page.html).toMatch(/<th scope="row">Allgemeine Anfrage<\/th><td>\d+<\/td>/);
  });
});
