import { describe, expect, it } from 'vitest';
import { createServiceDraftRepository } from '../../engine/repositories/service-draft.repository.js';
import { createServiceRepository } from '../../engine/repositories/service.repository.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { createDesignerService } from '../../engine/services/designer.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { expectAccessible, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('a paused service in Chromium', () => {
  it('shows its message in the catalog and instead of the start form, accessible in German and English', async () => {
    // Given a service the designer published and then paused
    const system = harness.system;
    const designer = createDesignerService({
      services: createServiceRepository(system.db),
      drafts: createServiceDraftRepository(system.db),
      catalog: system.services.catalog,
    });
    const petra = await createAuthService({ accounts: createAccountRepository(system.db) }).loginStaff(
      DEMO_ACCOUNTS.administrator.email,
      DEMO_PASSWORD,
    );
    if (!petra) throw new Error('demo designer missing');
    const slug = `paused-e2e-${Date.now().toString(36)}`;
    await designer.create(petra, {
      slug,
      titleDe: 'Pausierte Beratung',
      titleEn: 'Paused advice',
      template: 'inquiry',
    });
    expect(await designer.publish(petra, slug)).toMatchObject({ ok: true });
    await designer.pause(petra, slug, {
      de: 'Bis zum 15. Januar pausiert – wir stellen das Verfahren um.',
      en: 'Paused until 15 January while we change the procedure.',
    });

    // When a company looks at the catalog
    const page = await harness.applicantPage('Pause GmbH', 'Paula Pause');
    await page.goto('/services');
    const card = page.locator('li.card', { has: page.getByRole('heading', { name: 'Pausierte Beratung' }) });
    await card.getByText('Bis zum 15. Januar pausiert').waitFor();
    expect(await card.getByRole('link').count()).toBe(0);
    await expectAccessible(page, 'the catalog with a paused service (German)');

    // And opens the service's start address
    await page.goto(`/services/${slug}/start?new=1`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Leistung derzeit pausiert');
    await page.getByText('Bis zum 15. Januar pausiert – wir stellen das Verfahren um.').waitFor();
    expect(await page.locator('form[action$="/start"]').count()).toBe(0);
    await page.screenshot({ path: '/tmp/h1-paused-de.png', fullPage: true });
    await expectAccessible(page, 'the paused start page (German)');

    // Then in English too
    await page.goto(`/services/${slug}/start?lang=en`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Service currently paused');
    await page.getByText('Paused until 15 January while we change the procedure.').waitFor();
    await expectAccessible(page, 'the paused start page (English)');
    await page.goto('/services?lang=en');
    await page.getByText('Paused until 15 January').waitFor();
    await page.screenshot({ path: '/tmp/h1-paused-catalog-en.png', fullPage: true });
    await expectAccessible(page, 'the catalog with a paused service (English)');
  });
});
