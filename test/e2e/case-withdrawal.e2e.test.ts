import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { WebClient } from '../browserless-client.js';
import { openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem({ DATA_DIR: `/tmp/lotse-test-data-${randomUUID()}` });

describe('withdrawing a case in Chromium', () => {
  it('the button leads to the confirmation page, which withdraws the case; the task leaves the inbox — German and English', async () => {
    const system = harness.system;
    const account = await harness.newApplicant(`Rückzug ${randomUUID().slice(0, 8)} GmbH`, 'Rita Rückzug');
    const http = new WebClient(system.url);
    await http.login(account.email, account.password);
    const caseId = await submitGeneralInquiry(http, 'Frage, die sich erledigt hat');
    const task = await openTaskOf(system, caseId);

    // The case page offers the withdrawal as a link (no script needed); it leads to the confirmation page.
    const company = await logIn(await harness.userContext(), account, account.password);
    await company.goto(`/cases/${caseId}`);
    await company.getByRole('link', { name: 'Vorgang zurückziehen' }).click();
    await company.waitForURL(`**/cases/${caseId}/withdraw`);
    await company.getByRole('heading', { name: 'Vorgang zurückziehen', level: 1 }).waitFor();
    await expectAccessible(company, 'the withdrawal confirmation page (German)');
    await company.screenshot({ path: '/tmp/h3-withdraw-confirm-de.png', fullPage: true });
    await company.goto(`/cases/${caseId}/withdraw?lang=en`);
    await company.getByRole('heading', { name: 'Withdraw case', level: 1 }).waitFor();
    await expectAccessible(company, 'the withdrawal confirmation page (English)');
    await company.screenshot({ path: '/tmp/h3-withdraw-confirm-en.png', fullPage: true });

    // A reason too long is refused next to the field, the text kept.
    await company.goto(`/cases/${caseId}/withdraw?lang=de`);
    const reason = company.getByLabel('Grund (freiwillig)');
    await reason.evaluate((field) => field.removeAttribute('maxlength'));
    await reason.fill('x'.repeat(1001));
    await company.getByRole('button', { name: 'Ja, Vorgang zurückziehen' }).click();
    await company.getByText('Der Grund darf höchstens 1000 Zeichen lang sein.').first().waitFor();
    expect(await reason.getAttribute('aria-invalid')).toBe('true');
    expect(await reason.inputValue()).toHaveLength(1001);
    await expectAccessible(company, 'the withdrawal confirmation page with an error (German)');

    // Confirmed: the case page says "Zurückgezogen" and who withdrew it; no button any more.
    await reason.fill('Wir haben die Antwort schon anderswo gefunden.');
    await company.getByRole('button', { name: 'Ja, Vorgang zurückziehen' }).click();
    await company.waitForURL(`**/cases/${caseId}?withdrawn=1`);
    expect(await company.locator('#case-status').innerText()).toBe('Zurückgezogen');
    await company.locator('#case-withdrawn').getByText('Rita Rückzug').waitFor();
    expect(await company.getByRole('link', { name: 'Vorgang zurückziehen' }).count()).toBe(0);
    await expectAccessible(company, 'the withdrawn case page (German)');
    await company.screenshot({ path: '/tmp/h3-withdrawn-case.png', fullPage: true });
    await company.goto(`/cases/${caseId}?lang=en`);
    expect(await company.locator('#case-status').innerText()).toBe('Withdrawn');

    // The caseworker's task is gone from the inbox; the staff case page tells who withdrew it.
    const caseworker = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await caseworker.goto('/staff/tasks');
    expect(await caseworker.locator(`a[href="/staff/tasks/${task.id}"]`).count()).toBe(0);
    await caseworker.goto(`/staff/cases/${caseId}`);
    await caseworker.getByText('vom Unternehmen zurückgezogen – Rita Rückzug').first().waitFor();
    await caseworker.screenshot({ path: '/tmp/h3-withdrawn-staff.png', fullPage: true });
  });
});
