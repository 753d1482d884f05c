import { describe, expect, it } from 'vitest';
import { bpmn, CaseDriver, compile } from './test-driver.js';
import { InvalidEventError } from './types.js';

const staffTask = (id: string, extensions = '') => `
  <bpmn:userTask id="${id}">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" />${extensions}</bpmn:extensionElements>
  </bpmn:userTask>`;

const serviceTask = (id: string, type: string) => `
  <bpmn:serviceTask id="${id}">
    <bpmn:extensionElements><zeebe:taskDefinition type="${type}" /></bpmn:extensionElements>
  </bpmn:serviceTask>`;

const flow = (id: string, source: string, target: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`;

const timer = (kind: 'timeDuration' | 'timeDate' | 'timeCycle', value: string) =>
  `<bpmn:timerEventDefinition id="TD_${Math.abs(hash(value + kind))}"><bpmn:${kind}>${value}</bpmn:${kind}></bpmn:timerEventDefinition>`;

const message = (id: string, name: string, correlationKey: string) => `
  <bpmn:message id="${id}" name="${name}">
    <bpmn:extensionElements><zeebe:subscription correlationKey="${correlationKey}" /></bpmn:extensionElements>
  </bpmn:message>`;

function hash(text: string): number {
  return [...text].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) | 0, 7);
}

/** Start → the event → a task → end. */
async function waitingFor(eventBody: string, rootElements = '') {
  return compile(
    bpmn(
      `
      <bpmn:startEvent id="Start" />
      <bpmn:intermediateCatchEvent id="Wait">${eventBody}</bpmn:intermediateCatchEvent>
      ${staffTask('Task_After')}
      <bpmn:endEvent id="End" />
      ${flow('F1', 'Start', 'Wait')}
      ${flow('F2', 'Wait', 'Task_After')}
      ${flow('F3', 'Task_After', 'End')}`,
      rootElements,
    ),
  );
}

/** A register check whose job may throw BPMN errors, caught by code or by a catch-all. */
const check = await compile(
  bpmn(
    `
    <bpmn:startEvent id="Start" />
    ${serviceTask('Task_Check', 'register-check')}
    <bpmn:boundaryEvent id="Not_Found" attachedToRef="Task_Check">
      <bpmn:extensionElements>
        <zeebe:ioMapping><zeebe:output source="=errorMessage" target="checkProblem" /></zeebe:ioMapping>
      </bpmn:extensionElements>
      <bpmn:errorEventDefinition id="ED1" errorRef="Error_NotFound" />
    </bpmn:boundaryEvent>
    <bpmn:boundaryEvent id="Any_Error" attachedToRef="Task_Check">
      <bpmn:errorEventDefinition id="ED2" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="End" />
    <bpmn:endEvent id="End_NotFound" />
    <bpmn:endEvent id="End_Other" />
    ${flow('F1', 'Start', 'Task_Check')}
    ${flow('F2', 'Task_Check', 'End')}
    ${flow('F3', 'Not_Found', 'End_NotFound')}
    ${flow('F4', 'Any_Error', 'End_Other')}`,
    '<bpmn:error id="Error_NotFound" name="Not found" errorCode="NOT_FOUND" />',
  ),
);

/** A case that can be withdrawn at any time (interrupting) and reminds the team every week (non-interrupting). */
const withdrawable = await compile(
  bpmn(
    `
    <bpmn:startEvent id="Start" />
    ${staffTask('Task_Review')}
    ${serviceTask('Task_Check', 'register-check')}
    <bpmn:endEvent id="End" />
    ${flow('F1', 'Start', 'Task_Review')}
    ${flow('F1b', 'Start', 'Task_Check')}
    ${flow('F2', 'Task_Review', 'End')}
    ${flow('F2b', 'Task_Check', 'End')}
    <bpmn:subProcess id="On_Withdrawal" triggeredByEvent="true">
      <bpmn:startEvent id="Withdrawn"><bpmn:messageEventDefinition id="MD" messageRef="Message_Withdrawn" /></bpmn:startEvent>
      ${serviceTask('Task_Confirm', 'email')}
      <bpmn:endEvent id="Withdrawal_End" />
      ${flow('W1', 'Withdrawn', 'Task_Confirm')}
      ${flow('W2', 'Task_Confirm', 'Withdrawal_End')}
    </bpmn:subProcess>
    <bpmn:subProcess id="Weekly" triggeredByEvent="true">
      <bpmn:startEvent id="Every_Week" isInterrupting="false">${timer('timeCycle', 'R/P7D')}</bpmn:startEvent>
      ${serviceTask('Task_Report', 'email')}
      <bpmn:endEvent id="Weekly_End" />
      ${flow('K1', 'Every_Week', 'Task_Report')}
      ${flow('K2', 'Task_Report', 'Weekly_End')}
    </bpmn:subProcess>
    <bpmn:subProcess id="On_Error" triggeredByEvent="true">
      <bpmn:startEvent id="Failed"><bpmn:errorEventDefinition id="ED" /></bpmn:startEvent>
      ${staffTask('Task_Investigate')}
      <bpmn:endEvent id="Error_End" />
      ${flow('E1', 'Failed', 'Task_Investigate')}
      ${flow('E2', 'Task_Investigate', 'Error_End')}
    </bpmn:subProcess>`,
    message('Message_Withdrawn', 'withdrawn', '=caseNumber'),
  ),
);

describe('intermediate timer catch event', () => {
  it.each([
    { kind: 'timeDuration' as const, value: 'PT5M', dueAt: '2025-03-01T09:05:00.000Z' },
    { kind: 'timeDuration' as const, value: 'P5D', dueAt: '2025-03-06T09:00:00.000Z' },
    { kind: 'timeDuration' as const, value: 'P1M', dueAt: '2025-04-01T09:00:00.000Z' },
    { kind: 'timeDate' as const, value: '2025-03-10T12:00:00+01:00', dueAt: '2025-03-10T11:00:00.000Z' },
    { kind: 'timeDuration' as const, value: '=waitDays', dueAt: '2025-03-04T09:00:00.000Z' },
    { kind: 'timeDuration' as const, value: '=duration("PT2H")', dueAt: '2025-03-01T11:00:00.000Z' },
    { kind: 'timeDate' as const, value: '=deadline', dueAt: '2025-03-20T08:00:00.000Z' },
  ])('$kind $value is due at $dueAt (from the event time, no clock)', async ({ kind, value, dueAt }) => {
    // Given a process that waits on the timer
    const model = await waitingFor(timer(kind, value));

    // When the case starts
    const run = new CaseDriver(model).start({ waitDays: 'P3D', deadline: '2025-03-20T09:00:00+01:00' });

    // Then the shell is told to start a timer, and the state remembers it for continue-as-new
    expect(run.commands).toEqual([{ type: 'startTimer', timerId: 'tm3', elementId: 'Wait', dueAt }]);
    expect(run.state.timers).toEqual([{ id: 'tm3', elementId: 'Wait', dueAt, tokenId: 't2' }]);
    expect(run.waitingAt()).toEqual(['Wait']);
  });

  it('moves on when the timer fires', async () => {
    const run = new CaseDriver(await waitingFor(timer('timeDuration', 'P5D'))).start().fireTimer('Wait');

    expect(run.waitingAt()).toEqual(['Task_After']);
    expect(run.state.timers).toEqual([]);
    expect(run.auditTrail()).toEqual(['elementCompleted Wait', 'elementEntered Task_After']);
  });

  it('raises an incident when the expression gives no duration, and a retry with data starts the timer', async () => {
    const run = new CaseDriver(await waitingFor(timer('timeDuration', '=waitDays'))).start({ waitDays: 'soon' });

    expect(run.state.status).toBe('incident');
    expect(run.state.incidents[0]?.message).toBe(
      'The timer of Wait is invalid: "soon" is not an ISO-8601 duration like PT5M, P5D or P1M',
    );
    expect(run.state.timers).toEqual([]);

    run.retry(undefined, { waitDays: 'P1D' });
    expect(run.state.status).toBe('active');
    expect(run.commandsOf('startTimer')).toEqual([expect.objectContaining({ dueAt: '2025-03-02T09:00:00.000Z' })]);
  });

  it('rejects a timer that is not running', async () => {
    const run = new CaseDriver(await waitingFor(timer('timeDuration', 'P5D'))).start().fireTimer('Wait');

    expect(() => run.apply({ type: 'fireTimer', at: 'T', timerId: 'tm3' })).toThrow(InvalidEventError);
  });
});

describe('intermediate message catch event', () => {
  const documents = message('Message_Documents', 'documents-received', '=caseNumber');

  it('opens a subscription with the correlation key evaluated when the token arrives', async () => {
    const model = await waitingFor('<bpmn:messageEventDefinition id="MD" messageRef="Message_Documents" />', documents);

    const run = new CaseDriver(model).start({ caseNumber: 'WF-2025-0042' });

    expect(run.commands).toEqual([
      {
        type: 'openSubscription',
        subscriptionId: 's3',
        elementId: 'Wait',
        messageName: 'documents-received',
        correlationKey: 'WF-2025-0042',
      },
    ]);
    expect(run.state.subscriptions).toEqual([
      {
        id: 's3',
        elementId: 'Wait',
        messageName: 'documents-received',
        correlationKey: 'WF-2025-0042',
        tokenId: 't2',
      },
    ]);
  });

  it('merges the message variables and moves on when the message is correlated', async () => {
    const model = await waitingFor('<bpmn:messageEventDefinition id="MD" messageRef="Message_Documents" />', documents);
    const run = new CaseDriver(model).start({ caseNumber: 'WF-1' });

    run.correlate('documents-received', 'WF-1', { files: ['a.pdf'] });

    expect(run.variables).toEqual({ caseNumber: 'WF-1', files: ['a.pdf'] });
    expect(run.waitingAt()).toEqual(['Task_After']);
    expect(run.commands[0]).toEqual({ type: 'closeSubscription', subscriptionId: 's3' });
    expect(run.state.subscriptions).toEqual([]);
  });

  it('raises an incident when the correlation key is missing, and rejects a message of another name', async () => {
    const model = await waitingFor('<bpmn:messageEventDefinition id="MD" messageRef="Message_Documents" />', documents);

    const missing = new CaseDriver(model).start({});
    expect(missing.state.incidents[0]?.message).toBe(
      'The correlation key of Wait must be text or a number, but "caseNumber" gave null',
    );

    const waiting = new CaseDriver(model).start({ caseNumber: 7 });
    expect(waiting.state.subscriptions?.[0]?.correlationKey).toBe('7');
    expect(() =>
      waiting.apply({ type: 'correlateMessage', at: 'T', subscriptionId: 's3', messageName: 'other', variables: {} }),
    ).toThrow(InvalidEventError);
  });
});

describe('boundary events', () => {
  /** A review with a reminder (non-interrupting cycle) and a deadline (interrupting). */
  async function review(reminder: string, deadline = 'P10D') {
    return compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        ${staffTask('Task_Review')}
        <bpmn:boundaryEvent id="Reminder" attachedToRef="Task_Review" cancelActivity="false">${timer('timeCycle', reminder)}</bpmn:boundaryEvent>
        <bpmn:boundaryEvent id="Deadline" attachedToRef="Task_Review">${timer('timeDuration', deadline)}</bpmn:boundaryEvent>
        ${serviceTask('Task_Remind', 'email')}
        ${staffTask('Task_Escalate')}
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="End_Reminded" />
        <bpmn:endEvent id="End_Escalated" />
        ${flow('F1', 'Start', 'Task_Review')}
        ${flow('F2', 'Task_Review', 'End')}
        ${flow('F3', 'Reminder', 'Task_Remind')}
        ${flow('F4', 'Task_Remind', 'End_Reminded')}
        ${flow('F5', 'Deadline', 'Task_Escalate')}
        ${flow('F6', 'Task_Escalate', 'End_Escalated')}`),
    );
  }

  it('starts the timers of the boundary events with the activity', async () => {
    const run = new CaseDriver(await review('R3/P1D')).start();

    expect(run.commands).toEqual([
      { type: 'startTimer', timerId: 'tm3', elementId: 'Reminder', dueAt: '2025-03-02T09:00:00.000Z' },
      { type: 'startTimer', timerId: 'tm4', elementId: 'Deadline', dueAt: '2025-03-11T09:00:00.000Z' },
      expect.objectContaining({ type: 'openTask', tokenId: 't2', elementId: 'Task_Review' }),
    ]);
    expect(run.state.timers).toEqual([
      {
        id: 'tm3',
        elementId: 'Reminder',
        dueAt: '2025-03-02T09:00:00.000Z',
        tokenId: 't2',
        cycle: { interval: 'P1D', remaining: 2 },
      },
      { id: 'tm4', elementId: 'Deadline', dueAt: '2025-03-11T09:00:00.000Z', tokenId: 't2' },
    ]);
  });

  it('R3/P1D: a non-interrupting cycle fires three times next to the open task, then stops', async () => {
    const run = new CaseDriver(await review('R3/P1D')).start();

    // First firing: the reminder path starts, the task stays open, the next round is scheduled
    run.fireTimer('Reminder');
    expect(run.waitingAt()).toEqual(['Task_Remind', 'Task_Review']);
    expect(run.commands[0]).toEqual({
      type: 'startTimer',
      timerId: 'tm5',
      elementId: 'Reminder',
      dueAt: '2025-03-03T09:00:00.000Z',
    });
    run.completeJob('Task_Remind');

    run.fireTimer('Reminder').completeJob('Task_Remind');
    run.fireTimer('Reminder');

    // After the third firing no timer is left for the reminder
    expect(run.commandsOf('startTimer')).toEqual([]);
    expect((run.state.timers ?? []).map((entry) => entry.elementId)).toEqual(['Deadline']);
    expect(run.tokensAt('Task_Review')).toHaveLength(1);
  });

  it('R/P5D: an unbounded cycle keeps firing until the task completes, which cancels it', async () => {
    const run = new CaseDriver(await review('R/P5D', 'P60D')).start();

    for (let round = 0; round < 5; round += 1) {
      run.fireTimer('Reminder').completeJob('Task_Remind');
    }
    expect(run.state.timers?.find((entry) => entry.elementId === 'Reminder')?.dueAt).toBe('2025-03-31T09:00:00.000Z');

    run.completeTask('Task_Review');
    expect(run.state.status).toBe('completed');
    expect(run.commandsOf('cancelTimer')).toHaveLength(2);
  });

  it('an interrupting timer closes the task as cancelled, cancels the other timers and takes its own path', async () => {
    const run = new CaseDriver(await review('R3/P1D')).start();

    run.fireTimer('Deadline');

    expect(run.waitingAt()).toEqual(['Task_Escalate']);
    expect(run.commands).toEqual([
      { type: 'cancelTimer', timerId: 'tm3' },
      { type: 'closeTask', tokenId: 't2', elementId: 'Task_Review', actor: 'system', outcome: 'cancelled' },
      expect.objectContaining({ type: 'openTask', elementId: 'Task_Escalate' }),
    ]);
    expect(run.auditTrail()).toEqual([
      'elementTerminated Task_Review',
      'elementEntered Deadline',
      'elementCompleted Deadline',
      'elementEntered Task_Escalate',
    ]);
    expect(() => run.completeTask('Task_Review', {}, 't2')).toThrow();
  });

  it('an interrupting message on a running job cancels the job', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        ${serviceTask('Task_Check', 'register-check')}
        <bpmn:boundaryEvent id="Withdrawn" attachedToRef="Task_Check">
          <bpmn:messageEventDefinition id="MD" messageRef="Message_Withdrawn" />
        </bpmn:boundaryEvent>
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="End_Withdrawn" />
        ${flow('F1', 'Start', 'Task_Check')}
        ${flow('F2', 'Task_Check', 'End')}
        ${flow('F3', 'Withdrawn', 'End_Withdrawn')}`,
        message('Message_Withdrawn', 'application-withdrawn', '=caseNumber'),
      ),
    );
    const run = new CaseDriver(model).start({ caseNumber: 'A-1' });

    run.correlate('application-withdrawn', 'A-1', { reason: 'no longer needed' });

    expect(run.commands).toEqual([
      { type: 'closeSubscription', subscriptionId: 's3' },
      { type: 'cancelJob', tokenId: 't2' },
    ]);
    expect(run.state.status).toBe('completed');
    expect(run.variables['reason']).toBe('no longer needed');
    expect(() => run.completeJob('Task_Check', {}, 't2')).toThrow(InvalidEventError);
  });

  it('a non-interrupting message keeps its subscription and can come again', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        ${staffTask('Task_Review')}
        <bpmn:boundaryEvent id="Note" attachedToRef="Task_Review" cancelActivity="false">
          <bpmn:messageEventDefinition id="MD" messageRef="Message_Note" />
        </bpmn:boundaryEvent>
        ${staffTask('Task_ReadNote')}
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="End_Note" />
        ${flow('F1', 'Start', 'Task_Review')}
        ${flow('F2', 'Task_Review', 'End')}
        ${flow('F3', 'Note', 'Task_ReadNote')}
        ${flow('F4', 'Task_ReadNote', 'End_Note')}`,
        message('Message_Note', 'note', '=caseNumber'),
      ),
    );
    const run = new CaseDriver(model).start({ caseNumber: 'A-1' });

    run.correlate('note', 'A-1').correlate('note', 'A-1');

    expect(run.waitingAt()).toEqual(['Task_ReadNote', 'Task_ReadNote', 'Task_Review']);
    expect(run.state.subscriptions).toHaveLength(1);
    run.completeTask('Task_Review');
    expect(run.commands).toContainEqual({ type: 'closeSubscription', subscriptionId: 's3' });
  });
});

describe('BPMN errors', () => {
  it('a job error with a known code is caught by the matching boundary event, before the catch-all', () => {
    const run = new CaseDriver(check).start();

    run.apply({
      type: 'throwJobError',
      at: '2025-03-01T09:01:00.000Z',
      tokenId: 't2',
      errorCode: 'NOT_FOUND',
      message: 'no such register entry',
    });

    expect(run.state.status).toBe('completed');
    expect(run.variables).toEqual({ checkProblem: 'no such register entry' });
    // The job is over (it threw), so there is nothing to cancel
    expect(run.commands).toEqual([]);
    expect(run.auditTrail()).toEqual([
      'elementTerminated Task_Check',
      'elementEntered Not_Found',
      'elementCompleted Not_Found',
      'elementEntered End_NotFound',
      'elementCompleted End_NotFound',
      'caseCompleted',
    ]);
  });

  it('any other code goes to the catch-all boundary event', () => {
    const run = new CaseDriver(check).start().throwJobError('Task_Check', 'TIMEOUT', { tried: 3 });

    expect(run.audit.map((entry) => entry.elementId)).toContain('End_Other');
    expect(run.variables).toEqual({ tried: 3 });
  });

  it('an error nobody catches is an incident on the job; a retry runs the job again', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        ${serviceTask('Task_Check', 'register-check')}
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Task_Check')}
        ${flow('F2', 'Task_Check', 'End')}`),
    );
    const run = new CaseDriver(model).start().throwJobError('Task_Check', 'NOT_FOUND');

    expect(run.state.status).toBe('incident');
    expect(run.state.incidents[0]).toMatchObject({
      elementId: 'Task_Check',
      failedStep: 'job',
      message: 'The job threw the error "NOT_FOUND", which no error event catches',
    });

    run.retry();
    expect(run.commands).toEqual([expect.objectContaining({ type: 'runJob', tokenId: 't2' })]);
  });

  it('an error end event ends the sub-process and is caught by the boundary event on it', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:subProcess id="Sub_Check">
          <bpmn:startEvent id="Sub_Start" />
          <bpmn:parallelGateway id="Sub_Fork" />
          ${staffTask('Task_Long')}
          <bpmn:exclusiveGateway id="Sub_Complete" default="F_Ok" />
          <bpmn:endEvent id="Sub_Incomplete"><bpmn:errorEventDefinition id="ED" errorRef="Error_Incomplete" /></bpmn:endEvent>
          <bpmn:endEvent id="Sub_End" />
          ${flow('S1', 'Sub_Start', 'Sub_Fork')}
          ${flow('S2', 'Sub_Fork', 'Task_Long')}
          ${flow('S3', 'Sub_Fork', 'Sub_Complete')}
          <bpmn:sequenceFlow id="F_Missing" sourceRef="Sub_Complete" targetRef="Sub_Incomplete">
            <bpmn:conditionExpression>=complete = false</bpmn:conditionExpression>
          </bpmn:sequenceFlow>
          ${flow('F_Ok', 'Sub_Complete', 'Sub_End')}
          ${flow('S4', 'Task_Long', 'Sub_End')}
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="Incomplete" attachedToRef="Sub_Check">
          <bpmn:errorEventDefinition id="ED2" errorRef="Error_Incomplete" />
        </bpmn:boundaryEvent>
        ${staffTask('Task_Rueckfrage')}
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="End_Rueckfrage" />
        ${flow('F1', 'Start', 'Sub_Check')}
        ${flow('F2', 'Sub_Check', 'End')}
        ${flow('F3', 'Incomplete', 'Task_Rueckfrage')}
        ${flow('F4', 'Task_Rueckfrage', 'End_Rueckfrage')}`,
        '<bpmn:error id="Error_Incomplete" errorCode="INCOMPLETE" />',
      ),
    );

    const run = new CaseDriver(model).start({ complete: false });

    expect(run.waitingAt()).toEqual(['Task_Rueckfrage']);
    expect(run.commands).toEqual([
      expect.objectContaining({ type: 'openTask', elementId: 'Task_Long' }),
      expect.objectContaining({ type: 'closeTask', elementId: 'Task_Long', outcome: 'cancelled' }),
      expect.objectContaining({ type: 'openTask', elementId: 'Task_Rueckfrage' }),
    ]);
    expect(run.auditTrail()).toEqual(
      expect.arrayContaining([
        'elementTerminated Task_Long',
        'elementTerminated Sub_Incomplete',
        'elementTerminated Sub_Check',
      ]),
    );
  });

  it('an error end event that nothing catches is an incident on the end event', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:endEvent id="End_Failed"><bpmn:errorEventDefinition id="ED" errorRef="Error_Failed" /></bpmn:endEvent>
        ${flow('F1', 'Start', 'End_Failed')}`,
        '<bpmn:error id="Error_Failed" errorCode="=failure" />',
      ),
    );

    const run = new CaseDriver(model).start({ failure: 'NO_BUDGET' });

    expect(run.state.incidents[0]).toMatchObject({
      elementId: 'End_Failed',
      message: 'The error "NO_BUDGET" thrown by End_Failed is not caught by any error event',
    });
  });
});

describe('escalations', () => {
  /** A statement sub-process that escalates to the team lead, non-interrupting or interrupting. */
  async function statement(interrupting: boolean, throwAs: 'intermediate' | 'end') {
    const thrower =
      throwAs === 'intermediate'
        ? `<bpmn:intermediateThrowEvent id="Escalate"><bpmn:escalationEventDefinition id="ESD" escalationRef="Esc_Late" /></bpmn:intermediateThrowEvent>
           ${staffTask('Task_Continue')}
           <bpmn:endEvent id="Sub_End" />
           ${flow('S2', 'Escalate', 'Task_Continue')}
           ${flow('S3', 'Task_Continue', 'Sub_End')}`
        : `<bpmn:endEvent id="Escalate"><bpmn:escalationEventDefinition id="ESD" escalationRef="Esc_Late" /></bpmn:endEvent>`;
    return compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:subProcess id="Sub_Statement">
          <bpmn:startEvent id="Sub_Start" />
          ${thrower}
          ${flow('S1', 'Sub_Start', 'Escalate')}
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="Late" attachedToRef="Sub_Statement" cancelActivity="${interrupting}">
          <bpmn:escalationEventDefinition id="ESD2" escalationRef="Esc_Late" />
        </bpmn:boundaryEvent>
        ${staffTask('Task_TeamLead')}
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="End_TeamLead" />
        ${flow('F1', 'Start', 'Sub_Statement')}
        ${flow('F2', 'Sub_Statement', 'End')}
        ${flow('F3', 'Late', 'Task_TeamLead')}
        ${flow('F4', 'Task_TeamLead', 'End_TeamLead')}`,
        '<bpmn:escalation id="Esc_Late" escalationCode="LATE" />',
      ),
    );
  }

  it('a non-interrupting boundary event starts its path and the thrower goes on', async () => {
    const run = new CaseDriver(await statement(false, 'intermediate')).start();

    expect(run.waitingAt()).toEqual(['Task_Continue', 'Task_TeamLead']);
  });

  it('an interrupting boundary event ends the sub-process with the thrower in it', async () => {
    const run = new CaseDriver(await statement(true, 'intermediate')).start();

    expect(run.waitingAt()).toEqual(['Task_TeamLead']);
    expect(run.auditTrail()).toContain('elementTerminated Sub_Statement');
  });

  it('an escalation end event caught non-interrupting lets the sub-process complete normally', async () => {
    const run = new CaseDriver(await statement(false, 'end')).start();

    expect(run.waitingAt()).toEqual(['Task_TeamLead']);
    expect(run.auditTrail()).toContain('elementCompleted Sub_Statement');
  });

  it('an escalation nobody catches is no incident: the thrower goes on', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateThrowEvent id="Escalate"><bpmn:escalationEventDefinition id="ESD" escalationRef="Esc" /></bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Escalate')}
        ${flow('F2', 'Escalate', 'End')}`,
        '<bpmn:escalation id="Esc" escalationCode="LATE" />',
      ),
    );

    expect(new CaseDriver(model).start().state.status).toBe('completed');
  });
});

describe('event sub-processes', () => {
  it('open their subscriptions and timers when the scope starts', () => {
    const run = new CaseDriver(withdrawable).start({ caseNumber: 'A-9' });

    expect(run.state.subscriptions).toEqual([
      { id: 's2', elementId: 'Withdrawn', messageName: 'withdrawn', correlationKey: 'A-9' },
    ]);
    expect(run.state.timers).toEqual([
      { id: 'tm3', elementId: 'Every_Week', dueAt: '2025-03-08T09:00:00.000Z', cycle: { interval: 'P7D' } },
    ]);
  });

  it('a non-interrupting timer start runs next to the case, and again next week', () => {
    const run = new CaseDriver(withdrawable).start({ caseNumber: 'A-9' });

    run.fireTimer('Every_Week');

    expect(run.waitingAt()).toEqual(['Task_Check', 'Task_Report', 'Task_Review']);
    expect(run.state.timers).toEqual([
      expect.objectContaining({ elementId: 'Every_Week', dueAt: '2025-03-15T09:00:00.000Z' }),
    ]);
  });

  it('an interrupting message start ends everything else, closes the other event sub-processes and runs', () => {
    const run = new CaseDriver(withdrawable).start({ caseNumber: 'A-9' });

    run.correlate('withdrawn', 'A-9');

    expect(run.waitingAt()).toEqual(['Task_Confirm']);
    expect(run.commands).toEqual([
      { type: 'closeSubscription', subscriptionId: 's2' },
      { type: 'cancelTimer', timerId: 'tm3' },
      { type: 'closeTask', tokenId: 't4', elementId: 'Task_Review', actor: 'system', outcome: 'cancelled' },
      { type: 'cancelJob', tokenId: 't5' },
      expect.objectContaining({ type: 'runJob', elementId: 'Task_Confirm' }),
    ]);
    run.completeJob('Task_Confirm');
    expect(run.state.status).toBe('completed');
  });

  it('an error event sub-process catches a job error of the process', () => {
    const run = new CaseDriver(withdrawable).start({ caseNumber: 'A-9' });

    run.throwJobError('Task_Check', 'REGISTER_DOWN');

    expect(run.waitingAt()).toEqual(['Task_Investigate']);
    expect(run.state.subscriptions).toEqual([]);
    expect(run.state.timers).toEqual([]);
  });

  it('closes what is still open when the case completes', () => {
    const run = new CaseDriver(withdrawable).start({ caseNumber: 'A-9' });

    run.completeTask('Task_Review').completeJob('Task_Check');

    expect(run.state.status).toBe('completed');
    expect(run.commands).toEqual([
      { type: 'cancelTimer', timerId: 'tm3' },
      { type: 'closeSubscription', subscriptionId: 's2' },
    ]);
  });
});

describe('end and throw events', () => {
  it('a terminate end event ends the other branches of its scope; on the process level, the case', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        ${staffTask('Task_A')}
        ${staffTask('Task_B')}
        <bpmn:endEvent id="End_A"><bpmn:terminateEventDefinition id="TED" /></bpmn:endEvent>
        <bpmn:endEvent id="End_B" />
        ${flow('F1', 'Start', 'Task_A')}
        ${flow('F2', 'Start', 'Task_B')}
        ${flow('F3', 'Task_A', 'End_A')}
        ${flow('F4', 'Task_B', 'End_B')}`),
    );

    const run = new CaseDriver(model).start().completeTask('Task_A');

    expect(run.state.status).toBe('completed');
    expect(run.commandsOf('closeTask')).toEqual([
      expect.objectContaining({ elementId: 'Task_A', outcome: 'completed' }),
      expect.objectContaining({ elementId: 'Task_B', outcome: 'cancelled' }),
    ]);
    expect(run.auditTrail()).toContain('elementTerminated Task_B');
  });

  it('a terminate end event in a sub-process completes the sub-process, and the case goes on', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:subProcess id="Sub">
          <bpmn:startEvent id="Sub_Start" />
          ${staffTask('Task_A')}
          ${staffTask('Task_B')}
          <bpmn:endEvent id="Sub_Terminate"><bpmn:terminateEventDefinition id="TED" /></bpmn:endEvent>
          <bpmn:endEvent id="Sub_End" />
          ${flow('S1', 'Sub_Start', 'Task_A')}
          ${flow('S2', 'Sub_Start', 'Task_B')}
          ${flow('S3', 'Task_A', 'Sub_Terminate')}
          ${flow('S4', 'Task_B', 'Sub_End')}
        </bpmn:subProcess>
        ${staffTask('Task_After')}
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Sub')}
        ${flow('F2', 'Sub', 'Task_After')}
        ${flow('F3', 'Task_After', 'End')}`),
    );

    const run = new CaseDriver(model).start().completeTask('Task_A');

    expect(run.waitingAt()).toEqual(['Task_After']);
  });

  it('a link throw event continues at the link catch event of the same name', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateThrowEvent id="Go_Review"><bpmn:linkEventDefinition id="L1" name="review" /></bpmn:intermediateThrowEvent>
        <bpmn:intermediateCatchEvent id="Review"><bpmn:linkEventDefinition id="L2" name="review" /></bpmn:intermediateCatchEvent>
        ${staffTask('Task_Review')}
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Go_Review')}
        ${flow('F2', 'Review', 'Task_Review')}
        ${flow('F3', 'Task_Review', 'End')}`),
    );

    const run = new CaseDriver(model).start();

    expect(run.waitingAt()).toEqual(['Task_Review']);
    expect(run.auditTrail()).toEqual([
      'elementEntered Start',
      'elementCompleted Start',
      'elementEntered Go_Review',
      'elementCompleted Go_Review',
      'elementEntered Review',
      'elementCompleted Review',
      'elementEntered Task_Review',
    ]);
  });

  it('a none throw event passes; a message throw event runs its job', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateThrowEvent id="Milestone" />
        <bpmn:intermediateThrowEvent id="Notify">
          <bpmn:extensionElements><zeebe:taskDefinition type="email" retries="5" /></bpmn:extensionElements>
          <bpmn:messageEventDefinition id="MD" />
        </bpmn:intermediateThrowEvent>
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Milestone')}
        ${flow('F2', 'Milestone', 'Notify')}
        ${flow('F3', 'Notify', 'End')}`),
    );

    const run = new CaseDriver(model).start({ to: 'x' });

    expect(run.commands).toEqual([
      {
        type: 'runJob',
        tokenId: 't3',
        elementId: 'Notify',
        taskType: 'email',
        retries: 5,
        headers: {},
        variables: { to: 'x' },
      },
    ]);
    run.completeJob('Notify');
    expect(run.state.status).toBe('completed');
  });
});
