import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileErrorsToText, compileProcess } from '../model/compile.js';
import type { ProcessModel } from '../model/process-model.js';
import { initialState, MAX_ENTRIES_PER_STEP, startCase, step, SYSTEM_ACTOR, type StartCaseEvent } from './interpret.js';
import { InvalidEventError, type CaseEvent, type CaseState, type StepResult } from './types.js';

async function compile(xml: string): Promise<ProcessModel> {
  const result = await compileProcess(xml);
  if (!result.ok) {
    throw new Error(compileErrorsToText(result.errors));
  }
  return result.model;
}

function bpmn(processBody: string): string {
  return `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_Test">
    <bpmn:process id="test-process" isExecutable="true">${processBody}</bpmn:process>
  </bpmn:definitions>`;
}

// A frozen copy of the general inquiry as it was with its own answer mail: these tests need a job in the path.
const generalInquiry = await compile(readFileSync(new URL('./fixtures/general-inquiry.bpmn', import.meta.url), 'utf8'));

/** Conditions only, no default flow: a grant request that can fall through every condition. */
const grantDecision = await compile(
  bpmn(`
    <bpmn:startEvent id="Start" />
    <bpmn:exclusiveGateway id="Gateway_Amount" name="Betrag?" />
    <bpmn:userTask id="Task_Board">
      <bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="vorstand" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="End_Small" />
    <bpmn:endEvent id="End_Board" />
    <bpmn:sequenceFlow id="Flow_Start" sourceRef="Start" targetRef="Gateway_Amount" />
    <bpmn:sequenceFlow id="Flow_Large" sourceRef="Gateway_Amount" targetRef="Task_Board">
      <bpmn:conditionExpression>=number(amount) &gt; 10000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Small" sourceRef="Gateway_Amount" targetRef="End_Small">
      <bpmn:conditionExpression>=number(amount) &lt;= 10000</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_BoardDone" sourceRef="Task_Board" targetRef="End_Board" />`),
);

/** A gateway that loops back to itself while `again` is true: nothing ever waits. */
const endlessLoop = await compile(
  bpmn(`
    <bpmn:startEvent id="Start" />
    <bpmn:exclusiveGateway id="Gateway_Loop" default="Flow_Done" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="Flow_Start" sourceRef="Start" targetRef="Gateway_Loop" />
    <bpmn:sequenceFlow id="Flow_Again" sourceRef="Gateway_Loop" targetRef="Gateway_Loop">
      <bpmn:conditionExpression>=again = true</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_Done" sourceRef="Gateway_Loop" targetRef="End" />`),
);

const submitted: StartCaseEvent = {
  type: 'start',
  at: '2025-03-01T09:00:00.000Z',
  actor: 'applicant:42',
  variables: { subject: 'Förderprogramme', applicant: { name: 'Muster GmbH', email: 'info@muster.example' } },
};

/** Runs events one after the other and returns every step's result. */
function run(model: ProcessModel, events: CaseEvent[], state: CaseState = initialState()): StepResult[] {
  const results: StepResult[] = [];
  let current = state;
  for (const event of events) {
    const result = step(model, current, event);
    results.push(result);
    current = result.state;
  }
  return results;
}

function last(results: StepResult[]): StepResult {
  const result = results.at(-1);
  if (result === undefined) {
    throw new Error('no step ran');
  }
  return result;
}

type CompleteTaskEvent = Extract<CaseEvent, { type: 'completeTask' }>;
type CompleteJobEvent = Extract<CaseEvent, { type: 'completeJob' }>;

function answered(variables: Record<string, unknown>): CompleteTaskEvent {
  return { type: 'completeTask', at: '2025-03-02T10:00:00.000Z', actor: 'staff:mueller', tokenId: 't2', variables };
}

const mailSent: CompleteJobEvent = {
  type: 'completeJob',
  at: '2025-03-02T10:00:05.000Z',
  tokenId: 't3',
  variables: {},
};

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const nested of Object.values(value)) {
      deepFreeze(nested);
    }
    Object.freeze(value);
  }
  return value;
}

describe('starting a case', () => {
  it('moves the token through the start event to the first user task and opens it', () => {
    // Given the general-inquiry model
    // When an applicant submits the start form
    const { state, commands, audit } = startCase(generalInquiry, submitted);

    // Then one token waits at the answer task, which is opened for the caseworkers
    expect(state).toEqual({
      seq: 1,
      status: 'active',
      publicStatus: 'In Bearbeitung',
      variables: submitted.variables,
      tokens: [
        {
          id: 't2',
          elementId: 'Task_Answer',
          assignment: { candidateGroups: ['wirtschaftsfoerderung'], candidateUsers: [] },
        },
      ],
      incidents: [],
      nextId: 3,
      timers: [],
      subscriptions: [],
    });
    expect(commands).toEqual([
      {
        type: 'openTask',
        tokenId: 't2',
        elementId: 'Task_Answer',
        name: 'Anfrage beantworten',
        formId: 'general-inquiry-answer',
        candidateGroups: ['wirtschaftsfoerderung'],
      },
    ]);
    expect(audit).toEqual([
      {
        type: 'elementEntered',
        elementId: 'StartEvent_Submitted',
        elementName: 'Anfrage eingegangen',
        status: 'Eingegangen',
        actor: 'applicant:42',
        at: submitted.at,
      },
      {
        type: 'elementCompleted',
        elementId: 'StartEvent_Submitted',
        elementName: 'Anfrage eingegangen',
        actor: 'applicant:42',
        at: submitted.at,
      },
      {
        type: 'elementEntered',
        elementId: 'Task_Answer',
        elementName: 'Anfrage beantworten',
        status: 'In Bearbeitung',
        actor: 'applicant:42',
        at: submitted.at,
      },
    ]);
  });

  it('is the same as a step from the initial state', () => {
    expect(startCase(generalInquiry, submitted)).toEqual(step(generalInquiry, initialState(), submitted));
  });
});

describe('completing tasks and jobs', () => {
  it('closes the user task, merges its variables and runs the service task with them', () => {
    // Given a started case
    // When the caseworker completes the answer task
    const { state, commands, audit } = last(
      run(generalInquiry, [submitted, answered({ answer: 'Hier die Antwort', followUpCall: false })]),
    );

    // Then the task is closed, the variables are merged and the mail job runs with all variables
    expect(state.variables).toEqual({ ...submitted.variables, answer: 'Hier die Antwort', followUpCall: false });
    expect(state.tokens).toEqual([{ id: 't3', elementId: 'Task_SendAnswer' }]);
    expect(commands).toEqual([
      { type: 'closeTask', tokenId: 't2', elementId: 'Task_Answer', actor: 'staff:mueller', outcome: 'completed' },
      {
        type: 'runJob',
        tokenId: 't3',
        elementId: 'Task_SendAnswer',
        taskType: 'email',
        retries: 3,
        headers: {
          to: '=applicant.email',
          subject: 'Ihre Anfrage {{caseNumber}}: {{subject}}',
          body: expect.stringContaining('{{answer}}'),
        },
        variables: state.variables,
      },
    ]);
    expect(audit.map(({ type, elementId, actor }) => ({ type, elementId, actor }))).toEqual([
      { type: 'elementCompleted', elementId: 'Task_Answer', actor: 'staff:mueller' },
      { type: 'elementEntered', elementId: 'Task_SendAnswer', actor: 'staff:mueller' },
    ]);
  });

  it('merges variables shallowly: a completed task replaces top-level values', () => {
    const { state } = last(run(generalInquiry, [submitted, answered({ applicant: { name: 'Neu GmbH' } })]));

    expect(state.variables['applicant']).toEqual({ name: 'Neu GmbH' });
  });
});

describe('the general-inquiry gateway "Rückruf gewünscht?"', () => {
  it.each([
    {
      followUp: { followUpCall: true },
      status: 'active',
      publicStatus: 'Rückruf geplant',
      tokens: [{ id: 't5', elementId: 'Task_FollowUpCall' }],
      detail: 'took Flow_Call (Ja)',
    },
    {
      followUp: { followUpCall: false },
      status: 'completed',
      publicStatus: 'Beantwortet',
      tokens: [],
      detail: 'took default Flow_NoCall (Nein)',
    },
    {
      followUp: {},
      status: 'completed',
      publicStatus: 'Beantwortet',
      tokens: [],
      detail: 'took default Flow_NoCall (Nein)',
    },
    {
      followUp: { followUpCall: 'ja' },
      status: 'completed',
      publicStatus: 'Beantwortet',
      tokens: [],
      detail: 'took default Flow_NoCall (Nein)',
    },
  ])('with $followUp: $status, "$publicStatus"', ({ followUp, status, publicStatus, tokens, detail }) => {
    // Given a case whose answer task was completed with the follow-up choice
    // When the answer mail was sent
    const { state, audit } = last(run(generalInquiry, [submitted, answered({ answer: 'x', ...followUp }), mailSent]));

    // Then the gateway picks the path
    expect(state).toMatchObject({ status, publicStatus, tokens });
    expect(audit).toContainEqual(
      expect.objectContaining({ type: 'elementCompleted', elementId: 'Gateway_FollowUp', detail }),
    );
  });

  it('completes the case after the follow-up call', () => {
    const { state, commands, audit } = last(
      run(generalInquiry, [
        submitted,
        answered({ answer: 'x', followUpCall: true }),
        mailSent,
        {
          type: 'completeTask',
          at: '2025-03-03T08:00:00.000Z',
          actor: 'staff:schulz',
          tokenId: 't5',
          variables: { callNotes: 'erreicht' },
        },
      ]),
    );

    expect(state).toMatchObject({ status: 'completed', publicStatus: 'Beantwortet', tokens: [] });
    expect(commands).toEqual([
      { type: 'closeTask', tokenId: 't5', elementId: 'Task_FollowUpCall', actor: 'staff:schulz', outcome: 'completed' },
    ]);
    expect(audit.at(-1)).toEqual({ type: 'caseCompleted', actor: 'staff:schulz', at: '2025-03-03T08:00:00.000Z' });
  });

  it('records job completions and what follows from them under the system actor', () => {
    const { audit } = last(run(generalInquiry, [submitted, answered({ answer: 'x' }), mailSent]));

    expect(new Set(audit.map((entry) => entry.actor))).toEqual(new Set([SYSTEM_ACTOR]));
  });
});

describe('incidents', () => {
  it('raises an incident when a job fails; the token stays and a retry runs the job again', () => {
    // Given the mail job is running
    const running = last(run(generalInquiry, [submitted, answered({ answer: 'x' })])).state;

    // When it fails for good
    const failed = step(generalInquiry, running, {
      type: 'failJob',
      at: '2025-03-02T10:05:00.000Z',
      tokenId: 't3',
      message: 'SMTP 550 mailbox unavailable',
    });

    // Then the case has an incident on the mail task, and nothing else happens
    expect(failed.state.status).toBe('incident');
    expect(failed.state.tokens).toEqual(running.tokens);
    expect(failed.state.incidents).toEqual([
      {
        id: 'i4',
        elementId: 'Task_SendAnswer',
        tokenId: 't3',
        message: 'SMTP 550 mailbox unavailable',
        at: '2025-03-02T10:05:00.000Z',
        resolved: false,
        failedStep: 'job',
      },
    ]);
    expect(failed.commands).toEqual([]);
    expect(failed.audit).toEqual([
      {
        type: 'incidentRaised',
        elementId: 'Task_SendAnswer',
        elementName: 'Antwort senden',
        actor: SYSTEM_ACTOR,
        at: '2025-03-02T10:05:00.000Z',
        detail: 'SMTP 550 mailbox unavailable',
      },
    ]);

    // And when an administrator retries it
    const retried = step(generalInquiry, failed.state, {
      type: 'retryIncident',
      at: '2025-03-02T11:00:00.000Z',
      actor: 'staff:admin',
      incidentId: 'i4',
    });

    // Then the incident is resolved and the same job runs again
    expect(retried.state.status).toBe('active');
    expect(retried.state.incidents[0]?.resolved).toBe(true);
    expect(retried.commands).toEqual([
      expect.objectContaining({ type: 'runJob', tokenId: 't3', elementId: 'Task_SendAnswer', taskType: 'email' }),
    ]);
    expect(retried.audit).toEqual([
      expect.objectContaining({ type: 'incidentResolved', elementId: 'Task_SendAnswer', actor: 'staff:admin' }),
    ]);

    // And the job can complete after all
    const completed = step(generalInquiry, retried.state, { ...mailSent, at: '2025-03-02T11:00:03.000Z' });
    expect(completed.state.status).toBe('completed');
  });

  it('raises an incident on the gateway when no condition matches and there is no default flow', () => {
    // Given a decision with conditions only
    // When the case starts without the amount the conditions need
    const { state, audit } = startCase(grantDecision, { ...submitted, variables: {} });

    // Then the case waits at the gateway with an incident instead of crashing
    expect(state.status).toBe('incident');
    expect(state.tokens).toEqual([{ id: 't2', elementId: 'Gateway_Amount' }]);
    expect(state.incidents).toEqual([
      {
        id: 'i3',
        elementId: 'Gateway_Amount',
        tokenId: 't2',
        message:
          'No condition of exclusive gateway Gateway_Amount matched and it has no default flow ' +
          '(conditions of Flow_Large, Flow_Small)',
        at: submitted.at,
        resolved: false,
        failedStep: 'activate',
      },
    ]);
    expect(audit.at(-1)).toMatchObject({ type: 'incidentRaised', elementId: 'Gateway_Amount' });
  });

  it('re-evaluates the gateway on retry: with the variables fixed the case moves on', () => {
    // Given a gateway incident
    const stuck = startCase(grantDecision, { ...submitted, variables: {} });

    // When an administrator retries it with the missing amount
    const { state, commands, audit } = step(grantDecision, stuck.state, {
      type: 'retryIncident',
      at: '2025-03-04T09:00:00.000Z',
      actor: 'staff:admin',
      incidentId: 'i3',
      variables: { amount: '25000' },
    });

    // Then the large-amount path is taken and the board task opens
    expect(state).toMatchObject({ status: 'active', variables: { amount: '25000' } });
    expect(state.incidents).toEqual([expect.objectContaining({ id: 'i3', resolved: true })]);
    expect(state.tokens).toEqual([expect.objectContaining({ id: 't4', elementId: 'Task_Board' })]);
    expect(commands).toEqual([expect.objectContaining({ type: 'openTask', tokenId: 't4', elementId: 'Task_Board' })]);
    expect(audit.map((entry) => entry.type)).toEqual(['incidentResolved', 'elementCompleted', 'elementEntered']);
  });

  it('raises a new incident when a retry finds the data still wrong', () => {
    const stuck = startCase(grantDecision, { ...submitted, variables: {} });

    const { state } = step(grantDecision, stuck.state, {
      type: 'retryIncident',
      at: '2025-03-04T09:00:00.000Z',
      actor: 'staff:admin',
      incidentId: 'i3',
    });

    expect(state.status).toBe('incident');
    expect(state.tokens).toEqual([{ id: 't2', elementId: 'Gateway_Amount' }]);
    expect(state.incidents.map(({ id, resolved }) => ({ id, resolved }))).toEqual([
      { id: 'i3', resolved: true },
      { id: 'i4', resolved: false },
    ]);
  });

  it('turns a FEEL error in a condition into an incident naming the flow and the error', () => {
    // Given an amount that is not a number
    // When the gateway evaluates `number(amount) > 10000`
    const { state } = startCase(grantDecision, { ...submitted, variables: { amount: 'viel' } });

    // Then there is an incident, not an exception
    expect(state.status).toBe('incident');
    expect(state.incidents[0]?.message).toBe(
      'The condition of sequence flow Flow_Large could not be evaluated: ' +
        `FEEL expression "number(amount) > 10000" failed: number(from) expects a numeric string, got '"viel"'`,
    );
  });

  it('stops a loop that never waits with an incident instead of hanging', () => {
    const { state } = startCase(endlessLoop, { ...submitted, variables: { again: true } });

    expect(state.status).toBe('incident');
    expect(state.incidents).toEqual([
      expect.objectContaining({
        elementId: 'Gateway_Loop',
        message: expect.stringContaining(`entered ${MAX_ENTRIES_PER_STEP} elements in one step`),
      }),
    ]);
  });
});

describe('events that do not fit the state', () => {
  const afterStart = startCase(generalInquiry, submitted).state;
  const jobRunning = last(run(generalInquiry, [submitted, answered({ answer: 'x' })])).state;
  const jobFailed = step(generalInquiry, jobRunning, {
    type: 'failJob',
    at: 'T',
    tokenId: 't3',
    message: 'down',
  }).state;
  const completed = last(run(generalInquiry, [submitted, answered({ answer: 'x' }), mailSent])).state;

  const misfits: { situation: string; state: CaseState; event: CaseEvent }[] = [
    { situation: 'an unknown task', state: afterStart, event: { ...answered({}), tokenId: 't99' } },
    { situation: 'a task on a service task token', state: jobRunning, event: { ...answered({}), tokenId: 't3' } },
    { situation: 'a job result for a user task', state: afterStart, event: { ...mailSent, tokenId: 't2' } },
    { situation: 'a job result while the job has an incident', state: jobFailed, event: mailSent },
    {
      situation: 'a second job failure',
      state: jobFailed,
      event: { type: 'failJob', at: 'T', tokenId: 't3', message: 'x' },
    },
    {
      situation: 'a retry of an unknown incident',
      state: jobFailed,
      event: { type: 'retryIncident', at: 'T', actor: 'a', incidentId: 'i9' },
    },
    { situation: 'a second start', state: afterStart, event: submitted },
    { situation: 'an event before the start', state: initialState(), event: answered({}) },
    { situation: 'an event for a completed case', state: completed, event: answered({}) },
  ];

  it.each(misfits)('rejects $situation with InvalidEventError', ({ state, event }) => {
    expect(() => step(generalInquiry, state, event)).toThrow(InvalidEventError);
  });

  it('rejects a retry of an incident that is already resolved', () => {
    const retry: CaseEvent = { type: 'retryIncident', at: 'T', actor: 'staff:admin', incidentId: 'i4' };
    const retried = step(generalInquiry, jobFailed, retry).state;

    expect(() => step(generalInquiry, retried, retry)).toThrow(InvalidEventError);
  });
});

describe('purity', () => {
  const events: CaseEvent[] = [
    submitted,
    answered({ answer: 'x', followUpCall: true }),
    { type: 'failJob', at: '2025-03-02T10:05:00.000Z', tokenId: 't3', message: 'down' },
    { type: 'retryIncident', at: '2025-03-02T11:00:00.000Z', actor: 'staff:admin', incidentId: 'i4' },
    mailSent,
    { type: 'completeTask', at: '2025-03-03T08:00:00.000Z', actor: 'staff:schulz', tokenId: 't6', variables: {} },
  ];

  it('is deterministic: the same events give deep-equal results', () => {
    expect(run(generalInquiry, events)).toEqual(run(generalInquiry, events));
  });

  it('never mutates the state or the event it is given', () => {
    // Given frozen inputs for every step (a write would throw in strict mode)
    let state = deepFreeze(initialState());
    for (const event of events) {
      const stateBefore = structuredClone(state);
      const frozenEvent = deepFreeze(structuredClone(event));

      // When the step runs
      const result = step(generalInquiry, state, frozenEvent);

      // Then the input is unchanged
      expect(state).toEqual(stateBefore);
      state = deepFreeze(result.state);
    }
    expect(state.status).toBe('completed');
  });

  it('increments seq by one on every step', () => {
    expect(run(generalInquiry, events).map((result) => result.state.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('hands out job variables that do not share objects with the state', () => {
    const { state, commands } = last(run(generalInquiry, [submitted, answered({ answer: 'x' })]));
    const job = commands.find((command) => command.type === 'runJob');

    expect(job?.type === 'runJob' && job.variables).toEqual(state.variables);
    expect(job?.type === 'runJob' && job.variables['applicant']).not.toBe(state.variables['applicant']);
  });
});

describe('models of format 1', () => {
  it('runs a case of a version published before format 2 (flat job fields on service tasks)', () => {
    // Given the general-inquiry model as format 1 stored it
    const elements = Object.fromEntries(
      Object.entries(generalInquiry.elements).map(([id, element]) => {
        if (element.kind !== 'serviceTask') {
          return [id, element];
        }
        const { job, ...rest } = element;
        return [id, { ...rest, ...job }];
      }),
    );
    const formatOne = { ...generalInquiry, format: 1, elements } as unknown as ProcessModel;

    // When the answer task completes
    const { commands } = last(run(formatOne, [submitted, answered({ answer: 'x' })]));

    // Then the mail job runs as before
    expect(commands).toContainEqual(
      expect.objectContaining({ type: 'runJob', taskType: 'email', retries: 3, headers: expect.any(Object) }),
    );
  });
});
