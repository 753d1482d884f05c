import { randomUUID } from 'node:crypto';
import { desc, eq, like } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { mailQuotas, outboxMails } from '../../engine/db/schema.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

/** This file's own contact address: the shared outbox holds other files' mails too. */
const CONTACT = `barrierefreiheit-${randomUUID().slice(0, 8)}@kreis.example`;
const harness = useBrowserSystem({ ACCESSIBILITY_CONTACT: CONTACT, ACCESSIBILITY_FEEDBACK_PER_NETWORK: '2' });
const SHOTS = '/tmp/h4shots';

const LEGAL = [
  { path: '/impressum', de: 'Impressum', en: 'Legal notice' },
  { path: '/datenschutz', de: 'Datenschutzerklärung', en: 'Privacy notice' },
  { path: '/barrierefreiheit', de: 'Erklärung zur Barrierefreiheit', en: 'Accessibility statement' },
];

const legalLinks = (page: Page) => page.getByRole('navigation', { name: /Rechtliches|Legal/ }).getByRole('link');

describe('legal pages in Chromium', () => {
  it('every legal page is linked in the footer of portal and staff pages, needs no login and is accessible in German and English', async () => {
    const page = await (await harness.userContext()).newPage();
    for (const start of ['/services', '/login', '/staff/login']) {
      await page.goto(start);
      expect(await legalLinks(page).allTextContents(), `footer of ${start}`).toEqual(LEGAL.map((legal) => legal.de));
    }
    for (const legal of LEGAL) {
      await page.goto(`${legal.path}?lang=de`);
      await expect.poll(() => page.locator('h1').textContent()).toBe(legal.de);
      expect(await page.locator('html').getAttribute('lang')).toBe('de');
      expect(await legalLinks(page).filter({ hasText: legal.de }).getAttribute('aria-current')).toBe('page');
      await expectAccessible(page, `${legal.path} (Deutsch)`);
      await page.screenshot({ path: `${SHOTS}${legal.path}.de.png`, fullPage: true });
      await page.goto(`${legal.path}?lang=en`);
      expect(await page.locator('h1').textContent()).toBe(legal.en);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await expectAccessible(page, `${legal.path} (English)`);
      await page.screenshot({ path: `${SHOTS}${legal.path}.en.png`, fullPage: true });
    }
    // The statement names the conciliation body, as BITV 2.0 § 7 requires.
    await page.goto('/barrierefreiheit?lang=de');
    expect(await page.getByRole('link', { name: /Schlichtungsstelle/ }).getAttribute('href')).toBe(
      'https://www.schlichtungsstelle-bgg.de',
    );

    // A staff member's pages carry the same links.
    const staff = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    expect(await legalLinks(staff).allTextContents()).toEqual(LEGAL.map((legal) => legal.de));
  });

  it('the feedback form answers an empty message at the field, keeps the input, then sends it to the contact', async () => {
    // The counts of earlier runs (the test database outlives a run): this network starts with none.
    await harness.system.db.delete(mailQuotas).where(like(mailQuotas.key, 'feedback:%'));
    const page = await (await harness.userContext()).newPage();
    await page.goto('/barrierefreiheit?lang=de');
    await page.getByLabel('Ihr Name').fill('Erika Muster');
    await page.getByLabel('Ihre E-Mail-Adresse').fill('keine-adresse');
    await page.getByRole('button', { name: 'Rückmeldung senden' }).click();

    await expect
      .poll(() => page.locator('#feedback-message-error').textContent())
      .toBe('Bitte beschreiben Sie die Barriere.');
    expect(await page.locator('#feedback-email-error').textContent()).toContain('name@beispiel.de');
    expect(await page.getByLabel('Ihr Name').inputValue()).toBe('Erika Muster');
    expect(await page.getByLabel('Ihre E-Mail-Adresse').inputValue()).toBe('keine-adresse');
    expect(await page.locator('#feedback-message').getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'the feedback form with errors');
    await page.screenshot({ path: `${SHOTS}/feedback-errors.png`, fullPage: true });
    // The summary links to the field.
    await page.getByRole('link', { name: 'Bitte beschreiben Sie die Barriere.' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('feedback-message');

    await page.getByLabel('Ihre E-Mail-Adresse').fill('erika@firma.example');
    await page
      .getByLabel('Ihre Nachricht')
      .fill('Der Kalender im Antrag ist mit der Tastatur nicht bedienbar. <b>x</b>');
    await page.getByRole('button', { name: 'Rückmeldung senden' }).click();
    await page.waitForURL('**/barrierefreiheit/gesendet');
    expect(await page.locator('h1').textContent()).toBe('Rückmeldung gesendet');
    await expectAccessible(page, 'the feedback confirmation');
    await page.screenshot({ path: `${SHOTS}/feedback-sent.png`, fullPage: true });

    const mails = await harness.system.db
      .select()
      .from(outboxMails)
      .where(eq(outboxMails.recipient, CONTACT))
      .orderBy(desc(outboxMails.createdAt));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain('Barrierefreiheit');
    expect(mails[0]?.body).toContain('Name: Erika Muster');
    expect(mails[0]?.body).toContain('E-Mail: erika@firma.example');
    expect(mails[0]?.body).toContain('Der Kalender im Antrag ist mit der Tastatur nicht bedienbar. <b>x</b>');
  });

  it('the feedback form in English, without a CSRF token refused', async () => {
    const page = await (await harness.userContext()).newPage();
    await page.goto('/barrierefreiheit?lang=en');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await expect.poll(() => page.locator('#feedback-message-error').textContent()).toBe('Please describe the barrier.');
    await expectAccessible(page, 'the feedback form with errors (English)');

    const forged = await page.request.post('/barrierefreiheit', {
      form: { message: 'ohne Token' },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(forged.status()).toBe(403);
  });

  it('the third message within the hour from one network is not sent: 429 with the form, the input kept', async () => {
    // Test 2 sent one; the limit is two (ACCESSIBILITY_FEEDBACK_PER_NETWORK above).
    const page = await (await harness.userContext()).newPage();
    await page.goto('/barrierefreiheit?lang=de');
    await page.getByLabel('Ihre Nachricht').fill('Zweite Rückmeldung');
    await page.getByRole('button', { name: 'Rückmeldung senden' }).click();
    await page.waitForURL('**/barrierefreiheit/gesendet');

    await page.goto('/barrierefreiheit?lang=de');
    await page.getByLabel('Ihre Nachricht').fill('Dritte Rückmeldung');
    const [response] = await Promise.all([
      page.waitForResponse((answer) => answer.request().method() === 'POST'),
      page.getByRole('button', { name: 'Rückmeldung senden' }).click(),
    ]);
    expect(response.status()).toBe(429);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('zu viele Rückmeldungen');
    expect(await page.getByLabel('Ihre Nachricht').inputValue()).toBe('Dritte Rückmeldung');
    await expectAccessible(page, 'the feedback form over the limit');
    const mails = await harness.system.db.select().from(outboxMails).where(eq(outboxMails.recipient, CONTACT));
    expect(mails.some((mail) => mail.body.includes('Zweite Rückmeldung'))).toBe(true);
    expect(mails.some((mail) => mail.body.includes('Dritte Rückmeldung'))).toBe(false);
    expect(mails).toHaveLength(2);
  });
});
