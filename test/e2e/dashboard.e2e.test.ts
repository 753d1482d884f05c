import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('the staff dashboard in Chromium', () => {
  it('shows each figure as a named chart and a table, with no script, accessible in German and English', async () => {
    // Given an open inquiry for the caseworker's group
    const system = harness.system;
    await openTaskOf(system, await submitGeneralInquiry(await demoCompany(system), 'Dashboard im Browser'));

    // When the caseworker opens the dashboard from the staff menu
    const page = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.waitForURL('**/staff/dashboard');

    // Then every figure is a chart named by its title and a table with the same heading
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dashboard');
    await page.getByRole('img', { name: /^Offene Vorgänge je Leistung/ }).waitFor();
    const table = page.getByRole('table', { name: 'Offene Vorgänge je Leistung – Tabelle' });
    expect(await table.getByRole('rowheader', { name: 'Allgemeine Anfrage' }).count()).toBe(1);
    // Figures without data (no overdue task, nothing completed yet on a fresh run) say so instead of an empty chart.
    const charts = await page.locator('svg[role="img"]').count();
    expect(charts).toBeGreaterThanOrEqual(4);
    expect(await page.getByRole('table').count()).toBe(charts);
    // (axe runs in the page, so JavaScript stays on; the page itself brings none.)
    expect(await page.locator('script').count()).toBe(0);
    await expectAccessible(page, 'the dashboard (German)');

    // And in English
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForURL('**/staff/dashboard?lang=en');
    await page.getByRole('img', { name: /^Open cases per service/ }).waitFor();
    expect(
      await page
        .getByRole('table', { name: 'Open cases per service – table' })
        .getByRole('rowheader', { name: 'General inquiry' })
        .count(),
    ).toBe(1);
    await expectAccessible(page, 'the dashboard (English)');
  });
});
