import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../engine/db/schema.js';
import { renderNotification } from '../../engine/mail/notification-templates.js';
import { isOptionalNotification, NOTIFICATION_KINDS } from '../../engine/case/notifications.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('the notification settings in Chromium', () => {
  it('a company user chooses English mails and no message mails — accessible in German and English', async () => {
    // Given a company user on the account page
    const account = await harness.newApplicant('Benachrichtigung Test GmbH', 'Nora Neumann');
    const page = await logIn(await harness.userContext(), account, account.password);
    await page.goto('/account');

    // When they follow the link to the settings
    await page.getByRole('link', { name: 'Benachrichtigungen und Sprache der E-Mails' }).click();
    await page.waitForURL('**/account/notifications');
    await page.getByRole('heading', { level: 1, name: 'Benachrichtigungen' }).waitFor();
    expect(await page.getByLabel('Deutsch').isChecked()).toBe(true);
    expect(await page.getByLabel('Neue Nachricht der Wirtschaftsförderung').isChecked()).toBe(true);
    await expectAccessible(page, 'the notification settings (German)');
    await page.screenshot({ path: '/tmp/notification-settings-de.png', fullPage: true });

    // And a tampered language comes back with the error at the field and their ticks kept
    await page.getByLabel('Neue Nachricht der Wirtschaftsförderung').uncheck();
    await page.locator('#language-en').evaluate((radio) => {
      radio.setAttribute('value', 'fr');
    });
    await page.getByLabel('Englisch (English)').check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.locator('#language-error').waitFor();
    expect(await page.getByLabel('Neue Nachricht der Wirtschaftsförderung').isChecked()).toBe(false);
    expect(await page.getByLabel('Erinnerung an eine Frist').isChecked()).toBe(true);
    await expectAccessible(page, 'the notification settings with an error');
    await page.screenshot({ path: '/tmp/notification-settings-error.png', fullPage: true });

    // When they choose English and save
    await page.getByLabel('Englisch (English)').check();
    await page.getByRole('button', { name: 'Speichern' }).click();
    await page.getByText('Ihre Einstellungen sind gespeichert.').waitFor();

    // Then the settings are kept
    const [row] = await harness.system.db.select().from(users).where(eq(users.email, account.email));
    expect(row).toMatchObject({ language: 'en', notificationOptOuts: ['message'] });
    expect(await page.getByLabel('Englisch (English)').isChecked()).toBe(true);

    // And the page reads in English too
    await page.goto('/account/notifications?lang=en');
    await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
    expect(await page.getByLabel('New message from the agency').isChecked()).toBe(false);
    await expectAccessible(page, 'the notification settings (English)');
    await page.screenshot({ path: '/tmp/notification-settings-en.png', fullPage: true });
  });

  const mails = NOTIFICATION_KINDS.flatMap((kind) => (['de', 'en'] as const).map((language) => ({ kind, language })));
  it.each(mails)('the HTML mail $kind ($language) passes axe as a page of its own', async ({ kind, language }) => {
    const mail = renderNotification(kind, language, {
      name: 'Nora Neumann',
      caseNumber: 'WF-2026-000042',
      subject: 'Erweiterung <Halle 3>',
      serviceTitle: language === 'de' ? 'Allgemeine Anfrage' : 'General inquiry',
      caseLink: 'https://portal.example/cases/c1',
      settingsLink: 'https://portal.example/account/notifications',
      taskName: 'Rückfrage',
      dueDate: '2026-12-10',
      optional: isOptionalNotification(kind),
    });
    const page = await (await harness.userContext()).newPage();
    await page.setContent(mail.html);
    expect(await page.getAttribute('html', 'lang')).toBe(language);
    expect(await page.title()).toBe(mail.subject);
    await expectAccessible(page, `the ${language} notification mail ${kind}`);
    await page.screenshot({ path: `/tmp/notification-mail-${kind}-${language}.png`, fullPage: true });
  });
});
