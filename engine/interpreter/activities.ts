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
import { copyJson, removeToken, StepFailure, tokenById, type PendingStep } from './pending-step.js';
import { closeListeners, openBoundaryEvents, openMessageCatch } from './events.js';
import { applyInputs, arrive, complete, createToken } from './flow.js';
import { activateMultiInstanceBody, isInnerInstance } from './multi-instance.js';
import { parseDateTime } from '../model/timers.js';
import type { Command, Token, Variables } from './types.js';
import { evaluate, evaluateText, visibleVariables } from './variables.js';

export function activateActivity(pending: PendingStep, token: Token, element: ActivityElement): void {
  const inner = isInnerInstance(pending, token);
  if (element.multiInstance !== undefined && !inner) {
    activateMultiInstanceBody(pending, token, element, element.multiInstance);
    return;
  }
  applyInputs(pending, token, element);
  // Boundary events belong to the multi-instance body, not to each instance; an activity that completes within
  // the step cannot be interrupted, so it needs none.
  if (!inner && waits(element)) {
    openBoundaryEvents(pending, token, element);
  }
  switch (element.kind) {
    case 'userTask':
      openUserTask(pending, token, element);
      return;
    case 'serviceTask':
    case 'sendTask':
      startJob(pending, token, element, element.job);
      return;
    case 'scriptTask':
      runScript(pending, token, element);
      return;
    case 'businessRuleTask':
      decide(pending, token, element);
      return;
    case 'receiveTask':
      openMessageCatch(pending, token, element.id, element.message);
      return;
    case 'manualTask':
    case 'task':
      complete(pending, token);
      return;
    case 'subProcess':
      arrive(pending, element.startEventId, token.id);
      return;
    case 'callActivity':
      startCalledProcess(pending, token, element);
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
export function startJob(pending: PendingStep, token: Token, element: ProcessElement, job: JobDefinition): void {
  const signal = thrownSignalOf(element);
  if (signal !== undefined) {
    startSignalBroadcast(pending, token, element, job, signal.signalName);
    return;
  }
  const taskType = evaluateText(pending, token.id, job.taskType, `The job type of ${element.id}`);
  pending.commands.push({
    type: 'runJob',
    tokenId: token.id,
    elementId: element.id,
    taskType,
    retries: job.retries,
    headers: { ...job.headers },
    // A copy: the shell may hand it to an activity, and the state must not change with it.
    variables: copyJson(visibleVariables(pending, token.id)),
  });
}

function thrownSignalOf(element: ProcessElement): { signalName: string } | undefined {
  return (element.kind === 'intermediateThrowEvent' || element.kind === 'endEvent') && element.event?.type === 'signal'
    ? element.event
    : undefined;
}

/**
 * A signal throw or end event: the built-in broadcast job gets the evaluated name in its header and, as the
 * signal's variables, only what the event's input mappings made (Zeebe sends those and nothing else).
 */
function startSignalBroadcast(
  pending: PendingStep,
  token: Token,
  element: ProcessElement,
  job: JobDefinition,
  name: string,
): void {
  const signalName = evaluateText(pending, token.id, name, `The signal name of ${element.id}`);
  if (signalName === '') {
    throw new StepFailure(`The signal name of ${element.id} is empty`);
  }
  pending.commands.push({
    type: 'runJob',
    tokenId: token.id,
    elementId: element.id,
    taskType: job.taskType,
    retries: job.retries,
    headers: { signalName },
    variables: copyJson(token.variables ?? {}),
  });
}

function openUserTask(pending: PendingStep, token: Token, task: UserTaskElement): void {
  const expressions = task.expressions ?? {};
  const what = (field: string) => `The ${field} of ${task.id}`;
  const candidateGroups =
    expressions.candidateGroups === undefined
      ? [...task.candidateGroups]
      : toNameList(
          evaluate(pending, token.id, expressions.candidateGroups, what('candidateGroups')),
          what('candidateGroups'),
        );
  const candidateUsers =
    expressions.candidateUsers === undefined
      ? [...(task.candidateUsers ?? [])]
      : toNameList(
          evaluate(pending, token.id, expressions.candidateUsers, what('candidateUsers')),
          what('candidateUsers'),
        );
  const assignee =
    expressions.assignee === undefined
      ? task.assignee
      : toOptionalName(evaluate(pending, token.id, expressions.assignee, what('assignee')), what('assignee'));
  const dueDate = dateOf(pending, token, task.dueDate, expressions.dueDate, what('due date'));
  const followUpDate = dateOf(pending, token, task.followUpDate, expressions.followUpDate, what('follow-up date'));
  const priority =
    expressions.priority === undefined
      ? task.priority
      : toPriority(evaluate(pending, token.id, expressions.priority, what('priority')), what('priority'));

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
  pending.commands.push(command);
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
  pending: PendingStep,
  token: Token,
  fixed: string | undefined,
  expression: string | undefined,
  what: string,
): string | undefined {
  if (expression === undefined) {
    return fixed;
  }
  const value = evaluate(pending, token.id, expression, what);
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

function runScript(pending: PendingStep, token: Token, task: ScriptTaskElement): void {
  if (task.script === undefined) {
    startJob(pending, token, task, requireJob(task));
    return;
  }
  const { expression, resultVariable } = task.script;
  const result = evaluate(pending, token.id, expression, `The script of ${task.id}`);
  complete(pending, token, { variables: { [resultVariable]: result } });
}

function decide(pending: PendingStep, token: Token, task: BusinessRuleTaskElement): void {
  if (task.decision === undefined) {
    startJob(pending, token, task, requireJob(task));
    return;
  }
  const { decisionId, resultVariable } = task.decision;
  const decision = pending.model.decisions?.[decisionId];
  if (decision === undefined) {
    throw new Error(`The process model has no decision ${decisionId}`);
  }
  const outcome = evaluateDecision(decision, visibleVariables(pending, token.id));
  if (!outcome.ok) {
    throw new StepFailure(`The decision ${decisionId} of ${task.id} failed: ${outcome.message}`);
  }
  complete(pending, token, {
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
function startCalledProcess(pending: PendingStep, token: Token, call: CallActivityElement): void {
  const called = pending.model.calledProcesses?.[call.calledProcessId];
  if (called === undefined) {
    throw new Error(`The process model has no called process ${call.calledProcessId}`);
  }
  const variables: Variables = call.propagateAllParentVariables
    ? visibleVariables(pending, token.id)
    : pick(
        token.variables ?? {},
        (call.ioMapping?.inputs ?? []).map((input) => input.target.split('.')[0] ?? ''),
      );
  const instance = createToken(pending, call.id, token.id);
  instance.role = 'calledProcess';
  instance.variables = copyJson(variables);
  arrive(pending, called.startEventId, instance.id);
}

/**
 * The called process has no token left: its variables go back through the call activity (all of them, unless
 * `propagateAllChildVariables` is off; with output mappings, only what they map) and the call activity completes.
 */
export function finishCalledProcess(pending: PendingStep, instance: Token): void {
  const callToken = tokenById(pending, instance.parentId);
  if (callToken === undefined) {
    throw new Error(`The called process ${instance.id} has no call activity`);
  }
  const call = pending.model.elements[callToken.elementId];
  const propagate =
    call?.kind === 'callActivity' && (call.propagateAllChildVariables || (call.ioMapping?.outputs.length ?? 0) > 0);
  closeListeners(pending, instance.id);
  removeToken(pending, instance);
  complete(pending, callToken, propagate ? { variables: instance.variables ?? {} } : {});
}

function pick(variables: Variables, names: string[]): Variables {
  return Object.fromEntries(Object.entries(variables).filter(([name]) => names.includes(name)));
}
