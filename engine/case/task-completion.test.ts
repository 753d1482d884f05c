import { describe, expect, it } from 'vitest';
import type { FormSchema } from '../../forms/schema.js';
import { CaseDriver, bpmn, compile } from '../interpreter/test-driver.js';
import { checkCompletion, mayComplete, type Actor, type TaskAssignment } from './task-completion.js';

const answerForm: FormSchema = {
  id: 'answer-form',
  type: 'default',
  schemaVersion: 16,
  components: [
    { id: 'Field_Answer', type: 'textfield', key: 'answer', label: 'Antwort', validate: { required: true } },
    { id: 'Field_Amount', type: 'number', key: 'amount', label: 'Betrag' },
  ],
} as FormSchema;

const model = await compile(
  bpmn(`
    <bpmn:startEvent id="Start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="Start" targetRef="Task_Answer" />
    <bpmn:userTask id="Task_Answer">
      <bpmn:extensionElements>
        <zeebe:assignmentDefinition candidateGroups="wirtschaftsfoerderung" />
        <zeebe:formDefinition formId="answer-form" />
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="Task_Answer" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>`),
);

const caseworker: Actor = { kind: 'staff', id: 'c1', email: 'c@example.org', groups: ['wirtschaftsfoerderung'] };
const TODAY = '2026-12-07';

function openCase() {
  const run = new CaseDriver(model).start();
  const snapshot = { model, forms: { 'answer-form': answerForm }, state: run.state };
  return { run, snapshot, tokenId: run.tokenAt('Task_Answer').id };
}

describe('checkCompletion', () => {
  it('takes only what the form defines, typed, for someone the task is for', () => {
    const { snapshot, tokenId } = openCase();
    const check = checkCompletion(
      snapshot,
      { tokenId, actor: caseworker, data: { answer: 'Ja', amount: '50.000', isAdmin: true }, locale: 'de' },
      TODAY,
    );
    expect(check).toEqual({ ok: true, variables: { answer: 'Ja', amount: 50000 } });
  });

  it.each([
    ['another group', { ...caseworker, groups: ['bauamt'] }, 'NotAllowed'],
    ['the company', { kind: 'applicant', id: 'u1', groups: [] } satisfies Actor, 'NotAllowed'],
  ])('refuses %s', (_who, actor, type) => {
    const { snapshot, tokenId } = openCase();
    expect(checkCompletion(snapshot, { tokenId, actor, data: { answer: 'Ja' } }, TODAY)).toMatchObject({
      ok: false,
      type,
    });
  });

  it('refuses an invalid submission with its field errors', () => {
    const { snapshot, tokenId } = openCase();
    const check = checkCompletion(snapshot, { tokenId, actor: caseworker, data: {} }, TODAY);
    expect(check).toMatchObject({ ok: false, type: 'InvalidSubmission', errors: [{ key: 'answer' }] });
  });

  it('refuses the second of two completions: the task is no longer open once the first is applied', () => {
    // Given two caseworkers send the same task; both were valid when they arrived
    const { run, snapshot, tokenId } = openCase();
    const first = { tokenId, actor: caseworker, data: { answer: 'Erste' } };
    const second = { tokenId, actor: { ...caseworker, id: 'c2' }, data: { answer: 'Zweite' } };
    expect(checkCompletion(snapshot, first, TODAY).ok).toBe(true);
    expect(checkCompletion(snapshot, second, TODAY).ok).toBe(true);
    // When the first is applied
    run.completeTask('Task_Answer', { answer: 'Erste' });
    // Then the second, checked again in its turn, is refused — as a rejection, not an exception
    expect(checkCompletion({ ...snapshot, state: run.state }, second, TODAY)).toMatchObject({
      ok: false,
      type: 'TaskNotOpen',
    });
  });
});

describe('mayComplete', () => {
  const staff = (id: string, groups: string[] = [], email?: string): Actor => ({ kind: 'staff', id, groups, email });
  const company: Actor = { kind: 'applicant', id: 'u', groups: [] };
  const rows: [string, TaskAssignment, Actor, boolean][] = [
    ['a candidate group member', { candidateGroups: ['g'] }, staff('s', ['g']), true],
    ['the assignee by e-mail', { candidateGroups: [], assignee: 'a@x' }, staff('s', [], 'a@x'), true],
    ['a candidate user by id', { candidateGroups: [], candidateUsers: ['s'] }, staff('s'), true],
    ['another staff member', { candidateGroups: ['g'] }, staff('s', ['h']), false],
    ['staff on an applicant task', { candidateGroups: ['applicant'] }, staff('s', ['applicant']), false],
    ['the company on its task', { candidateGroups: ['applicant'] }, company, true],
    ['the company on a staff task', { candidateGroups: ['g'] }, { ...company, groups: ['g'] }, false],
  ];
  it.each(rows)('%s: %j', (_who, assignment, actor, expected) => {
    expect(mayComplete(actor, assignment)).toBe(expected);
  });
});
