import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, tasks } from '../../engine/db/schema.js';
import { compileProcess } from '../../engine/model/compile.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { eventually, startTestSystem } from '../system.js';
import { generalInquiryWithMail, testServiceCopy } from '../service-versions.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;
let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const openTaskOf = (caseId: string) =>
  eventually(
    async () => {
      const [task] = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
      return task;
    },
    15_000,
    'an open task',
  );

describe('service versions', () => {
  it('a case finishes on the version it started on after a new version is published', async () => {
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const input = {
      subject: 'Versionen',
      message: 'Läuft mein Vorgang auf seiner Version weiter?',
      contactChannel: 'email',
    };

    // Given a service of its own (other test files share this database) and a case on its version 1
    const shipped = await generalInquiryWithMail();
    const slug = `versions-${Date.now()}`;
    const definition = testServiceCopy(shipped, slug);
    expect(await system.services.catalog.publish(definition)).toEqual({ version: 1, created: true });
    const before = await system.services.catalog.current(slug);
    const v1 = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), input);
    if (!v1?.ok) throw new Error('v1 case did not start');
    const v1Task = await openTaskOf(v1.caseId);

    // When version 2 renames the task and replaces the e-mail step
    const bpmnXml = definition.bpmnXml
      .replace('name="Anfrage beantworten"', 'name="Anfrage beantworten (v2)"')
      .replace(
        '<zeebe:taskDefinition type="email" retries="3" />',
        '<zeebe:taskDefinition type="noop-v2" retries="1" />',
      );
    const compiled = await compileProcess(bpmnXml);
    if (!compiled.ok) throw new Error('v2 did not compile');
    const contentHash = createHash('sha256').update(bpmnXml).digest('hex');
    const published = await system.services.catalog.publish({
      ...definition,
      bpmnXml,
      model: compiled.model,
      contentHash,
    });
    expect(published).toEqual({ version: 2, created: true });

    // Then new cases start on v2…
    const v2 = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), input);
    if (!v2?.ok) throw new Error('v2 case did not start');
    expect((await openTaskOf(v2.caseId)).name).toBe('Anfrage beantworten (v2)');

    // …while the v1 case keeps its task and finishes on v1's paths (its e-mail job exists only in v1)
    expect(v1Task.name).toBe('Anfrage beantworten');
    await system.services.tasks.complete(caseworker, v1Task.id, newSubmissionToken(), {
      answer: 'Ja, Ihr Vorgang bleibt auf seiner Version.',
    });
    const done = await eventually(
      async () => {
        const [row] = await system.db.select().from(cases).where(eq(cases.id, v1.caseId));
        return row?.status === 'completed' ? row : undefined;
      },
      15_000,
      'the v1 case to complete',
    );
    expect(done.serviceVersionId).toBe(before?.versionId);
    expect(done.publicStatus).toBe('Beantwortet');
  });
});
