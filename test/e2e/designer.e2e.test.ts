import { randomUUID } from 'node:crypto';
import axe from 'axe-core';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { outboxMails } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { eventually } from '../system.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

/** Every console error and warning and failed request of the context: the editors must cause none. */
function problemsOf(context: BrowserContext): string[] {
  const problems: string[] = [];
  context.on('console', (message) => {
    // bpmn-js's own replace menu still asks diagram-js for the pad the old way, and diagram-js warns about it:
    // the two libraries' business (bpmn-js 18.31 with diagram-js 15.28), not a fault of the page.
    if (message.text().startsWith('Error: ContextPad#getPad is deprecated')) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  context.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText ?? ''}`));
  return problems;
}

/**
 * axe (WCAG 2.1 AA) on an editor page in German and English. The editors' canvases (the bpmn-js modeler with its
 * properties panel, the form-js editor, dmn-js) are left out: they are the bpmn.io libraries' own widgets, drawn
 * for the mouse; the page around them — the text fallback, the problem list, the preview — is checked, and every
 * change they make can also be made in the text field (without JavaScript).
 */
async function editorAccessible(page: Page, name: string) {
  for (const lang of ['de', 'en'] as const) {
    await page.goto(withLang(page.url(), lang));
    await page.locator('.designer-editor__status').waitFor({ state: 'attached' });
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
    const violations = await page.evaluate(() =>
      (window as unknown as { axe: typeof axe }).axe
        .run(
          { exclude: [['.designer-modeler'], ['.designer-form'], ['.designer-dmn'], ['dialog.designer-templates']] },
          { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
        )
        .then((results) => results.violations.map((violation) => `${violation.id}: ${violation.help}`)),
    );
    expect.soft(violations, `axe on ${name} (${lang})`).toEqual([]);
  }
  await page.goto(withLang(page.url(), 'de'));
}

function withLang(url: string, lang: 'de' | 'en'): string {
  const next = new URL(url);
  next.searchParams.set('lang', lang);
  return next.toString();
}

async function accessibleInBothLanguages(page: Page, name: string) {
  const url = page.url();
  await expectAccessible(page, `${name} (de)`);
  await page.goto(withLang(url, 'en'));
  await expectAccessible(page, `${name} (en)`);
  await page.goto(withLang(url, 'de'));
}

/** The modeler's shape of an element (its SVG group). */
const shape = (page: Page, elementId: string) =>
  page.locator(`g.djs-element.djs-shape[data-element-id="${elementId}"]`);

/** Opens the context pad of the selected element's and clicks one of its entries. */
async function contextPad(page: Page, action: string) {
  await page.locator(`.djs-context-pad .entry[data-action="${action}"]`).click();
}

/** Ends the label editing bpmn-js opens on a new shape: the name is typed, a click on the empty canvas ends it. */
async function nameNewShape(page: Page, name: string) {
  await page.locator('.djs-direct-editing-parent').waitFor();
  await page.keyboard.type(name);
  await emptyCanvas(page);
}

/** A click on an empty spot of the modeler's canvas: ends label editing, clears the selection. */
const emptyCanvas = (page: Page) =>
  page.getByRole('img', { name: /^Prozessdiagramm/ }).click({ position: { x: 40, y: 500 } });

/** Selects a shape, from nothing selected: a click on a shape that is already selected does not always keep it. */
async function select(page: Page, target: ReturnType<Page['locator']>) {
  await emptyCanvas(page);
  await target.click();
  await page.locator('.djs-context-pad.open').waitFor();
}

async function save(page: Page) {
  const status = page.locator('.designer-editor__status');
  await status.evaluate((element) => (element.textContent = ''));
  await page.getByRole('button', { name: 'Speichern und prüfen' }).click();
  await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^Gespeichert/);
  return (await status.textContent()) ?? '';
}

describe('the service designer in Chromium', () => {
  it('a designer builds a service in the browser, fixes what validation marks, publishes; a company and a caseworker use it at once', async () => {
    const slug = `messe-${randomUUID().slice(0, 6)}`;
    const context = await harness.userContext({ viewport: { width: 1400, height: 1000 } });
    const problems = problemsOf(context);
    const page = await logIn(context, DEMO_ACCOUNTS.administrator, DEMO_PASSWORD, true);

    // Given the designer's list, reached from the staff menu
    await page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Designer' }).click();
    await page.waitForURL('**/staff/designer');
    await page.screenshot({ path: '/tmp/e2e-designer-list.png', fullPage: true });
    await accessibleInBothLanguages(page, 'the designer list');

    // When they create an empty service
    await page.getByRole('link', { name: 'Neue Leistung anlegen' }).click();
    await page.waitForURL('**/staff/designer/new');
    await accessibleInBothLanguages(page, 'the new service form');
    await page.getByLabel('Kurzname (in Adressen)').fill(slug);
    await page.getByLabel('Titel (Deutsch)').fill('Messestand-Anfrage');
    await page.getByLabel('Titel (Englisch)').fill('Trade fair stand inquiry');
    await page.getByRole('radio', { name: 'Leere Leistung' }).check();
    await Promise.all([
      page.waitForURL(`**/staff/designer/${slug}`),
      page.getByRole('button', { name: 'Leistung anlegen' }).click(),
    ]);
    await page.screenshot({ path: '/tmp/e2e-designer-service.png', fullPage: true });
    await accessibleInBothLanguages(page, 'the service page with its draft');

    // And open its process in the modeler
    await Promise.all([
      page.waitForURL(`**/staff/designer/${slug}/files/${slug}.bpmn`),
      page.getByRole('link', { name: `${slug}.bpmn bearbeiten` }).click(),
    ]);
    await shape(page, 'StartEvent_Submitted').waitFor();
    // The bpmn.io licence: the watermark stays visible (docs/LICENSES.md).
    expect(await page.locator('.bjs-powered-by').isVisible()).toBe(true);
    // The palette offers what Lotse runs: pools and data objects too, which Zeebe deploys as documentation.
    expect(await page.locator('.djs-palette .entry[data-action="create.participant-expanded"]').count()).toBe(1);
    expect(await page.locator('.djs-palette .entry[data-action="create.data-object"]').count()).toBe(1);
    expect(await page.locator('.djs-palette .entry[data-action="create.task"]').count()).toBe(1);

    // When they replace the direct end by a caseworker task and an "E-Mail senden" step
    await select(page, shape(page, 'EndEvent_Done'));
    await contextPad(page, 'delete');
    await select(page, shape(page, 'StartEvent_Submitted'));
    await contextPad(page, 'append.append-task');
    await nameNewShape(page, 'Anfrage prüfen');
    const reviewTask = page.locator('g.djs-element.djs-shape', { hasText: 'Anfrage prüfen' });
    await select(page, reviewTask);
    await contextPad(page, 'replace');
    await page.locator('.djs-popup [data-id="replace-with-user-task"]').click();
    await page.locator('.djs-popup').waitFor({ state: 'detached' });
    await emptyCanvas(page);
    await select(page, reviewTask);
    await contextPad(page, 'append.append-task');
    await nameNewShape(page, 'Bestätigung senden');
    const mailTask = page.locator('g.djs-element.djs-shape', { hasText: 'Bestätigung senden' });
    await select(page, mailTask);
    await page.locator('.bio-properties-panel-select-template-button').click();
    const chooser = page.getByRole('dialog', { name: 'Vorlage für den Schritt wählen' });
    await chooser.getByRole('button', { name: 'E-Mail senden' }).click();
    const panel = page.locator('.designer-modeler__panel');
    await panel.locator('.bio-properties-panel-group-header', { hasText: 'Angaben zum Schritt' }).click();
    await panel.getByLabel('Empfänger').fill(`${slug}@wirtschaftsfoerderung.example`);
    await panel.getByLabel('Betreff').fill('Neue Messestand-Anfrage: {{subject}}');
    await panel.getByLabel('Text').fill('Eine Anfrage zum Messestand ist eingegangen.');
    await select(page, mailTask);
    await contextPad(page, 'append.end-event');
    // The end tells companies where their case stands: its public status, a Zeebe extension property.
    const extensionProperties = panel.locator('.bio-properties-panel-group', { hasText: 'Erweiterungseigenschaften' });
    await extensionProperties.locator('.bio-properties-panel-add-entry').click();
    await extensionProperties.getByLabel('Name', { exact: true }).fill('status');
    await extensionProperties.getByLabel('Wert', { exact: true }).fill('Abgeschlossen');
    await emptyCanvas(page);

    // And save: validation marks the caseworker task, which has no one responsible
    expect(await save(page)).toBe('Gespeichert. Die Prüfung hat Fehler gefunden, siehe unten.');
    const reviewId = await reviewTask.getAttribute('data-element-id');
    expect(reviewId).toBeTruthy();
    expect(await shape(page, reviewId!).getAttribute('class')).toContain('lotse-problem--error');
    const listed = page.locator(`.designer-problems button[data-element-id="${reviewId}"]`);
    expect(await listed.count()).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/e2e-designer-modeler-marker.png', fullPage: true });

    // When they fix it in the properties panel: the task goes to the group Wirtschaftsförderung
    await listed.first().click();
    await panel.locator('.bio-properties-panel-group-header', { hasText: 'Zuständigkeit' }).click();
    await panel.getByLabel('Kandidatengruppen').fill('wirtschaftsfoerderung');
    expect(await save(page)).toBe('Gespeichert. Keine Fehler in dieser Datei.');
    expect(await shape(page, reviewId!).getAttribute('class')).not.toContain('lotse-problem');
    await page.screenshot({ path: '/tmp/e2e-designer-modeler-fixed.png', fullPage: true });
    // The same model as text, for whom the canvas does not work, and back
    const toggle = page.getByRole('button', { name: 'Als Text bearbeiten' });
    await toggle.click();
    const source = page.getByLabel('Inhalt der Datei');
    expect(await source.inputValue()).toContain('candidateGroups="wirtschaftsfoerderung"');
    expect(await page.locator('.designer-modeler').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Im Editor bearbeiten' }).click();
    await shape(page, reviewId!).waitFor();
    expect(await source.isVisible()).toBe(false);
    await editorAccessible(page, 'the modeler page');

    // And give the start form a second field in the form editor, its preview rendered by the server
    await page.goto(`/staff/designer/${slug}/files/${slug}-start.form`);
    await page.locator('.designer-form .fjs-editor-container').waitFor();
    expect(await page.locator('.fjs-powered-by').first().isVisible()).toBe(true);
    const textArea = page.locator('.fjs-palette-field[data-field-type="textarea"]');
    const dropZone = page.locator('.fjs-drop-container-vertical').first();
    // The whole editor in the viewport: the pointer drops only where it can reach.
    await page.locator('.designer-form').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await dragAndDrop(page, textArea, dropZone);
    const formPanel = page.locator('.designer-form .fjs-properties-container');
    await formPanel.locator('.bio-properties-panel-group-header', { hasText: 'General' }).click();
    await formPanel.getByLabel('Field label').fill('Ihre Nachricht');
    await formPanel.getByLabel('Key', { exact: true }).fill('message');
    await expect
      .poll(() => page.locator('.designer-preview').textContent(), { timeout: 10_000 })
      .toContain('Ihre Nachricht');
    expect(await save(page)).toMatch(/^Gespeichert/);
    await page.screenshot({ path: '/tmp/e2e-designer-form.png', fullPage: true });
    await editorAccessible(page, 'the form editor page');

    // And a decision table opens in dmn-js (a file added from the service page)
    await page.goto(`/staff/designer/${slug}`);
    await page.getByLabel('Datei hinzufügen').fill('regeln.dmn');
    await Promise.all([
      page.waitForURL(`**/staff/designer/${slug}/files/regeln.dmn`),
      page.getByRole('button', { name: 'Datei anlegen' }).click(),
    ]);
    await page.locator('.designer-dmn .tjs-container').waitFor();
    expect(await page.locator('.designer-dmn .bjs-powered-by:visible').count()).toBe(1);
    await page.screenshot({ path: '/tmp/e2e-designer-dmn.png', fullPage: true });
    await editorAccessible(page, 'the decision editor page');
    await page.goto(`/staff/designer/${slug}`);
    await page
      .getByRole('row', { name: /regeln\.dmn/ })
      .getByRole('button', { name: 'regeln.dmn löschen' })
      .click();
    await page.waitForURL(/notice=fileDeleted/);

    // Then the service page shows no errors, and publishing makes version 1 live, with the diff
    expect(await page.locator('.designer-problem--error').count()).toBe(0);
    await page.getByRole('button', { name: 'Veröffentlichen' }).click();
    await page.getByText('Version 1 ist veröffentlicht').waitFor();
    expect(await page.locator('main').textContent()).toContain('Anfrage prüfen');
    await page.screenshot({ path: '/tmp/e2e-designer-published.png', fullPage: true });
    await expectAccessible(page, 'the publish confirmation');

    // When a company starts the new service right away (no restart)
    const company = await harness.applicantPage('Messebau Nord GmbH', 'Mara Nord');
    await company.goto(`/services/${slug}/start`);
    await company.getByLabel('Betreff').fill('Stand auf der Hannover Messe');
    await company.getByLabel('Ihre Nachricht').fill('Wir brauchen 40 m² in Halle 5.');
    await Promise.all([
      company.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1$/),
      company.getByRole('button', { name: 'Absenden' }).click(),
    ]);
    const casePath = new URL(company.url()).pathname;
    const caseNumber = /WF-\d{4}-\d{6}/.exec(
      (await company.getByRole('heading', { level: 1 }).textContent()) ?? '',
    )?.[0];
    expect(caseNumber).toBeDefined();

    // And a caseworker completes the task
    const caseworker = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await caseworker.goto(`/staff/tasks?view=all&q=${caseNumber ?? 'missing'}`);
    const taskLink = caseworker
      .getByRole('row')
      .filter({ hasText: caseNumber ?? 'missing' })
      .getByRole('link', { name: 'Anfrage prüfen' });
    await reloadUntil(caseworker, async () => (await taskLink.count()) === 1, 'the task "Anfrage prüfen"');
    await taskLink.click();
    await caseworker.waitForURL(/\/staff\/tasks\/[0-9a-f-]{36}$/);
    expect(await caseworker.locator('main').textContent()).toContain('Wir brauchen 40 m² in Halle 5.');
    await Promise.all([
      caseworker.waitForURL(/\/staff\/cases\/[0-9a-f-]{36}$/),
      caseworker.getByRole('button', { name: 'Erledigen' }).click(),
    ]);

    // Then the company sees its case done
    await company.goto(casePath);
    let seen = '';
    await reloadUntil(
      company,
      async () => (seen = (await company.locator('#case-status').textContent()) ?? '') === 'Abgeschlossen',
      'the case status "Abgeschlossen"',
    ).catch((error: unknown) => {
      throw new Error(`${String(error)} (status: ${seen})`);
    });
    await company.screenshot({ path: '/tmp/e2e-designer-company-done.png', fullPage: true });
    // And the "E-Mail senden" step sent its mail, the subject filled from the start form
    const mail = await eventually(async () => {
      const [found] = await harness.system.db
        .select()
        .from(outboxMails)
        .where(eq(outboxMails.recipient, `${slug}@wirtschaftsfoerderung.example`));
      return found;
    });
    expect(mail.subject).toBe('Neue Messestand-Anfrage: Stand auf der Hannover Messe');
    expect(problems).toEqual([]);
  });

  it('without JavaScript every file is a text field that saves and shows the validation', async () => {
    // Given a designer whose browser runs no script, creating a service from the inquiry template
    const slug = `ohne-js-${randomUUID().slice(0, 6)}`;
    const context = await harness.userContext({ javaScriptEnabled: false });
    const page = await logIn(context, DEMO_ACCOUNTS.administrator, DEMO_PASSWORD, true);
    await page.goto('/staff/designer/new');
    await page.getByLabel('Kurzname (in Adressen)').fill(slug);
    await page.getByLabel('Titel (Deutsch)').fill('Ohne Skript');
    await page.getByLabel('Titel (Englisch)').fill('Without script');
    await page.getByRole('radio', { name: 'Anfrage mit Antwort' }).check();
    await Promise.all([
      page.waitForURL(`**/staff/designer/${slug}`),
      page.getByRole('button', { name: 'Leistung anlegen' }).click(),
    ]);

    // When they open the process: the modeler stays hidden, the BPMN is in the text field
    await page.getByRole('link', { name: `${slug}.bpmn bearbeiten` }).click();
    await page.waitForURL(`**/files/${slug}.bpmn`);
    expect(await page.locator('.designer-modeler').isVisible()).toBe(false);
    const content = page.getByLabel('Inhalt der Datei');
    expect(await content.inputValue()).toContain('<bpmn:userTask');

    // And remove the answer task's group and save: the page comes back saved, with the problem listed
    const xml = await content.inputValue();
    await content.fill(xml.replace(/ candidateGroups="[^"]*"/, ''));
    await Promise.all([
      page.waitForURL(/\?saved=1$/),
      page.getByRole('button', { name: 'Speichern und prüfen' }).click(),
    ]);
    expect(await page.locator('.designer-editor__status').textContent()).toBe('Gespeichert und geprüft.');
    expect(await page.locator('.designer-problem--error').count()).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/e2e-designer-nojs-file.png', fullPage: true });
    // (axe runs in the page's JavaScript, so it checks these pages in the first test, with the script on.)

    // Then publishing is refused with the list, each problem linking to its file's editor at the element
    await page.goto(`/staff/designer/${slug}`);
    await page.getByRole('button', { name: 'Veröffentlichen' }).click();
    const refused = page.locator('#publish-errors');
    await refused.waitFor();
    expect(
      await refused.locator(`a[href^="/staff/designer/${slug}/files/${slug}.bpmn?element="]`).count(),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: '/tmp/e2e-designer-publish-refused.png', fullPage: true });
  });
});

/** A drag as a mouse makes it: form-js's palette follows pointer moves, so the pointer moves in steps. */
async function dragAndDrop(page: Page, source: ReturnType<Page['locator']>, target: ReturnType<Page['locator']>) {
  const from = await source.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error('nothing to drag or nowhere to drop');
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
  // The drop position is taken from the last move over the target: one more, where the new field goes (below).
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 10, { steps: 5 });
  await page.mouse.up();
}
