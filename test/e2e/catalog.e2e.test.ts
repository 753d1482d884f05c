import { describe, expect, it } from 'vitest';
import { expectAccessible, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('the catalog in Chromium', () => {
  it('tells a company what a service needs and how long it takes, by keyboard, in German and English', async () => {
    // Given a company looking at the catalog of the shipped services (their service.json describes them)
    const page = await harness.applicantPage('Katalog GmbH', 'Karl Katalog');
    await page.goto('/services');
    const card = page.locator('li.card', { has: page.getByRole('heading', { name: 'Genehmigungslotse' }) });
    expect(await card.locator('.card__category').textContent()).toBe('Bauen und Genehmigungen');

    // When it opens "Mehr zur Leistung" with the keyboard
    const more = card.getByText('Mehr zur Leistung');
    await more.focus();
    await page.keyboard.press('Enter');

    // Then the description, the documents and the duration show
    await card.getByText('Lageplan (PDF)').waitFor();
    await card.getByText('etwa vier Wochen').waitFor();
    await page.screenshot({ path: '/tmp/catalog-about-de.png', fullPage: true });
    await expectAccessible(page, 'the catalog with a service described (German)');

    await page.goto('/services?lang=en');
    const english = page.locator('li.card', { has: page.getByRole('heading', { name: 'Permit guidance' }) });
    await english.getByText('More about this service').click();
    await english.getByText('Site plan (PDF)').waitFor();
    await english.getByText('about four weeks').waitFor();
    await expectAccessible(page, 'the catalog with a service described (English)');
  });
});
