import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

const { userContext } = useBrowserSystem();

describe('two caseworkers answer the same task in Chromium', () => {
  it('the later one is told who answered first and sees the answer they typed (accessible)', async () => {
    // Given a company inquiry
    const company = await logIn(await userContext(), DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    await company.goto('/services/general-inquiry/start?new=1');
    await company.getByLabel('Betreff').fill('Wer antwortet zuerst?');
    await company.getByLabel('Ihre Nachricht').fill('Wir möchten unsere Halle erweitern und suchen Förderung.');
    await company.getByRole('button', { name: 'Absenden' }).click();
    await company.waitForURL(/\/cases\/[0-9a-f-]{36}/);
    const caseNumber = /WF-\d{4}-\d{6}/.exec(
      (await company.getByRole('heading', { level: 1 }).textContent()) ?? '',
    )?.[0];

    // And two caseworkers with the task form open at the same time
    const first = await logIn(await userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await first.goto(`/staff/tasks?view=all&q=${caseNumber ?? 'missing'}`);
    // This case's task: the inbox also lists open tasks of other test files' cases, which no worker serves any more.
    const taskLink = first
      .getByRole('row')
      .filter({ hasText: caseNumber ?? 'missing' })
      .getByRole('link', { name: 'Anfrage beantworten' });
    await reloadUntil(first, async () => (await taskLink.count()) > 0, 'the task in the inbox');
    const taskPath = (await taskLink.getAttribute('href')) ?? '';
    await first.goto(taskPath);
    const second = await logIn(await userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await second.goto(taskPath);

    // When the first answers, then the second
    await first.getByLabel('Antwort an das Unternehmen').fill('Das Programm „Regionale Wirtschaftsförderung“ passt.');
    await Promise.all([
      first.waitForURL(/\/staff\/cases\/[0-9a-f-]{36}$/),
      first.getByRole('button', { name: 'Erledigen' }).click(),
    ]);
    await second.getByLabel('Antwort an das Unternehmen').fill('Meine Antwort kam leider zu spät.');
    const [response] = await Promise.all([
      second.waitForResponse((candidate) => candidate.request().method() === 'POST'),
      second.getByRole('button', { name: 'Erledigen' }).click(),
    ]);

    // Then the second hears that the task is done, by whom, keeps what they typed, and has no form to send again
    expect(response.status()).toBe(409);
    const notice = second.getByRole('alert');
    expect(await notice.textContent()).toContain('Diese Aufgabe wurde bereits erledigt');
    expect(await notice.textContent()).toContain(`Erledigt von ${DEMO_ACCOUNTS.caseworker.name}`);
    expect(await notice.textContent()).toContain('Meine Antwort kam leider zu spät.');
    expect(await second.getByRole('button', { name: 'Erledigen' }).count()).toBe(0);
    await expectAccessible(second, 'the task page after a late answer');

    // Opened again later, in English: the task page says the same
    await second.goto(`${taskPath}?lang=en`);
    const englishNotice = second.getByRole('alert');
    expect(await englishNotice.textContent()).toContain('This task has already been completed');
    expect(await englishNotice.textContent()).toContain(`Completed by ${DEMO_ACCOUNTS.caseworker.name}`);
    await expectAccessible(second, 'the task page of a completed task (English)');
  });
});
