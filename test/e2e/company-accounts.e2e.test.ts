import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mailedLink } from '../journeys.js';
import { expectAccessible, useBrowserSystem } from './browser.js';

const PUBLIC_URL = 'https://portal.kreis.example/';
const harness = useBrowserSystem({ PUBLIC_URL });
const PASSWORD = 'Ein-sicheres-Passwort-2026';
const NEW_PASSWORD = 'Ein-neues-Passwort-2026';
const RESET_PASSWORD = 'Zurueckgesetzt-Passwort-2026';

/** Checks the page in German, then the same address in English. */
async function accessibleInBoth(page: Page, name: string) {
  await expectAccessible(page, name);
  const url = new URL(page.url());
  url.searchParams.set('lang', 'en');
  await page.goto(url.pathname + url.search);
  await expectAccessible(page, `${name} (English)`);
  url.searchParams.set('lang', 'de');
  await page.goto(url.pathname + url.search);
}

async function logIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

describe('company accounts in Chromium', () => {
  it('registers, verifies, logs in, changes the password, resets it and deletes the account', async () => {
    const email = `e2e-register-${randomUUID().slice(0, 8)}@firma.example`;
    const page = await (await harness.userContext()).newPage();

    await page.goto('/login');
    await page.getByRole('link', { name: 'Registrieren' }).click();
    await page.waitForURL('**/register');
    await accessibleInBoth(page, 'the registration page');
    // Sent empty: the errors next to the fields.
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await page.screenshot({ path: '/tmp/a1/register-errors.png', fullPage: true });
    expect(await page.locator('#companyName-error').textContent()).toContain('Namen des Unternehmens');
    await accessibleInBoth(page, 'the registration page with errors');
    await page.getByLabel('Name des Unternehmens').fill('E2E Werkzeugbau GmbH');
    await page.getByLabel('Ihr Name').fill('Eva Ende');
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.locator('#password').fill(PASSWORD);
    await page.locator('#repeat').fill(PASSWORD);
    await page.getByRole('button', { name: 'Konto anlegen' }).click();
    await page.getByText('Wir haben eine E-Mail').waitFor();
    await page.screenshot({ path: '/tmp/a1/register-sent.png', fullPage: true });

    await page.goto(await mailedLink(harness.system, email, '/register/verify'));
    await accessibleInBoth(page, 'the verification page');
    await page.getByRole('button', { name: 'E-Mail-Adresse bestätigen' }).click();
    await page.getByText('Ihre E-Mail-Adresse ist bestätigt').waitFor();

    await logIn(page, email, PASSWORD);
    await page.waitForURL('**/cases');
    await page.goto('/account');
    await accessibleInBoth(page, 'the account page');
    await page.getByLabel('Aktuelles Passwort').fill(PASSWORD);
    await page.locator('#password').fill(NEW_PASSWORD);
    await page.locator('#repeat').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Passwort ändern' }).click();
    await page.getByText('Ihr Passwort ist geändert').waitFor();
    await page.screenshot({ path: '/tmp/a1/account.png', fullPage: true });
    await page.getByRole('button', { name: 'Abmelden' }).click();

    await page.goto('/login');
    await page.getByRole('link', { name: 'Passwort vergessen' }).click();
    await page.waitForURL('**/password/forgot');
    await accessibleInBoth(page, 'the forgotten-password page');
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByRole('button', { name: 'Link anfordern' }).click();
    await page.getByText('Wenn zu dieser Adresse ein Konto besteht').waitFor();
    await page.goto(await mailedLink(harness.system, email, '/password/reset'));
    await accessibleInBoth(page, 'the reset page');
    await page.locator('#password').fill(RESET_PASSWORD);
    await page.locator('#repeat').fill(RESET_PASSWORD);
    await page.getByRole('button', { name: 'Passwort festlegen' }).click();
    await page.getByText('Ihr Passwort ist festgelegt').waitFor();

    await logIn(page, email, RESET_PASSWORD);
    await page.waitForURL('**/cases');
    await page.goto('/account');
    await page.getByRole('link', { name: 'Mein Konto löschen …' }).click();
    await page.waitForURL('**/account/delete');
    await accessibleInBoth(page, 'the delete-account page');
    await page.screenshot({ path: '/tmp/a1/delete.png', fullPage: true });
    await page.getByLabel('Zur Bestätigung: Ihr Passwort').fill(RESET_PASSWORD);
    await page.getByRole('button', { name: 'Konto endgültig löschen' }).click();
    await page.waitForURL('**/account/deleted');
    await accessibleInBoth(page, 'the account-deleted page');
    await logIn(page, email, RESET_PASSWORD);
    await page.getByText('E-Mail-Adresse oder Passwort ist falsch').waitFor();
  });
});
