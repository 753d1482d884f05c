import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../engine/config.js';
import { cases, tasks } from '../../engine/db/schema.js';
import { resolveTemporalCli } from '../../engine/infra/temporal-cli.js';
import { startTemporalDevServer, type DevServerHandle } from '../../engine/infra/temporal-dev-server.js';
import { CATALOG_DIR, PROJECT_ROOT, startSystem, type System } from '../../engine/main/system.js';
import { compileProcess } from '../../engine/model/compile.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService } from '../../engine/services/auth.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { loadServiceFolder } from '../../engine/services/service-definition.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { caseStateQuery } from '../../engine/case/contract.js';
import { createMigrationRepository } from '../../engine/repositories/migration.repository.js';
import { createMigrationService } from '../../engine/services/migration.service.js';
import { eventually } from '../system.js';
import { testServiceCopy } from '../service-versions.js';

// Temporal suggests continue-as-new from 4,096 events; this server suggests it after a few steps.
const SUGGEST_CONTINUE_AS_NEW_AT = 40;

const FINAL_ANSWER = 'Fertig, alles beantwortet.';

/** The general inquiry's forms on a loop: answer, count the round, again until the final answer. */
const LOOP_BPMN = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  id="Definitions_Loop" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="continue-as-new-loop" name="Schleife" isExecutable="true">
    <bpmn:startEvent id="StartEvent_Submitted">
      <bpmn:extensionElements>
        <zeebe:formDefinition formId="general-inquiry-start" />
      </bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:exclusiveGateway id="Gateway_Again" />
    <bpmn:userTask id="Task_Answer" name="Anfrage beantworten">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />
        <zeebe:formDefinition formId="general-inquiry-answer" />
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Timer_Deadline" attachedToRef="Task_Answer">
      <bpmn:timerEventDefinition id="Def_Deadline">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P30D</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:scriptTask id="Task_Count" name="Runde zählen">
      <bpmn:extensionElements>
        <zeebe:script expression="=if rounds = null then 1 else rounds + 1" resultVariable="rounds" />
      </bpmn:extensionElements>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="Gateway_Done" default="Flow_Again" />
    <bpmn:endEvent id="End_Done" />
    <bpmn:endEvent id="End_Expired" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_Submitted" targetRef="Gateway_Again" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Gateway_Again" targetRef="Task_Answer" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_Answer" targetRef="Task_Count" />
    <bpmn:sequenceFlow id="Flow_4" sourceRef="Task_Count" targetRef="Gateway_Done" />
    <bpmn:sequenceFlow id="Flow_Again" sourceRef="Gateway_Done" targetRef="Gateway_Again" />
    <bpmn:sequenceFlow id="Flow_Done" sourceRef="Gateway_Done" targetRef="End_Done">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=answer = "${FINAL_ANSWER}"</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Expired" sourceRef="Timer_Deadline" targetRef="End_Expired" />
  </bpmn:process>
</bpmn:definitions>
`;

let temporal: DevServerHandle;
let system: System;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'lotse-can-'));
  const port = 19_400 + Math.floor(Math.random() * 500);
  temporal = await startTemporalDevServer({
    cli: resolveTemporalCli(PROJECT_ROOT, process.env.TEMPORAL_CLI),
    dbFile: path.join(dir, 'temporal.db'),
    port,
    uiPort: port + 1000,
    namespace: 'default',
    dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': SUGGEST_CONTINUE_AS_NEW_AT },
  });
  system = await startSystem(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: `lotse-test-${randomUUID()}`,
      SESSION_SECRET: 'test-secret-test-secret-test-secret-42',
      DATA_DIR: '/tmp/lotse-test-data',
    }),
    () => {},
  );
}, 90_000);

afterAll(async () => {
  await system?.stop();
  await temporal?.stop();
  await rm(dir, { recursive: true, force: true });
});

const openTaskOf = (caseId: string, notId?: string) =>
  eventually(
    async () => {
      const open = await system.db
        .select()
        .from(tasks)
        .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
      return open.find((task) => task.id !== notId);
    },
    15_000,
    'an open task',
  );

describe('continue-as-new on a real Temporal server', () => {
  it('a long case continues as new with nothing lost and completes afterwards', async () => {
    // Given a service whose case loops over a user task with a deadline timer
    const shipped = await loadServiceFolder(`${CATALOG_DIR}/general-inquiry`);
    const compiled = await compileProcess(LOOP_BPMN);
    if (!compiled.ok) throw new Error('the loop model does not compile');
    const slug = `continue-as-new-${Date.now()}`;
    await system.services.catalog.publish({
      ...shipped,
      slug,
      bpmnXml: LOOP_BPMN,
      model: compiled.model,
      contentHash: createHash('sha256')
        .update(LOOP_BPMN + slug)
        .digest('hex'),
    });
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    if (!company || !caseworker) throw new Error('demo accounts missing');
    const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
      subject: 'Schleife',
      message: 'Ein Fall, der lange läuft.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('case did not start');
    const { caseId } = started;
    const client = system.temporalClient;
    const handle = client.workflow.getHandle(caseId);
    const firstRunId = (await handle.describe()).runId;

    // When the caseworker answers round after round until Temporal suggests continue-as-new
    let task = await openTaskOf(caseId);
    let rounds = 0;
    let runId = firstRunId;
    while (runId === firstRunId && rounds < 30) {
      const done = await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
        answer: `Antwort in Runde ${rounds + 1}`,
      });
      expect(done, JSON.stringify(done)).toMatchObject({ ok: true });
      rounds += 1;
      task = await openTaskOf(caseId, task.id);
      runId = (await handle.describe()).runId;
    }

    // Then a new run carries on: the first run's history ends with ContinuedAsNew
    expect(runId).not.toBe(firstRunId);
    const history = await client.workflow.getHandle(caseId, firstRunId).fetchHistory();
    expect(history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes).toBeTruthy();
    expect(history.events?.length).toBeLessThan(SUGGEST_CONTINUE_AS_NEW_AT * 2);

    // with the state the first run ended with: tokens, variables, open task and timer
    const before = await client.workflow.getHandle(caseId, firstRunId).query(caseStateQuery);
    const after = await handle.query(caseStateQuery);
    expect(after).toEqual(before);
    expect(after.status).not.toBe('completed');
    expect(after.tokens.map((token) => token.elementId)).toEqual(['Task_Answer']);
    expect(after.variables).toMatchObject({ subject: 'Schleife', rounds, answer: `Antwort in Runde ${rounds}` });
    expect(after.timers).toHaveLength(1);
    const openTasks = await system.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.caseId, caseId), eq(tasks.status, 'open')));
    expect(openTasks.map((open) => open.id)).toEqual([task.id]);
    expect(task.elementId).toBe('Task_Answer');
    console.log(`continued as new after ${rounds} rounds (${history.events?.length} events in the first run)`);

    // and the open task of the read model is completed in the new run, which then completes the case
    const last = await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
      answer: FINAL_ANSWER,
    });
    expect(last).toMatchObject({ ok: true });
    const row = await eventually(
      async () => {
        const [found] = await system.db.select().from(cases).where(eq(cases.id, caseId));
        return found?.status === 'completed' ? found : undefined;
      },
      15_000,
      'the case to complete',
    );
    expect(row.status).toBe('completed');
    const final = await handle.query(caseStateQuery);
    expect(final.variables).toMatchObject({ rounds: rounds + 1, answer: FINAL_ANSWER });
    expect(final.timers ?? []).toEqual([]);
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  }, 120_000);

  it('a migrated case continues as new on its new version (ADR 0020)', async () => {
    // Given the loop on version 1 with one round answered, and a version 2 that counts in tens
    const shipped = await loadServiceFolder(`${CATALOG_DIR}/general-inquiry`);
    const slug = `continue-as-new-migrated-${Date.now()}`;
    const publish = async (bpmnXml: string) => {
      const compiled = await compileProcess(bpmnXml);
      if (!compiled.ok) throw new Error('the loop model does not compile');
      const contentHash = createHash('sha256')
        .update(bpmnXml + slug)
        .digest('hex');
      await system.services.catalog.publish({
        ...testServiceCopy(shipped, slug),
        bpmnXml,
        model: compiled.model,
        contentHash,
      });
    };
    await publish(LOOP_BPMN);
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    const caseworker = await auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD);
    const designer = await auth.loginStaff(DEMO_ACCOUNTS.administrator.email, DEMO_PASSWORD);
    if (!company || !caseworker || !designer) throw new Error('demo accounts missing');
    const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
      subject: 'Migrierte Schleife',
      message: 'Ein Fall, der umzieht und lange läuft.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('case did not start');
    const { caseId } = started;
    let task = await openTaskOf(caseId);
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), { answer: 'Antwort in Runde 1' });
    task = await openTaskOf(caseId, task.id);
    await publish(LOOP_BPMN.replace('then 1 else rounds + 1', 'then 10 else rounds + 10'));

    // When it is migrated to version 2
    const migrations = createMigrationService({
      migrations: createMigrationRepository(system.db),
      catalog: system.services.catalog,
      temporal: system.temporalClient,
    });
    const run = await migrations.migrate(designer, slug, { fromVersion: 1, toVersion: 2, mapping: {} });
    expect(run?.results.map((result) => result.outcome)).toEqual(['migrated']);

    // and answered until Temporal suggests continue-as-new
    const handle = system.temporalClient.workflow.getHandle(caseId);
    const firstRunId = (await handle.describe()).runId;
    let runId = firstRunId;
    let rounds = 0;
    while (runId === firstRunId && rounds < 30) {
      const done = await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), {
        answer: `Antwort in Runde ${rounds + 2}`,
      });
      expect(done, JSON.stringify(done)).toMatchObject({ ok: true });
      rounds += 1;
      task = await openTaskOf(caseId, task.id);
      runId = (await handle.describe()).runId;
    }
    expect(runId).not.toBe(firstRunId);

    // Then the new run still counts in tens: it runs version 2's model
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), { answer: FINAL_ANSWER });
    const row = await eventually(
      async () => {
        const [found] = await system.db.select().from(cases).where(eq(cases.id, caseId));
        return found?.status === 'completed' ? found : undefined;
      },
      15_000,
      'the case to complete',
    );
    expect((await handle.query(caseStateQuery)).variables).toMatchObject({ rounds: 1 + 10 * (rounds + 1) });
    expect(row.serviceVersionId).toBe((await system.services.catalog.current(slug))?.versionId);
  }, 120_000);
});
