import { describe, expect, it } from 'vitest';
import type { ProcessModel } from '../model/process-model.js';
import { checkAssertion, jsonEqual, waitsUntilTrue, type AssertionInstruction } from './assertion.js';
import { elementInstances } from './element-state.js';
import { findJob, findOpenIncident, findOpenUserTask, selectCase, type CaseView } from './selector.js';

// The general inquiry, reduced to what selectors look at, plus a called process "callback".
const model = {
  format: 2,
  processId: 'general-inquiry',
  startEventId: 'Start',
  flows: {},
  calledProcesses: { callback: { processId: 'callback', startEventId: 'callback/Start', eventSubProcessIds: [] } },
  elements: {
    Start: { kind: 'startEvent', id: 'Start', incoming: [], outgoing: [] },
    Task_Answer: {
      kind: 'userTask',
      id: 'Task_Answer',
      name: 'Anfrage beantworten',
      incoming: [],
      outgoing: [],
      candidateGroups: [],
    },
    Task_SendAnswer: { kind: 'serviceTask', id: 'Task_SendAnswer', name: 'Antwort senden', incoming: [], outgoing: [] },
    Gateway: { kind: 'exclusiveGateway', id: 'Gateway', incoming: [], outgoing: [] },
    End: { kind: 'endEvent', id: 'End', name: 'Beantwortet', incoming: [], outgoing: [] },
    'callback/Start': { kind: 'startEvent', id: 'callback/Start', processId: 'callback', incoming: [], outgoing: [] },
    'callback/Task_Call': {
      kind: 'userTask',
      id: 'callback/Task_Call',
      processId: 'callback',
      name: 'Anrufen',
      incoming: [],
      outgoing: [],
      candidateGroups: [],
    },
  },
} as unknown as ProcessModel;

const entered = (elementId: string) => ({ type: 'elementEntered', elementId });
const completed = (elementId: string) => ({ type: 'elementCompleted', elementId });

function view(
  overrides: Partial<CaseView> & { trail?: { type: string; elementId: string }[]; tokens?: string[] } = {},
): CaseView {
  const { trail = [], tokens = [], ...rest } = overrides;
  return {
    caseId: 'case-1',
    processId: 'general-inquiry',
    model,
    seq: 1,
    status: 'active',
    variables: {},
    instances: elementInstances(trail, tokens),
    incidents: [],
    subscriptions: [],
    tasks: [],
    jobs: [],
    correlatedMessages: [],
    ...rest,
  };
}

const selector = { processDefinitionId: 'general-inquiry' };

/** A case waiting for its e-mail job after the answer was given. */
const waitingForMail = view({
  trail: [entered('Start'), entered('Task_Answer'), completed('Task_Answer'), entered('Task_SendAnswer')],
  tokens: ['Task_SendAnswer'],
  variables: { answer: 'Gern.', followUpCall: false, company: { name: 'A GmbH', id: 1 } },
  tasks: [
    {
      tokenId: 't2',
      elementId: 'Task_Answer',
      name: 'Anfrage beantworten',
      status: 'completed',
      candidateGroups: ['wirtschaftsfoerderung'],
    },
  ],
  jobs: [{ tokenId: 't3', elementId: 'Task_SendAnswer', taskType: 'email' }],
});

const finished = view({
  status: 'completed',
  trail: [
    entered('Start'),
    entered('Task_Answer'),
    completed('Task_Answer'),
    entered('Task_SendAnswer'),
    completed('Task_SendAnswer'),
    entered('Gateway'),
    completed('Gateway'),
    entered('End'),
  ],
});

function check(instruction: AssertionInstruction, world: CaseView[] = [waitingForMail]) {
  return checkAssertion(instruction, world);
}

describe('ASSERT_ELEMENT_INSTANCES', () => {
  const assertElements = (state: string, ...ids: string[]) =>
    ({
      type: 'ASSERT_ELEMENT_INSTANCES',
      processInstanceSelector: selector,
      elementSelectors: ids.map((elementId) => ({ elementId })),
      state,
    }) as AssertionInstruction;

  it.each([
    ['IS_ACTIVE', ['Task_SendAnswer'], undefined],
    ['IS_COMPLETED', ['Start', 'Task_Answer'], undefined],
    ['IS_COMPLETED', ['Task_SendAnswer'], 'Task_SendAnswer expected IS_COMPLETED but is active'],
    [
      'IS_COMPLETED',
      ['End', 'Task_SendAnswer'],
      'End expected IS_COMPLETED but is not activated; Task_SendAnswer expected IS_COMPLETED but is active',
    ],
    ['IS_TERMINATED', ['Task_Answer'], 'Task_Answer expected IS_TERMINATED but is completed'],
    ['IS_NOT_ACTIVE', ['Task_Answer', 'End'], undefined],
    ['IS_NOT_ACTIVE', ['Task_SendAnswer'], 'Task_SendAnswer expected IS_NOT_ACTIVE but is active'],
    ['IS_NOT_ACTIVATED', ['End', 'Gateway'], undefined],
    ['IS_NOT_ACTIVATED', ['Task_Answer'], 'Task_Answer expected IS_NOT_ACTIVATED but is completed'],
    ['IS_ACTIVE_EXACTLY', ['Task_SendAnswer'], undefined],
    [
      'IS_ACTIVE_EXACTLY',
      ['Task_Answer'],
      'Task_Answer expected IS_ACTIVE_EXACTLY but is completed; Task_SendAnswer is active too',
    ],
    ['IS_COMPLETED_IN_ORDER', ['Start', 'Task_Answer'], undefined],
    [
      'IS_COMPLETED_IN_ORDER',
      ['Task_Answer', 'Start'],
      'Task_Answer, Start expected IS_COMPLETED_IN_ORDER but the completions were Start, Task_Answer',
    ],
  ])('%s %j', (state, ids, reason) => {
    const verdict = check(assertElements(state, ...ids));
    expect(verdict).toEqual(reason === undefined ? { ok: true } : { ok: false, reason });
  });

  it('selects elements by name', () => {
    const instruction = {
      type: 'ASSERT_ELEMENT_INSTANCES',
      processInstanceSelector: selector,
      elementSelectors: [{ elementName: 'Antwort senden' }],
      state: 'IS_ACTIVE',
    } as AssertionInstruction;
    expect(check(instruction)).toEqual({ ok: true });
  });

  it('completes start and end events of a finished case, in order', () => {
    expect(
      check(assertElements('IS_COMPLETED_IN_ORDER', 'Start', 'Task_Answer', 'Task_SendAnswer', 'Gateway', 'End'), [
        finished,
      ]),
    ).toEqual({ ok: true });
  });

  it('an element the process does not have fails at once (waiting cannot help)', () => {
    expect(check(assertElements('IS_COMPLETED', 'Task_Typo'))).toEqual({
      ok: false,
      final: true,
      reason: 'process general-inquiry has no element Task_Typo',
    });
  });

  it('elements of a called process are named by their BPMN id under that process', () => {
    const calling = view({
      trail: [entered('callback/Start'), entered('callback/Task_Call')],
      tokens: ['callback/Task_Call'],
    });
    const instruction = {
      type: 'ASSERT_ELEMENT_INSTANCES',
      processInstanceSelector: { processDefinitionId: 'callback' },
      elementSelectors: [{ elementId: 'Task_Call' }],
      state: 'IS_ACTIVE',
    } as AssertionInstruction;
    expect(check(instruction, [calling])).toEqual({ ok: true });
  });

  it('only "not activated" is checked once, without waiting', () => {
    expect(waitsUntilTrue(assertElements('IS_NOT_ACTIVATED', 'End'))).toBe(false);
    expect(waitsUntilTrue(assertElements('IS_NOT_ACTIVE', 'End'))).toBe(true);
  });
});

describe('ASSERT_ELEMENT_INSTANCE', () => {
  it('counts instances in the state exactly', () => {
    const loop = view({
      trail: [entered('Task_Answer'), completed('Task_Answer'), entered('Task_Answer')],
      tokens: ['Task_Answer'],
    });
    const instruction = (amount: number) =>
      ({
        type: 'ASSERT_ELEMENT_INSTANCE',
        processInstanceSelector: selector,
        elementSelector: { elementId: 'Task_Answer' },
        state: 'IS_COMPLETED',
        amount,
      }) as AssertionInstruction;
    expect(check(instruction(1), [loop])).toEqual({ ok: true });
    expect(check(instruction(2), [loop])).toEqual({
      ok: false,
      reason: 'Task_Answer expected IS_COMPLETED 2× but was 1× (active, completed)',
    });
  });
});

describe('ASSERT_PROCESS_INSTANCE', () => {
  const assertProcess = (fields: object) =>
    ({ type: 'ASSERT_PROCESS_INSTANCE', processInstanceSelector: selector, ...fields }) as AssertionInstruction;

  it.each([
    [{ state: 'IS_ACTIVE' }, waitingForMail, undefined],
    [{ state: 'IS_CREATED' }, finished, undefined],
    [{ state: 'IS_COMPLETED' }, finished, undefined],
    [{ state: 'IS_COMPLETED' }, waitingForMail, 'general-inquiry expected IS_COMPLETED but is active'],
    [{ state: 'IS_TERMINATED' }, finished, 'general-inquiry expected IS_TERMINATED but is completed'],
    [{ hasActiveIncidents: false }, waitingForMail, undefined],
  ])('%o', (fields, caseView, reason) => {
    expect(check(assertProcess(fields), [caseView])).toEqual(
      reason === undefined ? { ok: true } : { ok: false, reason },
    );
  });

  it('a case with an incident is active, as in Zeebe, and has active incidents', () => {
    const failing = view({
      status: 'incident',
      incidents: [{ id: 'i4', elementId: 'Task_SendAnswer', message: 'SMTP down', resolved: false }],
    });
    expect(check(assertProcess({ state: 'IS_ACTIVE', hasActiveIncidents: true }), [failing])).toEqual({ ok: true });
    expect(check(assertProcess({ state: 'IS_COMPLETED', hasActiveIncidents: false }), [failing])).toEqual({
      ok: false,
      reason:
        'general-inquiry expected IS_COMPLETED but is active with an incident on Task_SendAnswer, ' +
        'expected no active incidents but has Task_SendAnswer: SMTP down',
    });
  });

  it('fails at once when the test case created no instance of the process', () => {
    expect(check(assertProcess({ state: 'IS_ACTIVE' }), [])).toEqual({
      ok: false,
      final: true,
      reason: 'no process instance of "general-inquiry" was created in this test case',
    });
  });
});

describe('ASSERT_VARIABLES', () => {
  it('compares names and JSON values (key order does not matter)', () => {
    const instruction = {
      type: 'ASSERT_VARIABLES',
      processInstanceSelector: selector,
      variableNames: ['answer'],
      variables: { followUpCall: false, company: { id: 1, name: 'A GmbH' } },
    } as AssertionInstruction;
    expect(check(instruction)).toEqual({ ok: true });
  });

  it('names every variable that differs or is missing', () => {
    const instruction = {
      type: 'ASSERT_VARIABLES',
      processInstanceSelector: selector,
      variableNames: ['callNotes'],
      variables: { followUpCall: true, approved: true },
    } as AssertionInstruction;
    expect(check(instruction)).toEqual({
      ok: false,
      reason:
        'variable callNotes is missing; variable followUpCall expected true but is false; variable approved expected true but is missing',
    });
  });

  it.each([
    [1, 1, true],
    [{ a: [1, { b: null }] }, { a: [1, { b: null }] }, true],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [[1, 2], [2, 1], false],
    ['1', 1, false],
  ])('jsonEqual(%j, %j) = %s', (left, right, equal) => {
    expect(jsonEqual(left, right)).toBe(equal);
  });
});

describe('ASSERT_USER_TASK', () => {
  const assertTask = (fields: object) =>
    ({ type: 'ASSERT_USER_TASK', userTaskSelector: { elementId: 'Task_Answer' }, ...fields }) as AssertionInstruction;

  it('checks state, candidate groups and name of the newest matching task', () => {
    expect(
      check(
        assertTask({ state: 'IS_COMPLETED', candidateGroups: ['wirtschaftsfoerderung'], name: 'Anfrage beantworten' }),
      ),
    ).toEqual({ ok: true });
    expect(check(assertTask({ state: 'IS_CREATED', assignee: 'jonas' }))).toEqual({
      ok: false,
      reason: 'user task Task_Answer expected IS_CREATED but is completed, expected assignee "jonas" but is none',
    });
  });

  it('waits while no task matches, and refuses what Lotse tasks do not have', () => {
    expect(check(assertTask({ state: 'IS_CREATED' }), [view()])).toEqual({
      ok: false,
      reason: 'no user task with elementId "Task_Answer"',
    });
    expect(check(assertTask({ state: 'IS_FAILED' }))).toMatchObject({ ok: false, final: true });
  });
});

describe('ASSERT_PROCESS_INSTANCE_MESSAGE_SUBSCRIPTION', () => {
  const waiting = view({
    subscriptions: [{ elementId: 'Catch', messageName: 'Nachreichung', correlationKey: 'WF-1' }],
    correlatedMessages: [{ name: 'Rückfrage', correlationKey: 'WF-1' }],
  });
  const assertMessage = (messageSelector: object, state: string) =>
    ({
      type: 'ASSERT_PROCESS_INSTANCE_MESSAGE_SUBSCRIPTION',
      processInstanceSelector: selector,
      messageSelector,
      state,
    }) as AssertionInstruction;

  it.each([
    [{ messageName: 'Nachreichung' }, 'IS_WAITING', undefined],
    [{ messageName: 'Nachreichung', correlationKey: 'WF-2' }, 'IS_NOT_WAITING', undefined],
    [{ messageName: 'Rückfrage' }, 'IS_CORRELATED', undefined],
    [
      { messageName: 'Nachreichung', correlationKey: 'WF-1' },
      'IS_NOT_WAITING',
      'message Nachreichung (WF-1) expected IS_NOT_WAITING but is waiting',
    ],
  ])('%o %s', (messageSelector, state, reason) => {
    expect(check(assertMessage(messageSelector, state), [waiting])).toEqual(
      reason === undefined ? { ok: true } : { ok: false, reason },
    );
  });
});

describe('selectors', () => {
  it('pick the newest case of a process, and the oldest matching job, task and incident', () => {
    const older = view({ caseId: 'old', jobs: [{ tokenId: 't1', elementId: 'Task_SendAnswer', taskType: 'email' }] });
    const newer = view({
      caseId: 'new',
      jobs: [{ tokenId: 't9', elementId: 'Task_SendAnswer', taskType: 'email' }],
      tasks: [
        {
          tokenId: 't5',
          elementId: 'Task_Answer',
          name: 'Anfrage beantworten',
          status: 'completed',
          candidateGroups: [],
        },
        { tokenId: 't7', elementId: 'Task_Answer', name: 'Anfrage beantworten', status: 'open', candidateGroups: [] },
      ],
      incidents: [{ id: 'i8', elementId: 'callback/Task_Call', message: 'x', resolved: false }],
    });
    const world = [older, newer];
    expect(selectCase(world, 'general-inquiry')?.caseId).toBe('new');
    expect(selectCase(world, 'callback')?.caseId).toBe('new');
    expect(findJob(world, { jobType: 'email' })?.view.caseId).toBe('old');
    expect(findJob(world, { elementId: 'Task_SendAnswer', jobType: 'pdf' })).toBeUndefined();
    expect(findOpenUserTask(world, { taskName: 'Anfrage beantworten' })?.task.tokenId).toBe('t7');
    expect(findOpenUserTask(world, { processDefinitionId: 'callback' })).toBeUndefined();
    expect(findOpenIncident(world, { elementId: 'Task_Call' })?.incident.id).toBe('i8');
    expect(findOpenIncident(world, { processDefinitionId: 'general-inquiry' })).toBeUndefined();
  });
});
