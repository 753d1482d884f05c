import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

/** Every console error and warning, failed request and CSP refusal of the context: the diagram must cause none. */
function problemsOf(context: BrowserContext): string[] {
  const problems: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  context.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText ?? ''}`));
  return problems;
}

/** The staff case page, in German or English. */
async function openDiagram(page: Page, caseId: string, locale: 'de' | 'en') {
  await page.goto(`/staff/cases/${caseId}${locale === 'en' ? '?lang=en' : ''}`);
}

describe('the process diagram on the staff case page in Chromium', () => {
  it('draws the version’s BPMN, marks the active task, shows its task on a click, accessible in German and English', async () => {
    // Given a general inquiry waiting for its answer
    const system = harness.system;
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Diagramm im Browser');
    const task = await openTaskOf(system, caseId);

    // When the caseworker opens the case
    const context = await harness.userContext();
    const problems = problemsOf(context);
    const page = await logIn(context, DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await openDiagram(page, caseId, 'de');

    // Then the diagram is drawn as one named image, the task marked active with its token count
    const diagram = page.getByRole('img', { name: /^Prozessdiagramm des Vorgangs/ });
    await diagram.waitFor();
    const answer = page.locator('.djs-element[data-element-id="Task_Answer"]');
    expect(await answer.getAttribute('class')).toContain('lotse-active');
    expect(await page.locator('.lotse-badge--active').textContent()).toBe('1');
    expect(await page.locator('[data-element-id="StartEvent_Submitted"]').first().getAttribute('class')).toContain(
      'lotse-completed',
    );
    expect(await page.locator('[data-element-id="Flow_ToAnswer"]').first().getAttribute('class')).toContain(
      'lotse-taken',
    );
    expect(await page.locator('[data-element-id="Gateway_FollowUp"]').first().getAttribute('class')).not.toMatch(
      /lotse-/,
    );

    // When the caseworker clicks the task in the diagram
    await answer.click();

    // Then the panel beside it shows the task with a link to it, and has the focus
    const panel = page.locator('.process-diagram__panel');
    await expect.poll(() => panel.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await panel.getByRole('link', { name: 'Anfrage beantworten' }).getAttribute('href')).toBe(
      `/staff/tasks/${task.id}`,
    );
    expect(await panel.textContent()).toContain('aktiv');
    await page.screenshot({ path: '/tmp/case-diagram-de.png', fullPage: true });
    await expectAccessible(page, 'the case page with its diagram (German)');

    // And the list's link does the same from the keyboard
    await page.locator('.process-diagram__list a[data-element-id="StartEvent_Submitted"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.textContent()).toContain('Anfrage eingegangen');
    expect(await page.locator('[data-element-id="StartEvent_Submitted"]').first().getAttribute('class')).toContain(
      'lotse-selected',
    );

    // And in English
    await openDiagram(page, caseId, 'en');
    await page.getByRole('img', { name: /^Process diagram of the case/ }).waitFor();
    await expectAccessible(page, 'the case page with its diagram (English)');
    expect(problems).toEqual([]);
  });

  it('without JavaScript, lists the same states in words: element names, state, tokens, tasks', async () => {
    // Given a general inquiry waiting for its answer
    const system = harness.system;
    const caseId = await submitGeneralInquiry(await demoCompany(system), 'Diagramm ohne JavaScript');
    const task = await openTaskOf(system, caseId);

    // When the caseworker opens the case in a browser without JavaScript
    const page = await logIn(
      await harness.userContext({ javaScriptEnabled: false }),
      DEMO_ACCOUNTS.caseworker,
      DEMO_PASSWORD,
      true,
    );
    await openDiagram(page, caseId, 'de');

    // Then no diagram is shown, and the list says where the case stands
    expect(await page.locator('.process-diagram__view').isVisible()).toBe(false);
    const list = page.getByRole('list', { name: 'Schritte des Ablaufs' });
    const items = list.locator(':scope > li');
    // Six steps of the answer and call-back, and the withdrawal event sub-process with its two events (ADR 0029)
    expect(await items.count()).toBe(9);
    expect((await items.nth(0).innerText()).replace(/\s+/g, ' ')).toBe('Anfrage eingegangen – erledigt');
    expect((await items.nth(1).innerText()).replace(/\s+/g, ' ')).toBe(
      'Anfrage beantworten – aktiv, Token: 1 Aufgabe: Anfrage beantworten – offen – bearbeitet von: niemandem zugewiesen',
    );
    expect(await items.nth(1).getByRole('link', { name: 'Anfrage beantworten' }).last().getAttribute('href')).toBe(
      `/staff/tasks/${task.id}`,
    );
    expect((await items.nth(2).innerText()).replace(/\s+/g, ' ')).toBe('Rückruf gewünscht? – nicht erreicht');
  });
});
