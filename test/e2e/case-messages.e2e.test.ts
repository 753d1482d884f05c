import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem({ DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');

describe('messages between a company and its caseworkers in Chromium', () => {
  it('the company writes with an attachment, the caseworker answers, the company reads the answer — German and English', async () => {
    const system = harness.system;
    const account = await harness.newApplicant(`Nachrichten ${randomUUID().slice(0, 8)} GmbH`, 'Nora Nachricht');
    const http = new WebClient(system.url);
    await http.login(account.email, account.password);
    const caseId = await submitGeneralInquiry(http, 'Frage zu Gewerbeflächen');
    await openTaskOf(system, caseId);

    // The company writes on its case page, with a file (the form needs no script).
    const company = await logIn(await harness.userContext(), account, account.password);
    await company.goto(`/cases/${caseId}`);
    await company.getByRole('heading', { name: 'Nachrichten' }).waitFor();
    await company.getByText('Noch keine Nachrichten.').waitFor();
    await expectAccessible(company, 'the company case page with an empty thread (German)');
    // Sent empty: the error is next to the field, the form is the thread's page.
    await company.getByRole('button', { name: 'Nachricht senden' }).click();
    await company.getByText('Bitte schreiben Sie eine Nachricht.').first().waitFor();
    expect(await company.getByLabel('Nachricht', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(company, 'the thread page with an error (German)');
    await company.screenshot({ path: '/tmp/a4-company-thread-error.png', fullPage: true });
    await company.getByLabel('Nachricht', { exact: true }).fill('Guten Tag,\nanbei unser Flächenbedarf.');
    await company.getByLabel('Anhänge (optional)').setInputFiles({
      name: 'Flaechenbedarf.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    await company.getByRole('button', { name: 'Nachricht senden' }).click();
    await company.waitForURL(`**/cases/${caseId}?message=sent#messages`);
    await company.getByText('Ihre Nachricht wurde gesendet.').waitFor();
    await company.getByText('noch nicht gelesen').waitFor();
    await company.getByRole('link', { name: 'Flaechenbedarf.pdf' }).first().waitFor();
    await expectAccessible(company, 'the company case page with its message (German)');
    await company.screenshot({ path: '/tmp/a4-company-sent.png', fullPage: true });

    // The caseworker sees it as new on the case page and answers.
    const caseworker = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await caseworker.goto(`/staff/cases/${caseId}`);
    await caseworker.getByText('Neue Nachrichten: 1').waitFor();
    await caseworker.getByText('Nora Nachricht (').first().waitFor();
    await expectAccessible(caseworker, 'the staff case page with a new message (German)');
    await caseworker.screenshot({ path: '/tmp/a4-staff-case.png', fullPage: true });
    await caseworker.getByLabel('Nachricht', { exact: true }).fill('Danke! Wir schicken Ihnen drei Angebote.');
    await caseworker.getByRole('button', { name: 'Nachricht senden' }).click();
    await caseworker.waitForURL(`**/staff/cases/${caseId}?message=sent#messages`);
    await caseworker.goto(`/staff/cases/${caseId}?lang=en`);
    await caseworker.getByText('Jonas Weber wrote a message').first().waitFor();
    await expectAccessible(caseworker, 'the staff case page with the thread (English)');
    await caseworker.goto(`/staff/cases/${caseId}/messages?lang=en`);
    await expectAccessible(caseworker, 'the staff thread page (English)');
    await caseworker.screenshot({ path: '/tmp/a4-staff-thread-en.png', fullPage: true });
    await caseworker.goto(`/staff/cases/${caseId}/messages?lang=de`);
    await expectAccessible(caseworker, 'the staff thread page (German)');

    // The company's list marks the case; the case page shows the answer and that the agency read the question.
    await company.goto('/cases');
    await company.getByRole('link', { name: 'Neue Nachricht' }).click();
    await company.waitForURL(`**/cases/${caseId}#messages`);
    await company.getByText('Danke! Wir schicken Ihnen drei Angebote.').waitFor();
    await company.getByText('Jonas Weber (Wirtschaftsförderung) hat eine Nachricht geschrieben').waitFor();
    expect(await company.getByText('noch nicht gelesen').count()).toBe(0);
    await company.screenshot({ path: '/tmp/a4-company-answer.png', fullPage: true });
    await company.goto(`/cases/${caseId}?lang=en`);
    await company.getByText('Jonas Weber (Economic development agency) wrote a message').waitFor();
    await expectAccessible(company, 'the company case page with the answer (English)');
    await company.goto(`/cases/${caseId}/messages?lang=en`);
    await expectAccessible(company, 'the company thread page (English)');
    await company.goto('/cases?lang=en');
    await expectAccessible(company, 'the company case list (English)');
  });
});
