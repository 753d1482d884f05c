import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { answeredInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('the result on the company’s case page in Chromium', () => {
  it('shows the answer as a labelled section with a definition list, accessible in German and English', async () => {
    // Given a general inquiry the caseworker has answered
    const done = await answeredInquiry(harness.system, 'Ergebnis im Browser');

    // When the company opens its case
    const context = await harness.userContext();
    const page = await logIn(context, DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    await page.goto(`/cases/${done.id}`);

    // Then the result is a region named by its heading, with the answer as a term and its description
    const result = page.getByRole('region', { name: 'Ergebnis' });
    expect(await result.locator('dt').allTextContents()).toEqual(['Unsere Antwort']);
    expect(await result.locator('dd').allTextContents()).toEqual(['Hier ist unsere Antwort an Sie.']);
    await page.screenshot({ path: '/tmp/case-result-de.png', fullPage: true });
    await expectAccessible(page, 'the case page with its result (German)');

    // And in English
    await page.goto(`/cases/${done.id}?lang=en`);
    const english = page.getByRole('region', { name: 'Result' });
    expect(await english.locator('dt').allTextContents()).toEqual(['Our answer']);
    await page.screenshot({ path: '/tmp/case-result-en.png', fullPage: true });
    await expectAccessible(page, 'the case page with its result (English)');
  });
});
