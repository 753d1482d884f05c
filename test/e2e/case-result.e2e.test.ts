import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../engine/db/schema.js';
import type { StaffSession } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { answeredInquiry, completedCase, newApplicant, staffSessionOf, submitPermitGuidance } from '../journeys.js';
import { eventually } from '../system.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

/** Completes the case's open task at `elementId` as `principal`, once the workflow has made it. */
async function completeAt(principal: StaffSession, caseId: string, elementId: string, input: Record<string, unknown>) {
  const task = await eventually(
    async () => {
      const [row] = await harness.system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.elementId, elementId), eq(tasks.status, 'open')));
      return row;
    },
    15_000,
    `an open ${elementId}`,
  );
  const result = await harness.system.services.tasks.complete(principal, task.id, randomUUID(), input);
  expect(result).toMatchObject({ ok: true });
}

describe('the result on the company’s case page in Chromium', () => {
  it('shows the answer as a labelled section with a definition list, accessible in German and English', async () => {
    // Given a general inquiry the caseworker has answered
    const done = await answeredInquiry(harness.system, 'Ergebnis im Browser');

    // When the company opens its case
    const context = await harness.userContext();
    const page = await logIn(context, DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    await page.goto(`/cases/${done.id}`);

    // Then the result is a region named by its heading, with the answer as a term and its description
    const result = page.getByRole('region', { name: 'Ergebnis' });
    expect(await result.locator('dt').allTextContents()).toEqual(['Unsere Antwort']);
    expect(await result.locator('dd').allTextContents()).toEqual(['Hier ist unsere Antwort an Sie.']);
    await page.screenshot({ path: '/tmp/case-result-de.png', fullPage: true });
    await expectAccessible(page, 'the case page with its result (German)');

    // And in English
    await page.goto(`/cases/${done.id}?lang=en`);
    const english = page.getByRole('region', { name: 'Result' });
    expect(await english.locator('dt').allTextContents()).toEqual(['Our answer']);
    await page.screenshot({ path: '/tmp/case-result-en.png', fullPage: true });
    await expectAccessible(page, 'the case page with its result (English)');
  });
  it('shows the permit decision with its letter among the result documents, accessible in German and English', async () => {
    // Given a permit guidance case decided with conditions
    const applicant = await newApplicant(harness.system);
    const caseId = await submitPermitGuidance(applicant.client, applicant);
    const caseworker = await staffSessionOf(harness.system, DEMO_ACCOUNTS.caseworker.email);
    await completeAt(caseworker, caseId, 'Task_CheckCompleteness', { documentsComplete: 'yes' });
    await completeAt(
      await staffSessionOf(harness.system, DEMO_ACCOUNTS.environmentAgency.email),
      caseId,
      'Task_StatementEnvironment',
      {
        recommendation: 'approve',
        statement: 'Keine Bedenken.',
      },
    );
    await completeAt(
      await staffSessionOf(harness.system, DEMO_ACCOUNTS.buildingAuthority.email),
      caseId,
      'Task_StatementBuilding',
      {
        recommendation: 'approve',
        statement: 'Keine Bedenken.',
      },
    );
    await completeAt(caseworker, caseId, 'Task_Decide', {
      decision: 'approveWithConditions',
      conditions: 'Vor Baubeginn ist ein Brandschutzkonzept vorzulegen.',
      decisionText: 'Das Vorhaben fügt sich in die Umgebung ein; die Fachämter haben zugestimmt.',
    });
    const done = await completedCase(harness.system, caseId);

    // When the company opens its case, the result shows the decision and links the letter
    const context = await harness.userContext();
    const page = await logIn(context, { email: applicant.email }, 'Test-Password-1');
    await page.goto(`/cases/${caseId}`);
    const result = page.getByRole('region', { name: 'Ergebnis' });
    expect(await result.locator('dt').allTextContents()).toEqual(['Entscheidung', 'Auflagen', 'Begründung']);
    expect(await result.getByRole('link', { name: `Bescheid-${done.number}.pdf` }).count()).toBe(1);
    await page.screenshot({ path: '/tmp/case-result-permit-de.png', fullPage: true });
    await expectAccessible(page, 'the permit case page with its decision (German)');

    await page.goto(`/cases/${caseId}?lang=en`);
    const english = page.getByRole('region', { name: 'Result' });
    expect(await english.locator('dd').first().textContent()).toBe('Can be approved with conditions');
    await page.screenshot({ path: '/tmp/case-result-permit-en.png', fullPage: true });
    await expectAccessible(page, 'the permit case page with its decision (English)');
  });
});
