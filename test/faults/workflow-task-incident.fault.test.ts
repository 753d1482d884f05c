import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases } from '../../engine/db/schema.js';
import { WORKFLOW_TASK_INCIDENT } from '../../engine/repositories/incident.repository.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { CASE_WORKFLOW_TYPE, type CaseWorkflowInput } from '../../engine/case/contract.js';
import type { caseWorkflow } from '../../workflows/case.workflow.js';
import { WebClient } from '../browserless-client.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;

let system: System;

beforeAll(async () => {
  system = await startTestSystem();
});

afterAll(async () => {
  await system?.stop();
});

/**
 * A case whose workflow code fails on every workflow task — a bug, not anything a user sent. Made
 * by running the real case workflow on a model that lost its elements (no start event to enter).
 */
async function caseWithFailingWorkflowTask(): Promise<{ caseId: string; number: string }> {
  await system.stopWorker();
  const company = new WebClient(system.url);
  await company.login(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
  await company.get('/services/general-inquiry/start');
  const response = await company.submit('/services/general-inquiry/start', {
    subject: 'Fehler im Ablauf',
    message: 'Dieser Vorgang trifft auf einen Programmfehler.',
    contactChannel: 'email',
  });
  const caseId = /\/cases\/([0-9a-f-]{36})/.exec(response.headers.get('location') ?? '')?.[1];
  if (!caseId) throw new Error(`no case id in redirect (${response.status})`);
  const [row] = await system.db.select().from(cases).where(eq(cases.id, caseId));
  const version = row && (await system.services.catalog.version(row.serviceVersionId));
  if (!row || !version) throw new Error('case or version missing');

  const handle = system.temporalClient.workflow.getHandle(caseId);
  await handle.terminate('replaced by a broken run for the test');
  const broken: CaseWorkflowInput = {
    caseId,
    caseNumber: row.number,
    model: { ...version.model, elements: {} },
    forms: version.forms,
    startedBy: `applicant:${row.createdByUserId}`,
    variables: row.variables,
  };
  await system.temporalClient.workflow.start<typeof caseWorkflow>(CASE_WORKFLOW_TYPE, {
    workflowId: caseId,
    taskQueue: system.taskQueue,
    args: [broken],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
  await system.startWorker();
  return { caseId, number: row.number };
}

describe('a workflow task that keeps failing', () => {
  it('becomes an incident on the case and in the administrators list within a minute, without a retry button', async () => {
    const { caseId, number } = await caseWithFailingWorkflowTask();

    // Invariant: a bug in workflow code never stays silent — Temporal flags the workflow after two
    // failed workflow tasks, and the watch (every 20 s) mirrors that into an incident.
    const started = Date.now();
    const incident = await eventually(
      async () => {
        const found = await system.services.incidents.ofCase(caseId);
        return found.find((row) => row.incidentId === WORKFLOW_TASK_INCIDENT && row.resolvedAt === null);
      },
      60_000,
      'an incident for the failing workflow task',
    );
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(incident.retryable).toBe(false);
    expect(incident.message.length).toBeGreaterThan(0);

    const admin = new WebClient(system.url);
    await admin.login(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD, true);
    const list = await admin.get('/staff/incidents');
    expect(list.html).toContain(number);
    expect(list.html).toContain('Wird laufend automatisch wiederholt');

    // When the workflow stops failing (here: it is ended), the next pass resolves the incident.
    await system.temporalClient.workflow.getHandle(caseId).terminate('test over');
    await system.workflowHealth.sweep();
    const after = await system.services.incidents.ofCase(caseId);
    expect(after.find((row) => row.incidentId === WORKFLOW_TASK_INCIDENT)?.resolvedAt).not.toBeNull();
  });
});
