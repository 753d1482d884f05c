import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { companies } from '../../engine/db/schema.js';
import { startOidcProvider } from '../oidc-provider.js';
import { expectAccessible, useBrowserSystem } from './browser.js';

// The provider's port must be known before Lotse starts (OIDC_ISSUER); it answers once Lotse's address is known.
const provider = await startOidcProvider();
const harness = useBrowserSystem(provider.env);
afterAll(() => provider.close());
const SHOTS = '/tmp/h1';
mkdirSync(SHOTS, { recursive: true });

/** Checks the page in German, then the same address in English, and leaves it in German. */
async function accessibleInBoth(page: Page, name: string, shot: string) {
  await expectAccessible(page, name);
  await page.screenshot({ path: `${SHOTS}/${shot}-de.png`, fullPage: true });
  const url = new URL(page.url());
  url.searchParams.set('lang', 'en');
  await page.goto(url.pathname + url.search);
  await expectAccessible(page, `${name} (English)`);
  await page.screenshot({ path: `${SHOTS}/${shot}-en.png`, fullPage: true });
  url.searchParams.set('lang', 'de');
  await page.goto(url.pathname + url.search);
}

describe('login with the company account in Chromium', () => {
  it('shows the button in German and English, logs in at the provider and lands in the portal', async () => {
    provider.up(harness.system.url);
    const org = { id: `DE${randomUUID().slice(0, 8)}`, name: 'Nordlicht Solar GmbH' };
    const sub = `e2e-${randomUUID().slice(0, 8)}`;
    provider.addAccount({
      sub,
      email: `${sub}@nordlicht.example`,
      email_verified: true,
      name: 'Erika Nordlicht',
      org_id: org.id,
      org_name: org.name,
    });
    const page = await (await harness.userContext()).newPage();

    await page.goto('/drafts');
    await page.waitForURL('**/login?next=%2Fdrafts');
    const button = page.getByRole('link', { name: 'Mit Unternehmenskonto anmelden' });
    await expect.poll(() => button.isVisible()).toBe(true);
    await accessibleInBoth(page, 'the login page with the company account button', 'login-oidc');
    await page.goto('/login?lang=en');
    expect(await page.getByRole('link', { name: 'Log in with company account' }).isVisible()).toBe(true);
    await page.goto('/login?lang=de&next=%2Fdrafts');

    await page.getByRole('link', { name: 'Mit Unternehmenskonto anmelden' }).click();
    // The provider's own development login page: any password.
    await page.locator('input[name="login"]').fill(sub);
    await page.locator('input[name="password"]').fill('beliebig');
    await page.locator('button[type="submit"]').click();
    // Its consent page.
    await page.locator('button[type="submit"]').click();
    await page.waitForURL('**/drafts');
    expect(await page.locator('body').textContent()).toContain(org.name);
    await page.screenshot({ path: `${SHOTS}/after-oidc-login.png`, fullPage: true });

    const [company] = await harness.system.db.select().from(companies).where(eq(companies.externalId, org.id));
    expect(company?.name).toBe(org.name);

    // The account without password: no password change, and the deletion confirmed by the fresh login.
    await page.goto('/account');
    expect(await page.locator('#current').count()).toBe(0);
    await accessibleInBoth(page, 'the account page without password', 'account-passwordless');
    await page.goto('/account/delete');
    expect(await page.getByRole('button', { name: 'Konto endgültig löschen' }).isVisible()).toBe(true);
    await accessibleInBoth(page, 'the deletion of an account without password', 'delete-passwordless');
  });

  it('explains a refused callback on an accessible page with the way back to the password login', async () => {
    const page = await (await harness.userContext()).newPage();
    const answer = await page.goto('/login/oidc/callback?code=forged&state=forged');
    expect(answer?.status()).toBe(400);
    expect(await page.getByRole('alert').textContent()).toContain('erneut');
    await accessibleInBoth(page, 'the refused company-account login', 'oidc-error');
    await page.getByRole('link', { name: 'Zur Anmeldung mit Passwort' }).click();
    await page.waitForURL('**/login');
  });
});
