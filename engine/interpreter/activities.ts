/**
 * What activities do when a token enters them: open a user task, run a job, evaluate a script or a decision,
 * wait for a message, run a sub-process or a called process. Multi-instance activities first become a body
 * that starts one instance per item (multi-instance.ts).
 */
import { evaluateDecision } from '../dmn/evaluate-decision.js';
import type {
  ActivityElement,
  BusinessRuleTaskElement,
  CallActivityElement,
  JobDefinition,
  ProcessElement,
  ScriptTaskElement,
  UserTaskElement,
} from '../model/process-model.js';
import { copyJson, removeToken, StepFailure, tokenById, type Draft } from './draft.js';
import { closeListeners, openBoundaryEvents, openMessageCatch } from './events.js';
import { applyInputs, arrive, complete, createToken } from './flow.js';
import { activateMultiInstanceBody, isInnerInstance } from './multi-instance.js';
import { parseDateTime } from '../model/timers.js';
import type { Command, Token, Variables } from './types.js';
import { evaluate, evaluateText, visibleVariables } from './variables.js';

export function activateActivity(draft: Draft, token: Token, element: ActivityElement): void {
  const inner = isInnerInstance(draft, token);
  if (element.multiInstance !== undefined && !inner) {
    activateMultiInstanceBody(draft, token, element, element.multiInstance);
    return;
  }
  applyInputs(draft, token, element);
  // Boundary events belong to the multi-instance body, not to each instance; an activity that completes within
  // the step cannot be interrupted, so it needs none.
  if (!inner && waits(element)) {
    openBoundaryEvents(draft, token, element);
  }
  switch (element.kind) {
    case 'userTask':
      openUserTask(draft, token, element);
      return;
    case 'serviceTask':
    case 'sendTask':
      startJob(draft, token, element, element.job);
      return;
    case 'scriptTask':
      runScript(draft, token, element);
      return;
    case 'businessRuleTask':
      decide(draft, token, element);
      return;
    case 'receiveTask':
      openMessageCatch(draft, token, element.id, element.message);
      return;
    case 'manualTask':
    case 'task':
      complete(draft, token);
      return;
    case 'subProcess':
      arrive(draft, element.startEventId, token.id);
      return;
    case 'callActivity':
      startCalledProcess(draft, token, element);
      return;
  }
}

function waits(element: ActivityElement): boolean {
  switch (element.kind) {
    case 'manualTask':
    case 'task':
      return false;
    case 'scriptTask':
      return element.script === undefined;
    case 'businessRuleTask':
      return element.decision === undefined;
    default:
      return true;
  }
}

/** The shell runs the job as an activity and reports back with completeJob, failJob or throwJobError. */
export function startJob(draft: Draft, token: Token, element: ProcessElement, job: JobDefinition): void {
  const taskType = evaluateText(draft, token.id, job.taskType, `The job type of ${element.id}`);
  draft.commands.push({
    type: 'runJob',
    tokenId: token.id,
    elementId: element.id,
    taskType,
    retries: job.retries,
    headers: { ...job.headers },
    // A copy: the shell may hand it to an activity, and the state must not change with it.
    variables: copyJson(visibleVariables(draft, token.id)),
  });
}

function openUserTask(draft: Draft, token: Token, task: UserTaskElement): void {
  const expressions = task.expressions ?? {};
  const what = (field: string) => `The ${field} of ${task.id}`;
  const candidateGroups =
    expressions.candidateGroups === undefined
      ? [...task.candidateGroups]
      : toNameList(
          evaluate(draft, token.id, expressions.candidateGroups, what('candidateGroups')),
          what('candidateGroups'),
        );
  const candidateUsers =
    expressions.candidateUsers === undefined
      ? [...(task.candidateUsers ?? [])]
      : toNameList(
          evaluate(draft, token.id, expressions.candidateUsers, what('candidateUsers')),
          what('candidateUsers'),
        );
  const assignee =
    expressions.assignee === undefined
      ? task.assignee
      : toOptionalName(evaluate(draft, token.id, expressions.assignee, what('assignee')), what('assignee'));
  const dueDate = dateOf(draft, token, task.dueDate, expressions.dueDate, what('due date'));
  const followUpDate = dateOf(draft, token, task.followUpDate, expressions.followUpDate, what('follow-up date'));
  const priority =
    expressions.priority === undefined
      ? task.priority
      : toPriority(evaluate(draft, token.id, expressions.priority, what('priority')), what('priority'));

  token.assignment = { candidateGroups, candidateUsers, ...(assignee !== undefined && { assignee }) };
  const command: Command = {
    type: 'openTask',
    tokenId: token.id,
    elementId: task.id,
    ...(task.name !== undefined && { name: task.name }),
    ...(task.formId !== undefined && { formId: task.formId }),
    candidateGroups,
    ...(assignee !== undefined && { assignee }),
    ...(candidateUsers.length > 0 && { candidateUsers }),
    ...(dueDate !== undefined && { dueDate }),
    ...(followUpDate !== undefined && { followUpDate }),
    ...(priority !== undefined && { priority }),
  };
  draft.commands.push(command);
}

/** Zeebe takes a list of names; a comma-separated text is accepted too, as in the static attribute. */
function toNameList(value: unknown, what: string): string[] {
  if (value === null) {
    return [];
  }
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '');
  }
  if (Array.isArray(value) && value.every((name) => typeof name === 'string')) {
    return value.map((name) => name.trim()).filter((name) => name !== '');
  }
  throw new StepFailure(`${what} must be a list of names, but it is ${JSON.stringify(value)}`);
}

function toOptionalName(value: unknown, what: string): string | undefined {
  if (value === null || value === '') {
    return undefined;
  }
  if (typeof value === 'string' || typeof value === 'number') {
    return String(value).trim();
  }
  throw new StepFailure(`${what} must be a user name, but it is ${JSON.stringify(value)}`);
}

function toPriority(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100) {
    return value;
  }
  throw new StepFailure(`${what} must be a whole number from 0 to 100, but it is ${JSON.stringify(value)}`);
}

function dateOf(
  draft: Draft,
  token: Token,
  fixed: string | undefined,
  expression: string | undefined,
  what: string,
): string | undefined {
  if (expression === undefined) {
    return fixed;
  }
  const value = evaluate(draft, token.id, expression, what);
  if (value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new StepFailure(`${what} must be an ISO-8601 date-time with offset, but it is ${JSON.stringify(value)}`);
  }
  const parsed = parseDateTime(value);
  if (!parsed.ok) {
    throw new StepFailure(`${what} is invalid: ${parsed.message}`);
  }
  return value;
}

function runScript(draft: Draft, token: Token, task: ScriptTaskElement): void {
  if (task.script === undefined) {
    startJob(draft, token, task, requireJob(task));
    return;
  }
  const { expression, resultVariable } = task.script;
  const result = evaluate(draft, token.id, expression, `The script of ${task.id}`);
  complete(draft, token, { variables: { [resultVariable]: result } });
}

function decide(draft: Draft, token: Token, task: BusinessRuleTaskElement): void {
  if (task.decision === undefined) {
    startJob(draft, token, task, requireJob(task));
    return;
  }
  const { decisionId, resultVariable } = task.decision;
  const decision = draft.model.decisions?.[decisionId];
  if (decision === undefined) {
    throw new Error(`The process model has no decision ${decisionId}`);
  }
  const outcome = evaluateDecision(decision, visibleVariables(draft, token.id));
  if (!outcome.ok) {
    throw new StepFailure(`The decision ${decisionId} of ${task.id} failed: ${outcome.message}`);
  }
  complete(draft, token, {
    variables: { [resultVariable]: outcome.result ?? null },
    detail: `decision ${decisionId} matched ${outcome.matchedRules.length === 0 ? 'no rule' : outcome.matchedRules.join(', ')}`,
  });
}

function requireJob(task: ScriptTaskElement | BusinessRuleTaskElement): JobDefinition {
  if (task.job === undefined) {
    throw new Error(`The process model gives ${task.id} neither an expression nor a job`);
  }
  return task.job;
}

/**
 * The called process runs inside this case as a token of its own (role `calledProcess`), whose variables are
 * the called process's root scope: a copy of what the call activity sees (or only its input mappings).
 */
function startCalledProcess(draft: Draft, token: Token, call: CallActivityElement): void {
  const called = draft.model.calledProcesses?.[call.calledProcessId];
  if (called === undefined) {
    throw new Error(`The process model has no called process ${call.calledProcessId}`);
  }
  const variables: Variables = call.propagateAllParentVariables
    ? visibleVariables(draft, token.id)
    : pick(
        token.variables ?? {},
        (call.ioMapping?.inputs ?? []).map((input) => input.target.split('.')[0] ?? ''),
      );
  const instance = createToken(draft, call.id, token.id);
  instance.role = 'calledProcess';
  instance.variables = copyJson(variables);
  arrive(draft, called.startEventId, instance.id);
}

/**
 * The called process has no token left: its variables go back through the call activity (all of them, unless
 * `propagateAllChildVariables` is off; with output mappings, only what they map) and the call activity completes.
 */
export function finishCalledProcess(draft: Draft, instance: Token): void {
  const callToken = tokenById(draft, instance.parentId);
  if (callToken === undefined) {
    throw new Error(`The called process ${instance.id} has no call activity`);
  }
  const call = draft.model.elements[callToken.elementId];
  const propagate =
    call?.kind === 'callActivity' && (call.propagateAllChildVariables || (call.ioMapping?.outputs.length ?? 0) > 0);
  closeListeners(draft, instance.id);
  removeToken(draft, instance);
  complete(draft, callToken, propagate ? { variables: instance.variables ?? {} } : {});
}

function pick(variables: Variables, names: string[]): Variables {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => names.includes(name)));
}
