import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATION_REFUSED, caseStateQuery, migrateUpdate } from '../../engine/case/contract.js';
import { caseEvents, cases, outboxMails, tasks } from '../../engine/db/schema.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createMigrationRepository } from '../../engine/repositories/migration.repository.js';
import { createAuthService, type StaffSession } from '../../engine/services/auth.service.js';
import { createMigrationService, type MigrationService } from '../../engine/services/migration.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { WebClient } from '../browserless-client.js';
import { completedCase, openTaskOf } from '../journeys.js';
import { generalInquiryVersionTwo, generalInquiryWithMail, testServiceCopy } from '../service-versions.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;
let system: System;
let migrations: MigrationService;

beforeAll(async () => {
  system = await startTestSystem();
  migrations = createMigrationService({
    migrations: createMigrationRepository(system.db),
    catalog: system.services.catalog,
    temporal: system.temporalClient,
  });
});
afterAll(async () => {
  await system?.stop();
});

const caseRow = async (caseId: string) => {
  const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
  if (!row) throw new Error(`no case ${caseId}`);
  return row;
};

describe('migrating running cases to a newer version', () => {
  it('the dry run refuses the case whose active element has no mapping; the mapped one moves and runs the new path', async () => {
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    const designer: StaffSession | undefined = await auth.loginStaff(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD);
    if (!company || !caseworker || !designer) throw new Error('demo accounts missing');

    // Given a service of its own on version 1 with two running cases: one at the answer, one at the call
    const shipped = await generalInquiryWithMail();
    const slug = `migration-${Date.now()}`;
    const v1 = testServiceCopy(shipped, slug);
    await system.services.catalog.publish(v1);
    const input = (subject: string) => ({ subject, message: 'Bitte migrieren Sie mich.', contactChannel: 'email' });
    const atAnswer = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), input('Antwort'));
    const atCall = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), input('Rückruf'));
    if (!atAnswer?.ok || !atCall?.ok) throw new Error('cases did not start');
    const callAnswer = await openTaskOf(system, atCall.caseId);
    await system.services.tasks.complete(caseworker, callAnswer.id, newSubmissionToken(), {
      answer: 'Wir rufen Sie zurück.',
      followUpCall: true,
    });
    const callTask = await eventually(
      async () => {
        const [task] = await system.db
          .select()
          .from(tasks)
          .where(
            and(eq(tasks.caseId, atCall.caseId), eq(tasks.status, 'open'), eq(tasks.elementId, 'Task_FollowUpCall')),
          );
        return task;
      },
      15_000,
      'the call task',
    );
    const v1Id = (await caseRow(atAnswer.caseId)).serviceVersionId;

    // And version 2 published
    expect(await system.services.catalog.publish(await generalInquiryVersionTwo(v1))).toEqual({
      version: 2,
      created: true,
    });

    // When the dry run plans both with the default mapping (equal ids)
    const planned = await migrations.plan(slug, { fromVersion: 1, toVersion: 2, mapping: {} });
    if (!planned?.ok) throw new Error('no plan');
    const verdict = (caseId: string) => planned.cases.find((row) => row.caseId === caseId);
    expect(verdict(atAnswer.caseId)).toMatchObject({ canMove: true, reasons: [], selected: true });
    expect(verdict(atCall.caseId)).toMatchObject({
      canMove: false,
      reasons: [
        {
          elementId: 'Task_FollowUpCall',
          de: '„Rückruf durchführen“ (Task_FollowUpCall) ist aktiv und hat in der neuen Version keine Entsprechung.',
        },
      ],
    });
    expect(planned.mapping.find((row) => row.elementId === 'Task_FollowUpCall')).toMatchObject({
      targetId: undefined,
      options: expect.arrayContaining([{ id: 'Task_Callback', name: 'Rückruf durchführen (v2)' }]),
    });

    // The workflow checks again by itself: sent anyway, the update is rejected and the case stays as it was
    const v2 = await system.services.catalog.current(slug);
    if (!v2) throw new Error('no v2');
    const refused = await system.temporalClient.workflow
      .getHandle(atCall.caseId)
      .executeUpdate(migrateUpdate, {
        args: [
          {
            actor: `staff:${designer.staffId}`,
            fromVersionId: v1Id,
            fromVersion: 1,
            toVersionId: v2.versionId,
            toVersion: 2,
            model: v2.model,
            forms: v2.forms,
            mapping: {},
          },
        ],
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause;
    expect(cause instanceof ApplicationFailure && cause.type).toBe(MIGRATION_REFUSED);
    const callState = await system.temporalClient.workflow.getHandle(atCall.caseId).query(caseStateQuery);
    expect(callState.tokens.map((token) => token.elementId)).toEqual(['Task_FollowUpCall']);

    // When the movable ones are migrated: the answer case moves, the call case is left alone
    const run = await migrations.migrate(designer, slug, { fromVersion: 1, toVersion: 2, mapping: {} });
    expect(run?.results).toEqual([{ caseId: atAnswer.caseId, number: atAnswer.number, outcome: 'migrated' }]);
    const moved = await eventually(
      async () => {
        const row = await caseRow(atAnswer.caseId);
        return row.serviceVersionId === v2.versionId ? row : undefined;
      },
      15_000,
      'the case on v2',
    );
    expect(moved.status).toBe('active');
    expect((await caseRow(atCall.caseId)).serviceVersionId).toBe(v1Id);
    const trail = await system.db.select().from(caseEvents).where(eq(caseEvents.caseId, atAnswer.caseId));
    expect(trail.filter((entry) => entry.type === 'caseMigrated')).toMatchObject([
      { actor: `staff:${designer.staffId}`, detail: 'Version 1 → 2' },
    ]);

    // Then completing its task runs v2's path: the answer mail has v2's subject
    const answerTask = await openTaskOf(system, atAnswer.caseId);
    await system.services.tasks.complete(caseworker, answerTask.id, newSubmissionToken(), {
      answer: 'Ihr Fall läuft jetzt auf Version 2.',
    });
    await completedCase(system, atAnswer.caseId);
    const mails = await system.db.select().from(outboxMails).where(eq(outboxMails.caseId, atAnswer.caseId));
    // The service's own mails; the platform's notifications to the company (ADR 0030) are not the model's.
    const serviceMails = mails.filter((mail) => !mail.idempotencyKey.startsWith('notification:'));
    expect(serviceMails.map((mail) => mail.subject)).toEqual([`Ihre Anfrage (v2) ${atAnswer.number}: Antwort`]);

    // And with the call task mapped to its new element, the other case moves too: its open task follows
    const mapping = { Task_FollowUpCall: 'Task_Callback' };
    const mapped = await migrations.plan(slug, { fromVersion: 1, toVersion: 2, mapping });
    expect(mapped?.ok && mapped.cases.map((row) => [row.caseId, row.canMove])).toEqual([[atCall.caseId, true]]);
    const second = await migrations.migrate(designer, slug, { fromVersion: 1, toVersion: 2, mapping });
    expect(second?.results.map((result) => result.outcome)).toEqual(['migrated']);
    const followed = await eventually(
      async () => {
        const [task] = await system.db.select().from(tasks).where(eq(tasks.id, callTask.id));
        return task?.elementId === 'Task_Callback' ? task : undefined;
      },
      15_000,
      'the call task on its v2 element',
    );
    expect(followed).toMatchObject({ status: 'open', name: 'Rückruf durchführen (v2)', tokenId: callTask.tokenId });
    // The staff case page draws v2's diagram over a trail that names v1's element, and shows the moved task
    const staffClient = new WebClient(system.url);
    await staffClient.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    const casePage = await staffClient.get(`/staff/cases/${atCall.caseId}`);
    expect(casePage.status).toBe(200);
    expect(casePage.html).toContain('Rückruf durchführen (v2)');
    await system.services.tasks.complete(caseworker, callTask.id, newSubmissionToken(), { callNotes: 'Erledigt.' });
    const done = await completedCase(system, atCall.caseId);
    expect(done.serviceVersionId).toBe(v2.versionId);
  });

  it('one case failing to migrate never stops the rest: each gets its own result', async () => {
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const designer = await auth.loginStaff(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD);
    if (!company || !designer) throw new Error('demo accounts missing');
    const shipped = await generalInquiryWithMail();
    const slug = `migration-failing-${Date.now()}`;
    await system.services.catalog.publish(testServiceCopy(shipped, slug));
    const start = async (subject: string) => {
      const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
        subject,
        message: 'Einer von zweien.',
        contactChannel: 'email',
      });
      if (!started?.ok) throw new Error('no case');
      await openTaskOf(system, started.caseId);
      return started;
    };
    const first = await start('Erster');
    const second = await start('Zweiter');
    await system.services.catalog.publish(await generalInquiryVersionTwo(testServiceCopy(shipped, slug)));
    // The first case's workflow is gone behind the read model's back (an operator terminated it).
    await system.temporalClient.workflow.getHandle(first.caseId).terminate('test: a case that cannot take updates');

    const run = await migrations.migrate(designer, slug, { fromVersion: 1, toVersion: 2, mapping: {} });

    expect(run?.results).toEqual([
      { caseId: first.caseId, number: first.number, outcome: 'failed' },
      { caseId: second.caseId, number: second.number, outcome: 'migrated' },
    ]);
  });

  it('the page is for service designers only, answers a bad mapping with 422 at the field and needs CSRF', async () => {
    const slug = `migration-page-${Date.now()}`;
    const shipped = await generalInquiryWithMail();
    await system.services.catalog.publish(testServiceCopy(shipped, slug));
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    if (!company) throw new Error('no company');
    const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
      subject: 'Seite',
      message: 'Für die Seite.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('no case');
    await openTaskOf(system, started.caseId);
    await system.services.catalog.publish(await generalInquiryVersionTwo(testServiceCopy(shipped, slug)));

    const caseworker = new WebClient(system.url);
    await caseworker.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    expect((await caseworker.get(`/staff/designer/${slug}/migration`)).status).toBe(404);

    const designer = new WebClient(system.url);
    await designer.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    expect((await designer.get('/staff/designer/no-such-service/migration')).status).toBe(404);
    const page = await designer.get(`/staff/designer/${slug}/migration?from=1&to=2`);
    expect(page.status).toBe(200);
    expect(page.html).toContain(started.number);
    expect(page.html).toContain('name="map:Task_Answer"');

    const badVersions = await designer.get(`/staff/designer/${slug}/migration?from=2&to=1`);
    expect(badVersions.status).toBe(422);
    expect(badVersions.html).toContain('id="to-error"');

    const withoutCsrf = await designer.post(`/staff/designer/${slug}/migration`, {
      fromVersion: '1',
      toVersion: '2',
      cases: started.caseId,
      action: 'dryRun',
    });
    expect(withoutCsrf.status).toBe(403);

    await designer.get(`/staff/designer/${slug}/migration?from=1&to=2`);
    const badMapping = await designer.submit(`/staff/designer/${slug}/migration`, {
      fromVersion: '1',
      toVersion: '2',
      cases: started.caseId,
      'map:Task_Answer': 'Task_SendAnswer',
      action: 'dryRun',
    });
    expect(badMapping.status).toBe(422);
    expect(badMapping.html).toContain('aria-invalid="true" aria-describedby="map-0-error"');
    // The choice is kept: versions and the case stay in the form
    expect(badMapping.html).toContain('name="fromVersion" value="1"');

    await designer.get(`/staff/designer/${slug}/migration?from=1&to=2`);
    const dryRun = await designer.submit(`/staff/designer/${slug}/migration`, {
      fromVersion: '1',
      toVersion: '2',
      cases: started.caseId,
      action: 'dryRun',
    });
    expect(dryRun.status).toBe(200);
    expect(dryRun.html).toContain('1 von 1 gewählten Fällen können umziehen.');
    const migrated = await designer.submit(`/staff/designer/${slug}/migration`, {
      fromVersion: '1',
      toVersion: '2',
      cases: started.caseId,
      action: 'migrate',
    });
    expect(migrated.status).toBe(200);
    expect(migrated.html).toContain('Auf Version 2 umgestellt');
    const casePage = await designer.get(`/staff/cases/${started.caseId}`);
    expect(casePage.html).toContain('Petra Berg hat den Fall von Version 1 auf Version 2 migriert');
  });
});
