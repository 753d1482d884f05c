import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const { userContext } = useBrowserSystem();

describe('the company account in Chromium', () => {
  it('is reached from the menu, is accessible, and downloads the data export as a ZIP', async () => {
    const page = await logIn(await userContext({ acceptDownloads: true }), DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    await page.getByRole('link', { name: 'Mein Konto' }).click();
    await page.waitForURL('**/account');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Mein Konto');
    await expectAccessible(page, 'the account page');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Alle Daten herunterladen (ZIP)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Datenexport-Schmidt-Metallbau-GmbH-\d{4}-\d{2}-\d{2}\.zip$/);
    const archive = await readFile((await download.path()) ?? '');
    // A ZIP starts with a local file header.
    expect(archive.subarray(0, 4).toString('hex')).toBe('504b0304');

    // And in English
    await page.goto('/account?lang=en');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('My account');
    expect(await page.getByRole('link', { name: 'Download all data (ZIP)' }).count()).toBe(1);
    await expectAccessible(page, 'the account page (English)');
  });
});
