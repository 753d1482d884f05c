import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

const { userContext } = useBrowserSystem();

const inquiry = {
  subject: 'Erweiterung unserer Halle',
  message: 'Wir möchten unsere Produktionshalle erweitern. Welche Förderungen gibt es dafür?',
  phone: '+49 5151 123456',
};

const CASE_NUMBER = /WF-\d{4}-\d{6}/;

function startForm(page: Page) {
  return {
    subject: page.getByLabel('Betreff'),
    message: page.getByLabel('Ihre Nachricht'),
    phoneChannel: page.getByRole('radio', { name: 'Telefon' }),
    phone: page.getByLabel('Telefonnummer (optional)'),
    submit: page.getByRole('button', { name: 'Absenden' }),
    errorSummary: page.locator('#error-summary'),
  };
}

async function openStartForm(page: Page) {
  await page.goto('/services');
  await page.getByRole('link', { name: /Allgemeine Anfrage/ }).click();
  await page.waitForURL('**/services/general-inquiry/start');
}

describe('general inquiry in Chromium', () => {
  it('company submits after fixing an error, caseworker answers, the company sees "Beantwortet"', async () => {
    // Given the company user logs in and opens the catalog
    const companyContext = await userContext();
    const loginPage = await companyContext.newPage();
    await loginPage.goto('/login');
    await expectAccessible(loginPage, '/login');
    await loginPage.close();
    const company = await logIn(companyContext, DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    await company
      .getByRole('navigation', { name: 'Hauptnavigation' })
      .getByRole('link', { name: 'Leistungen' })
      .click();
    await company.waitForURL('**/services');
    expect(await company.getByRole('heading', { level: 1 }).textContent()).toBe('Leistungen für Unternehmen');
    await expectAccessible(company, '/services');

    // When they start "Allgemeine Anfrage" and submit it without a subject
    await company.getByRole('link', { name: /Allgemeine Anfrage/ }).click();
    await company.waitForURL('**/services/general-inquiry/start');
    await expectAccessible(company, 'the empty start form');
    const form = startForm(company);
    expect(await form.errorSummary.count()).toBe(0);
    await form.message.fill(inquiry.message);
    await form.phoneChannel.check();
    await form.phone.fill(inquiry.phone);
    await form.submit.click();

    // Then the error summary is shown and focused, links to the subject, and the other input is kept
    await form.errorSummary.waitFor({ state: 'visible' });
    await company.waitForFunction(() => document.activeElement?.id === 'error-summary', undefined, { timeout: 5_000 });
    const subjectLink = form.errorSummary.getByRole('link');
    expect(await subjectLink.count()).toBe(1);
    expect(await subjectLink.getAttribute('href')).toBe('#field-Field_Subject');
    expect(await form.subject.getAttribute('aria-invalid')).toBe('true');
    expect(await form.message.inputValue()).toBe(inquiry.message);
    expect(await form.phoneChannel.isChecked()).toBe(true);
    expect(await form.phone.inputValue()).toBe(inquiry.phone);
    await company.screenshot({ path: '/tmp/e2e-start-error.png', fullPage: true });
    await expectAccessible(company, 'the start form with errors');
    await subjectLink.click();
    await company.waitForFunction(() => document.activeElement?.id === 'field-Field_Subject', undefined, {
      timeout: 5_000,
    });

    // When they fill in the subject and submit again
    await form.subject.fill(inquiry.subject);
    await Promise.all([company.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1$/), form.submit.click()]);

    // Then the case page shows the case number and "Eingegangen"
    const heading = (await company.getByRole('heading', { level: 1 }).textContent()) ?? '';
    const caseNumber = CASE_NUMBER.exec(heading)?.[0];
    expect(caseNumber, `case number in "${heading}"`).toBeDefined();
    expect(heading).toContain(inquiry.subject);
    // The first step may already have handed the inquiry to the caseworkers.
    expect(await company.locator('#case-status').textContent()).toMatch(/^(Eingegangen|In Bearbeitung)$/);
    await expectAccessible(company, 'the case page');
    const casePath = new URL(company.url()).pathname;

    const myCases = await companyContext.newPage();
    await myCases.goto('/cases');
    const myRow = myCases.getByRole('row').filter({ hasText: caseNumber ?? 'missing' });
    expect(await myRow.count()).toBe(1);
    await expectAccessible(myCases, '/cases');
    await myCases.close();

    // When a caseworker logs in, in their own browser context, and finds the task in the inbox
    const staffContext = await userContext();
    const staffLogin = await staffContext.newPage();
    await staffLogin.goto('/staff/login');
    await expectAccessible(staffLogin, '/staff/login');
    await staffLogin.close();
    const caseworker = await logIn(staffContext, DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    // Searched by its number: other files' open tasks fill the inbox too (50 a page).
    await caseworker.goto(`/staff/tasks?view=all&q=${caseNumber ?? 'missing'}`);
    const taskLink = caseworker
      .getByRole('row')
      .filter({ hasText: caseNumber ?? 'missing' })
      .getByRole('link', { name: 'Anfrage beantworten' });
    await reloadUntil(
      caseworker,
      async () => (await taskLink.count()) === 1,
      `the task "Anfrage beantworten" for ${caseNumber}`,
    );
    await expectAccessible(caseworker, '/staff/tasks');

    // And answers it
    await taskLink.click();
    await caseworker.waitForURL(/\/staff\/tasks\/[0-9a-f-]{36}$/);
    expect(await caseworker.getByRole('heading', { level: 1 }).textContent()).toBe('Anfrage beantworten');
    expect(await caseworker.locator('main').textContent()).toContain(inquiry.message);
    await expectAccessible(caseworker, 'the staff task page');
    await caseworker
      .getByLabel('Antwort an das Unternehmen')
      .fill('Für Ihre Erweiterung kommt das Programm „Regionale Wirtschaftsförderung“ in Frage.');
    await Promise.all([
      caseworker.waitForURL(/\/staff\/cases\/[0-9a-f-]{36}$/),
      caseworker.getByRole('button', { name: 'Erledigen' }).click(),
    ]);

    // Then the company user sees "Beantwortet" on the case page after reloading
    await company.goto(casePath);
    await reloadUntil(
      company,
      async () => (await company.locator('#case-status').textContent()) === 'Beantwortet',
      'the case status "Beantwortet"',
    );
  });

  it('without JavaScript the start form shows the errors and then submits', async () => {
    // Given a browser with JavaScript switched off
    const context = await userContext({ javaScriptEnabled: false });
    await logIn(context, DEMO_ACCOUNTS.companyUser, DEMO_PASSWORD);
    const page = await context.newPage();
    await openStartForm(page);
    const form = startForm(page);

    // When the form goes out without a subject, the server answers with the error summary
    await form.message.fill(inquiry.message);
    await form.submit.click();
    await form.errorSummary.waitFor({ state: 'visible' });
    expect(await form.errorSummary.getByRole('link').getAttribute('href')).toBe('#field-Field_Subject');
    expect(await form.message.inputValue()).toBe(inquiry.message);

    // And with the subject filled in, the case is created
    await form.subject.fill(inquiry.subject);
    await Promise.all([page.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1$/), form.submit.click()]);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(CASE_NUMBER);
    expect(await page.locator('#case-status').textContent()).toMatch(/^(Eingegangen|In Bearbeitung)$/);
  });
});
