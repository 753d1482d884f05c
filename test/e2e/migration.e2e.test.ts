import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cases, tasks } from '../../engine/db/schema.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { openTaskOf } from '../journeys.js';
import { generalInquiryVersionTwo, generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { eventually } from '../system.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

describe('migrating running cases in Chromium', () => {
  it('a designer chooses versions, sees the dry run refuse the unmapped case, maps it, migrates both; axe de/en', async () => {
    // Given a service on version 1 with a case at the answer and one at the call, and version 2 published
    const system = harness.system;
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const shipped = await generalInquiryWithMail();
    const slug = `migration-e2e-${Date.now()}`;
    await system.services.catalog.publish(testServiceCopy(shipped, slug));
    const start = (subject: string) =>
      system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
        subject,
        message: 'Für die Migration im Browser.',
        contactChannel: 'email',
      });
    const atAnswer = await start('Antwort');
    const atCall = await start('Rückruf');
    if (!atAnswer?.ok || !atCall?.ok) throw new Error('cases did not start');
    const answer = await openTaskOf(system, atCall.caseId);
    await system.services.tasks.complete(caseworker, answer.id, newSubmissionToken(), {
      answer: 'Wir rufen Sie an.',
      followUpCall: true,
    });
    await eventually(
      async () => {
        const [task] = await system.db
          .select()
          .from(tasks)
          .where(and(eq(tasks.caseId, atCall.caseId), eq(tasks.status, 'open')));
        return task?.elementId === 'Task_FollowUpCall' ? task : undefined;
      },
      15_000,
      'the call task',
    );
    await system.services.catalog.publish(await generalInquiryVersionTwo(testServiceCopy(shipped, slug)));

    // When the service designer opens the migration page and chooses the versions (the defaults: 1 → 2)
    const context = await harness.userContext();
    const page = await logIn(context, DEMO_ACCOUNTS.administrator, DEMO_PASSWORD, true);
    await page.goto(`/staff/designer/${slug}/migration`);
    expect(await page.getByLabel('Von Version').inputValue()).toBe('1');
    expect(await page.getByLabel('Auf Version').inputValue()).toBe('2');

    // (Backwards is refused at the field, the summary linking to it)
    await page.getByLabel('Von Version').selectOption('2');
    await page.getByLabel('Auf Version').selectOption('1');
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.getByRole('link', { name: /neuere veröffentlichte Version/ }).click();
    expect(await page.evaluate(() => location.hash)).toBe('#to');
    await expectAccessible(page, 'the migration page refusing backwards versions (German)');
    await page.getByLabel('Von Version').selectOption('1');
    await page.getByLabel('Auf Version').selectOption('2');
    await page.getByRole('button', { name: 'Weiter' }).click();

    // Then both cases are listed, chosen, with the mapping of their active elements
    await page.getByRole('checkbox', { name: atAnswer.number }).waitFor();
    expect(await page.getByRole('checkbox', { name: atCall.number }).isChecked()).toBe(true);
    const callMapping = page.getByLabel('Element in Version 2: Rückruf durchführen');
    expect(await callMapping.inputValue()).toBe('');
    await expectAccessible(page, 'the migration page with cases and mapping (German)');

    // When the dry run runs with the defaults
    await page.getByRole('button', { name: 'Probelauf' }).click();

    // Then the answer case can move and the call case stays, told why
    await page.getByText('1 von 2 gewählten Fällen können umziehen.').waitFor();
    const callRow = page.getByRole('row').filter({ hasText: atCall.number });
    expect(await callRow.textContent()).toContain(
      '„Rückruf durchführen“ (Task_FollowUpCall) ist aktiv und hat in der neuen Version keine Entsprechung.',
    );
    expect(await page.getByRole('row').filter({ hasText: atAnswer.number }).textContent()).toContain('Kann umziehen');
    await page.screenshot({ path: '/tmp/migration-dry-run-de.png', fullPage: true });
    await expectAccessible(page, 'the dry run (German)');

    // When the call task is mapped to its new element and the dry run runs again, then both can move
    await page.getByLabel('Element in Version 2: Rückruf durchführen').selectOption('Task_Callback');
    await page.getByRole('button', { name: 'Probelauf' }).click();
    await page.getByText('2 von 2 gewählten Fällen können umziehen.').waitFor();

    // When the designer migrates
    await page.getByRole('button', { name: 'Migrierbare Fälle umstellen' }).click();

    // Then the result says so per case, and both cases run on version 2
    await page.getByText('2 Fälle auf Version 2 umgestellt, 0 nicht.').waitFor();
    await page.screenshot({ path: '/tmp/migration-result-de.png', fullPage: true });
    await expectAccessible(page, 'the migration result (German)');
    const v2 = await system.services.catalog.current(slug);
    for (const caseId of [atAnswer.caseId, atCall.caseId]) {
      await eventually(
        async () => {
          const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
          return row?.serviceVersionId === v2?.versionId ? row : undefined;
        },
        15_000,
        'the case on version 2',
      );
    }

    // And checked again, nothing runs on version 1 any more
    await page.getByRole('link', { name: 'Die laufenden Fälle dieser Versionen erneut prüfen' }).click();
    await page.getByText('Auf dieser Version laufen keine Fälle.').waitFor();

    // And the page in English
    await page.goto(`/staff/designer/${slug}/migration?from=1&to=2&lang=en`);
    await page.getByText('No cases run on this version.').waitFor();
    await page.screenshot({ path: '/tmp/migration-en.png', fullPage: true });
    await expectAccessible(page, 'the migration page (English)');

    // And a caseworker without the designer role does not find the page
    const other = await logIn(await harness.userContext(), DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    const response = await other.goto(`/staff/designer/${slug}/migration`);
    expect(response?.status()).toBe(404);
  });
});
