import { randomUUID } from 'node:crypto';
import { desc, eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { outboxMails } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { eventually } from '../system.js';
import { expectAccessible, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

/** Logs in on the staff login page and waits until the login page is left. */
async function staffLogin(page: Page, email: string, password: string) {
  await page.goto('/staff/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.endsWith('/login')),
    page.getByRole('button', { name: 'Anmelden' }).click(),
  ]);
}

/** Checks the page with axe in German, then the same page in English, and returns to German. */
async function accessibleInBothLanguages(page: Page, name: string) {
  const url = new URL(page.url());
  url.searchParams.delete('lang');
  await expectAccessible(page, `${name} (German)`);
  await page.goto(`${url.pathname}${url.search ? `${url.search}&` : '?'}lang=en`);
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await expectAccessible(page, `${name} (English)`);
  await page.goto(`${url.pathname}${url.search ? `${url.search}&` : '?'}lang=de`);
}

describe('staff administration in Chromium', () => {
  it('an administrator creates an account, the mailed link sets the password, the person logs in; disabling them ends their session', async () => {
    const system = harness.system;
    const email = `e2e-${randomUUID().slice(0, 8)}@amt.example`;
    const password = 'Mein-eigenes-Passwort-2026';

    // Given the administrator, who reaches the administration from the staff menu
    const admin = await (await harness.userContext()).newPage();
    await staffLogin(admin, DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD);
    await admin.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Verwaltung' }).click();
    await admin.waitForURL('**/staff/admin');
    expect(await admin.getByRole('heading', { level: 1 }).textContent()).toBe('Verwaltung: Mitarbeitende');
    expect(await admin.getByRole('link', { name: 'Verwaltung' }).getAttribute('aria-current')).toBe('page');
    await accessibleInBothLanguages(admin, 'the staff list');

    await admin.getByRole('link', { name: 'Gruppen', exact: true }).click();
    await admin.waitForURL('**/staff/admin/groups');
    await accessibleInBothLanguages(admin, 'the groups');
    await admin.getByRole('link', { name: 'Bauamt' }).click();
    await admin.waitForURL('**/staff/admin/groups/bauamt');
    await accessibleInBothLanguages(admin, 'a group');

    // When they create an account — first with a mistake, shown next to its field
    await admin.goto('/staff/admin/staff/new');
    await accessibleInBothLanguages(admin, 'the new-account form');
    await admin.getByLabel('Name', { exact: true }).fill('Eva Stein');
    await admin.getByLabel('E-Mail-Adresse').fill('eva-ohne-at');
    await admin.getByRole('button', { name: 'Konto anlegen und E-Mail senden' }).click();
    await admin.getByText('Bitte geben Sie eine gültige E-Mail-Adresse an.').first().waitFor();
    expect(await admin.getByLabel('Name', { exact: true }).inputValue()).toBe('Eva Stein');
    await expectAccessible(admin, 'the new-account form with an error');
    await admin.getByLabel('E-Mail-Adresse').fill(email);
    await admin.getByLabel('Umweltamt').check();
    await admin.getByRole('button', { name: 'Konto anlegen und E-Mail senden' }).click();
    await admin.getByText('Das Konto ist angelegt').waitFor();
    await accessibleInBothLanguages(admin, 'an account');

    // Then the person gets a mail with a link; it sets their password, and they log in
    const mail = await eventually(async () => {
      const [found] = await system.db
        .select()
        .from(outboxMails)
        .where(eq(outboxMails.recipient, email))
        .orderBy(desc(outboxMails.createdAt))
        .limit(1);
      return found;
    });
    const link = /https?:\/\/\S+\/staff\/password\?token=\S+/.exec(mail.body)?.[0];
    expect(link).toBeDefined();
    const person = await (await harness.userContext()).newPage();
    await person.goto(new URL(link!).pathname + new URL(link!).search);
    expect(await person.getByRole('heading', { level: 1 }).textContent()).toBe('Passwort festlegen');
    await accessibleInBothLanguages(person, 'the set-password page');
    await person.getByLabel('Neues Passwort', { exact: true }).fill(password);
    await person.getByLabel('Neues Passwort wiederholen').fill(password);
    await person.getByRole('button', { name: 'Passwort festlegen' }).click();
    await person.getByText('Ihr Passwort ist festgelegt.').waitFor();
    await expectAccessible(person, 'the password-set notice');
    await staffLogin(person, email, password);
    await person.getByRole('link', { name: 'Profil' }).click();
    await person.waitForURL('**/staff/profile');
    expect(await person.getByText(email).count()).toBeGreaterThan(0);
    await accessibleInBothLanguages(person, 'the profile');

    // When the administrator disables the account
    await admin.getByRole('button', { name: 'Konto deaktivieren' }).click();
    await admin.getByText('Das Konto ist deaktiviert').waitFor();

    // Then the person's open session has ended: the next page is the login
    await person.reload();
    await person.waitForURL('**/staff/login**');
    expect(await person.getByRole('heading', { level: 1 }).textContent()).toBe('Anmeldung für Mitarbeitende');
  });
});
