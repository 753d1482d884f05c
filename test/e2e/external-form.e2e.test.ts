import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { tasks } from '../../engine/db/schema.js';
import { CATALOG_DIR } from '../../engine/main/system.js';
import { compileProcess } from '../../engine/model/compile.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { openTaskOf } from '../journeys.js';
import { testServiceCopy } from '../service-versions.js';
import { eventually } from '../system.js';
import { expectAccessible, logIn, useBrowserSystem } from './browser.js';

const harness = useBrowserSystem();

// ADR 0034: a user task whose form is in another system shows a link to it and is completed with the plain button.
describe('a task with an external form in Chromium', () => {
  it('shows the note and the link instead of fields, passes axe in German and English, and completes', async () => {
    // Given the general inquiry whose answer task names an external form
    const system = harness.system;
    const shipped = await loadServiceFolder(`${CATALOG_DIR}/general-inquiry`);
    const bpmnXml = shipped.bpmnXml.replace(
      '<zeebe:formDefinition formId="general-inquiry-answer" />',
      '<zeebe:formDefinition externalReference="https://fachverfahren.example.org/anfragen" />',
    );
    expect(bpmnXml).not.toBe(shipped.bpmnXml);
    const compiled = await compileProcess(bpmnXml);
    if (!compiled.ok) throw new Error('the changed general inquiry did not compile');
    const slug = `external-form-e2e-${Date.now()}`;
    await system.services.catalog.publish(
      testServiceCopy(
        {
          ...shipped,
          bpmnXml,
          model: compiled.model,
          contentHash: createHash('sha256').update(bpmnXml).digest('hex'),
        },
        slug,
      ),
    );
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    if (!company) throw new Error('demo accounts missing');
    const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
      subject: 'Externes Formular',
      message: 'Bitte im Fachverfahren erfassen.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('the case did not start');
    const task = await openTaskOf(system, started.caseId);

    // When a caseworker opens the task
    const context = await harness.userContext();
    const page = await logIn(context, DEMO_ACCOUNTS.caseworker, DEMO_PASSWORD, true);
    await page.goto(`/staff/tasks/${task.id}`);

    // Then the page links to the external form, in German and in English
    const link = page.getByRole('link', { name: 'Formular im anderen System öffnen' });
    expect(await link.getAttribute('href')).toBe('https://fachverfahren.example.org/anfragen');
    await expectAccessible(page, 'a task with an external form (German)');
    await page.screenshot({ path: '/tmp/h6-external-form-de.png', fullPage: true });
    await page.goto(`/staff/tasks/${task.id}?lang=en`);
    await page.getByRole('link', { name: 'Open the form in the other system' }).waitFor();
    await expectAccessible(page, 'a task with an external form (English)');

    // And the plain button completes it
    await page.goto(`/staff/tasks/${task.id}?lang=de`);
    await page.getByRole('button', { name: 'Erledigen' }).click();
    await eventually(
      async () => {
        const [row] = await system.db.select().from(tasks).where(eq(tasks.id, task.id));
        return row?.status === 'completed' ? row : undefined;
      },
      15_000,
      'the task completed',
    );
  });
});
