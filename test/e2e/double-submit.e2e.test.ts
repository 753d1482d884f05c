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
    // The same page in English
    await page.goto('/services/general-inquiry/start?lang=en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Already sent');
    await expectAccessible(page, 'the start address after sending (English)');
    await page.goto('/services/general-inquiry/start?lang=de');

    // And "Neue Anfrage starten" opens an empty form for a second, different inquiry
    await page.getByRole('link', { name: 'Neue Anfrage starten' }).click();
    // The address is the same before and after: wait for the form's own heading instead.
    await page.getByRole('heading', { level: 1, name: 'Allgemeine Anfrage' }).waitFor();
    expect(await page.getByLabel('Betreff').inputValue()).toBe('');
    expect(await page.getByRole('button', { name: 'Absenden' }).count()).toBe(1);
  });

  it('a form sent meanwhile from another tab: changed answers are kept, explained (accessible) and sent only on request', async () => {
    // Given one session with the start form open in two tabs: one open form, one token
    const context = await userContext();
    const first = await logIn(context, DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    await first.goto('/services/general-inquiry/start?new=1');
    const second = await context.newPage();
    await second.goto('/services/general-inquiry/start');
    for (const page of [first, second]) {
      await page.getByLabel('Ihre Nachricht').fill('Wir möchten wissen, ob eine Erweiterung gefördert wird.');
    }
    await first.getByLabel('Betreff').fill('Erste Fassung');
    await first.getByRole('button', { name: 'Absenden' }).click();
    await first.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1/);
    const firstCase = new URL(first.url()).pathname;

    // When the other tab sends different answers under the same token
    await second.getByLabel('Betreff').fill('Zweite, andere Fassung');
    await second.getByRole('button', { name: 'Absenden' }).click();

    // Then no case is made unasked: the form is back with the answers and a note naming the sent case
    await second.getByRole('status').waitFor();
    expect(await second.getByRole('status').textContent()).toContain('Dieses Formular haben Sie bereits gesendet');
    expect(await second.getByRole('link', { name: 'Zum Vorgang' }).getAttribute('href')).toBe(firstCase);
    expect(await second.getByLabel('Betreff').inputValue()).toBe('Zweite, andere Fassung');
    await expectAccessible(second, 'the start form after a send from another tab');

    // And sending it now is a deliberate second inquiry: its own case
    await second.getByRole('button', { name: 'Absenden' }).click();
    await second.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1/);
    expect(new URL(second.url()).pathname).not.toBe(firstCase);
  });
});
