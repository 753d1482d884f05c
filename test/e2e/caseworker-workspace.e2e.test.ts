import { and, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cases, tasks } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { SITE_PLAN_PDF, submitPermitGuidance } from '../journeys.js';
import { eventually } from '../system.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

// Issue 9's journey: the caseworker's working day on a permit case, from the inbox to the decision the company sees.

const harness = useBrowserSystem();

/** The case's open task of one BPMN element, once projected. */
function openTaskAt(caseId: string, elementId: string) {
  return eventually(
    async () => {
      const [task] = await harness.system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.elementId, elementId), eq(tasks.status, 'open')));
      return task;
    },
    20_000,
    `an open ${elementId} on case ${caseId}`,
  );
}

/** A department's statement, sent through its task page over HTTP (not this journey's subject). */
async function statement(account: { email: string }, taskId: string, text: string) {
  const department = new WebClient(harness.system.url);
  await department.login(account.email, DEMO_PASSWORD, true);
  await department.get(`/staff/tasks/${taskId}`);
  const sent = await department.submit(`/staff/tasks/${taskId}`, { recommendation: 'approve', statement: text });
  expect(sent.status).toBe(303);
}

async function accessibleInBothLanguages(page: Page, name: string) {
  await expectAccessible(page, `${name} (de)`);
  const here = new URL(page.url());
  await page.goto(`${here.pathname}?lang=en`);
  await expectAccessible(page, `${name} (en)`);
  await page.goto(`${here.pathname}?lang=de${here.search ? `&${here.search.slice(1)}` : ''}`);
}

describe('the caseworker workspace in Chromium', () => {
  it('inbox filter → claim → case with the diagram → Rückfrage for a document → the company uploads it → the task returns → decision the company sees', async () => {
    // Given a company that applied for permit guidance (its three start steps are other journeys' subject)
    const companyName = 'Werkstatt Arbeitsplatz GmbH';
    const account = await harness.newApplicant(companyName, 'Wanda Werk');
    const applicantClient = new WebClient(harness.system.url);
    await applicantClient.login(account.email, account.password);
    const caseId = await submitPermitGuidance(applicantClient, { email: account.email, companyName });
    const [row] = await harness.system.db.select().from(cases).where(eq(cases.id, caseId));
    const caseNumber = row?.number ?? 'missing';
    const check = await openTaskAt(caseId, 'Task_CheckCompleteness');

    // When the caseworker filters the open tasks of the groups for the case number and claims the check from the list
    const caseworker = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await caseworker.goto('/staff/tasks?view=groups');
    await caseworker.getByLabel('Suche', { exact: true }).fill(caseNumber);
    await Promise.all([caseworker.waitForURL(/[?&]q=/), caseworker.getByRole('button', { name: 'Anwenden' }).click()]);
    const listed = caseworker.locator('tbody tr', { hasText: caseNumber });
    expect(await listed.count()).toBe(1);
    expect(await listed.textContent()).toContain('Vollständigkeit prüfen');
    await Promise.all([
      caseworker.waitForURL(/\/staff\/tasks\?/),
      listed.getByRole('button', { name: /^Übernehmen/ }).click(),
    ]);
    // Then it has left the unassigned list and is among their own tasks
    expect(await caseworker.locator('tbody tr', { hasText: caseNumber }).count()).toBe(0);
    await caseworker.goto(`/staff/tasks?view=mine&q=${encodeURIComponent(caseNumber)}`);
    const mine = caseworker.locator('tbody tr', { hasText: caseNumber });
    expect(await mine.textContent()).toContain('(Sie)');
    await caseworker.screenshot({ path: '/tmp/e2e-workspace-inbox.png', fullPage: true });
    await accessibleInBothLanguages(caseworker, 'the inbox, own tasks filtered by a case number');

    // When they open the case, the diagram marks the check as the active step
    await caseworker.goto(`/staff/cases/${caseId}`);
    const activeCheck = caseworker.locator('g.djs-element[data-element-id="Task_CheckCompleteness"].lotse-active');
    await activeCheck.waitFor();
    // The bpmn.io licence of bpmn-js: its watermark stays visible (docs/LICENSES.md).
    expect(await caseworker.locator('.bjs-powered-by').isVisible()).toBe(true);
    expect(
      await caseworker.locator('g.djs-element[data-element-id="StartEvent_Submitted"].lotse-completed').count(),
    ).toBe(1);
    await caseworker.screenshot({ path: '/tmp/e2e-workspace-case.png', fullPage: true });
    await accessibleInBothLanguages(caseworker, 'the permit case with its process diagram');

    // And ask the company for a missing document from the task
    await caseworker.goto(`/staff/tasks/${check.id}`);
    expect(await caseworker.locator('.assignment').textContent()).toContain('Sie bearbeiten diese Aufgabe.');
    const rueckfrage = caseworker.getByRole('region', { name: 'Rückfrage an das Unternehmen' });
    await rueckfrage.getByLabel('Angeforderte Dokumente').fill('Brandschutzkonzept');
    await rueckfrage.getByLabel('Nachricht an das Unternehmen').fill('Für die Prüfung fehlt das Brandschutzkonzept.');
    await Promise.all([
      caseworker.waitForURL(/rueckfrage=sent$/),
      rueckfrage.getByRole('button', { name: 'Rückfrage senden' }).click(),
    ]);

    // Then the company finds the Rückfrage on its case and uploads the document in the portal
    const company = await logIn(await harness.userContext(), account, account.password);
    await company.goto(`/cases/${caseId}`);
    const notice = company.locator('.rueckfrage__notice');
    await reloadUntil(company, async () => (await notice.count()) === 1, 'the Rückfrage notice');
    await Promise.all([
      company.waitForURL(/\/tasks\/[0-9a-f-]{36}$/),
      notice.getByRole('link', { name: 'Rückfrage beantworten' }).click(),
    ]);
    await company
      .getByLabel('Brandschutzkonzept')
      .setInputFiles({ name: 'brandschutzkonzept.pdf', mimeType: 'application/pdf', buffer: SITE_PLAN_PDF });
    await Promise.all([
      company.waitForURL(`**/cases/${caseId}`),
      company.getByRole('button', { name: 'Antwort senden' }).click(),
    ]);

    // And the task comes back to the caseworker with the document, who finds the documents complete
    await caseworker.goto(`/staff/tasks/${check.id}`);
    await reloadUntil(
      caseworker,
      async () => (await caseworker.getByRole('button', { name: 'Erledigen' }).count()) === 1,
      'the check to be active again',
    );
    expect(await caseworker.getByRole('link', { name: 'brandschutzkonzept.pdf' }).count()).toBeGreaterThan(0);
    await caseworker.getByRole('radio', { name: 'Ja, vollständig' }).check();
    await Promise.all([
      caseworker.waitForURL(`**/staff/cases/${caseId}`),
      caseworker.getByRole('button', { name: 'Erledigen' }).click(),
    ]);

    // The departments give their statements (their own journeys)
    const [building, environment] = await Promise.all([
      openTaskAt(caseId, 'Task_StatementBuilding'),
      openTaskAt(caseId, 'Task_StatementEnvironment'),
    ]);
    await statement(DEMO_ACCOUNTS.buildingAuthority, building.id, 'Keine Bedenken des Bauamts.');
    await statement(DEMO_ACCOUNTS.environmentAgency, environment.id, 'Keine Bedenken des Umweltamts.');

    // When the caseworker decides
    const decide = await openTaskAt(caseId, 'Task_Decide');
    await caseworker.goto(`/staff/tasks/${decide.id}`);
    await caseworker.getByRole('radio', { name: 'Genehmigungsfähig', exact: true }).check();
    await caseworker.getByLabel('Begründung').fill('Das Vorhaben fügt sich ein; beide Fachämter haben zugestimmt.');
    await Promise.all([
      caseworker.waitForURL(`**/staff/cases/${caseId}`),
      caseworker.getByRole('button', { name: 'Erledigen' }).click(),
    ]);

    // Then the company sees the decision on its case page, with the letter
    await company.goto(`/cases/${caseId}`);
    // (the letter is filed a step before the status says "Entschieden")
    await reloadUntil(
      company,
      async () => ((await company.locator('main').textContent()) ?? '').includes('Entschieden'),
      'the decision on the company case page',
      30_000,
    );
    // The letter is the case's result, and one of its documents.
    const letter = { name: `Bescheid-${caseNumber}.pdf` };
    expect(await company.locator('section.case-result').getByRole('link', letter).count()).toBe(1);
    expect(await company.getByRole('link', letter).count()).toBe(2);
    await company.screenshot({ path: '/tmp/e2e-workspace-company-decision.png', fullPage: true });
    await accessibleInBothLanguages(company, 'the company case page with the decision');
  });
});
