import { describe, expect, it } from 'vitest';
import { CaseDriver, bpmn, compile } from '../interpreter/test-driver.js';
import { step } from '../interpreter/interpret.js';
import {
  answerRequest,
  checkAnswer,
  checkInformationRequest,
  checkWithdrawal,
  closeRequest,
  deadlineEnd,
  openRequest,
  openRequestOn,
  requestForm,
  requestsOf,
  settleRequests,
  type InformationRequestInput,
} from './information-request.js';
import type { Actor } from './task-completion.js';

// A staff task with an interrupting timer on it: the model may move on while a Rückfrage is open.
const model = await compile(
  bpmn(`
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_Check" />
    <bpmn:userTask id="Task_Check" name="Prüfen">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Task_Check" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`),
);

const caseworker: Actor = { kind: 'staff', id: 'c1', email: 'c@example.org', groups: ['wirtschaftsfoerderung'] };
const company: Actor = { kind: 'applicant', id: 'u1', groups: [] };
const TODAY = '2026-12-07';
const AT = '2026-12-07T10:00:00.000Z';
const DOCUMENT_ID = '0b5f8f0e-7d1c-4c43-9a39-2b7c0e6f9a11';

function openCase() {
  const run = new CaseDriver(model).start();
  const staffTokenId = run.tokenAt('Task_Check').id;
  const input: InformationRequestInput = {
    staffTokenId,
    actor: caseworker,
    questions: ['  Wie groß ist die Halle?  ', ''],
    documents: ['Lageplan'],
    message: ' Bitte ergänzen. ',
    deadline: '2026-12-21',
  };
  return { state: run.state, staffTokenId, input };
}

function asked() {
  const { state, input, staffTokenId } = openCase();
  const check = checkInformationRequest({ model, state }, input, TODAY);
  if (!check.ok) throw new Error(check.message);
  return { ...openRequest(state, check, AT), staffTokenId };
}

describe('checkInformationRequest', () => {
  it('accepts a Rückfrage from whoever may complete the task, cleaned of blank lines and spaces', () => {
    const { state, input } = openCase();
    expect(checkInformationRequest({ model, state }, input, TODAY)).toMatchObject({
      ok: true,
      staffElementId: 'Task_Check',
      staffTaskName: 'Prüfen',
      input: { questions: ['Wie groß ist die Halle?'], documents: ['Lageplan'], message: 'Bitte ergänzen.' },
    });
  });

  it.each([
    ['another department', { actor: { ...caseworker, groups: ['bauamt'] } }, 'NotAllowed'],
    ['the company', { actor: company }, 'NotAllowed'],
    ['a task that is not open', { staffTokenId: 'nope' }, 'TaskNotOpen'],
    ['nothing asked', { questions: [' '], documents: [] }, 'InvalidInformationRequest'],
    ['a deadline today', { deadline: TODAY }, 'InvalidInformationRequest'],
    ['an impossible date', { deadline: '2026-02-30' }, 'InvalidInformationRequest'],
    ['a deadline more than a year ahead', { deadline: '2028-01-01' }, 'InvalidInformationRequest'],
    [
      'eleven questions',
      { questions: Array.from({ length: 11 }, (_, i) => `Frage ${i}`) },
      'InvalidInformationRequest',
    ],
  ])('refuses %s', (_what, change, type) => {
    const { state, input } = openCase();
    expect(checkInformationRequest({ model, state }, { ...input, ...change }, TODAY)).toMatchObject({
      ok: false,
      type,
    });
  });

  it('refuses a second Rückfrage while one is open on the task', () => {
    const { state, staffTokenId } = asked();
    const { input } = openCase();
    expect(checkInformationRequest({ model, state }, { ...input, staffTokenId }, TODAY)).toMatchObject({
      ok: false,
      type: 'AlreadyWaitingForAnswer',
    });
  });
});

describe('a Rückfrage through its life', () => {
  it('opens a company task, makes the staff task wait and starts the deadline timer, as a step of its own', () => {
    const { state, commands, audit, waitingTasks, staffTokenId } = asked();
    const [request] = requestsOf(state.variables);
    expect(request).toMatchObject({ number: 1, tokenId: 'rueckfrage-1', status: 'open', requestedBy: 'staff:c1' });
    expect(state.seq).toBe(openCase().state.seq + 1);
    expect(commands).toEqual([
      expect.objectContaining({ type: 'openTask', tokenId: 'rueckfrage-1', candidateGroups: ['applicant'] }),
      { type: 'startTimer', timerId: 'rueckfrage-1', elementId: 'Task_Check', dueAt: deadlineEnd('2026-12-21') },
    ]);
    expect(audit).toEqual([expect.objectContaining({ type: 'informationRequested', detail: 'bis 21.12.2026' })]);
    expect(waitingTasks).toEqual([staffTokenId]);
    expect(openRequestOn(state, staffTokenId)?.number).toBe(1);
  });

  it('takes the company answer, with the documents, and lets the staff task go on', () => {
    const { state, staffTokenId } = asked();
    const data = { answer1: '1.200 m²', document1: [DOCUMENT_ID] };
    expect(checkAnswer(state, { tokenId: 'rueckfrage-1', actor: caseworker, data }, TODAY)).toMatchObject({
      ok: false,
      type: 'NotAllowed',
    });
    expect(
      checkAnswer(state, { tokenId: 'rueckfrage-1', actor: company, data: { answer1: 'x' } }, TODAY),
    ).toMatchObject({
      ok: false,
      type: 'InvalidSubmission',
    });
    const check = checkAnswer(state, { tokenId: 'rueckfrage-1', actor: company, data }, TODAY);
    if (!check.ok) throw new Error(check.message);
    const answered = answerRequest(state, check, 'applicant:u1', '2026-12-09T10:00:00.000Z');
    expect(requestsOf(answered.state.variables)[0]).toMatchObject({
      status: 'answered',
      answers: ['1.200 m²'],
      documentIds: [DOCUMENT_ID],
      closedAt: '2026-12-09T10:00:00.000Z',
    });
    expect(answered.commands).toEqual([
      {
        type: 'closeTask',
        tokenId: 'rueckfrage-1',
        elementId: 'Task_Check',
        actor: 'applicant:u1',
        outcome: 'completed',
      },
      { type: 'cancelTimer', timerId: 'rueckfrage-1' },
    ]);
    expect(answered.resumedTasks).toEqual([staffTokenId]);
    // Answered once: the same task answers no more.
    expect(checkAnswer(answered.state, { tokenId: 'rueckfrage-1', actor: company, data }, TODAY)).toMatchObject({
      type: 'TaskNotOpen',
    });
  });

  it('expires at its deadline without cancelling the timer that fired, noted "keine Antwort bis …"', () => {
    const { state } = asked();
    const [request] = requestsOf(state.variables);
    if (!request) throw new Error('no request');
    const expired = closeRequest(state, request, 'expired', 'system', AT);
    expect(expired.commands.map((command) => command.type)).toEqual(['closeTask']);
    expect(expired.audit[0]).toMatchObject({
      type: 'informationRequestExpired',
      detail: 'keine Antwort bis 21.12.2026',
    });
  });

  it('is withdrawn by those who may ask, and only while open', () => {
    const { state, staffTokenId } = asked();
    expect(checkWithdrawal({ model, state }, { staffTokenId, actor: { ...caseworker, groups: [] } })).toMatchObject({
      type: 'NotAllowed',
    });
    const check = checkWithdrawal({ model, state }, { staffTokenId, actor: caseworker });
    if (!check.ok) throw new Error(check.message);
    const withdrawn = closeRequest(state, check.request, 'withdrawn', 'staff:c1', AT);
    expect(checkWithdrawal({ model, state: withdrawn.state }, { staffTokenId, actor: caseworker })).toMatchObject({
      type: 'NoOpenInformationRequest',
    });
  });

  it('ends with its staff task when the model moves on (same step), and changes nothing for other steps', () => {
    const { state, staffTokenId } = asked();
    const completion = step(model, state, {
      type: 'completeTask',
      at: AT,
      actor: 'staff:c1',
      tokenId: staffTokenId,
      variables: {},
    });
    const settled = settleRequests(completion, AT);
    expect(settled.state.seq).toBe(completion.state.seq);
    expect(requestsOf(settled.state.variables)[0]?.status).toBe('cancelled');
    expect(settled.commands).toContainEqual(
      expect.objectContaining({ type: 'closeTask', tokenId: 'rueckfrage-1', outcome: 'cancelled' }),
    );
    // A case without Rückfragen: the very same result (old histories project exactly as before).
    const plain = step(model, openCase().state, {
      type: 'completeTask',
      at: AT,
      actor: 'staff:c1',
      tokenId: staffTokenId,
      variables: {},
    });
    expect(settleRequests(plain, AT)).toBe(plain);
  });
});

describe('requestForm', () => {
  it('asks each question in a required text area and each document as a required upload', () => {
    const form = requestForm({ number: 2, questions: ['Wie groß?'], requestedDocuments: ['Lageplan', 'Statik'] });
    expect(form.id).toBe('rueckfrage-2');
    expect(form.components.map((component) => [component.type, 'key' in component && component.key])).toEqual([
      ['textarea', 'answer1'],
      ['filepicker', 'document1'],
      ['filepicker', 'document2'],
    ]);
  });
});

describe('deadlineEnd', () => {
  it.each([
    ['2026-12-21', '2026-12-21T23:00:00.000Z'],
    ['2027-07-01', '2027-07-01T22:00:00.000Z'],
    // The night the clocks go forward (29 March 2026): midnight is still 23:00 UTC the day before.
    ['2026-03-28', '2026-03-28T23:00:00.000Z'],
    ['2026-03-29', '2026-03-29T22:00:00.000Z'],
  ])('the answer for %s is due by midnight in Berlin, %s', (deadline, end) => {
    expect(deadlineEnd(deadline)).toBe(end);
  });
});
