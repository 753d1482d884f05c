import { createHash } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidents, tasks } from '../../engine/db/schema.js';
import { compileProcess } from '../../engine/model/compile.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { WebClient } from '../browserless-client.js';
import { generalInquiryWithMail } from '../service-versions.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;
let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});
afterAll(async () => {
  await system?.stop();
});

const openIncidentsOf = (caseId: string) =>
  system.db
    .select()
    .from(incidents)
    .where(and(eq(incidents.caseId, caseId), isNull(incidents.resolvedAt)));

describe('incidents', () => {
  it('a job without implementation becomes an incident an administrator sees and retries; the case is never lost', async () => {
    // Given a service whose e-mail step names a task type nobody implements
    // (the general inquiry as it shipped with its own answer mail: the shipped one has no job in the path now)
    const shipped = await generalInquiryWithMail();
    const bpmnXml = shipped.bpmnXml.replace('type="email"', 'type="fax"');
    const compiled = await compileProcess(bpmnXml);
    if (!compiled.ok) throw new Error('did not compile');
    const slug = `incidents-${Date.now()}`;
    await system.services.catalog.publish({
      ...shipped,
      slug,
      bpmnXml,
      model: compiled.model,
      contentHash: createHash('sha256').update(bpmnXml).digest('hex'),
    });
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
      subject: 'Störung',
      message: 'Dieser Vorgang läuft in eine Störung.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('case did not start');
    const task = await eventually(
      async () => {
        const [open] = await system.db
          .select()
          .from(tasks)
          .where(and(eq(tasks.caseId, started.caseId), eq(tasks.status, 'open')));
        return open;
      },
      15_000,
      'the task',
    );

    // When the caseworker answers and the case reaches the "fax" job
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), { answer: 'Antwort per Fax.' });
    const [incident] = await eventually(
      async () => {
        const open = await openIncidentsOf(started.caseId);
        return open.length > 0 ? open : undefined;
      },
      15_000,
      'an incident',
    );

    // Then it names the element and the cause, and the case waits in state "incident"
    expect(incident?.elementId).toBe('Task_SendAnswer');
    expect(incident?.message).toContain('fax');
    const detail = await system.services.cases.detailForStaff(started.caseId, caseworker);
    expect(detail?.detail.status).toBe('incident');

    // The administrator sees it; a caseworker without the role gets 404
    const admin = new WebClient(system.url);
    await admin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    const page = await admin.get('/staff/incidents');
    expect(page.html).toContain(started.number);
    const plain = new WebClient(system.url);
    await plain.login(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD, true);
    expect((await plain.get('/staff/incidents')).status).toBe(404);

    // Retrying runs the step again: still no implementation, so the old incident is resolved and a new one raised
    const retry = await admin.submit(`/staff/cases/${started.caseId}/incidents/${incident?.incidentId}/retry`, {});
    expect(retry.status).toBe(303);
    const [again] = await eventually(
      async () => {
        const open = await openIncidentsOf(started.caseId);
        return open.length === 1 && open[0]?.incidentId !== incident?.incidentId ? open : undefined;
      },
      15_000,
      'the retried step to fail again',
    );
    expect(again?.elementId).toBe('Task_SendAnswer');
    const all = await system.db.select().from(incidents).where(eq(incidents.caseId, started.caseId));
    expect(all.filter((row) => row.resolvedAt !== null)).toHaveLength(1);
  });
});
