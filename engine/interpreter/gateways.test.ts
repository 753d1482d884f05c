import { describe, expect, it } from 'vitest';
import { bpmn, CaseDriver, compile } from './test-driver.js';

const staffTask = (id: string) => `
  <bpmn:userTask id="${id}">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements>
  </bpmn:userTask>`;

const flow = (id: string, source: string, target: string, condition?: string) =>
  condition === undefined
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">
         <bpmn:conditionExpression>${condition}</bpmn:conditionExpression>
       </bpmn:sequenceFlow>`;

/** Two statements in parallel, joined before the decision. */
const statements = await compile(
  bpmn(`
    <bpmn:startEvent id="Start" />
    <bpmn:parallelGateway id="Fork" />
    ${staffTask('Task_Building')}
    ${staffTask('Task_Environment')}
    <bpmn:parallelGateway id="Join" />
    ${staffTask('Task_Decide')}
    <bpmn:endEvent id="End" />
    ${flow('F1', 'Start', 'Fork')}
    ${flow('F2', 'Fork', 'Task_Building')}
    ${flow('F3', 'Fork', 'Task_Environment')}
    ${flow('F4', 'Task_Building', 'Join')}
    ${flow('F5', 'Task_Environment', 'Join')}
    ${flow('F6', 'Join', 'Task_Decide')}
    ${flow('F7', 'Task_Decide', 'End')}`),
);

/** Statements from the departments the application concerns; the join waits for exactly those. */
const departments = await compile(
  bpmn(`
    <bpmn:startEvent id="Start" />
    <bpmn:inclusiveGateway id="Fork" default="F_None" />
    ${staffTask('Task_Building')}
    ${staffTask('Task_Nature')}
    <bpmn:exclusiveGateway id="Nature_Ok" default="F_NatureJoin" />
    <bpmn:endEvent id="End_Rejected" />
    <bpmn:inclusiveGateway id="Join" />
    ${staffTask('Task_Decide')}
    <bpmn:endEvent id="End" />
    ${flow('F1', 'Start', 'Fork')}
    ${flow('F_Building', 'Fork', 'Task_Building', '=building')}
    ${flow('F_Nature', 'Fork', 'Task_Nature', '=nature')}
    ${flow('F_None', 'Fork', 'Join')}
    ${flow('F2', 'Task_Building', 'Join')}
    ${flow('F3', 'Task_Nature', 'Nature_Ok')}
    ${flow('F_Rejected', 'Nature_Ok', 'End_Rejected', '=rejected = true')}
    ${flow('F_NatureJoin', 'Nature_Ok', 'Join')}
    ${flow('F4', 'Join', 'Task_Decide')}
    ${flow('F5', 'Task_Decide', 'End')}`),
);

/** Wait for the documents, at most 14 days. */
const race = await compile(
  bpmn(
    `
    <bpmn:startEvent id="Start" />
    <bpmn:eventBasedGateway id="Race" />
    <bpmn:intermediateCatchEvent id="Documents_Received">
      <bpmn:messageEventDefinition id="MD1" messageRef="Message_Documents" />
    </bpmn:intermediateCatchEvent>
    <bpmn:intermediateCatchEvent id="Deadline">
      <bpmn:timerEventDefinition id="TD1"><bpmn:timeDuration>P14D</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    ${staffTask('Task_Check')}
    <bpmn:endEvent id="End_Expired" />
    <bpmn:endEvent id="End" />
    ${flow('F1', 'Start', 'Race')}
    ${flow('F_Message', 'Race', 'Documents_Received')}
    ${flow('F_Timer', 'Race', 'Deadline')}
    ${flow('F2', 'Documents_Received', 'Task_Check')}
    ${flow('F3', 'Deadline', 'End_Expired')}
    ${flow('F4', 'Task_Check', 'End')}`,
    `<bpmn:message id="Message_Documents" name="documents-received">
       <bpmn:extensionElements><zeebe:subscription correlationKey="=caseNumber" /></bpmn:extensionElements>
     </bpmn:message>`,
  ),
);

describe('parallel gateway', () => {
  it('forks into every outgoing flow and joins when every incoming flow brought a token', () => {
    // Given a case at the fork
    const run = new CaseDriver(statements).start();

    // Then both statements are open
    expect(run.waitingAt()).toEqual(['Task_Building', 'Task_Environment']);

    // When the first statement is done, the join waits
    run.completeTask('Task_Building', { building: 'ok' });
    expect(run.waitingAt()).toEqual(['Join', 'Task_Environment']);
    expect(run.auditTrail()).toEqual(['elementCompleted Task_Building']);

    // And when the second is done, the join goes on once
    run.completeTask('Task_Environment', { environment: 'ok' });
    expect(run.waitingAt()).toEqual(['Task_Decide']);
    expect(run.auditTrail()).toEqual([
      'elementCompleted Task_Environment',
      'elementEntered Join',
      'elementCompleted Join',
      'elementEntered Task_Decide',
    ]);
    expect(run.variables).toEqual({ building: 'ok', environment: 'ok' });
  });

  it('takes every outgoing flow of a task at once (implicit parallel split)', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        ${staffTask('Task_A')}
        ${staffTask('Task_B')}
        <bpmn:endEvent id="End_A" />
        <bpmn:endEvent id="End_B" />
        ${flow('F1', 'Start', 'Task_A')}
        ${flow('F1b', 'Start', 'Task_B')}
        ${flow('F2', 'Task_A', 'End_A')}
        ${flow('F3', 'Task_B', 'End_B')}`),
    );

    const run = new CaseDriver(model).start();
    expect(run.waitingAt()).toEqual(['Task_A', 'Task_B']);

    run.completeTask('Task_A');
    expect(run.state.status).toBe('active');
    run.completeTask('Task_B');
    expect(run.state.status).toBe('completed');
  });

  it('counts arrivals per incoming flow: two tokens over the same flow need two on the other', async () => {
    // Given two parallel tokens that merge onto the same flow into the join, and one on the other flow
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:parallelGateway id="Fork" />
        ${staffTask('Task_X1')}
        ${staffTask('Task_X2')}
        <bpmn:exclusiveGateway id="Merge" />
        ${staffTask('Task_Y')}
        <bpmn:parallelGateway id="Join" />
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Fork')}
        ${flow('F2', 'Fork', 'Task_X1')}
        ${flow('F3', 'Fork', 'Task_X2')}
        ${flow('F4', 'Fork', 'Task_Y')}
        ${flow('F5', 'Task_X1', 'Merge')}
        ${flow('F6', 'Task_X2', 'Merge')}
        ${flow('F_Merged', 'Merge', 'Join')}
        ${flow('F_Y', 'Task_Y', 'Join')}
        ${flow('F7', 'Join', 'End')}`),
    );
    const run = new CaseDriver(model).start();

    // When both X tasks arrive over F_Merged and then Y over F_Y
    run.completeTask('Task_X1').completeTask('Task_X2');
    expect(run.waitingAt()).toEqual(['Join', 'Join', 'Task_Y']);
    run.completeTask('Task_Y');

    // Then the join consumed one token per flow; the second F_Merged token waits for another F_Y token
    expect(run.auditTrail()).toContain('elementCompleted Join');
    expect(run.state.tokens).toEqual([expect.objectContaining({ elementId: 'Join', arrivedVia: 'F_Merged' })]);
  });

  it('joins again in every round of a loop', async () => {
    // Given a fork and join inside a loop (a Rückfrage round)
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:exclusiveGateway id="Merge" />
        <bpmn:parallelGateway id="Fork" />
        ${staffTask('Task_A')}
        ${staffTask('Task_B')}
        <bpmn:parallelGateway id="Join" />
        <bpmn:exclusiveGateway id="Again" default="F_Done" />
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Merge')}
        ${flow('F2', 'Merge', 'Fork')}
        ${flow('F3', 'Fork', 'Task_A')}
        ${flow('F4', 'Fork', 'Task_B')}
        ${flow('F5', 'Task_A', 'Join')}
        ${flow('F6', 'Task_B', 'Join')}
        ${flow('F7', 'Join', 'Again')}
        ${flow('F_Again', 'Again', 'Merge', '=again = true')}
        ${flow('F_Done', 'Again', 'End')}`),
    );
    const run = new CaseDriver(model).start();

    // When round one completes with "again"
    run.completeTask('Task_A', { again: true }).completeTask('Task_B');

    // Then round two starts with both tasks, and its join waits for both again
    expect(run.waitingAt()).toEqual(['Task_A', 'Task_B']);
    run.completeTask('Task_B', { again: false });
    expect(run.waitingAt()).toEqual(['Join', 'Task_A']);
    run.completeTask('Task_A');
    expect(run.state.status).toBe('completed');
  });
});

describe('inclusive gateway', () => {
  it.each([
    { variables: { building: true, nature: true }, waiting: ['Task_Building', 'Task_Nature'] },
    { variables: { building: true, nature: false }, waiting: ['Task_Building'] },
    { variables: { building: false, nature: null }, waiting: ['Task_Decide'] },
  ])('forks into the flows whose condition is true, else the default: $variables', ({ variables, waiting }) => {
    expect(new CaseDriver(departments).start(variables).waitingAt()).toEqual(waiting);
  });

  it('records which flows the fork took', () => {
    const run = new CaseDriver(departments).start({ building: true, nature: true });

    expect(run.audit).toContainEqual(
      expect.objectContaining({ type: 'elementCompleted', elementId: 'Fork', detail: 'took F_Building, F_Nature' }),
    );
  });

  it('joins only the tokens that were forked: one branch is enough when only one was taken', () => {
    const run = new CaseDriver(departments).start({ building: true, nature: false });

    run.completeTask('Task_Building');

    expect(run.waitingAt()).toEqual(['Task_Decide']);
  });

  it('waits while a token can still reach the join, and goes on when that token ends elsewhere', () => {
    // Given both branches
    const run = new CaseDriver(departments).start({ building: true, nature: true });

    // When the building statement arrives, the nature statement can still come
    run.completeTask('Task_Building');
    expect(run.waitingAt()).toEqual(['Join', 'Task_Nature']);

    // And when the nature branch ends at a rejection instead, nothing can reach the join any more
    run.completeTask('Task_Nature', { rejected: true });
    expect(run.waitingAt()).toEqual(['Task_Decide']);
  });

  it('raises an incident when no condition is true and there is no default flow', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:inclusiveGateway id="Fork" />
        <bpmn:endEvent id="End_A" />
        <bpmn:endEvent id="End_B" />
        ${flow('F1', 'Start', 'Fork')}
        ${flow('F_A', 'Fork', 'End_A', '=a')}
        ${flow('F_B', 'Fork', 'End_B', '=b')}`),
    );

    const run = new CaseDriver(model).start({ a: false, b: false });

    expect(run.state.status).toBe('incident');
    expect(run.state.incidents[0]?.message).toBe(
      'No condition of inclusive gateway Fork matched and it has no default flow (conditions of F_A, F_B)',
    );
    run.retry(undefined, { b: true });
    expect(run.state.status).toBe('completed');
  });
});

describe('event-based gateway', () => {
  it('listens for every event after it on the gateway', () => {
    const run = new CaseDriver(race).start({ caseNumber: 'WF-7' });

    expect(run.waitingAt()).toEqual(['Race']);
    expect(run.commands).toEqual([
      {
        type: 'openSubscription',
        subscriptionId: 's3',
        elementId: 'Documents_Received',
        messageName: 'documents-received',
        correlationKey: 'WF-7',
      },
      { type: 'startTimer', timerId: 'tm4', elementId: 'Deadline', dueAt: '2025-03-15T09:00:00.000Z' },
    ]);
  });

  it('takes the message when it comes first and cancels the timer', () => {
    const run = new CaseDriver(race).start({ caseNumber: 'WF-7' });

    run.correlate('documents-received', 'WF-7', { documents: ['plan.pdf'] });

    expect(run.waitingAt()).toEqual(['Task_Check']);
    expect(run.variables['documents']).toEqual(['plan.pdf']);
    expect(run.commands).toEqual([
      { type: 'closeSubscription', subscriptionId: 's3' },
      { type: 'cancelTimer', timerId: 'tm4' },
      expect.objectContaining({ type: 'openTask', elementId: 'Task_Check' }),
    ]);
    expect(run.state.timers).toEqual([]);
    expect(run.state.subscriptions).toEqual([]);
    expect(run.auditTrail()).toEqual([
      'elementCompleted Race',
      'elementEntered Documents_Received',
      'elementCompleted Documents_Received',
      'elementEntered Task_Check',
    ]);
  });

  it('takes the timer when it is due first and closes the subscription', () => {
    const run = new CaseDriver(race).start({ caseNumber: 'WF-7' });

    run.fireTimer('Deadline');

    expect(run.state.status).toBe('completed');
    expect(run.commands).toEqual([{ type: 'closeSubscription', subscriptionId: 's3' }]);
  });
});
