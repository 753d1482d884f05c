import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { staff } from '../../engine/db/schema.js';
import { CATALOG_DIR } from '../../engine/main/system.js';
import { createServiceDraftRepository } from '../../engine/repositories/service-draft.repository.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

/**
 * A draft of the general inquiry as shipped (its folder as a map of files), opened by the demo designer; with
 * `answerMail`, its process is the one that shipped with its own answer mail (ADR 0029), for a job to do by hand.
 */
async function generalInquiryDraft(options: { answerMail?: boolean } = {}) {
  const folder = path.join(CATALOG_DIR, 'general-inquiry');
  const files: Record<string, string> = {};
  for (const name of await readdir(folder)) files[name] = await readFile(path.join(folder, name), 'utf8');
  if (options.answerMail) {
    files['general-inquiry.bpmn'] = await readFile(
      new URL('../../engine/interpreter/fixtures/general-inquiry.bpmn', import.meta.url),
      'utf8',
    );
  }
  const db = harness.system.db;
  const [designer] = await db
    .select({ id: staff.id })
    .from(staff)
    .where(eq(staff.email, DEMO_ACCOUNTS.administrator.email));
  if (!designer) throw new Error('no demo designer');
  const drafts = createServiceDraftRepository(db);
  const { created } = await drafts.createIfAbsent({
    slug: 'general-inquiry',
    files,
    basedOnVersionId: null,
    staffId: designer.id,
  });
  if (!created) await drafts.replaceFiles('general-inquiry', files, designer.id);
  return files;
}

describe('the designer’s test-run in Chromium', () => {
  it('runs the draft’s scenarios from the page and shows each test case’s result; accessible in German and English', async () => {
    // Given a draft with the shipped test file
    const files = await generalInquiryDraft();
    const testCases: { name: string }[] = JSON.parse(files['general-inquiry.test.json'] ?? '').testCases;

    // When the designer opens its test page
    const page = await logIn(await harness.userContext(), DEMO_ACCOUNTS.administrator, DEMO_PASSWORD, true);
    await page.goto('/staff/designer/general-inquiry/tests');
    await expectAccessible(page, 'the test-run page before a run (de)');
    await page.goto('/staff/designer/general-inquiry/tests?lang=en');
    await expectAccessible(page, 'the test-run page before a run (en)');
    await page.goto('/staff/designer/general-inquiry/tests?lang=de');
    expect(await page.getByRole('link', { name: 'general-inquiry.test.json' }).getAttribute('href')).toBe(
      '/staff/designer/general-inquiry/files/general-inquiry.test.json',
    );

    // And runs the tests
    await Promise.all([
      page.waitForURL('**/tests?done=started'),
      page.getByRole('button', { name: 'Tests ausführen' }).click(),
    ]);
    expect(await page.getByRole('status').first().textContent()).toContain('Der Testlauf wurde gestartet.');

    // Then, once the run has ended, every test case is listed as passed
    await reloadUntil(
      page,
      async () => !(await page.locator('main').textContent())?.includes('Die Tests laufen noch.'),
      'the end of the run',
      60_000,
    );
    const rows = page.getByRole('table', { name: 'Ergebnis je Testfall' }).locator('tbody tr');
    expect(await rows.count()).toBe(testCases.length);
    for (const [index, testCase] of testCases.entries()) {
      expect(await rows.nth(index).getByRole('rowheader').textContent()).toBe(testCase.name);
      expect(await rows.nth(index).textContent()).toContain('✓ Bestanden');
    }
    expect(await page.locator('main').textContent()).toContain(
      `${testCases.length} bestanden, 0 fehlgeschlagen, 0 nicht ausgeführt`,
    );
    await page.screenshot({ path: '/tmp/designer-testrun-de.png', fullPage: true });
    await expectAccessible(page, 'the test-run page with results (de)');
    await page.goto('/staff/designer/general-inquiry/tests?lang=en');
    await expectAccessible(page, 'the test-run page with results (en)');
    expect(await page.locator('main').textContent()).toContain(`${testCases.length} passed, 0 failed, 0 not run`);
    await page.screenshot({ path: '/tmp/designer-testrun-en.png', fullPage: true });

    // When a new test file gets a name that is not allowed
    await page.goto('/staff/designer/general-inquiry/tests?lang=de');
    await page.getByLabel('Dateiname').fill('mit Leerzeichen');
    await page.getByRole('button', { name: 'Testdatei anlegen' }).click();

    // Then the page comes back with the error at the field, the input kept, and still accessible
    const field = page.getByLabel('Dateiname');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.inputValue()).toBe('mit Leerzeichen');
    expect(await page.locator('#name-error').textContent()).toContain('Erlaubt sind Buchstaben');
    await expectAccessible(page, 'the test-run page with a refused file name (de)');
  });

  it('the Probelauf: start as the company, the task as the caseworker, the mail job by hand, then end it; accessible in German and English', async () => {
    // Given a draft (the general inquiry as shipped with its own answer mail)
    await generalInquiryDraft({ answerMail: true });
    const page = await logIn(await harness.userContext(), DEMO_ACCOUNTS.administrator, DEMO_PASSWORD, true);

    // When the designer opens the Probelauf, the start form is the company's
    await page.goto('/staff/designer/general-inquiry/trial?lang=en');
    await expectAccessible(page, 'the Probelauf start page (en)');
    await page.goto('/staff/designer/general-inquiry/trial?lang=de');
    await expectAccessible(page, 'the Probelauf start page (de)');
    await page.screenshot({ path: '/tmp/designer-trial-start-de.png', fullPage: true });
    await page.getByLabel(/Betreff/).fill('Probelauf im Browser');
    await page.getByLabel(/Ihre Nachricht/).fill('Welche Förderung gibt es für eine neue Halle?');
    await page.getByLabel('E-Mail', { exact: true }).check();
    await Promise.all([
      page.waitForURL('**/trial?done=started'),
      page.getByRole('button', { name: 'Probelauf starten' }).click(),
    ]);

    // Then the trial page lists the staff task, which the designer completes as the caseworker
    await expectAccessible(page, 'the Probelauf with an open task (de)');
    await page.screenshot({ path: '/tmp/designer-trial-de.png', fullPage: true });
    await page.goto('/staff/designer/general-inquiry/trial?lang=en');
    await expectAccessible(page, 'the Probelauf with an open task (en)');
    await page.goto('/staff/designer/general-inquiry/trial?lang=de');
    await page.getByRole('link', { name: 'Anfrage beantworten' }).click();
    await expectAccessible(page, 'the Probelauf task page (de)');
    const taskUrl = page.url();
    await page.goto(`${taskUrl}?lang=en`);
    await expectAccessible(page, 'the Probelauf task page (en)');
    await page.screenshot({ path: '/tmp/designer-trial-task-en.png', fullPage: true });
    await page.goto(`${taskUrl}?lang=de`);
    await page.getByLabel(/Antwort an das Unternehmen/).fill('Das Landesprogramm passt zu Ihrem Vorhaben.');
    await Promise.all([
      page.waitForURL('**/trial?done=completed'),
      page.getByRole('button', { name: 'Erledigen' }).click(),
    ]);

    // And the e-mail waits as a job, completed by hand; the case ends
    await reloadUntil(
      page,
      async () => (await page.getByRole('button', { name: /Job abschließen/ }).count()) > 0,
      'the e-mail job',
    );
    await expectAccessible(page, 'the Probelauf with a waiting job (de)');
    await page.screenshot({ path: '/tmp/designer-trial-job-de.png', fullPage: true });
    await page.getByRole('button', { name: /Job abschließen/ }).click();
    await reloadUntil(
      page,
      async () => (await page.locator('main').textContent())?.includes('abgeschlossen') ?? false,
      'the end of the case',
    );
    await page.screenshot({ path: '/tmp/designer-trial-done-de.png', fullPage: true });

    // When the designer ends the Probelauf, the start form is back
    await Promise.all([
      page.waitForURL('**/trial?done=ended'),
      page.getByRole('button', { name: 'Probelauf beenden' }).click(),
    ]);
    expect(await page.getByRole('status').first().textContent()).toContain('beendet und gelöscht');
    expect(await page.getByLabel(/Betreff/).count()).toBe(1);
  });
});
