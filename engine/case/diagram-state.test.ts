import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bpmn, CaseDriver, compile } from '../interpreter/test-driver.js';
import { diagramStateOf, type ElementDiagramState, type TrailEntry } from './diagram-state.js';

const staffTask = (id: string, name = id, inner = '') => `
  <bpmn:userTask id="${id}" name="${name}">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements>${inner}
  </bpmn:userTask>`;

const flow = (id: string, source: string, target: string, condition?: string) =>
  condition === undefined
    ? `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`
    : `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}">
         <bpmn:conditionExpression>${condition}</bpmn:conditionExpression>
       </bpmn:sequenceFlow>`;

/** The trail as the projection stores it: every step's audit entries under the step's seq. */
function trailOf(run: CaseDriver): TrailEntry[] {
  return run.results.flatMap((result) =>
    result.audit.map((entry) => ({
      seq: result.state.seq,
      type: entry.type,
      elementId: entry.elementId ?? null,
      detail: entry.detail ?? null,
    })),
  );
}

interface FakeTask {
  elementId: string;
  status: string;
}

/** The diagram state of a driven case, as the service computes it from the read model. */
function stateOf(run: CaseDriver, tasks: FakeTask[] = []) {
  return diagramStateOf({
    model: run.model,
    trail: trailOf(run),
    activeElementIds: run.state.tokens.map((token) => token.elementId),
    openIncidents: run.state.incidents
      .filter((incident) => !incident.resolved)
      .map(({ id, elementId, message }) => ({ incidentId: id, elementId, message })),
    tasks,
  });
}

function byId<T>(elements: ElementDiagramState<T>[]): Record<string, Pick<ElementDiagramState<T>, 'state' | 'tokens'>> {
  return Object.fromEntries(elements.map(({ elementId, state, tokens }) => [elementId, { state, tokens }]));
}

const inquiry = await compile(
  bpmn(`
    <bpmn:startEvent id="Start" name="Submitted" />
    ${staffTask('Task_Answer', 'Answer')}
    <bpmn:exclusiveGateway id="Call" default="F_NoCall" />
    ${staffTask('Task_Call', 'Call back')}
    <bpmn:endEvent id="End" name="Answered" />
    <bpmn:endEvent id="End_Called" />
    ${flow('F1', 'Start', 'Task_Answer')}
    ${flow('F2', 'Task_Answer', 'Call')}
    ${flow('F_Call', 'Call', 'Task_Call', '=call = true')}
    ${flow('F_NoCall', 'Call', 'End')}
    ${flow('F3', 'Task_Call', 'End_Called')}`),
);

describe('diagramStateOf', () => {
  it('marks the start event completed, its flow taken and the waiting task active with one token', async () => {
    // Given a case waiting at its first task
    const run = new CaseDriver(inquiry).start();

    // When its diagram state is computed
    const state = stateOf(run, [{ elementId: 'Task_Answer', status: 'open' }]);

    // Then
    expect(byId(state.elements)).toEqual({
      Start: { state: 'completed', tokens: 0 },
      Task_Answer: { state: 'active', tokens: 1 },
      Call: { state: 'notReached', tokens: 0 },
      Task_Call: { state: 'notReached', tokens: 0 },
      End: { state: 'notReached', tokens: 0 },
      End_Called: { state: 'notReached', tokens: 0 },
    });
    expect(state.takenFlowIds).toEqual(['F1']);
    expect(state.elements.find((element) => element.elementId === 'Task_Answer')).toMatchObject({
      name: 'Answer',
      kind: 'userTask',
      tasks: [{ elementId: 'Task_Answer', status: 'open' }],
    });
  });

  it('highlights only the flow an exclusive gateway took, and orders the elements as the case reached them', async () => {
    // Given a case whose gateway took the default flow
    const run = new CaseDriver(inquiry).start().completeTask('Task_Answer', { call: false });

    // When
    const state = stateOf(run);

    // Then the conditional flow and its task are not marked
    expect(state.takenFlowIds).toEqual(['F1', 'F2', 'F_NoCall']);
    expect(state.elements.map((element) => `${element.elementId} ${element.state}`)).toEqual([
      'Start completed',
      'Task_Answer completed',
      'Call completed',
      'End completed',
      'Task_Call notReached',
      'End_Called notReached',
    ]);
  });

  it('marks a flow into a parallel join once its token waits there, and the way out once both arrived', async () => {
    // Given two parallel statements
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:parallelGateway id="Fork" />
        ${staffTask('Task_Building')}
        ${staffTask('Task_Environment')}
        <bpmn:parallelGateway id="Join" />
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Fork')}
        ${flow('F2', 'Fork', 'Task_Building')}
        ${flow('F3', 'Fork', 'Task_Environment')}
        ${flow('F4', 'Task_Building', 'Join')}
        ${flow('F5', 'Task_Environment', 'Join')}
        ${flow('F6', 'Join', 'End')}`),
    );
    const run = new CaseDriver(model).start().completeTask('Task_Building');

    // When one branch has arrived at the join, its token waits there (the join is not entered yet)
    expect(stateOf(run).takenFlowIds).toEqual(['F1', 'F2', 'F3', 'F4']);
    expect(byId(stateOf(run).elements).Join).toEqual({ state: 'active', tokens: 1 });

    // Then, with both, both flows into the join and the one out of it are taken
    run.completeTask('Task_Environment');
    expect(stateOf(run).takenFlowIds).toEqual(['F1', 'F2', 'F3', 'F4', 'F5', 'F6']);
  });

  it('does not mark an inclusive fork’s flow that was not taken, even though its join is entered later', async () => {
    // Given statements only from the departments concerned, the default flow straight to the join
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:inclusiveGateway id="Fork" default="F_None" />
        ${staffTask('Task_Building')}
        ${staffTask('Task_Nature')}
        <bpmn:inclusiveGateway id="Join" />
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Fork')}
        ${flow('F_Building', 'Fork', 'Task_Building', '=building')}
        ${flow('F_Nature', 'Fork', 'Task_Nature', '=nature')}
        ${flow('F_None', 'Fork', 'Join')}
        ${flow('F2', 'Task_Building', 'Join')}
        ${flow('F3', 'Task_Nature', 'Join')}
        ${flow('F4', 'Join', 'End')}`),
    );

    // When only the building department was concerned and has answered
    const run = new CaseDriver(model).start({ building: true, nature: false }).completeTask('Task_Building');

    // Then
    expect(stateOf(run).takenFlowIds).toEqual(['F1', 'F_Building', 'F2', 'F4']);
    expect(byId(stateOf(run).elements).Task_Nature?.state).toBe('notReached');
  });

  it('counts a loop: the task completed before is active again, the way back marked', async () => {
    // Given a check that sends the case back for rework once
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        ${staffTask('Task_Check')}
        <bpmn:exclusiveGateway id="Complete" default="F_Rework" />
        ${staffTask('Task_Rework')}
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Task_Check')}
        ${flow('F2', 'Task_Check', 'Complete')}
        ${flow('F_Ok', 'Complete', 'End', '=complete')}
        ${flow('F_Rework', 'Complete', 'Task_Rework')}
        ${flow('F_Back', 'Task_Rework', 'Task_Check')}`),
    );
    const run = new CaseDriver(model).start().completeTask('Task_Check', { complete: false });
    run.completeTask('Task_Rework');

    // When
    const state = stateOf(run);

    // Then
    expect(state.takenFlowIds).toEqual(['F1', 'F2', 'F_Rework', 'F_Back']);
    expect(state.elements.find((element) => element.elementId === 'Task_Check')).toMatchObject({
      state: 'active',
      tokens: 1,
      timesCompleted: 1,
    });
    expect(byId(state.elements).End?.state).toBe('notReached');
  });

  it('shows a failed job as an incident with its message, its token still counted', async () => {
    // Given a service task whose job failed for good
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:serviceTask id="Task_Mail" name="Send">
          <bpmn:extensionElements><zeebe:taskDefinition type="email" /></bpmn:extensionElements>
        </bpmn:serviceTask>
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Task_Mail')}
        ${flow('F2', 'Task_Mail', 'End')}`),
    );
    const run = new CaseDriver(model).start().failJob('Task_Mail', 'SMTP refused');

    // When
    const element = stateOf(run).elements.find((candidate) => candidate.elementId === 'Task_Mail');

    // Then
    expect(element).toMatchObject({ state: 'incident', tokens: 1, incidents: [{ message: 'SMTP refused' }] });
  });

  it('counts the running instances of a multi-instance task, not its body', async () => {
    // Given statements from three departments in parallel
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        ${staffTask(
          'Task_Statement',
          'Statement',
          `<bpmn:multiInstanceLoopCharacteristics isSequential="false">
             <bpmn:extensionElements>
               <zeebe:loopCharacteristics inputCollection="=departments" inputElement="department" />
             </bpmn:extensionElements>
           </bpmn:multiInstanceLoopCharacteristics>`,
        )}
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Task_Statement')}
        ${flow('F2', 'Task_Statement', 'End')}`),
    );
    const run = new CaseDriver(model).start({ departments: ['bau', 'umwelt', 'verkehr'] });
    const [first] = run.tokensAt('Task_Statement').filter((token) => token.role === undefined);
    run.completeTask('Task_Statement', {}, first?.id);

    // When one of three has answered
    const state = stateOf(run);

    // Then two are running, and the flow out is not taken yet
    expect(byId(state.elements).Task_Statement).toEqual({ state: 'active', tokens: 2 });
    expect(state.takenFlowIds).toEqual(['F1']);
  });

  it('marks an interrupted task as terminated and the boundary event’s path as taken', async () => {
    // Given a task with a deadline of five days
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        ${staffTask('Task_Check')}
        <bpmn:boundaryEvent id="Deadline" attachedToRef="Task_Check">
          <bpmn:timerEventDefinition id="TD"><bpmn:timeDuration>P5D</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:boundaryEvent>
        ${staffTask('Task_Escalate')}
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Task_Check')}
        ${flow('F2', 'Task_Check', 'End')}
        <bpmn:endEvent id="End_Escalated" />
        ${flow('F_Late', 'Deadline', 'Task_Escalate')}
        ${flow('F3', 'Task_Escalate', 'End_Escalated')}`),
    );

    // When the deadline passed
    const run = new CaseDriver(model).start().fireTimer('Deadline');

    // Then
    const state = stateOf(run);
    expect(byId(state.elements)).toMatchObject({
      Task_Check: { state: 'terminated' },
      Deadline: { state: 'completed' },
      Task_Escalate: { state: 'active', tokens: 1 },
    });
    expect(state.takenFlowIds).toEqual(['F1', 'F_Late']);
  });

  it('marks the flow to the event that happened after an event-based gateway', async () => {
    // Given documents or a deadline, whichever comes first
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:eventBasedGateway id="Race" />
        <bpmn:intermediateCatchEvent id="Documents">
          <bpmn:messageEventDefinition id="MD" messageRef="Message_Documents" />
        </bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="Deadline">
          <bpmn:timerEventDefinition id="TD"><bpmn:timeDuration>P14D</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="End_Expired" />
        ${flow('F1', 'Start', 'Race')}
        ${flow('F_Message', 'Race', 'Documents')}
        ${flow('F_Timer', 'Race', 'Deadline')}
        ${flow('F2', 'Documents', 'End')}
        ${flow('F3', 'Deadline', 'End_Expired')}`,
        `<bpmn:message id="Message_Documents" name="documents">
           <bpmn:extensionElements><zeebe:subscription correlationKey="=caseNumber" /></bpmn:extensionElements>
         </bpmn:message>`,
      ),
    );

    // When the documents arrived
    const run = new CaseDriver(model).start({ caseNumber: 'WF-1' }).correlate('documents', 'WF-1');

    // Then
    expect(stateOf(run).takenFlowIds).toEqual(['F1', 'F_Message', 'F2']);
    expect(byId(stateOf(run).elements).Deadline?.state).toBe('notReached');
  });

  it('follows the shipped permit guidance through a Rückfrage with a reminder into the parallel statements', async () => {
    // Given a permit case sent back once (reminded after five days), then complete, one statement given
    const permit = await compile(
      readFileSync(new URL('../interpreter/fixtures/permit-guidance.bpmn', import.meta.url), 'utf8'),
    );
    const run = new CaseDriver(permit).start({
      applicant: { name: 'Muster GmbH', email: 'info@muster.example' },
      caseNumber: 'GL-2025-0007',
      submittedAt: '2025-03-01T10:00:00+01:00',
    });
    run.completeTask('Task_Check', { complete: false, missingDocuments: ['Lageplan'] });
    run.fireTimer('Timer_Reminder').completeJob('Send_Reminder');
    run.at('2025-03-08T08:00:00.000Z').completeTask('Task_Rueckfrage', { documents: ['lageplan.pdf'] });
    run.completeTask('Task_Check', { complete: true }).completeTask('Task_Statement_Environment', { statement: 'ok' });

    // When
    const state = stateOf(run);

    // Then the loop back to the check, the reminder's path and the statement waiting at the join are marked;
    // the escalation, whose timer never fired, is not
    expect(state.takenFlowIds).toEqual([
      'Flow_ToCheck',
      'Flow_Check',
      'Flow_Checked',
      'Flow_Incomplete',
      'Flow_Remind',
      'Flow_Reminded',
      'Flow_Answered',
      'Flow_Complete',
      'Flow_Building',
      'Flow_Environment',
      'Flow_EnvironmentDone',
    ]);
    expect(
      state.elements.map(({ elementId, state: at, tokens, timesCompleted }) => ({
        elementId,
        at,
        tokens,
        timesCompleted,
      })),
    ).toEqual([
      { elementId: 'Start_Submitted', at: 'completed', tokens: 0, timesCompleted: 1 },
      { elementId: 'Merge_Check', at: 'completed', tokens: 0, timesCompleted: 2 },
      { elementId: 'Task_Check', at: 'completed', tokens: 0, timesCompleted: 2 },
      { elementId: 'Gateway_Complete', at: 'completed', tokens: 0, timesCompleted: 2 },
      { elementId: 'Task_Rueckfrage', at: 'completed', tokens: 0, timesCompleted: 1 },
      { elementId: 'Timer_Reminder', at: 'completed', tokens: 0, timesCompleted: 1 },
      { elementId: 'Send_Reminder', at: 'completed', tokens: 0, timesCompleted: 1 },
      { elementId: 'End_Reminded', at: 'completed', tokens: 0, timesCompleted: 1 },
      { elementId: 'Fork_Statements', at: 'completed', tokens: 0, timesCompleted: 1 },
      { elementId: 'Task_Statement_Building', at: 'active', tokens: 1, timesCompleted: 0 },
      { elementId: 'Task_Statement_Environment', at: 'completed', tokens: 0, timesCompleted: 1 },
      { elementId: 'Join_Statements', at: 'active', tokens: 1, timesCompleted: 0 },
      { elementId: 'Timer_Escalation', at: 'notReached', tokens: 0, timesCompleted: 0 },
      { elementId: 'Task_Escalate', at: 'notReached', tokens: 0, timesCompleted: 0 },
      { elementId: 'Gateway_Continue', at: 'notReached', tokens: 0, timesCompleted: 0 },
      { elementId: 'End_Closed', at: 'notReached', tokens: 0, timesCompleted: 0 },
      { elementId: 'Task_Decide', at: 'notReached', tokens: 0, timesCompleted: 0 },
      { elementId: 'Send_Decision', at: 'notReached', tokens: 0, timesCompleted: 0 },
      { elementId: 'End_Decided', at: 'notReached', tokens: 0, timesCompleted: 0 },
    ]);
  });
});
