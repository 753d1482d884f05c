import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem({ DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });
const { userContext } = harness;
const newApplicant = () => harness.newApplicant('Lagerhallen Nord GmbH', 'Paula Planer');

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const STEP_URL = /\/drafts\/[0-9a-f-]{36}\/steps\/(\d)$/;

function stepOf(page: Page) {
  return Number(STEP_URL.exec(new URL(page.url()).pathname)?.[1] ?? 0);
}

async function next(page: Page) {
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForLoadState('load');
}

async function fillProject(page: Page) {
  await page.getByLabel('Bezeichnung des Vorhabens').fill('Neubau einer Lagerhalle');
  await page.getByLabel('Beschreibung des Vorhabens').fill('Eine Lagerhalle mit 800 m² für Fertigteile, ebenerdig.');
  await page.getByLabel('Art der Genehmigung').selectOption({ label: 'Baugenehmigung' });
}

async function fillSite(page: Page) {
  await page.getByLabel('Straße und Hausnummer').fill('Industriestraße 9');
  await page.getByLabel('Postleitzahl').fill('12345');
  await page.getByLabel('Ort', { exact: false }).first().fill('Musterstadt');
}

describe('permit guidance: a start in three steps with an upload, in Chromium', () => {
  it('fills the steps, leaves, resumes from "Meine Entwürfe" and submits one case with the site plan', async () => {
    const account = await newApplicant();
    const context = await userContext();
    const page = await logIn(context, account, account.password);

    // "Meine Entwürfe" is empty
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: 'Meine Entwürfe' })
      .click();
    await page.waitForURL('**/drafts');
    expect(await page.locator('main').textContent()).toContain('Sie haben keine offenen Entwürfe.');
    await expectAccessible(page, '/drafts (empty)');

    // Starting the service opens step 1 of 3, prefilled from the company profile and the account
    await page.goto('/services');
    await page.getByRole('link', { name: /Genehmigungslotse/ }).click();
    await page.waitForURL(STEP_URL);
    expect(stepOf(page)).toBe(1);
    expect(await page.locator('main').textContent()).toContain('Schritt 1 von 3');
    expect(await page.getByLabel('Unternehmen').inputValue()).toBe('Lagerhallen Nord GmbH');
    expect(await page.getByLabel('E-Mail-Adresse für Rückfragen').inputValue()).toBe(account.email);
    await expectAccessible(page, 'step 1 (empty)');

    // Next with nothing filled in: the errors, focused summary first, and the prefilled input is kept
    await next(page);
    const summary = page.locator('#error-summary');
    await summary.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.activeElement?.id === 'error-summary', undefined, { timeout: 5_000 });
    expect(await page.title()).toMatch(/^Fehler: /);
    expect(await page.getByLabel('Bezeichnung des Vorhabens').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Unternehmen').inputValue()).toBe('Lagerhallen Nord GmbH');
    await expectAccessible(page, 'step 1 with errors');

    // Step 1 → step 2 → back to step 1 (kept) → step 2 → step 3
    await fillProject(page);
    await next(page);
    expect(stepOf(page)).toBe(2);
    expect(await page.locator('main').textContent()).toContain('Schritt 2 von 3');
    await expectAccessible(page, 'step 2');
    await fillSite(page);
    await page.getByRole('button', { name: 'Zurück' }).click();
    await page.waitForURL(/\/steps\/1$/);
    expect(await page.getByLabel('Bezeichnung des Vorhabens').inputValue()).toBe('Neubau einer Lagerhalle');
    await next(page);
    expect(await page.getByLabel('Straße und Hausnummer').inputValue()).toBe('Industriestraße 9');
    await next(page);
    expect(stepOf(page)).toBe(3);
    await expectAccessible(page, 'step 3 (upload)');

    // A program disguised as a PDF is refused next to the field; the note typed beside it stays
    const note = page.getByLabel('Anmerkungen zu den Unterlagen');
    await note.fill('Lageplan im Maßstab 1:500.');
    const picker = page.locator('#field-Field_SitePlan');
    await picker.setInputFiles({ name: 'lageplan.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(300, 0x4d) });
    await next(page);
    await summary.waitFor({ state: 'visible' });
    expect(await page.locator('#field-Field_SitePlan-error').textContent()).toContain('„lageplan.pdf“');
    expect(await note.inputValue()).toBe('Lageplan im Maßstab 1:500.');
    await page.screenshot({ path: '/tmp/e2e-step3-refused-file.png', fullPage: true });
    await expectAccessible(page, 'step 3 with a refused file');

    // The real site plan; then "save and continue later", and away
    await picker.setInputFiles({ name: 'Lageplan Halle.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('button', { name: 'Speichern und später fortsetzen' }).click();
    await page.waitForURL('**/drafts?saved=1');
    const row = page.getByRole('row').filter({ hasText: 'Genehmigungslotse' });
    expect(await row.count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('Gültig bis');
    await page.screenshot({ path: '/tmp/e2e-drafts.png', fullPage: true });
    await expectAccessible(page, '/drafts with a draft');
    await page.goto('/services');

    // Resumed from "Meine Entwürfe": on step 3, the file still there
    await page
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: 'Meine Entwürfe' })
      .click();
    await page.getByRole('link', { name: /Fortsetzen/ }).click();
    await page.waitForURL(STEP_URL);
    expect(stepOf(page)).toBe(3);
    expect(await page.locator('main').textContent()).toContain('Lageplan Halle.pdf');
    await next(page);

    // Check your answers, change one, submit
    await page.waitForURL(/\/review$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Angaben prüfen');
    const main = (await page.locator('main').textContent()) ?? '';
    for (const answer of ['Neubau einer Lagerhalle', 'Baugenehmigung', 'Industriestraße 9', 'Lageplan Halle.pdf']) {
      expect(main).toContain(answer);
    }
    await page.screenshot({ path: '/tmp/e2e-review.png', fullPage: true });
    await expectAccessible(page, 'the review page');
    await page.getByRole('link', { name: /Ändern.*Standort/ }).click();
    await page.waitForURL(/\/steps\/2\?from=review$/);
    await page.getByLabel('Flurstück').fill('Flur 3, Flurstück 112/4');
    await next(page);
    await page.waitForURL(/\/review$/);
    expect(await page.locator('main').textContent()).toContain('Flur 3, Flurstück 112/4');
    await Promise.all([
      page.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1$/),
      page.getByRole('button', { name: 'Antrag absenden' }).click(),
    ]);

    // One case, "Eingegangen", the site plan downloadable; the draft is gone from the list
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(
      /WF-\d{4}-\d{6}: Neubau einer Lagerhalle/,
    );
    // The first step may already have moved the case on to the completeness check.
    expect(await page.locator('#case-status').textContent()).toMatch(/^(Eingegangen|In Prüfung)$/);
    const download = page.getByRole('link', { name: 'Lageplan Halle.pdf' });
    expect(await download.getAttribute('href')).toMatch(/\/cases\/[0-9a-f-]{36}\/documents\/[0-9a-f-]{36}$/);
    await expectAccessible(page, 'the case page with documents');
    await page.goto('/drafts');
    expect(await page.getByRole('row').filter({ hasText: 'Genehmigungslotse' }).count()).toBe(0);
  });

  it('without JavaScript the file goes up with "Weiter" and the case is submitted', async () => {
    const account = await newApplicant();
    const context = await userContext({ javaScriptEnabled: false });
    const page = await logIn(context, account, account.password);
    await page.goto('/services/permit-guidance/start');
    await page.waitForURL(STEP_URL);
    await fillProject(page);
    await next(page);
    await fillSite(page);
    await next(page);
    expect(await page.locator('form[enctype="multipart/form-data"]').count()).toBe(1);
    await page.locator('#field-Field_SitePlan').setInputFiles({
      name: 'plan.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await next(page);
    await page.waitForURL(/\/review$/);
    expect(await page.locator('main').textContent()).toContain('plan.pdf');
    await Promise.all([
      page.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1$/),
      page.getByRole('button', { name: 'Antrag absenden' }).click(),
    ]);
    // The first step may already have moved the case on to the completeness check.
    expect(await page.locator('#case-status').textContent()).toMatch(/^(Eingegangen|In Prüfung)$/);
  });
});
