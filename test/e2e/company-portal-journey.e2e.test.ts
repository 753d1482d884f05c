import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { mailedLink, openTaskOf } from '../journeys.js';
import { expectAccessible, logIn, reloadUntil, useBrowserSystem } from './browser.js';

const PUBLIC_URL = 'https://portal.kreis.example/';
const harness = useBrowserSystem({ PUBLIC_URL, DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });

const OWNER_PASSWORD = 'Inhaberin-Passwort-2026';
const COLLEAGUE_PASSWORD = 'Kollegen-Passwort-2026';
const ATTACHMENT = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const ANSWER = 'Für Ihre Erweiterung kommt das Programm „Regionale Wirtschaftsförderung“ in Frage.';

async function logInAt(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL('**/cases'), page.getByRole('button', { name: 'Anmelden' }).click()]);
}

/** Starts a general inquiry through the catalog and its form; returns the case page's path. */
async function startInquiry(page: Page, subject: string): Promise<string> {
  await page.goto('/services?lang=de');
  await page.getByRole('link', { name: /Allgemeine Anfrage/ }).click();
  await page.waitForURL('**/services/general-inquiry/start');
  await page.getByLabel('Betreff').fill(subject);
  await page.getByLabel('Ihre Nachricht').fill('Wir möchten unsere Halle erweitern. Welche Förderungen gibt es?');
  await Promise.all([
    page.waitForURL(/\/cases\/[0-9a-f-]{36}\?submitted=1$/),
    page.getByRole('button', { name: 'Absenden' }).click(),
  ]);
  return new URL(page.url()).pathname;
}

describe('the company portal, one journey in Chromium', () => {
  it('register, verify, complete the profile, invite a colleague who starts a case, gets the receipt, writes with an attachment; the owner reads the answer and withdraws another case', async () => {
    const system = harness.system;
    const suffix = randomUUID().slice(0, 8);
    const ownerEmail = `inhaberin-${suffix}@journey.example`;
    const colleagueEmail = `kollege-${suffix}@journey.example`;

    // The owner registers her company and confirms her address from the mail.
    const owner = await (await harness.userContext()).newPage();
    await owner.goto('/register');
    await owner.getByLabel('Name des Unternehmens').fill(`Journey Metallbau ${suffix} GmbH`);
    await owner.getByLabel('Ihr Name').fill('Ina Inhaberin');
    await owner.getByLabel('E-Mail-Adresse').fill(ownerEmail);
    await owner.locator('#password').fill(OWNER_PASSWORD);
    await owner.locator('#repeat').fill(OWNER_PASSWORD);
    await owner.getByRole('button', { name: 'Konto anlegen' }).click();
    await owner.getByText('Wir haben eine E-Mail').waitFor();
    await owner.goto(await mailedLink(harness.system, ownerEmail, '/register/verify'));
    await owner.getByRole('button', { name: 'E-Mail-Adresse bestätigen' }).click();
    await owner.getByText('Ihre E-Mail-Adresse ist bestätigt').waitFor();
    await logInAt(owner, ownerEmail, OWNER_PASSWORD);

    // She completes the company profile, which every form's prefill reads.
    await owner.goto('/account/company');
    await owner.getByLabel('Rechtsform').fill('GmbH');
    await owner.getByLabel('Postleitzahl').fill('12345');
    await owner.getByLabel('Branche (Abschnitt der WZ 2008)').selectOption('C');
    await owner.getByLabel('Anzahl der Beschäftigten').fill('42');
    await owner.getByRole('button', { name: 'Profil speichern' }).click();
    await owner.getByText('Das Unternehmensprofil wurde gespeichert.').waitFor();
    await expectAccessible(owner, 'the completed company profile');

    // She invites a colleague, who joins through the mailed link.
    await owner.goto('/account/colleagues');
    await owner.getByLabel('E-Mail-Adresse').fill(colleagueEmail);
    await owner.getByRole('button', { name: 'Einladung senden' }).click();
    await owner.getByText('Die Einladung wurde per E-Mail verschickt.').waitFor();
    const colleague = await (await harness.userContext()).newPage();
    await colleague.goto(await mailedLink(harness.system, colleagueEmail, '/invite'));
    await colleague.getByLabel('Name').fill('Kai Kollege');
    await colleague.getByLabel('Passwort (mindestens 12 Zeichen)').fill(COLLEAGUE_PASSWORD);
    await colleague.getByLabel('Passwort wiederholen').fill(COLLEAGUE_PASSWORD);
    await Promise.all([
      colleague.waitForURL('**/cases'),
      colleague.getByRole('button', { name: 'Konto anlegen und beitreten' }).click(),
    ]);

    // The colleague starts a general inquiry and downloads its receipt.
    const subject = `Hallenerweiterung ${suffix}`;
    const casePath = await startInquiry(colleague, subject);
    const caseId = casePath.split('/').at(-1)!;
    await expectAccessible(colleague, 'the new case page');
    const receiptHref = await colleague
      .getByRole('link', { name: 'Eingangsbestätigung herunterladen (PDF)' })
      .getAttribute('href');
    const receipt = await colleague.request.get(receiptHref!);
    expect(receipt.status()).toBe(200);
    expect(receipt.headers()['content-type']).toContain('application/pdf');
    expect((await receipt.body()).subarray(0, 5).toString()).toBe('%PDF-');

    // He writes to the caseworkers with an attachment.
    await colleague.getByLabel('Nachricht', { exact: true }).fill('Guten Tag,\nanbei unser Lageplan.');
    await colleague.getByLabel('Anhänge (optional)').setInputFiles({
      name: 'Lageplan.pdf',
      mimeType: 'application/pdf',
      buffer: ATTACHMENT,
    });
    await colleague.getByRole('button', { name: 'Nachricht senden' }).click();
    await colleague.getByText('Ihre Nachricht wurde gesendet.').waitFor();

    // The caseworker reads the message with its attachment, writes back and answers the inquiry.
    await openTaskOf(system, caseId);
    const caseworker = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await caseworker.goto(`/staff/cases/${caseId}`);
    await caseworker.getByText('Neue Nachrichten: 1').waitFor();
    await caseworker.getByRole('link', { name: 'Lageplan.pdf' }).first().waitFor();
    await caseworker.getByLabel('Nachricht', { exact: true }).fill('Danke, der Lageplan hilft uns weiter.');
    await caseworker.getByRole('button', { name: 'Nachricht senden' }).click();
    await caseworker.waitForURL(`**/staff/cases/${caseId}?message=sent#messages`);
    await caseworker.goto(`/staff/tasks?view=all&q=${encodeURIComponent(subject)}`);
    const taskLink = caseworker.getByRole('link', { name: 'Anfrage beantworten' });
    await reloadUntil(caseworker, async () => (await taskLink.count()) === 1, `the task of "${subject}"`);
    await taskLink.click();
    await caseworker.getByLabel('Antwort an das Unternehmen').fill(ANSWER);
    await Promise.all([
      caseworker.waitForURL(/\/staff\/cases\/[0-9a-f-]{36}$/),
      caseworker.getByRole('button', { name: 'Erledigen' }).click(),
    ]);

    // The owner — not the colleague who asked — reads the answer and the reply on the case page.
    await owner.goto(casePath);
    await reloadUntil(
      owner,
      async () => (await owner.getByRole('heading', { name: 'Ergebnis' }).count()) === 1,
      'the result section',
    );
    await owner.getByText(ANSWER).waitFor();
    await owner.getByText('Danke, der Lageplan hilft uns weiter.').waitFor();
    await expectAccessible(owner, 'the answered case page (German)');
    await owner.screenshot({ path: '/tmp/journey-answered-case.png', fullPage: true });
    // The timeline says which member did what.
    await owner.getByText('Eingereicht von Kai Kollege').waitFor();
    await owner.getByText('Nachricht von Kai Kollege').waitFor();
    await owner.goto(`${casePath}?lang=en`);
    await owner.getByRole('heading', { name: 'Result' }).waitFor();
    await expectAccessible(owner, 'the answered case page (English)');

    // The owner starts another inquiry, thinks better of it and withdraws it; the caseworker's task goes with it.
    const secondPath = await startInquiry(owner, `Zweite Anfrage ${suffix}`);
    // (the button comes once the case's first step is recorded and it waits for the withdrawal)
    const withdraw = owner.getByRole('link', { name: 'Vorgang zurückziehen' });
    await reloadUntil(owner, async () => (await withdraw.count()) === 1, 'the withdraw button');
    await withdraw.click();
    await owner.getByLabel('Grund (freiwillig)').fill('Hat sich erledigt.');
    await Promise.all([
      owner.waitForURL(`**${secondPath}?withdrawn=1`),
      owner.getByRole('button', { name: 'Ja, Vorgang zurückziehen' }).click(),
    ]);
    expect(await owner.locator('#case-status').innerText()).toBe('Zurückgezogen');
    await owner.getByText('Zurückgezogen von Ina Inhaberin').waitFor();
    await expectAccessible(owner, 'the withdrawn case page');

    // "Meine Vorgänge" lists both cases for either member.
    await colleague.goto('/cases');
    await colleague.getByText(subject).first().waitFor();
    await colleague.getByText(`Zweite Anfrage ${suffix}`).first().waitFor();
    await expectAccessible(colleague, 'Meine Vorgänge of the colleague');
    await colleague.screenshot({ path: '/tmp/journey-my-cases.png', fullPage: true });
  });
});
