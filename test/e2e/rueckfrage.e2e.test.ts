import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { openTaskOf } from '../journeys.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const QUESTION = 'Wie groß ist die geplante Hallenfläche in m²?';

/** axe in German, then in English (`?lang=en`), and back to German for the rest of the journey. */
async function accessibleInBothLanguages(page: Page, name: string) {
  await expectAccessible(page, `${name} (de)`);
  const path = new URL(page.url()).pathname;
  await page.goto(`${path}?lang=en`);
  await expectAccessible(page, `${name} (en)`);
  await page.goto(`${path}?lang=de`);
}

describe('Rückfrage in Chromium', () => {
  it('staff asks → the company answers with an upload → staff sees the answer; axe in German and English', async () => {
    // Given a company of its own sends a general inquiry
    const company = await harness.applicantPage('Rückfrage Metallbau GmbH', 'Rita Rückfrage');
    await company.goto('/services/general-inquiry/start');
    await company.getByLabel('Betreff').fill('Hallenerweiterung mit Rückfrage');
    await company.getByLabel('Ihre Nachricht').fill('Wir möchten unsere Halle erweitern und brauchen Rat.');
    await company.getByRole('radio', { name: 'E-Mail' }).check();
    await Promise.all([
      company.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1$/),
      company.getByRole('button', { name: 'Absenden' }).click(),
    ]);
    const casePath = new URL(company.url()).pathname;
    const caseId = casePath.split('/').pop() ?? '';
    const staffTask = await openTaskOf(harness.system, caseId);

    // When the caseworker opens the task and asks for the hall's size and a site plan
    const caseworker = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await caseworker.goto(`/staff/tasks/${staffTask.id}`);
    // (sent with nothing asked first: the form comes back on a page of its own, 422, the error at the field)
    const emptyRequest = caseworker.getByRole('region', { name: 'Rückfrage an das Unternehmen' });
    await Promise.all([
      caseworker.waitForURL(/\/rueckfrage$/),
      emptyRequest.getByRole('button', { name: 'Rückfrage senden' }).click(),
    ]);
    expect(await caseworker.locator('[aria-invalid="true"]').count()).toBeGreaterThan(0);
    await caseworker.screenshot({ path: '/tmp/e2e-rueckfrage-staff-error.png', fullPage: true });
    await expectAccessible(caseworker, 'the Rückfrage form with errors (de)');
    await caseworker.goto(`/staff/tasks/${staffTask.id}?lang=en`);
    await caseworker
      .getByRole('region', { name: 'Request for information to the company' })
      .getByRole('button', { name: 'Send request' })
      .click();
    await caseworker.waitForURL(/\/rueckfrage$/);
    await expectAccessible(caseworker, 'the Rückfrage form with errors (en)');
    await caseworker.goto(`/staff/tasks/${staffTask.id}?lang=de`);

    const section = caseworker.getByRole('region', { name: 'Rückfrage an das Unternehmen' });
    await section.getByLabel('Fragen').fill(QUESTION);
    await section.getByLabel('Angeforderte Dokumente').fill('Lageplan');
    await section.getByLabel('Nachricht an das Unternehmen').fill('Für die Prüfung fehlen uns zwei Angaben.');
    expect(await section.getByLabel('Antwort bis').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await Promise.all([
      caseworker.waitForURL(/rueckfrage=sent$/),
      section.getByRole('button', { name: 'Rückfrage senden' }).click(),
    ]);

    // Then the task page says it waits for the answer, and offers no completion meanwhile
    expect(await caseworker.locator('#rueckfrage-open').textContent()).toContain('Wartet auf Rückmeldung');
    expect(await caseworker.getByRole('button', { name: 'Erledigen' }).count()).toBe(0);
    await caseworker.screenshot({ path: '/tmp/e2e-rueckfrage-staff-waiting.png', fullPage: true });
    await accessibleInBothLanguages(caseworker, 'the staff task waiting for a Rückfrage');

    // When the company opens its case, the Rückfrage stands out with a link to answer it
    await company.goto(casePath);
    const notice = company.locator('.rueckfrage__notice');
    await reloadUntil(company, async () => (await notice.count()) === 1, 'the Rückfrage notice');
    expect(await notice.textContent()).toMatch(/Rückfrage vom .+ – bitte bis .+ beantworten/);
    await company.screenshot({ path: '/tmp/e2e-rueckfrage-company-case.png', fullPage: true });
    await accessibleInBothLanguages(company, 'the company case page with a Rückfrage');
    await Promise.all([
      company.waitForURL(/\/tasks\/[0-9a-f-]{36}$/),
      notice.getByRole('link', { name: 'Rückfrage beantworten' }).click(),
    ]);
    expect(await company.getByRole('heading', { level: 1 }).textContent()).toBe('Rückfrage beantworten');
    await accessibleInBothLanguages(company, 'the Rückfrage answer page');

    // …and answers with a PDF
    await company.getByLabel(QUESTION).fill('Etwa 1.200 m² Hallenfläche.');
    await company
      .getByLabel('Lageplan')
      .setInputFiles({ name: 'lageplan.pdf', mimeType: 'application/pdf', buffer: PDF });
    await company.screenshot({ path: '/tmp/e2e-rueckfrage-company-answer.png', fullPage: true });
    await Promise.all([
      company.waitForURL(`**${casePath}`),
      company.getByRole('button', { name: 'Antwort senden' }).click(),
    ]);
    expect(await company.locator('.rueckfrage__notice').count()).toBe(0);
    expect(await company.getByRole('link', { name: 'lageplan.pdf' }).count()).toBe(1);

    // Then the caseworker's task is back, with the answer and the document
    await caseworker.goto(`/staff/tasks/${staffTask.id}`);
    await reloadUntil(
      caseworker,
      async () => (await caseworker.getByRole('button', { name: 'Erledigen' }).count()) === 1,
      'the task to be active again',
    );
    const answered = caseworker.locator('.rueckfrage__past');
    expect(await answered.textContent()).toContain('Etwa 1.200 m² Hallenfläche.');
    expect(await answered.getByRole('link', { name: 'lageplan.pdf' }).count()).toBe(1);
    await caseworker.screenshot({ path: '/tmp/e2e-rueckfrage-staff-answered.png', fullPage: true });
    await accessibleInBothLanguages(caseworker, 'the staff task with the answer');
  });
});
