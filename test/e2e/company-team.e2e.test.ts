import { desc, eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { outboxMails } from '../../engine/db/schema.js';
import { WebClient } from '../browserless-client.js';
import { submitGeneralInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('a company team in Chromium', () => {
  it('the owner completes the profile and invites a colleague, who joins and sees the company’s cases — accessible in German and English', async () => {
    // Given an owner whose company has a case
    const system = harness.system;
    const owner = await harness.newApplicant('Teamarbeit Bau GmbH', 'Anna Schmidt');
    const http = new WebClient(system.url);
    await http.login(owner.email, owner.password);
    await submitGeneralInquiry(http, 'Anfrage des Teams');
    const page = await logIn(await harness.userContext(), owner, owner.password);

    // When the owner opens the company profile from the account page
    await page.goto('/account');
    await page.getByRole('link', { name: 'Unternehmensprofil' }).click();
    await page.waitForURL('**/account/company');
    await expectAccessible(page, 'the company profile (German)');

    // And sends it with a wrong postcode, then corrects it
    await page.getByLabel('Rechtsform').fill('GmbH');
    await page.getByLabel('Postleitzahl').fill('123');
    await page.getByLabel('Branche (Abschnitt der WZ 2008)').selectOption('F');
    await page.getByLabel('Anzahl der Beschäftigten').fill('18');
    await page.getByRole('button', { name: 'Profil speichern' }).click();
    await page.locator('.error-summary').waitFor();
    expect(await page.getByLabel('Postleitzahl').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Rechtsform').inputValue()).toBe('GmbH');
    await expectAccessible(page, 'the company profile with errors');
    await page.screenshot({ path: '/tmp/company-profile-errors.png', fullPage: true });
    await page.getByLabel('Postleitzahl').fill('12345');
    await page.getByRole('button', { name: 'Profil speichern' }).click();
    await page.getByText('Das Unternehmensprofil wurde gespeichert.').waitFor();
    expect(await page.getByLabel('Branche (Abschnitt der WZ 2008)').inputValue()).toBe('F');
    await page.goto('/account/company?lang=en');
    await expectAccessible(page, 'the company profile (English)');

    // When the owner invites a colleague
    await page.goto('/account/colleagues?lang=de');
    await expectAccessible(page, 'the colleagues (German)');
    const email = `kollege-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByRole('button', { name: 'Einladung senden' }).click();
    await page.getByText('Die Einladung wurde per E-Mail verschickt.').waitFor();
    await page.screenshot({ path: '/tmp/colleagues-de.png', fullPage: true });
    await page.goto('/account/colleagues?lang=en');
    await expectAccessible(page, 'the colleagues (English)');

    // Then the colleague follows the mailed link, chooses a name and password
    const [mail] = await system.db
      .select()
      .from(outboxMails)
      .where(eq(outboxMails.recipient, email))
      .orderBy(desc(outboxMails.createdAt))
      .limit(1);
    const link = /https?:\/\/\S+\/invite\?token=\S+/.exec(mail?.body ?? '')?.[0];
    expect(link).toBeDefined();
    const invitee = await (await harness.userContext()).newPage();
    await invitee.goto(`${new URL(link!).pathname}${new URL(link!).search}&lang=en`);
    await expectAccessible(invitee, 'accepting an invitation (English)');
    await invitee.goto(`${new URL(link!).pathname}${new URL(link!).search}&lang=de`);
    await expectAccessible(invitee, 'accepting an invitation (German)');
    await invitee.getByLabel('Name').fill('Ben Becker');
    await invitee.getByLabel('Passwort (mindestens 12 Zeichen)').fill('Ein-gutes-Passwort-2026');
    await invitee.getByLabel('Passwort wiederholen').fill('Ein-gutes-Passwort-2026');
    await invitee.screenshot({ path: '/tmp/colleague-invite.png', fullPage: true });
    await Promise.all([
      invitee.waitForURL('**/cases'),
      invitee.getByRole('button', { name: 'Konto anlegen und beitreten' }).click(),
    ]);

    // And sees the company's case
    await invitee.getByRole('cell', { name: 'Anfrage des Teams' }).waitFor();
    // And reads the profile without being able to change it
    await invitee.goto('/account/company');
    await invitee.getByText('Nur Inhaberinnen und Inhaber können das Unternehmensprofil ändern.').waitFor();
    expect(await invitee.getByRole('button', { name: 'Profil speichern' }).count()).toBe(0);
    await expectAccessible(invitee, 'the company profile, read only');
    await invitee.goto('/account/colleagues');
    await invitee.getByRole('cell', { name: 'Anna Schmidt' }).waitFor();
    await expectAccessible(invitee, 'the colleagues, as a member');
  });
});
