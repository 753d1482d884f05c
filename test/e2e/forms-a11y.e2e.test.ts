import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CATALOG_DIR } from '../../engine/main/system.js';
import { listServiceFolders, loadServiceFolder } from '../../engine/services/service-definition.js';
import { expectAccessible, useBrowserSystem } from './browser.js';

/**
 * Every service folder in workflows/catalog, found when the test runs: a service added tomorrow is
 * checked without touching this file. A folder that does not load fails its test with the loader's error.
 */
const SERVICE_FOLDERS = await listServiceFolders(CATALOG_DIR);

const harness = useBrowserSystem();
/** A logged-in user of a company of their own: no draft of an earlier test is resumed. */
const applicantPage = () => harness.applicantPage('Barrierefrei GmbH', 'Bea Barrierefrei');

/** Submits and waits for the server's answer: the same page with errors, or the next one when nothing is required. */
async function submitEmpty(page: Page, button: Locator) {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

const STEP_URL = /\/drafts\/([0-9a-f-]{36})\/steps\/1$/;

describe('start forms of every shipped service, empty and submitted empty, have no WCAG 2.1 AA violations', () => {
  it('finds the shipped services', () => {
    expect(SERVICE_FOLDERS.map((folder) => path.basename(folder))).toContain('general-inquiry');
  });

  it.each(SERVICE_FOLDERS.map((folder) => [path.basename(folder), folder]))('%s', async (_name, folder) => {
    const service = await loadServiceFolder(folder);
    const page = await applicantPage();

    // One-page services show their start form here; stepped ones are sent to step 1 of a new draft.
    await page.goto(`/services/${service.slug}/start`);
    const draftId = STEP_URL.exec(new URL(page.url()).pathname)?.[1];
    if (draftId === undefined) {
      expect(new URL(page.url()).pathname).toBe(`/services/${service.slug}/start`);
      await expectAccessible(page, `${service.slug}: start form, empty`);
      await submitEmpty(
        page,
        page.locator(`main form[action="/services/${service.slug}/start"] > button[type="submit"]`),
      );
      await expectAccessible(page, `${service.slug}: start form, submitted empty`);
      return;
    }

    // Each step can be opened directly (Back and "save for later" get there too); Next validates it.
    for (const [index] of service.start.steps.entries()) {
      const step = `${service.slug}: step ${index + 1} of ${service.start.steps.length}`;
      await page.goto(`/drafts/${draftId}/steps/${index + 1}`);
      await expectAccessible(page, `${step}, empty`);
      await submitEmpty(page, page.getByRole('button', { name: 'Weiter' }));
      await expectAccessible(page, `${step}, submitted empty`);
    }
  });
});
