import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const { userContext } = useBrowserSystem();

const CASE_NUMBER = /WF-\d{4}-\d{6}/;

describe('Back after sending a start form in Chromium', () => {
  it('shows "already sent" with the case instead of the form (accessible), and a new inquiry starts on request', async () => {
    // Given a company user who sent an inquiry from the catalog
    const page = await logIn(await userContext(), DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    await page.goto('/services');
    await page.getByRole('link', { name: /Allgemeine Anfrage/ }).click();
    await page.waitForURL('**/services/general-inquiry/start');
    await page.getByLabel('Betreff').fill('Zurück und noch einmal senden');
    await page.getByLabel('Ihre Nachricht').fill('Wir möchten wissen, ob eine Erweiterung gefördert wird.');
    await page.getByRole('button', { name: 'Absenden' }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1/);
    const caseUrl = new URL(page.url()).pathname;
    const caseNumber = CASE_NUMBER.exec((await page.getByRole('heading', { level: 1 }).textContent()) ?? '')?.[0];
    expect(caseNumber).toBeDefined();

    // When they press Back
    await page.goBack();

    // Then the page says the inquiry was sent, names and links its case, and has no form to send again
    await page.waitForURL('**/services/general-inquiry/start');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Bereits gesendet');
    expect(await page.getByRole('status').textContent()).toContain(`Vorgang ${caseNumber}`);
    expect(await page.getByRole('button', { name: 'Absenden' }).count()).toBe(0);
    await expectAccessible(page, 'the start address after sending');
    expect(await page.getByRole('link', { name: `Zum Vorgang ${caseNumber}` }).getAttribute('href')).toBe(caseUrl);

    // And "Neue Anfrage starten" opens an empty form for a second, different inquiry
    await page.getByRole('link', { name: 'Neue Anfrage starten' }).click();
    // The address is the same before and after: wait for the form's own heading instead.
    await page.getByRole('heading', { level: 1, name: 'Allgemeine Anfrage' }).waitFor();
    expect(await page.getByLabel('Betreff').inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Absenden' }).count()).toBe(1);
  });
});
