import { describe, expect, it } from 'vitest';
import { bpmn, CaseDriver, compile } from './test-driver.js';
import { InvalidEventError } from './types.js';

const flow = (id: string, source: string, target: string) =>
  `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}" />`;

/** Start → the activity → end. */
async function around(
  activity: string,
  activityId: string,
  rootElements = '',
  others: string[] = [],
  dmn: string[] = [],
) {
  return compile(
    bpmn(
      `
      <bpmn:startEvent id="Start" />
      ${activity}
      <bpmn:endEvent id="End" />
      ${flow('F1', 'Start', activityId)}
      ${flow('F2', activityId, 'End')}`,
      rootElements,
    ),
    others,
    dmn,
  );
}

/** A sub-process with its own variable, a task with input and output mappings inside. */
const scoped = await around(
  `<bpmn:subProcess id="Sub_Check">
    <bpmn:extensionElements>
      <zeebe:ioMapping>
        <zeebe:input source="=0" target="attempts" />
        <zeebe:output source="=attempts" target="checkAttempts" />
      </zeebe:ioMapping>
    </bpmn:extensionElements>
    <bpmn:startEvent id="Sub_Start" />
    <bpmn:serviceTask id="Task_Check">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="register-check" />
        <zeebe:ioMapping>
          <zeebe:input source="=applicant.registerNumber" target="registerNumber" />
          <zeebe:output source="=found" target="register.found" />
          <zeebe:output source="=attempts + 1" target="attempts" />
        </zeebe:ioMapping>
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:userTask id="Task_Confirm">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="staff" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="Sub_End" />
    ${flow('S1', 'Sub_Start', 'Task_Check')}
    ${flow('S2', 'Task_Check', 'Task_Confirm')}
    ${flow('S3', 'Task_Confirm', 'Sub_End')}
  </bpmn:subProcess>`,
  'Sub_Check',
);

describe('user task', () => {
  it('opens the task with assignment, dates and priority evaluated from FEEL when it starts', async () => {
    const model = await around(
      `<bpmn:userTask id="Task_Review" name="Prüfen">
        <bpmn:extensionElements>
          <zeebe:assignmentDefinition assignee="=reviewer" candidateGroups="=[department, &quot;leitung&quot;]" candidateUsers="mueller, schulz" />
          <zeebe:taskSchedule dueDate="=date and time(submittedAt) + duration(&quot;P14D&quot;)" followUpDate="2025-03-05T09:00:00+01:00" />
          <zeebe:priorityDefinition priority="=if urgent then 80 else 50" />
          <zeebe:formDefinition formId="review-form" />
        </bpmn:extensionElements>
      </bpmn:userTask>`,
      'Task_Review',
    );

    const run = new CaseDriver(model).start({
      reviewer: 'weber',
      department: 'bauamt',
      submittedAt: '2025-03-01T10:00:00+01:00',
      urgent: true,
    });

    expect(run.commands).toEqual([
      {
        type: 'openTask',
        tokenId: 't2',
        elementId: 'Task_Review',
        name: 'Prüfen',
        formId: 'review-form',
        candidateGroups: ['bauamt', 'leitung'],
        assignee: 'weber',
        candidateUsers: ['mueller', 'schulz'],
        dueDate: '2025-03-15T10:00:00+01:00',
        followUpDate: '2025-03-05T09:00:00+01:00',
        priority: 80,
      },
    ]);
    expect(run.tokenAt('Task_Review').assignment).toEqual({
      candidateGroups: ['bauamt', 'leitung'],
      candidateUsers: ['mueller', 'schulz'],
      assignee: 'weber',
    });
  });

  it('takes a due date given as a date-time value or text', async () => {
    const model = await around(
      `<bpmn:userTask id="Task_Review">
        <bpmn:extensionElements>
          <zeebe:assignmentDefinition candidateGroups="staff" />
          <zeebe:taskSchedule dueDate="=date and time(submitted) + duration(&quot;P14D&quot;)" />
        </bpmn:extensionElements>
      </bpmn:userTask>`,
      'Task_Review',
    );

    const run = new CaseDriver(model).start({ submitted: '2025-03-01T10:00:00+01:00' });

    expect(run.commandsOf('openTask')[0]?.dueDate).toBe('2025-03-15T10:00:00+01:00');
  });

  it('raises an incident when an assignment expression fails, and opens the task after a retry', async () => {
    const model = await around(
      `<bpmn:userTask id="Task_Review">
        <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=groups" /></bpmn:extensionElements>
      </bpmn:userTask>`,
      'Task_Review',
    );

    const run = new CaseDriver(model).start({ groups: 42 });
    expect(run.state.incidents[0]?.message).toBe(
      'The candidateGroups of Task_Review must be a list of names, but it is 42',
    );
    expect(run.commands).toEqual([]);
    expect(() => run.completeTask('Task_Review')).toThrow(InvalidEventError);

    run.retry(undefined, { groups: ['bauamt'] });
    expect(run.commandsOf('openTask')).toEqual([expect.objectContaining({ candidateGroups: ['bauamt'] })]);
  });
});

describe('tasks the engine runs itself', () => {
  it('a script task stores the FEEL result in its result variable', async () => {
    const model = await around(
      `<bpmn:scriptTask id="Script_Total">
        <bpmn:extensionElements><zeebe:script expression="=sum(for item in items return item.amount)" resultVariable="total" /></bpmn:extensionElements>
      </bpmn:scriptTask>`,
      'Script_Total',
    );

    const run = new CaseDriver(model).start({ items: [{ amount: 1200 }, { amount: 300 }] });

    expect(run.variables['total']).toBe(1500);
    expect(run.state.status).toBe('completed');
  });

  it('a script that fails is an incident on the script task; a retry with fixed data runs it again', async () => {
    const model = await around(
      `<bpmn:scriptTask id="Script_Total">
        <bpmn:extensionElements><zeebe:script expression="=amount * 2" resultVariable="total" /></bpmn:extensionElements>
      </bpmn:scriptTask>`,
      'Script_Total',
    );

    const run = new CaseDriver(model).start({ amount: 'viel' });
    expect(run.state.incidents[0]).toMatchObject({ elementId: 'Script_Total', failedStep: 'activate' });
    expect(run.state.incidents[0]?.message).toMatch(/^The script of Script_Total could not be evaluated: /);

    run.retry(undefined, { amount: 21 });
    expect(run.variables['total']).toBe(42);
  });

  it.each(['manualTask', 'task'])('a %s passes straight through', async (kind) => {
    const model = await around(`<bpmn:${kind} id="Just_Do_It" />`, 'Just_Do_It');

    const run = new CaseDriver(model).start();

    expect(run.state.status).toBe('completed');
    expect(run.auditTrail()).toContain('elementCompleted Just_Do_It');
  });

  it('a send task runs a job whose type may be FEEL', async () => {
    const model = await around(
      `<bpmn:sendTask id="Send_Letter">
        <bpmn:extensionElements>
          <zeebe:taskDefinition type="=channel + &quot;-letter&quot;" />
          <zeebe:taskHeaders><zeebe:header key="template" value="decision" /></zeebe:taskHeaders>
        </bpmn:extensionElements>
      </bpmn:sendTask>`,
      'Send_Letter',
    );

    const run = new CaseDriver(model).start({ channel: 'email' });

    expect(run.commands).toEqual([
      expect.objectContaining({ type: 'runJob', taskType: 'email-letter', headers: { template: 'decision' } }),
    ]);
  });

  it('a receive task waits for its message', async () => {
    const model = await around(
      `<bpmn:receiveTask id="Receive_Payment" messageRef="Message_Paid" />`,
      'Receive_Payment',
      `<bpmn:message id="Message_Paid" name="fee-paid">
        <bpmn:extensionElements><zeebe:subscription correlationKey="=invoice" /></bpmn:extensionElements>
      </bpmn:message>`,
    );

    const run = new CaseDriver(model).start({ invoice: 'R-17' });
    expect(run.commandsOf('openSubscription')).toEqual([
      expect.objectContaining({ elementId: 'Receive_Payment', messageName: 'fee-paid', correlationKey: 'R-17' }),
    ]);

    run.correlate('fee-paid', 'R-17', { paid: true });
    expect(run.state.status).toBe('completed');
    expect(run.variables['paid']).toBe(true);
  });
});

describe('variables and scopes', () => {
  it('input mappings create local variables; the job sees them and everything visible', () => {
    const run = new CaseDriver(scoped).start({ applicant: { registerNumber: 'HRB 1' }, register: { court: 'Köln' } });

    expect(run.commandsOf('runJob')[0]?.variables).toEqual({
      applicant: { registerNumber: 'HRB 1' },
      register: { court: 'Köln' },
      attempts: 0,
      registerNumber: 'HRB 1',
    });
    expect(run.variables).toEqual({ applicant: { registerNumber: 'HRB 1' }, register: { court: 'Köln' } });
  });

  it('with output mappings only the mapped values leave the task; they update the scope that has them', () => {
    const run = new CaseDriver(scoped).start({ applicant: { registerNumber: 'HRB 1' }, register: { court: 'Köln' } });

    run.completeJob('Task_Check', { found: true, rawResponse: '<xml/>' });

    // `register.found` updates the process variable; `attempts` stays in the sub-process; rawResponse stays local
    expect(run.variables).toEqual({ applicant: { registerNumber: 'HRB 1' }, register: { court: 'Köln', found: true } });
    expect(run.state.tokens.find((token) => token.elementId === 'Sub_Check')?.variables).toEqual({ attempts: 1 });
  });

  it('without output mappings a task’s variables go to the process scope, and the sub-process maps its own out', () => {
    const run = new CaseDriver(scoped).start({ applicant: { registerNumber: 'HRB 1' } });

    run.completeJob('Task_Check', { found: false }).completeTask('Task_Confirm', { confirmedBy: 'weber', attempts: 5 });

    expect(run.state.status).toBe('completed');
    // `attempts` existed in the sub-process scope, so the task's value landed there and left through the mapping
    expect(run.variables).toEqual({
      applicant: { registerNumber: 'HRB 1' },
      register: { found: false },
      confirmedBy: 'weber',
      checkAttempts: 5,
    });
  });

  it('an output mapping that fails is an incident after the work; a retry completes the task', async () => {
    const model = await around(
      `<bpmn:serviceTask id="Task_Check">
        <bpmn:extensionElements>
          <zeebe:taskDefinition type="register-check" />
          <zeebe:ioMapping><zeebe:output source="=hits * factor" target="score" /></zeebe:ioMapping>
        </bpmn:extensionElements>
      </bpmn:serviceTask>`,
      'Task_Check',
    );
    const run = new CaseDriver(model).start({ factor: 'hoch' });

    // When the job is done but its output cannot be mapped
    run.completeJob('Task_Check', { hits: 3 });

    // Then the task keeps its token with the job's variables, and the job cannot report again
    expect(run.state.incidents[0]).toMatchObject({ elementId: 'Task_Check', failedStep: 'complete' });
    expect(run.tokenAt('Task_Check').variables).toEqual({ hits: 3 });
    expect(() => run.completeJob('Task_Check')).toThrow(InvalidEventError);

    // And a retry with the data fixed maps the output without running the job again
    run.retry(undefined, { factor: 2 });
    expect(run.commands).toEqual([]);
    expect(run.state.status).toBe('completed');
    expect(run.variables).toEqual({ factor: 2, score: 6 });
  });
});

describe('multi-instance', () => {
  const statements = (sequential: boolean, extra = '') =>
    around(
      `<bpmn:userTask id="Task_Statement">
        <bpmn:extensionElements>
          <zeebe:assignmentDefinition candidateGroups="=department" />
        </bpmn:extensionElements>
        <bpmn:multiInstanceLoopCharacteristics isSequential="${sequential}">
          <bpmn:extensionElements>
            <zeebe:loopCharacteristics inputCollection="=departments" inputElement="department"
              outputCollection="statements" outputElement="=statement" />
          </bpmn:extensionElements>
          ${extra}
        </bpmn:multiInstanceLoopCharacteristics>
      </bpmn:userTask>`,
      'Task_Statement',
    );

  it('parallel: one task per item at once, each with its item and loopCounter; outputs collected in order', async () => {
    const run = new CaseDriver(await statements(false)).start({ departments: ['bauamt', 'umweltamt', 'ordnungsamt'] });

    expect(run.commandsOf('openTask').map((command) => command.candidateGroups)).toEqual([
      ['bauamt'],
      ['umweltamt'],
      ['ordnungsamt'],
    ]);
    const [first, second, third] = run.tokensAt('Task_Statement');
    expect(first?.variables).toEqual({ loopCounter: 1, department: 'bauamt', statement: null });

    run.completeTask('Task_Statement', { statement: 'ok vom Umweltamt' }, second?.id);
    run.completeTask('Task_Statement', { statement: 'ok vom Ordnungsamt' }, third?.id);
    expect(run.variables['statements']).toBeUndefined();
    run.completeTask('Task_Statement', { statement: 'Auflagen vom Bauamt' }, first?.id);

    expect(run.state.status).toBe('completed');
    expect(run.variables['statements']).toEqual(['Auflagen vom Bauamt', 'ok vom Umweltamt', 'ok vom Ordnungsamt']);
    // The item and the output element stayed local to each instance
    expect(run.variables['department']).toBeUndefined();
    expect(run.variables['statement']).toBeUndefined();
  });

  it('sequential: the next instance starts when the previous one completed', async () => {
    const run = new CaseDriver(await statements(true)).start({ departments: ['bauamt', 'umweltamt'] });

    expect(run.tokensAt('Task_Statement')).toHaveLength(1);
    run.completeTask('Task_Statement', { statement: 'a' });
    expect(run.tokenAt('Task_Statement').variables).toMatchObject({ loopCounter: 2, department: 'umweltamt' });
    run.completeTask('Task_Statement', { statement: 'b' });

    expect(run.variables['statements']).toEqual(['a', 'b']);
  });

  it('an empty collection completes at once with an empty output collection', async () => {
    const run = new CaseDriver(await statements(false)).start({ departments: [] });

    expect(run.state.status).toBe('completed');
    expect(run.variables['statements']).toEqual([]);
  });

  it('a completion condition ends the remaining instances', async () => {
    const run = new CaseDriver(
      await statements(false, '<bpmn:completionCondition>=statement = "veto"</bpmn:completionCondition>'),
    ).start({ departments: ['bauamt', 'umweltamt', 'ordnungsamt'] });

    run.completeTask('Task_Statement', { statement: 'veto' }, run.tokensAt('Task_Statement')[1]?.id);

    expect(run.state.status).toBe('completed');
    expect(run.commandsOf('closeTask').map((command) => command.outcome)).toEqual([
      'completed',
      'cancelled',
      'cancelled',
    ]);
    expect(run.variables['statements']).toEqual([null, 'veto', null]);
  });

  it('a collection that is not a list is an incident on the activity', async () => {
    const run = new CaseDriver(await statements(false)).start({ departments: 'bauamt' });

    expect(run.state.incidents[0]?.message).toBe(
      'The input collection of Task_Statement must be a list, but "departments" gave "bauamt"',
    );
    run.retry(undefined, { departments: ['bauamt'] });
    expect(run.tokensAt('Task_Statement')).toHaveLength(1);
  });

  it('a multi-instance sub-process runs its inside once per item, with a boundary timer on the whole', async () => {
    const model = await compile(
      bpmn(`
        <bpmn:startEvent id="Start" />
        <bpmn:subProcess id="Sub_Site">
          <bpmn:multiInstanceLoopCharacteristics>
            <bpmn:extensionElements>
              <zeebe:loopCharacteristics inputCollection="=sites" inputElement="site" outputCollection="visits" outputElement="=visit" />
            </bpmn:extensionElements>
          </bpmn:multiInstanceLoopCharacteristics>
          <bpmn:startEvent id="Sub_Start" />
          <bpmn:serviceTask id="Task_Visit">
            <bpmn:extensionElements>
              <zeebe:taskDefinition type="site-visit" />
              <zeebe:ioMapping><zeebe:output source="=report" target="visit" /></zeebe:ioMapping>
            </bpmn:extensionElements>
          </bpmn:serviceTask>
          <bpmn:endEvent id="Sub_End" />
          ${flow('S1', 'Sub_Start', 'Task_Visit')}
          ${flow('S2', 'Task_Visit', 'Sub_End')}
        </bpmn:subProcess>
        <bpmn:boundaryEvent id="Too_Long" attachedToRef="Sub_Site">
          <bpmn:timerEventDefinition id="TD"><bpmn:timeDuration>P30D</bpmn:timeDuration></bpmn:timerEventDefinition>
        </bpmn:boundaryEvent>
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="End_Late" />
        ${flow('F1', 'Start', 'Sub_Site')}
        ${flow('F2', 'Sub_Site', 'End')}
        ${flow('F3', 'Too_Long', 'End_Late')}`),
    );
    const run = new CaseDriver(model).start({ sites: ['Gewerbegebiet Nord', 'Hafen'] });

    expect(run.commandsOf('startTimer')).toHaveLength(1);
    const jobs = run.commandsOf('runJob');
    expect(jobs.map((job) => job.variables['site'])).toEqual(['Gewerbegebiet Nord', 'Hafen']);

    run.completeJob('Task_Visit', { report: 'Nord ok' }, jobs[0]?.tokenId);
    run.completeJob('Task_Visit', { report: 'Hafen ok' }, jobs[1]?.tokenId);

    expect(run.state.status).toBe('completed');
    expect(run.variables).toEqual({ sites: ['Gewerbegebiet Nord', 'Hafen'], visits: ['Nord ok', 'Hafen ok'] });
    expect(run.commandsOf('cancelTimer')).toHaveLength(1);
  });
});

describe('call activity', () => {
  const statementProcess = bpmn(
    `
    <bpmn:startEvent id="StartEvent_1" />
    <bpmn:userTask id="Task_Statement">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="=department" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:exclusiveGateway id="Objection" default="F_Ok" />
    <bpmn:endEvent id="End_Objection"><bpmn:errorEventDefinition id="ED" errorRef="Error_Objection" /></bpmn:endEvent>
    <bpmn:endEvent id="End_1" />
    ${flow('F1', 'StartEvent_1', 'Task_Statement')}
    ${flow('F2', 'Task_Statement', 'Objection')}
    <bpmn:sequenceFlow id="F_Objection" sourceRef="Objection" targetRef="End_Objection">
      <bpmn:conditionExpression>=objection = true</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    ${flow('F_Ok', 'Objection', 'End_1')}`,
    '<bpmn:error id="Error_Objection" errorCode="OBJECTION" />',
    'statement',
  );

  const caller = (calledElement: string, mappings = '') => `
    <bpmn:startEvent id="StartEvent_1" />
    <bpmn:callActivity id="Call_Statement">
      <bpmn:extensionElements>
        <zeebe:calledElement processId="statement" ${calledElement} />
        ${mappings}
      </bpmn:extensionElements>
    </bpmn:callActivity>
    <bpmn:boundaryEvent id="Objected" attachedToRef="Call_Statement">
      <bpmn:errorEventDefinition id="ED" errorRef="Error_Objection" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="End_1" />
    <bpmn:endEvent id="End_Objected" />
    ${flow('F1', 'StartEvent_1', 'Call_Statement')}
    ${flow('F2', 'Call_Statement', 'End_1')}
    ${flow('F3', 'Objected', 'End_Objected')}`;

  it('runs the called process inside the case with a copy of the variables, and takes its variables back', async () => {
    const model = await compile(bpmn(caller(''), '<bpmn:error id="Error_Objection" errorCode="OBJECTION" />'), [
      statementProcess,
    ]);
    expect(model.calledProcesses).toEqual({
      statement: { processId: 'statement', startEventId: 'statement/StartEvent_1', eventSubProcessIds: [] },
    });

    const run = new CaseDriver(model).start({ department: 'bauamt', caseNumber: 'A-1' });

    // The called process's element ids are prefixed with its process id
    expect(run.commandsOf('openTask')).toEqual([
      expect.objectContaining({ elementId: 'statement/Task_Statement', candidateGroups: ['bauamt'] }),
    ]);
    expect(run.state.tokens.map(({ elementId, role }) => ({ elementId, role }))).toEqual([
      { elementId: 'Call_Statement', role: undefined },
      { elementId: 'Call_Statement', role: 'calledProcess' },
      { elementId: 'statement/Task_Statement', role: undefined },
    ]);

    run.completeTask('statement/Task_Statement', { objection: false, statement: 'einverstanden' });

    expect(run.state.status).toBe('completed');
    expect(run.variables).toEqual({
      department: 'bauamt',
      caseNumber: 'A-1',
      objection: false,
      statement: 'einverstanden',
    });
  });

  it('propagateAllChildVariables="false" and input mappings: only the mapped values go in and out', async () => {
    const model = await compile(
      bpmn(
        caller(
          'propagateAllChildVariables="false" propagateAllParentVariables="false"',
          `<zeebe:ioMapping>
             <zeebe:input source="=&quot;umweltamt&quot;" target="department" />
             <zeebe:output source="=statement" target="environmentStatement" />
           </zeebe:ioMapping>`,
        ),
        '<bpmn:error id="Error_Objection" errorCode="OBJECTION" />',
      ),
      [statementProcess],
    );
    const run = new CaseDriver(model).start({ caseNumber: 'A-1' });
    expect(run.state.tokens.find((token) => token.role === 'calledProcess')?.variables).toEqual({
      department: 'umweltamt',
    });

    run.completeTask('statement/Task_Statement', { objection: false, statement: 'ok' });

    expect(run.variables).toEqual({ caseNumber: 'A-1', environmentStatement: 'ok' });
  });

  it('an error thrown in the called process is caught by a boundary event on the call activity', async () => {
    const model = await compile(bpmn(caller(''), '<bpmn:error id="Error_Objection" errorCode="OBJECTION" />'), [
      statementProcess,
    ]);
    const run = new CaseDriver(model).start({ department: 'bauamt' });

    run.completeTask('statement/Task_Statement', { objection: true });

    expect(run.state.status).toBe('completed');
    expect(run.auditTrail()).toEqual(
      expect.arrayContaining(['elementTerminated Call_Statement', 'elementCompleted Objected']),
    );
    // Terminated: the called process's variables do not come back
    expect(run.variables).toEqual({ department: 'bauamt' });
  });

  it('warns about a process in the service files that nothing calls', async () => {
    const { compileService } = await import('../model/compile.js');
    const result = await compileService({
      bpmn: [bpmn('<bpmn:startEvent id="S" /><bpmn:endEvent id="E" />' + flow('F', 'S', 'E')), statementProcess],
      dmn: [],
    });

    expect(result).toMatchObject({
      ok: true,
      warnings: [
        { elementId: 'statement', message: 'no call activity calls this process; it is not part of the service' },
      ],
    });
  });
});

describe('business rule task', () => {
  const eligibility = `<?xml version="1.0" encoding="UTF-8"?>
    <definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="Definitions_Funding" name="Funding"
      namespace="http://camunda.org/schema/1.0/dmn">
      <decision id="eligibility" name="Förderfähig?">
        <decisionTable id="Table_Eligibility" hitPolicy="FIRST">
          <input id="Input_Employees" label="Beschäftigte">
            <inputExpression id="Expr_Employees" typeRef="number"><text>employees + 0</text></inputExpression>
          </input>
          <output id="Output_Eligible" name="eligible" typeRef="boolean" />
          <rule id="Rule_Small"><inputEntry id="IE1"><text>&lt; 250</text></inputEntry><outputEntry id="OE1"><text>true</text></outputEntry></rule>
          <rule id="Rule_Large"><inputEntry id="IE2"><text>-</text></inputEntry><outputEntry id="OE2"><text>false</text></outputEntry></rule>
        </decisionTable>
      </decision>
    </definitions>`;

  const task = `<bpmn:businessRuleTask id="Rule_Eligibility">
      <bpmn:extensionElements><zeebe:calledDecision decisionId="eligibility" resultVariable="eligible" /></bpmn:extensionElements>
    </bpmn:businessRuleTask>`;

  it('the compiled model carries the decisions of the service', async () => {
    const model = await around(task, 'Rule_Eligibility', '', [], [eligibility]);

    expect(Object.keys(model.decisions ?? {})).toEqual(['eligibility']);
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  it.each([
    { employees: 40, eligible: true, rule: 'Rule_Small' },
    { employees: 900, eligible: false, rule: 'Rule_Large' },
  ])(
    'evaluates the decision into the result variable: $employees employees → $eligible',
    async ({ employees, eligible, rule }) => {
      const model = await around(task, 'Rule_Eligibility', '', [], [eligibility]);

      const run = new CaseDriver(model).start({ employees });

      expect(run.variables['eligible']).toBe(eligible);
      expect(run.audit).toContainEqual(
        expect.objectContaining({
          type: 'elementCompleted',
          elementId: 'Rule_Eligibility',
          detail: `decision eligibility matched ${rule}`,
        }),
      );
    },
  );

  it('a decision that cannot decide is an incident; a retry with the data decides', async () => {
    const model = await around(task, 'Rule_Eligibility', '', [], [eligibility]);

    const run = new CaseDriver(model).start({ employees: 'viele' });
    expect(run.state.incidents[0]).toMatchObject({ elementId: 'Rule_Eligibility', failedStep: 'activate' });
    expect(run.state.incidents[0]?.message).toMatch(/^The decision eligibility of Rule_Eligibility failed: /);

    run.retry(undefined, { employees: 12 });
    expect(run.variables['eligible']).toBe(true);
  });
});
