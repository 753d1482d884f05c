import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases, groups, staff, staffGroups, tasks } from '../../engine/db/schema.js';
import { hashPassword } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('the inbox in Chromium', () => {
  it('a caseworker filters, claims from the list, opens the task and releases it — every view accessible', async () => {
    // Given an inquiry for the caseworker's group
    const system = harness.system;
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Posteingang im Browser');
    const task = await openTaskOf(system, caseId);
    const [caseRow] = await system.db.select().from(cases).where(eq(cases.id, caseId));
    const caseNumber = caseRow!.number;

    // When the caseworker logs in, lands on the inbox and opens the group's view
    const page = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Aufgaben');
    await page.getByRole('link', { name: /^Offen in meinen Gruppen/ }).click();
    await page.waitForURL('**/staff/tasks?view=groups');
    await expectAccessible(page, 'the inbox, groups view (German)');

    // And searches for the case by its number with the filter form
    await page.getByLabel('Suche').fill(caseNumber);
    await page.getByLabel('Sortieren nach').selectOption('created');
    await page.getByRole('button', { name: 'Anwenden' }).click();
    await page.waitForURL(/q=WF-/);
    const row = page.getByRole('row').filter({ hasText: caseNumber });
    expect(await row.count()).toBe(1);
    expect(await page.getByRole('table').getByRole('row').count()).toBe(2);
    await expectAccessible(page, 'the inbox, filtered (German)');
    await page.goto(`${new URL(page.url()).pathname}${new URL(page.url()).search}&lang=en`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tasks');
    await expectAccessible(page, 'the inbox, filtered (English)');
    await page.goto(page.url().replace('&lang=en', '&lang=de'));

    // And claims it from the list
    await Promise.all([page.waitForURL(/view=groups/), row.getByRole('button', { name: /^Übernehmen/ }).click()]);
    // Then it has left the group's open tasks and is in "Meine Aufgaben", as theirs
    expect(await page.getByRole('row').filter({ hasText: caseNumber }).count()).toBe(0);
    await page.getByRole('link', { name: /^Meine Aufgaben/ }).click();
    const mine = page.getByRole('row').filter({ hasText: caseNumber });
    expect(await mine.textContent()).toContain(`${DEMO_ACCOUNTS.caseworker.name} (Sie)`);
    await expectAccessible(page, 'the inbox, my tasks (German)');

    // When they open the task
    await mine.getByRole('link', { name: 'Anfrage beantworten' }).click();
    await page.waitForURL(`**/staff/tasks/${task.id}`);
    const assignment = page.getByRole('region', { name: 'Bearbeitung' });
    expect(await assignment.textContent()).toContain('Sie bearbeiten diese Aufgabe.');
    await expectAccessible(page, 'the task page with its assignment (German)');

    // And release it there
    await assignment.getByRole('button', { name: 'Freigeben' }).click();
    await page.waitForURL(`**/staff/tasks/${task.id}`);
    expect(await page.getByRole('region', { name: 'Bearbeitung' }).textContent()).toContain(
      'Diese Aufgabe ist noch niemandem zugewiesen.',
    );
    const [released] = await system.db.select().from(tasks).where(eq(tasks.id, task.id));
    expect(released!.assignee).toBeNull();

    // And when a colleague takes it while the list is open, the later claim is told who has it
    await page.goto(`/staff/tasks?view=groups&q=${caseNumber}`);
    await system.db.update(tasks).set({ assignee: DEMO_ACCOUNTS.administrator.email }).where(eq(tasks.id, task.id));
    const [refused] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page
        .getByRole('row')
        .filter({ hasText: caseNumber })
        .getByRole('button', { name: /^Übernehmen/ })
        .click(),
    ]);
    expect(refused.status()).toBe(409);
    expect(await page.getByRole('alert').textContent()).toContain(
      `Diese Aufgabe wird bearbeitet von ${DEMO_ACCOUNTS.administrator.name}.`,
    );
    await expectAccessible(page, 'the refused claim (German)');

    // Every view and the task page in English too
    for (const view of ['mine', 'groups', 'all']) {
      await page.goto(`/staff/tasks?view=${view}&lang=en`);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tasks');
      await expectAccessible(page, `the inbox, ${view} (English)`);
    }
    await page.goto(`/staff/tasks/${task.id}?lang=en`);
    expect(await page.getByRole('region', { name: 'Assignment' }).textContent()).toContain(
      `This task is being worked on by ${DEMO_ACCOUNTS.administrator.name}`,
    );
    await expectAccessible(page, 'the task page with its assignment (English)');
    await system.db.update(tasks).set({ assignee: null }).where(eq(tasks.id, task.id));
  });

  it('views without tasks say so, in German and English, accessibly', async () => {
    // Given a caseworker of a group with no tasks at all
    const system = harness.system;
    const run = randomUUID().slice(0, 8);
    const account = { email: `leer-${run}@wirtschaftsfoerderung.example`, name: `Lea Leer ${run}` };
    await system.db.insert(groups).values({ id: `leer-${run}`, name: `Leere Gruppe ${run}` });
    const [member] = await system.db
      .insert(staff)
      .values({ ...account, passwordHash: await hashPassword('Leer-Test-2026!') })
      .returning();
    await system.db.insert(staffGroups).values({ staffId: member!.id, groupId: `leer-${run}` });

    // When they open the inbox
    const page = await logIn(await harness.userContext(), account, 'Leer-Test-2026!', true);

    // Then each view says there is nothing, and the counts are zero
    expect(await page.getByText('In dieser Ansicht sind keine offenen Aufgaben.').count()).toBe(1);
    expect(await page.getByRole('link', { name: 'Meine Aufgaben (0)' }).count()).toBe(1);
    await expectAccessible(page, 'the empty inbox (German)');
    for (const view of ['mine', 'all']) {
      await page.goto(`/staff/tasks?view=${view}`);
      expect(await page.getByRole('table').count()).toBe(0);
      await expectAccessible(page, `the empty inbox, ${view} (German)`);
    }
    await page.goto('/staff/tasks?view=all&due=overdue&lang=en');
    expect(await page.getByText('No open tasks match this filter.').count()).toBe(1);
    await expectAccessible(page, 'the empty inbox, filtered (English)');
    await page.goto('/staff/tasks?view=groups&lang=en');
    expect(await page.getByText('There are no open tasks in this view.').count()).toBe(1);
    await expectAccessible(page, 'the empty inbox (English)');
  });
});
