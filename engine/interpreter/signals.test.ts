import { describe, expect, it } from 'vitest';
import { compileService } from '../model/compile.js';
import { SIGNAL_BROADCAST_JOB_TYPE } from '../model/process-model.js';
import { bpmn, CaseDriver, compile } from './test-driver.js';
import { InvalidEventError } from './types.js';

const staffTask = (id: string) => `
  <bpmn:userTask id="${id}">
    <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements>
  </bpmn:userTask>`;

const flow = (id: string, source: string, target: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`;

const signal = (id: string, name: string) => `<bpmn:signal id="${id}" name="${name}" />`;
let definitions = 0;
const signalRef = (id: string) => `<bpmn:signalEventDefinition id="SED_${(definitions += 1)}" signalRef="${id}" />`;

const catchModel = await compile(
  bpmn(
    `
    <bpmn:startEvent id="Start" />
    <bpmn:intermediateCatchEvent id="Wait_Approval">${signalRef('Sig_Approved')}</bpmn:intermediateCatchEvent>
    ${staffTask('Task_After')}
    <bpmn:endEvent id="End" />
    ${flow('F1', 'Start', 'Wait_Approval')}
    ${flow('F2', 'Wait_Approval', 'Task_After')}
    ${flow('F3', 'Task_After', 'End')}`,
    signal('Sig_Approved', 'budget-approved'),
  ),
);

/** A review task with a signal boundary event (interrupting or not) to an escalation task. */
async function boundaryModel(interrupting: boolean) {
  return compile(
    bpmn(
      `
      <bpmn:startEvent id="Start" />
      ${staffTask('Task_Review')}
      <bpmn:boundaryEvent id="Recall" attachedToRef="Task_Review" cancelActivity="${interrupting}">
        ${signalRef('Sig_Recall')}
      </bpmn:boundaryEvent>
      ${staffTask('Task_Recalled')}
      <bpmn:endEvent id="End" />
      <bpmn:endEvent id="End_Recalled" />
      ${flow('F1', 'Start', 'Task_Review')}
      ${flow('F2', 'Task_Review', 'End')}
      ${flow('F3', 'Recall', 'Task_Recalled')}
      ${flow('F4', 'Task_Recalled', 'End_Recalled')}`,
      signal('Sig_Recall', '=recallSignal'),
    ),
  );
}

async function eventSubProcessModel(interrupting: boolean) {
  return compile(
    bpmn(
      `
      <bpmn:startEvent id="Start" />
      ${staffTask('Task_Work')}
      <bpmn:endEvent id="End" />
      ${flow('F1', 'Start', 'Task_Work')}
      ${flow('F2', 'Task_Work', 'End')}
      <bpmn:subProcess id="On_Stop" triggeredByEvent="true">
        <bpmn:startEvent id="Stop_Start" isInterrupting="${interrupting}">${signalRef('Sig_Stop')}</bpmn:startEvent>
        ${staffTask('Task_Stop')}
        <bpmn:endEvent id="Stop_End" />
        ${flow('S1', 'Stop_Start', 'Task_Stop')}
        ${flow('S2', 'Task_Stop', 'Stop_End')}
      </bpmn:subProcess>`,
      signal('Sig_Stop', 'programme-stopped'),
    ),
  );
}

describe('signal catch events', () => {
  it('wait for the signal, take its variables and close the subscription', () => {
    const driver = new CaseDriver(catchModel).start();
    expect(driver.commandsOf('openSignalSubscription')).toEqual([
      {
        type: 'openSignalSubscription',
        subscriptionId: expect.any(String),
        elementId: 'Wait_Approval',
        signalName: 'budget-approved',
      },
    ]);
    driver.broadcast('budget-approved', { budget: 5000 });
    expect(driver.waitingAt()).toEqual(['Task_After']);
    expect(driver.variables).toMatchObject({ budget: 5000 });
    expect(driver.commandsOf('closeSignalSubscription')).toHaveLength(1);
    expect(driver.state.signalSubscriptions).toBeUndefined();
  });

  it('refuse a signal the case does not wait for, changing nothing', () => {
    const driver = new CaseDriver(catchModel).start();
    expect(() => driver.broadcast('other-signal')).toThrow(InvalidEventError);
    driver.broadcast('budget-approved');
    expect(() => driver.broadcast('budget-approved')).toThrow(InvalidEventError);
    expect(driver.waitingAt()).toEqual(['Task_After']);
  });

  it('leave the state of a case without signals as it was (no signalSubscriptions key)', async () => {
    const plain = await compile(
      bpmn(`<bpmn:startEvent id="Start" />${staffTask('Task')}<bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Task')}${flow('F2', 'Task', 'End')}`),
    );
    const driver = new CaseDriver(plain).start();
    expect('signalSubscriptions' in driver.state).toBe(false);
  });
});

describe('signal boundary events', () => {
  it('interrupting: the activity ends and the path of the event starts; the name is FEEL', async () => {
    const driver = new CaseDriver(await boundaryModel(true)).start({ recallSignal: 'recall-42' });
    expect(driver.state.signalSubscriptions?.map((s) => s.signalName)).toEqual(['recall-42']);
    driver.broadcast('recall-42', { reason: 'withdrawn' });
    expect(driver.waitingAt()).toEqual(['Task_Recalled']);
    expect(driver.auditTrail()).toContain('elementTerminated Task_Review');
    expect(driver.variables).toMatchObject({ reason: 'withdrawn' });
    expect(driver.state.signalSubscriptions).toBeUndefined();
  });

  it('non-interrupting: the activity goes on and each broadcast starts one more path', async () => {
    const driver = new CaseDriver(await boundaryModel(false)).start({ recallSignal: 'recall-42' });
    driver.broadcast('recall-42').broadcast('recall-42');
    expect(driver.waitingAt()).toEqual(['Task_Recalled', 'Task_Recalled', 'Task_Review']);
    driver.completeTask('Task_Review');
    expect(driver.commandsOf('closeSignalSubscription')).toHaveLength(1);
    expect(driver.state.signalSubscriptions).toBeUndefined();
  });

  it('an empty evaluated name is an incident, not a subscription to ""', async () => {
    const driver = new CaseDriver(await boundaryModel(true)).start({ recallSignal: '' });
    expect(driver.state.incidents.filter((incident) => !incident.resolved)).toHaveLength(1);
    expect(driver.state.signalSubscriptions).toBeUndefined();
  });
});

describe('signal start events of event sub-processes', () => {
  it('interrupting: everything else in the scope ends', async () => {
    const driver = new CaseDriver(await eventSubProcessModel(true)).start();
    driver.broadcast('programme-stopped', { stoppedBy: 'ministry' });
    expect(driver.waitingAt()).toEqual(['Task_Stop']);
    expect(driver.auditTrail()).toContain('elementTerminated Task_Work');
    expect(driver.variables).toMatchObject({ stoppedBy: 'ministry' });
    expect(() => driver.broadcast('programme-stopped')).toThrow(InvalidEventError);
  });

  it('non-interrupting: runs next to the work, once per broadcast, and closes with the case', async () => {
    const driver = new CaseDriver(await eventSubProcessModel(false)).start();
    driver.broadcast('programme-stopped').broadcast('programme-stopped');
    expect(driver.waitingAt()).toEqual(['Task_Stop', 'Task_Stop', 'Task_Work']);
    driver.completeTask('Task_Work').completeTask('Task_Stop', {}, driver.tokensAt('Task_Stop')[0]?.id);
    driver.completeTask('Task_Stop');
    expect(driver.state.status).toBe('completed');
    expect(driver.state.signalSubscriptions).toBeUndefined();
  });
});

describe('one broadcast, several subscriptions in one case', () => {
  it('triggers each open subscription once; one that an earlier trigger closed is skipped', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:parallelGateway id="Fork" />
        <bpmn:intermediateCatchEvent id="Wait_A">${signalRef('Sig_Go')}</bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="Wait_B">${signalRef('Sig_Go')}</bpmn:intermediateCatchEvent>
        ${staffTask('Task_A')}
        ${staffTask('Task_B')}
        <bpmn:endEvent id="End_A" />
        <bpmn:endEvent id="End_B" />
        ${flow('F1', 'Start', 'Fork')}
        ${flow('F2', 'Fork', 'Wait_A')}
        ${flow('F3', 'Fork', 'Wait_B')}
        ${flow('F4', 'Wait_A', 'Task_A')}
        ${flow('F5', 'Wait_B', 'Task_B')}
        ${flow('F6', 'Task_A', 'End_A')}
        ${flow('F7', 'Task_B', 'End_B')}`,
        signal('Sig_Go', 'go'),
      ),
    );
    const both = new CaseDriver(model).start().broadcast('go');
    expect(both.waitingAt()).toEqual(['Task_A', 'Task_B']);

    const stoppable = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateCatchEvent id="Wait">${signalRef('Sig_Go')}</bpmn:intermediateCatchEvent>
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Wait')}
        ${flow('F2', 'Wait', 'End')}
        <bpmn:subProcess id="On_Go" triggeredByEvent="true">
          <bpmn:startEvent id="Go_Start">${signalRef('Sig_Go')}</bpmn:startEvent>
          ${staffTask('Task_Stopped')}
          <bpmn:endEvent id="Go_End" />
          ${flow('S1', 'Go_Start', 'Task_Stopped')}
          ${flow('S2', 'Task_Stopped', 'Go_End')}
        </bpmn:subProcess>`,
        signal('Sig_Go', 'go'),
      ),
    );
    const interrupted = new CaseDriver(stoppable).start();
    expect(interrupted.state.signalSubscriptions).toHaveLength(2);
    interrupted.broadcast('go');
    // The event sub-process subscribed first; starting it ended the catch event, whose subscription is not triggered.
    expect(interrupted.waitingAt()).toEqual(['Task_Stopped']);
    expect(interrupted.auditTrail()).not.toContain('elementCompleted Wait');
    expect(interrupted.state.signalSubscriptions).toBeUndefined();
  });
});

describe('signals after an event-based gateway', () => {
  it('the signal that comes first decides the path and closes the other events', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:eventBasedGateway id="Gateway" />
        <bpmn:intermediateCatchEvent id="Wait_Signal">${signalRef('Sig_Go')}</bpmn:intermediateCatchEvent>
        <bpmn:intermediateCatchEvent id="Wait_Timer">
          <bpmn:timerEventDefinition id="TD"><bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:intermediateCatchEvent>
        ${staffTask('Task_Signal')}
        <bpmn:endEvent id="End_Signal" />
        <bpmn:endEvent id="End_Timer" />
        ${flow('F1', 'Start', 'Gateway')}
        ${flow('F2', 'Gateway', 'Wait_Signal')}
        ${flow('F3', 'Gateway', 'Wait_Timer')}
        ${flow('F4', 'Wait_Signal', 'Task_Signal')}
        ${flow('F5', 'Task_Signal', 'End_Signal')}
        ${flow('F6', 'Wait_Timer', 'End_Timer')}`,
        signal('Sig_Go', 'go'),
      ),
    );
    const driver = new CaseDriver(model).start().broadcast('go');
    expect(driver.waitingAt()).toEqual(['Task_Signal']);
    expect(driver.commandsOf('cancelTimer')).toHaveLength(1);
    expect(driver.state.timers).toEqual([]);
    expect(driver.state.signalSubscriptions).toBeUndefined();

    const timedOut = new CaseDriver(model).start().fireTimer('Wait_Timer');
    expect(timedOut.state.status).toBe('completed');
    expect(timedOut.commandsOf('closeSignalSubscription')).toHaveLength(1);
  });
});

describe('signal throw and end events', () => {
  const throwing = (body: string) =>
    compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        ${body}
        <bpmn:endEvent id="End" />
        ${flow('F1', 'Start', 'Throw')}
        ${flow('F2', 'Throw', 'End')}`,
        signal('Sig_Done', '=&quot;review-done-&quot; + string(round)'),
      ),
    );

  it('a throw event runs the built-in broadcast job with the evaluated name and only its input mappings', async () => {
    const model = await throwing(`
      <bpmn:intermediateThrowEvent id="Throw">
        <bpmn:extensionElements>
          <zeebe:ioMapping><zeebe:input source="=outcome" target="result" /></zeebe:ioMapping>
        </bpmn:extensionElements>
        ${signalRef('Sig_Done')}
      </bpmn:intermediateThrowEvent>`);
    const driver = new CaseDriver(model).start({ round: 2, outcome: 'approved', secret: 'not sent' });
    expect(driver.commandsOf('runJob')).toEqual([
      {
        type: 'runJob',
        tokenId: expect.any(String),
        elementId: 'Throw',
        taskType: SIGNAL_BROADCAST_JOB_TYPE,
        retries: 3,
        headers: { signalName: 'review-done-2' },
        variables: { result: 'approved' },
      },
    ]);
    driver.completeJob('Throw');
    expect(driver.state.status).toBe('completed');
  });

  it('an end event broadcasts through the same job, then ends', async () => {
    const model = await compile(
      bpmn(
        `
        <bpmn:startEvent id="Start" />
        <bpmn:endEvent id="Throw">${signalRef('Sig_Done')}</bpmn:endEvent>
        ${flow('F1', 'Start', 'Throw')}`,
        signal('Sig_Done', 'all-done'),
      ),
    );
    const driver = new CaseDriver(model).start();
    expect(driver.commandsOf('runJob').map((job) => job.headers)).toEqual([{ signalName: 'all-done' }]);
    expect(driver.state.status).toBe('active');
    driver.completeJob('Throw');
    expect(driver.state.status).toBe('completed');
  });

  it('a failing broadcast is an incident that a retry runs again', async () => {
    const model = await throwing(
      `<bpmn:intermediateThrowEvent id="Throw">${signalRef('Sig_Done')}</bpmn:intermediateThrowEvent>`,
    );
    const driver = new CaseDriver(model).start({ round: 1 });
    driver.failJob('Throw', 'Temporal unavailable').retry();
    expect(driver.commandsOf('runJob').map((job) => job.headers)).toEqual([{ signalName: 'review-done-1' }]);
  });
});

describe('compiling signal events', () => {
  const errorsOf = async (xml: string) => {
    const result = await compileService({ bpmn: [xml], dmn: [] });
    return result.ok ? [] : result.errors.map((error) => `${error.elementId ?? ''}: ${error.message}`);
  };

  it('refuses a signal start event on the process level with the nearest alternative', async () => {
    const errors = await errorsOf(
      bpmn(
        `<bpmn:startEvent id="Start">${signalRef('Sig_X')}</bpmn:startEvent><bpmn:endEvent id="End" />${flow('F1', 'Start', 'End')}`,
        signal('Sig_X', 'x'),
      ),
    );
    expect(errors.join('\n')).toMatch(/Start: signal start events are not supported; .*event sub-process/);
  });

  it('refuses a signal without a name or a reference, and a task definition on a signal throw', async () => {
    const unnamed = await errorsOf(
      bpmn(
        `<bpmn:startEvent id="Start" /><bpmn:intermediateCatchEvent id="Wait">${signalRef('Sig_X')}</bpmn:intermediateCatchEvent>
         <bpmn:endEvent id="End" />${flow('F1', 'Start', 'Wait')}${flow('F2', 'Wait', 'End')}`,
        '<bpmn:signal id="Sig_X" />',
      ),
    );
    expect(unnamed.join('\n')).toContain('Wait: the signal Sig_X has no name');
    const unreferenced = await errorsOf(
      bpmn(
        `<bpmn:startEvent id="Start" /><bpmn:intermediateCatchEvent id="Wait"><bpmn:signalEventDefinition id="S" /></bpmn:intermediateCatchEvent>
         <bpmn:endEvent id="End" />${flow('F1', 'Start', 'Wait')}${flow('F2', 'Wait', 'End')}`,
      ),
    );
    expect(unreferenced.join('\n')).toContain('Wait: the event references no signal');
    const withJob = await errorsOf(
      bpmn(
        `<bpmn:startEvent id="Start" />
         <bpmn:intermediateThrowEvent id="Throw">
           <bpmn:extensionElements><zeebe:taskDefinition type="my-worker" /></bpmn:extensionElements>
           ${signalRef('Sig_X')}
         </bpmn:intermediateThrowEvent>
         <bpmn:endEvent id="End" />${flow('F1', 'Start', 'Throw')}${flow('F2', 'Throw', 'End')}`,
        signal('Sig_X', 'x'),
      ),
    );
    expect(withJob.join('\n')).toContain('Throw: a signal throw event is broadcast by Lotse itself');
  });

  it('checks a FEEL signal name', async () => {
    const errors = await errorsOf(
      bpmn(
        `<bpmn:startEvent id="Start" /><bpmn:intermediateCatchEvent id="Wait">${signalRef('Sig_X')}</bpmn:intermediateCatchEvent>
         <bpmn:endEvent id="End" />${flow('F1', 'Start', 'Wait')}${flow('F2', 'Wait', 'End')}`,
        signal('Sig_X', '=name +'),
      ),
    );
    expect(errors.join('\n')).toContain('Wait:');
  });
});
