import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staff, staffGroups, type StaffRole } from '../../engine/db/schema.js';
import { hashPassword } from '../../engine/services/auth.service.js';
import { WebClient } from '../browserless-client.js';
import { startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;
const PASSWORD = 'Rollen-Matrix-2026';
const ROLES: StaffRole[] = ['caseworker', 'team_lead', 'service_designer', 'administrator'];
/** One logged-in member per role, each holding only that role (the demo accounts mix roles). */
const members = new Map<StaffRole, WebClient>();

beforeAll(async () => {
  system = await startTestSystem();
  const passwordHash = await hashPassword(PASSWORD);
  for (const role of ROLES) {
    const email = `${role}.${randomUUID().slice(0, 8)}@matrix.example`;
    const [row] = await system.db
      .insert(staff)
      .values({ email, name: `Nur ${role}`, passwordHash, roles: [role] })
      .returning();
    if (!row) throw new Error('no staff row');
    await system.db.insert(staffGroups).values({ staffId: row.id, groupId: 'wirtschaftsfoerderung' });
    const client = new WebClient(system.url);
    await client.login(email, PASSWORD, true);
    members.set(role, client);
  }
});

afterAll(async () => {
  await system?.stop();
});

const everyone = { caseworker: 200, team_lead: 200, service_designer: 200, administrator: 200 };
const designers = { caseworker: 404, team_lead: 404, service_designer: 200, administrator: 200 };
const administrators = { caseworker: 404, team_lead: 404, service_designer: 404, administrator: 200 };
/** The service designer's pages: the designer role only (issue 10: administrators decide who has it). */
const serviceDesignersOnly = { caseworker: 404, team_lead: 404, service_designer: 200, administrator: 404 };

/**
 * Each staff page × each role: 200 or 404 (ADR 0003: a page one may not see does not exist for them).
 * A page added to the staff area gets a row here.
 */
const MATRIX: [string, Record<StaffRole, number>][] = [
  ['/staff/tasks', everyone],
  ['/staff/cases', everyone],
  ['/staff/dashboard', everyone],
  ['/staff/profile', everyone],
  ['/staff/services', designers],
  ['/staff/services/general-inquiry/forms/general-inquiry-start/preview', designers],
  ['/staff/designer', serviceDesignersOnly],
  ['/staff/designer/new', serviceDesignersOnly],
  ['/staff/designer/general-inquiry', serviceDesignersOnly],
  ['/staff/designer/general-inquiry/export', serviceDesignersOnly],
  ['/staff/designer/general-inquiry/migration', serviceDesignersOnly],
  ['/staff/designer/general-inquiry/tests', serviceDesignersOnly],
  ['/staff/designer/general-inquiry/trial', serviceDesignersOnly],
  ['/staff/incidents', administrators],
  ['/staff/outbox', administrators],
  ['/staff/admin', administrators],
  ['/staff/admin/staff/new', administrators],
  ['/staff/admin/groups', administrators],
  ['/staff/admin/groups/wirtschaftsfoerderung', administrators],
];

/** The links of the page's main navigation (the header's first nav). */
const navLinks = (html: string) =>
  [...(/<nav aria-label="[^"]*">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '').matchAll(/href="(\/staff[^"?]*)/g)].map(
    (match) => match[1],
  );

describe('each role reaches exactly its pages', () => {
  it.each(MATRIX)('%s', async (path, expected) => {
    const answers: Record<string, number> = {};
    for (const role of ROLES) answers[role] = (await members.get(role)!.get(path)).status;
    expect(answers).toEqual(expected);
  });

  it('the staff navigation links exactly the pages the role reaches (and each of them answers)', async () => {
    const menus: Record<string, (string | undefined)[]> = {};
    for (const role of ROLES) {
      const client = members.get(role)!;
      const links = navLinks((await client.get('/staff/profile')).html);
      menus[role] = links;
      for (const link of links) expect((await client.get(link!)).status, `${role}: ${link}`).toBe(200);
    }
    const common = ['/staff/tasks', '/staff/cases', '/staff/dashboard'];
    expect(menus).toEqual({
      caseworker: [...common, '/staff/profile'],
      team_lead: [...common, '/staff/profile'],
      service_designer: [...common, '/staff/services', '/staff/designer', '/staff/profile'],
      administrator: [
        ...common,
        '/staff/services',
        '/staff/incidents',
        '/staff/outbox',
        '/staff/admin',
        '/staff/profile',
      ],
    });
  });

  it('the current page is marked in the navigation', async () => {
    const page = await members.get('administrator')!.get('/staff/admin');
    expect(page.html).toMatch(/<a href="\/staff\/admin" aria-current="page">/);
    expect(page.html.match(/aria-current="page"/g)?.length).toBe(2); // the menu and the admin sections
  });

  it('a retry of an incident is for administrators only', async () => {
    const caseId = randomUUID();
    for (const role of ['caseworker', 'team_lead', 'service_designer'] as const) {
      const client = members.get(role)!;
      await client.get('/staff/profile');
      expect((await client.submit(`/staff/cases/${caseId}/incidents/x/retry`, {})).status, role).toBe(404);
    }
    // The same request of an administrator gets past the guard (nothing to retry on an unknown case).
    const admin = members.get('administrator')!;
    await admin.get('/staff/profile');
    const retried = await admin.submit(`/staff/cases/${caseId}/incidents/x/retry`, {});
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toBe(`/staff/cases/${caseId}?retried=0`);
  });
});
