import { createHash, randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, incidents, serviceVersions } from '../../engine/db/schema.js';
import { compileProcess } from '../../engine/model/compile.js';
import { createAccountRepository } from '../../engine/repositories/account.repository.js';
import { createAuthService, type StaffSession } from '../../engine/services/auth.service.js';
import type { CaseDiagram } from '../../engine/services/case-diagram.service.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../engine/services/seed.js';
import { newSubmissionToken } from '../../engine/web/http.js';
import { WebClient } from '../browserless-client.js';
import { generalInquiryWithMail } from '../service-versions.js';
import { completedCase, demoCaseworker, demoCompany, openTaskOf, submitGeneralInquiry } from '../journeys.js';
import { eventually, startTestSystem } from '../system.js';

type System = Awaited<ReturnType<typeof startTestSystem>>;
let system: System;
let caseworker: StaffSession;
let buildingAuthority: StaffSession;

beforeAll(async () => {
  system = await startTestSystem();
  const auth = createAuthService({ accounts: createAccountRepository(system.db) });
  const logins = await Promise.all([
    auth.loginStaff(DEMO_ACCOUNTS.caseworker.email, DEMO_PASSWORD),
    auth.loginStaff(DEMO_ACCOUNTS.buildingAuthority.email, DEMO_PASSWORD),
  ]);
  if (!logins[0] || !logins[1]) throw new Error('demo staff missing');
  [caseworker, buildingAuthority] = logins;
});
afterAll(async () => {
  await system?.stop();
});

/** `elementId state tokens` per element, and the taken flows: what the diagram marks. */
function marks(diagram: CaseDiagram | undefined) {
  if (!diagram) throw new Error('no diagram');
  return {
    elements: Object.fromEntries(
      diagram.state.elements.map((element) => [element.elementId, `${element.state} ${element.tokens}`]),
    ),
    takenFlowIds: diagram.state.takenFlowIds,
  };
}

describe('the process diagram of a case', () => {
  it('shows a general inquiry at its task, then answered, on the BPMN of the version the case runs on', async () => {
    // Given a general inquiry waiting for its answer
    const caseId = await submitGeneralInquiry(await demoCompany(system), `Diagramm ${randomUUID()}`);
    const task = await openTaskOf(system, caseId);

    // When the caseworker opens its diagram
    const atTask = await system.services.caseDiagrams.forStaff(caseId, caseworker);

    // Then the start event and its flow are completed, the task active with one token and its open task
    const [version] = await system.db
      .select({ bpmnXml: serviceVersions.bpmnXml })
      .from(cases)
      .innerJoin(serviceVersions, eq(serviceVersions.id, cases.serviceVersionId))
      .where(eq(cases.id, caseId));
    expect(atTask?.bpmnXml).toBe(version?.bpmnXml);
    expect(marks(atTask)).toEqual({
      elements: {
        StartEvent_Submitted: 'completed 0',
        Task_Answer: 'active 1',
        Gateway_FollowUp: 'notReached 0',
        Task_FollowUpCall: 'notReached 0',
        EndEvent_Answered: 'notReached 0',
        EndEvent_CalledBack: 'notReached 0',
        // The withdrawal event sub-process waits, not reached (ADR 0029)
        SubProcess_Withdrawal: 'notReached 0',
        StartEvent_Withdrawn: 'notReached 0',
        EndEvent_Withdrawn: 'notReached 0',
      },
      takenFlowIds: ['Flow_ToAnswer'],
    });
    const answer = atTask?.state.elements.find((element) => element.elementId === 'Task_Answer');
    expect(answer?.name).toBe('Anfrage beantworten');
    expect(answer?.tasks.map(({ id, status }) => ({ id, status }))).toEqual([{ id: task.id, status: 'open' }]);

    // When the caseworker answers and the case completes
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), { answer: 'Unsere Antwort.' });
    await completedCase(system, caseId);

    // Then the path to the end event is marked, the call-back branch is not
    expect(marks(await system.services.caseDiagrams.forStaff(caseId, caseworker))).toEqual({
      elements: {
        StartEvent_Submitted: 'completed 0',
        Task_Answer: 'completed 0',
        Gateway_FollowUp: 'completed 0',
        EndEvent_Answered: 'completed 0',
        Task_FollowUpCall: 'notReached 0',
        EndEvent_CalledBack: 'notReached 0',
        SubProcess_Withdrawal: 'notReached 0',
        StartEvent_Withdrawn: 'notReached 0',
        EndEvent_Withdrawn: 'notReached 0',
      },
      takenFlowIds: ['Flow_ToAnswer', 'Flow_ToDecision', 'Flow_NoCall'],
    });
  });

  it('is there only for staff who may see the case (404 for anyone else and for unknown ids)', async () => {
    // Given a case of the Wirtschaftsförderung
    const caseId = await submitGeneralInquiry(await demoCompany(system), `Diagramm ${randomUUID()}`);
    await openTaskOf(system, caseId);

    // Then the building authority, which never had a task in it, does not get its diagram
    expect(await system.services.caseDiagrams.forStaff(caseId, buildingAuthority)).toBeUndefined();
    expect(await system.services.caseDiagrams.forStaff(randomUUID(), caseworker)).toBeUndefined();
    expect(await system.services.caseDiagrams.forStaff(caseId, caseworker)).toBeDefined();
  });

  it('marks the step with an open incident, with its message', async () => {
    // Given a service whose e-mail step names a task type nobody implements, and a case that reached it
    // (the general inquiry as it shipped with its own answer mail: the shipped one has no job in the path now)
    const shipped = await generalInquiryWithMail();
    const bpmnXml = shipped.bpmnXml.replace('type="email"', 'type="fax"');
    const compiled = await compileProcess(bpmnXml);
    if (!compiled.ok) throw new Error('did not compile');
    const slug = `diagram-incident-${Date.now()}`;
    await system.services.catalog.publish({
      ...shipped,
      slug,
      bpmnXml,
      model: compiled.model,
      contentHash: createHash('sha256').update(bpmnXml).digest('hex'),
    });
    const auth = createAuthService({ accounts: createAccountRepository(system.db) });
    const company = await auth.loginCompanyUser(DEMO_ACCOUNTS.companyUser.email, DEMO_PASSWORD);
    if (!company) throw new Error('demo company missing');
    const started = await system.services.caseStarts.submit(company, slug, newSubmissionToken(), {
      subject: 'Störung im Diagramm',
      message: 'Dieser Vorgang läuft in eine Störung.',
      contactChannel: 'email',
    });
    if (!started?.ok) throw new Error('case did not start');
    const task = await openTaskOf(system, started.caseId);
    await system.services.tasks.complete(caseworker, task.id, newSubmissionToken(), { answer: 'Antwort per Fax.' });
    await eventually(
      async () => {
        const open = await system.db
          .select()
          .from(incidents)
          .where(and(eq(incidents.caseId, started.caseId), isNull(incidents.resolvedAt)));
        return open.length > 0 ? open : undefined;
      },
      15_000,
      'an incident',
    );

    // When
    const diagram = await system.services.caseDiagrams.forStaff(started.caseId, caseworker);

    // Then the e-mail step is marked as the incident, its token still there; the answered task is completed
    const sendAnswer = diagram?.state.elements.find((element) => element.elementId === 'Task_SendAnswer');
    expect(sendAnswer).toMatchObject({ state: 'incident', tokens: 1 });
    expect(sendAnswer?.incidents[0]?.message).toContain('fax');
    expect(marks(diagram).elements.Task_Answer).toBe('completed 0');
    expect(marks(diagram).takenFlowIds).toEqual(['Flow_ToAnswer', 'Flow_ToMail']);
  });

  it('is on the case page: the list of states in words and the JSON block the script draws from', async () => {
    // Given a general inquiry at its task
    const caseId = await submitGeneralInquiry(await demoCompany(system), `Diagramm ${randomUUID()}`);
    await openTaskOf(system, caseId);

    // When the caseworker opens the case page
    const page = await (await demoCaseworker(system)).get(`/staff/cases/${caseId}`);

    // Then
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h2 id="process-diagram-title">Prozessdiagramm</h2>');
    expect(page.html).toMatch(
      /<li id="process-diagram-item-Task_Answer" class="process-diagram__item process-diagram__item--active">/,
    );
    const json = /<script type="application\/json" class="process-diagram__data">(.*?)<\/script>/s.exec(page.html)?.[1];
    const data: unknown = JSON.parse(json ?? 'null');
    expect(data).toMatchObject({
      elements: [
        { id: 'StartEvent_Submitted', state: 'completed', tokens: 0 },
        { id: 'Task_Answer', state: 'active', tokens: 1 },
      ],
      takenFlowIds: ['Flow_ToAnswer'],
    });
    expect(page.html).toContain('<script src="/static/process-diagram.js" defer></script>');
    const script = await new WebClient(system.url).get('/static/process-diagram.js');
    expect(script.status).toBe(200);

    // And staff who may not see the case get 404, not its diagram
    const buildingAuthority = new WebClient(system.url);
    await buildingAuthority.login(DEMO_ACCOUNTS.buildingAuthority.email, DEMO_PASSWORD, true);
    const refused = await buildingAuthority.get(`/staff/cases/${caseId}`);
    expect(refused.status).toBe(404);
    expect(refused.html).not.toContain('process-diagram');
  });
});
