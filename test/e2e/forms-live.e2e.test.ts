import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { accessibilityViolations, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();
/** A logged-in company user of a company of their own. */
const applicantPage = (options: Parameters<typeof harness.userContext>[0] = {}) =>
  harness.applicantPage('Formular Test GmbH', 'Fiona Formular', options);

const inquiry = {
  subject: 'Termin zur Betriebserweiterung',
  message: 'Wir möchten über die Erweiterung unseres Betriebs sprechen, am liebsten vor Ort.',
  phone: '+49 5151 987654',
};

function startForm(page: Page) {
  return {
    subject: page.getByLabel('Betreff'),
    message: page.getByLabel('Ihre Nachricht'),
    email: page.getByRole('radio', { name: 'E-Mail' }),
    phoneChannel: page.getByRole('radio', { name: 'Telefon' }),
    meeting: page.getByRole('radio', { name: 'Persönliches Gespräch' }),
    phone: page.getByLabel('Telefonnummer (optional)'),
    submit: page.getByRole('button', { name: 'Absenden' }),
    errorSummary: page.locator('#error-summary'),
  };
}

async function openStartForm(page: Page) {
  await page.goto('/services/general-inquiry/start');
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Allgemeine Anfrage');
}

const CASE_PAGE = /\/cases\/[0-9a-f-]{36}\?submitted=1$/;

describe('conditions live in the browser (general inquiry: the phone number only for phone or meeting)', () => {
  it('shows and hides the phone field while the user chooses, without a round trip or a focus move', async () => {
    // Given the start form, with the default channel "E-Mail"
    const page = await applicantPage();
    const script = page.waitForResponse((response) => response.url().endsWith('/static/forms-live.js'));
    await openStartForm(page);
    expect((await script).status()).toBe(200);
    const form = startForm(page);
    expect(await form.email.isChecked()).toBe(true);
    expect(await form.phone.isHidden()).toBe(true);
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    // When they choose "Telefon", the phone field appears; the focus stays on the radio
    await form.phoneChannel.check();
    await form.phone.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-Field_Channel-2');
    expect(await page.evaluate(() => 'stillTheSamePage' in window)).toBe(true);
    expect.soft(await accessibilityViolations(page), 'axe on the form with the phone field shown').toEqual([]);

    // And it goes away with "E-Mail" and comes back with "Persönliches Gespräch", with the keyboard too
    await form.email.check();
    await form.phone.waitFor({ state: 'hidden' });
    await form.email.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await form.meeting.isChecked()).toBe(true);
    await form.phone.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => 'stillTheSamePage' in window)).toBe(true);

    // When the form goes out without a subject, the server renders the field shown and keeps its value
    await form.phone.fill(inquiry.phone);
    await form.message.fill(inquiry.message);
    await form.submit.click();
    await form.errorSummary.waitFor({ state: 'visible' });
    expect(await page.evaluate(() => 'stillTheSamePage' in window)).toBe(false);
    expect(await form.phone.isVisible()).toBe(true);
    expect(await form.phone.inputValue()).toBe(inquiry.phone);

    // And when they switch back to "E-Mail" and submit, the server drops the hidden phone number
    await form.email.check();
    await form.phone.waitFor({ state: 'hidden' });
    await form.subject.fill(inquiry.subject);
    await Promise.all([page.waitForURL(CASE_PAGE), form.submit.click()]);
    const casePage = (await page.locator('main').textContent()) ?? '';
    expect(casePage).toContain(inquiry.message);
    expect(casePage).not.toContain(inquiry.phone);
  });

  it('without JavaScript, the server shows the field after the round trip and takes its value', async () => {
    // Given a browser with JavaScript switched off: the field is hidden by the server's HTML alone
    const page = await applicantPage({ javaScriptEnabled: false });
    await openStartForm(page);
    const form = startForm(page);
    expect(await form.phone.isHidden()).toBe(true);

    // When they choose "Telefon" nothing changes in the page, until the form goes out (without a subject)
    await form.phoneChannel.check();
    expect(await form.phone.isHidden()).toBe(true);
    await form.message.fill(inquiry.message);
    await form.submit.click();
    await form.errorSummary.waitFor({ state: 'visible' });

    // Then the answer shows the phone field, and with a number and a subject the case is created with it
    expect(await form.phoneChannel.isChecked()).toBe(true);
    expect(await form.phone.isVisible()).toBe(true);
    await form.phone.fill(inquiry.phone);
    await form.subject.fill(inquiry.subject);
    await Promise.all([page.waitForURL(CASE_PAGE), form.submit.click()]);
    expect(await page.locator('main').textContent()).toContain(inquiry.phone);
  });
});
