import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderLetterPdf } from '../../engine/documents/letter-pdf.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { demoCompany, newApplicant, openTaskOf, submitGeneralInquiry, submitPermitGuidance } from '../journeys.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem({ DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });

/** A word only this file writes: the shared test database holds other files' cases too. */
const TAG = `suchmarke${randomBytes(4).toString('hex').replace(/\d/g, 'q')}`;

/** A real one-page PDF, so the preview shows a page (the browser's viewer, in the iframe). */
const sitePlan = () =>
  renderLetterPdf({
    language: 'de',
    sender: 'Planer Bau GmbH',
    recipient: ['Wirtschaftsförderung'],
    references: [['Anlage', 'Lageplan']],
    subject: 'Lageplan 1:500',
    body: 'Grundstück Industriestraße 9, Flurstück 12/3.',
    closing: [],
    title: 'Lageplan',
  });
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** A permit application in three steps over HTTP, with a site plan (PDF) and a photo (PNG); returns the case id. */
async function submitPermit(): Promise<string> {
  const applicant = await newApplicant(harness.system, `Planer Bau ${TAG} GmbH`);
  return submitPermitGuidance(applicant.client, applicant, {
    subject: `Neubau einer Lagerhalle ${TAG}`,
    sitePlan: [
      { field: 'sitePlan', name: 'Lageplan.pdf', content: await sitePlan(), type: 'application/pdf' },
      { field: 'sitePlan', name: 'Foto.png', content: PHOTO, type: 'image/png' },
    ],
  });
}

describe('case search and case view in Chromium', () => {
  it('search without results and with results, then the case page of a general inquiry with a note, in German and English', async () => {
    const system = harness.system;
    const caseId = await submitGeneralInquiry(await demoCompany(system), `Frage zur Förderung ${TAG}`);
    await openTaskOf(system, caseId);
    const page = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);

    // An empty search result says so
    await page.goto(`/staff/cases?q=${TAG}nichtvorhanden`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Vorgänge');
    await page.getByText('Keine Vorgänge gefunden.').waitFor();
    await expectAccessible(page, 'the case search without results (German)');
    await page.goto(`/staff/cases?q=${TAG}nichtvorhanden&lang=en`);
    await page.getByText('No cases found.').waitFor();
    await expectAccessible(page, 'the case search without results (English)');

    // The caseworker searches by a word form of the subject through the form (a GET form, no script)
    await page.goto('/staff/cases?lang=de');
    await page.getByLabel('Volltext').fill(`Förderungen ${TAG}`);
    await page.getByRole('button', { name: 'Suchen' }).click();
    await page.waitForURL(/\/staff\/cases\?q=/);
    const results = page.getByRole('table', { name: 'Gefundene Vorgänge, neueste zuerst' });
    expect(await results.getByRole('row').count()).toBe(2);
    await expectAccessible(page, 'the case search with results (German)');
    await page.goto(`/staff/cases?q=${TAG}&lang=en`);
    expect(await page.getByRole('table', { name: 'Cases found, newest first' }).getByRole('row').count()).toBe(2);
    await expectAccessible(page, 'the case search with results (English)');

    // Opens the case from the result and writes a note (the form works without JavaScript)
    await page.goto(`/staff/cases?q=${TAG}&lang=de`);
    await page.getByRole('table').getByRole('link').click();
    await page.waitForURL(`**/staff/cases/${caseId}`);
    await page.getByText('Anna Schmidt (Schmidt Metallbau GmbH) hat den Antrag gestellt').waitFor();
    await page.getByLabel('Notiz', { exact: true }).fill('Rückruf am Dienstag vereinbart.');
    await page.getByRole('button', { name: 'Notiz speichern' }).click();
    await page.waitForURL(`**/staff/cases/${caseId}?noted=1#notes`);
    await page.getByText('Jonas Weber hat eine interne Notiz geschrieben').waitFor();
    await expectAccessible(page, 'the case page of a general inquiry (German)');
    await page.goto(`/staff/cases/${caseId}?lang=en`);
    await page.getByText('Anna Schmidt (Schmidt Metallbau GmbH) submitted the application').waitFor();
    await expectAccessible(page, 'the case page of a general inquiry (English)');

    // An empty note is an error next to the field
    await page.goto(`/staff/cases/${caseId}?lang=de`);
    await page.getByRole('button', { name: 'Notiz speichern' }).click();
    await page.getByText('Bitte schreiben Sie eine Notiz.').waitFor();
    expect(await page.getByLabel('Notiz', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the case page with a note error (German)');
  });

  it('the case page of a permit case shows every step and previews the PDF and the image, in German and English', async () => {
    const caseId = await submitPermit();
    const page = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await page.goto(`/staff/cases/${caseId}`);
    await reloadUntil(
      page,
      async () => (await page.getByRole('link', { name: 'Vollständigkeit prüfen' }).count()) > 0,
      'the completeness check to open',
    );
    await page.getByText('Industriestraße 9').waitFor();
    const photo = page.getByRole('img', { name: 'Vorschau: Foto.png' });
    await photo.waitFor();
    // The image really loads (same origin, inline; lazy, so once scrolled to): it has its one pixel
    await photo.scrollIntoViewIfNeeded();
    await expect
      .poll(() => photo.evaluate((image: HTMLImageElement) => (image.complete ? image.naturalWidth : 0)))
      .toBe(1);
    const pdf = page.locator('iframe[title="Vorschau: Lageplan.pdf"]');
    await pdf.scrollIntoViewIfNeeded();
    expect(await pdf.count()).toBe(1);
    await expectAccessible(page, 'the case page of a permit case with documents (German)');
    await page.goto(`/staff/cases/${caseId}?lang=en`);
    await page.getByRole('img', { name: 'Preview: Foto.png' }).waitFor();
    await expectAccessible(page, 'the case page of a permit case with documents (English)');
  });
});
