/**
 * CPT assertions over a snapshot of the test case's cases (pure). The runner polls: it takes a fresh snapshot
 * and asks again until the verdict is `ok`, it is `final` (waiting cannot help), or the timeout passes.
 */
import { describeSummary, summarize, type ElementInstance } from './element-state.js';
import {
  bpmnIdOf,
  describeElementSelector,
  describeSelector,
  findLatestUserTask,
  selectCase,
  selectElements,
  type CaseView,
  type ScenarioWorld,
} from './selector.js';
import type { ElementSelector, InstructionOf } from './test-case-file.js';

export type Verdict = { ok: true } | { ok: false; reason: string; final?: boolean };

const OK: Verdict = { ok: true };

export type AssertionInstruction = InstructionOf<
  | 'ASSERT_PROCESS_INSTANCE'
  | 'ASSERT_ELEMENT_INSTANCE'
  | 'ASSERT_ELEMENT_INSTANCES'
  | 'ASSERT_VARIABLES'
  | 'ASSERT_USER_TASK'
  | 'ASSERT_PROCESS_INSTANCE_MESSAGE_SUBSCRIPTION'
>;

/** CPT checks "not activated" once, without waiting (an element may still be reached later). */
export function waitsUntilTrue(instruction: AssertionInstruction): boolean {
  return !(instruction.type === 'ASSERT_ELEMENT_INSTANCES' && instruction.state === 'IS_NOT_ACTIVATED');
}

export function checkAssertion(instruction: AssertionInstruction, world: ScenarioWorld): Verdict {
  switch (instruction.type) {
    case 'ASSERT_PROCESS_INSTANCE':
      return checkProcessInstance(instruction, world);
    case 'ASSERT_ELEMENT_INSTANCE':
      return checkElementInstance(instruction, world);
    case 'ASSERT_ELEMENT_INSTANCES':
      return checkElementInstances(instruction, world);
    case 'ASSERT_VARIABLES':
      return checkVariables(instruction, world);
    case 'ASSERT_USER_TASK':
      return checkUserTask(instruction, world);
    case 'ASSERT_PROCESS_INSTANCE_MESSAGE_SUBSCRIPTION':
      return checkMessageSubscription(instruction, world);
  }
}

function caseOf(world: ScenarioWorld, processId: string): CaseView | Extract<Verdict, { ok: false }> {
  const view = selectCase(world, processId);
  return (
    view ?? {
      ok: false,
      final: true,
      reason: `no process instance of "${processId}" was created in this test case`,
    }
  );
}

function isView(value: CaseView | Verdict): value is CaseView {
  return 'caseId' in value;
}

function describeStatus(view: CaseView): string {
  if (view.status === 'completed') return 'completed';
  const open = view.incidents.filter((incident) => !incident.resolved);
  return open.length > 0
    ? `active with an incident on ${open.map((incident) => bpmnIdOf(incident.elementId)).join(', ')}`
    : 'active';
}

function checkProcessInstance(instruction: InstructionOf<'ASSERT_PROCESS_INSTANCE'>, world: ScenarioWorld): Verdict {
  const processId = instruction.processInstanceSelector.processDefinitionId;
  const view = caseOf(world, processId);
  if (!isView(view)) return view;
  if (view.processId !== processId) {
    return {
      ok: false,
      final: true,
      reason: `"${processId}" runs inside the case as a called process; assert its call activity's element instead`,
    };
  }
  const problems: string[] = [];
  const { state, hasActiveIncidents } = instruction;
  // Zeebe keeps a process instance with an incident ACTIVE; so does this mapping. Lotse cases are never cancelled.
  const holds =
    state === undefined ||
    state === 'IS_CREATED' ||
    (state === 'IS_ACTIVE' && view.status !== 'completed') ||
    (state === 'IS_COMPLETED' && view.status === 'completed');
  if (!holds) problems.push(`expected ${state} but is ${describeStatus(view)}`);
  if (hasActiveIncidents !== undefined) {
    const open = view.incidents.filter((incident) => !incident.resolved);
    if (hasActiveIncidents && open.length === 0) problems.push('expected active incidents but there are none');
    if (!hasActiveIncidents && open.length > 0) {
      problems.push(
        `expected no active incidents but has ${open.map((incident) => `${bpmnIdOf(incident.elementId)}: ${incident.message}`).join('; ')}`,
      );
    }
  }
  return problems.length === 0 ? OK : { ok: false, reason: `${processId} ${problems.join(', ')}` };
}

/** The element keys of each selector; a selector that names no element of the process is a final failure. */
function resolveSelectors(
  view: CaseView,
  processId: string,
  selectors: readonly ElementSelector[],
): { selector: ElementSelector; keys: string[] }[] | Extract<Verdict, { ok: false }> {
  const resolved = selectors.map((selector) => ({ selector, keys: selectElements(view, processId, selector) }));
  const unknown = resolved
    .filter((entry) => entry.keys.length === 0)
    .map((entry) => describeElementSelector(entry.selector));
  if (unknown.length > 0) {
    return { ok: false, final: true, reason: `process ${processId} has no element ${unknown.join(', ')}` };
  }
  return resolved;
}

function instancesOf(view: CaseView, keys: readonly string[]): ElementInstance[] {
  return view.instances.filter((instance) => keys.includes(instance.elementId));
}

function summaryOf(view: CaseView, keys: readonly string[]) {
  const instances = instancesOf(view, keys);
  return keys.reduce(
    (total, key) => {
      const one = summarize(instances, key);
      return {
        active: total.active + one.active,
        completed: total.completed + one.completed,
        terminated: total.terminated + one.terminated,
      };
    },
    { active: 0, completed: 0, terminated: 0 },
  );
}

const STATE_OF = { IS_ACTIVE: 'active', IS_COMPLETED: 'completed', IS_TERMINATED: 'terminated' } as const;

function checkElementInstances(instruction: InstructionOf<'ASSERT_ELEMENT_INSTANCES'>, world: ScenarioWorld): Verdict {
  const processId = instruction.processInstanceSelector.processDefinitionId;
  const view = caseOf(world, processId);
  if (!isView(view)) return view;
  const resolved = resolveSelectors(view, processId, instruction.elementSelectors);
  if (!Array.isArray(resolved)) return resolved;
  const { state } = instruction;

  const failures = (holds: (summary: ReturnType<typeof summaryOf>) => boolean) =>
    resolved
      .filter(({ keys }) => !holds(summaryOf(view, keys)))
      .map(
        ({ selector, keys }) =>
          `${describeElementSelector(selector)} expected ${state} but is ${describeSummary(summaryOf(view, keys))}`,
      );

  let problems: string[];
  switch (state) {
    case 'IS_ACTIVE':
    case 'IS_COMPLETED':
    case 'IS_TERMINATED':
      problems = failures((summary) => summary[STATE_OF[state]] > 0);
      break;
    case 'IS_NOT_ACTIVE':
      problems = failures((summary) => summary.active === 0);
      break;
    case 'IS_NOT_ACTIVATED':
      problems = failures((summary) => summary.active + summary.completed + summary.terminated === 0);
      break;
    case 'IS_ACTIVE_EXACTLY': {
      problems = failures((summary) => summary.active > 0);
      const named = new Set(resolved.flatMap(({ keys }) => keys));
      const others = [
        ...new Set(
          view.instances
            .filter((instance) => instance.state === 'active' && !named.has(instance.elementId))
            .map((instance) => bpmnIdOf(instance.elementId)),
        ),
      ];
      if (others.length > 0) problems.push(`${others.join(', ')} ${others.length > 1 ? 'are' : 'is'} active too`);
      break;
    }
    case 'IS_COMPLETED_IN_ORDER':
      problems = completedInOrder(view, resolved) ? [] : [describeCompletionOrder(view, resolved, state)];
      break;
  }
  return problems.length === 0 ? OK : { ok: false, reason: problems.join('; ') };
}

/** As CPT: the selectors, in order, are a run of consecutive completions among the completions they select. */
function completedInOrder(view: CaseView, resolved: readonly { keys: string[] }[]): boolean {
  const relevant = completions(view, resolved);
  for (let start = 0; start + resolved.length <= relevant.length; start++) {
    if (resolved.every(({ keys }, offset) => keys.includes(relevant[start + offset]?.elementId ?? ''))) return true;
  }
  return false;
}

function completions(view: CaseView, resolved: readonly { keys: string[] }[]): ElementInstance[] {
  const keys = new Set(resolved.flatMap((entry) => entry.keys));
  return view.instances.filter((instance) => instance.state === 'completed' && keys.has(instance.elementId));
}

function describeCompletionOrder(
  view: CaseView,
  resolved: readonly { selector: ElementSelector; keys: string[] }[],
  state: string,
): string {
  const order = completions(view, resolved).map((instance) => bpmnIdOf(instance.elementId));
  const expected = resolved.map(({ selector }) => describeElementSelector(selector)).join(', ');
  return `${expected} expected ${state} but the completions were ${order.length > 0 ? order.join(', ') : 'none'}`;
}

function checkElementInstance(instruction: InstructionOf<'ASSERT_ELEMENT_INSTANCE'>, world: ScenarioWorld): Verdict {
  const processId = instruction.processInstanceSelector.processDefinitionId;
  const view = caseOf(world, processId);
  if (!isView(view)) return view;
  const resolved = resolveSelectors(view, processId, [instruction.elementSelector]);
  if (!Array.isArray(resolved)) return resolved;
  const keys = resolved[0]?.keys ?? [];
  const summary = summaryOf(view, keys);
  const actual = summary[STATE_OF[instruction.state]];
  if (actual === instruction.amount) return OK;
  return {
    ok: false,
    reason:
      `${describeElementSelector(instruction.elementSelector)} expected ${instruction.state} ${instruction.amount}× ` +
      `but was ${actual}× (${describeSummary(summary)})`,
  };
}

function checkVariables(instruction: InstructionOf<'ASSERT_VARIABLES'>, world: ScenarioWorld): Verdict {
  const processId = instruction.processInstanceSelector.processDefinitionId;
  const view = caseOf(world, processId);
  if (!isView(view)) return view;
  const problems: string[] = [];
  for (const name of instruction.variableNames ?? []) {
    if (!Object.hasOwn(view.variables, name)) problems.push(`variable ${name} is missing`);
  }
  for (const [name, expected] of Object.entries(instruction.variables ?? {})) {
    if (!Object.hasOwn(view.variables, name)) {
      problems.push(`variable ${name} expected ${JSON.stringify(expected)} but is missing`);
    } else if (!jsonEqual(view.variables[name], expected)) {
      problems.push(
        `variable ${name} expected ${JSON.stringify(expected)} but is ${JSON.stringify(view.variables[name])}`,
      );
    }
  }
  return problems.length === 0 ? OK : { ok: false, reason: problems.join('; ') };
}

const TASK_STATE = { IS_CREATED: 'open', IS_COMPLETED: 'completed', IS_CANCELED: 'cancelled' } as const;

function checkUserTask(instruction: InstructionOf<'ASSERT_USER_TASK'>, world: ScenarioWorld): Verdict {
  if (instruction.state === 'IS_FAILED') {
    return { ok: false, final: true, reason: 'IS_FAILED: user tasks in Lotse cannot fail' };
  }
  for (const field of ['priority', 'dueDate', 'followUpDate'] as const) {
    if (instruction[field] !== undefined) {
      return { ok: false, final: true, reason: `${field} is not supported yet: the read model does not keep it` };
    }
  }
  const found = findLatestUserTask(world, instruction.userTaskSelector);
  if (!found) {
    return { ok: false, reason: `no user task with ${describeSelector(instruction.userTaskSelector)}` };
  }
  const { task } = found;
  const label = bpmnIdOf(task.elementId);
  const problems: string[] = [];
  if (instruction.state !== undefined && task.status !== TASK_STATE[instruction.state]) {
    problems.push(`expected ${instruction.state} but is ${task.status === 'open' ? 'created' : task.status}`);
  }
  if (instruction.assignee !== undefined && task.assignee !== instruction.assignee) {
    problems.push(`expected assignee "${instruction.assignee}" but is ${quoted(task.assignee)}`);
  }
  if (instruction.candidateGroups !== undefined && !sameSet(task.candidateGroups, instruction.candidateGroups)) {
    problems.push(
      `expected candidate groups [${instruction.candidateGroups.join(', ')}] but are [${task.candidateGroups.join(', ')}]`,
    );
  }
  if (instruction.elementId !== undefined && label !== instruction.elementId) {
    problems.push(`expected element "${instruction.elementId}" but is "${label}"`);
  }
  if (instruction.name !== undefined && task.name !== instruction.name) {
    problems.push(`expected name "${instruction.name}" but is ${quoted(task.name)}`);
  }
  return problems.length === 0 ? OK : { ok: false, reason: `user task ${label} ${problems.join(', ')}` };
}

function checkMessageSubscription(
  instruction: InstructionOf<'ASSERT_PROCESS_INSTANCE_MESSAGE_SUBSCRIPTION'>,
  world: ScenarioWorld,
): Verdict {
  const processId = instruction.processInstanceSelector.processDefinitionId;
  const view = caseOf(world, processId);
  if (!isView(view)) return view;
  const { messageName, correlationKey } = instruction.messageSelector;
  const matches = (message: { correlationKey: string }, name: string) =>
    name === messageName && (correlationKey === undefined || message.correlationKey === correlationKey);
  const waiting = view.subscriptions.some((subscription) => matches(subscription, subscription.messageName));
  const correlated = view.correlatedMessages.some((message) => matches(message, message.name));
  const label = `message ${messageName}${correlationKey === undefined ? '' : ` (${correlationKey})`}`;
  const now = waiting ? 'is waiting' : correlated ? 'was correlated' : 'is not waiting';
  const holds =
    (instruction.state === 'IS_WAITING' && waiting) ||
    (instruction.state === 'IS_NOT_WAITING' && !waiting) ||
    (instruction.state === 'IS_CORRELATED' && correlated);
  return holds ? OK : { ok: false, reason: `${label} expected ${instruction.state} but ${now}` };
}

function quoted(value: string | undefined): string {
  return value === undefined ? 'none' : `"${value}"`;
}

function sameSet(actual: readonly string[], expected: readonly string[]): boolean {
  const left = new Set(actual);
  const right = new Set(expected);
  return left.size === right.size && [...left].every((item) => right.has(item));
}

/** JSON value equality; object key order does not matter. */
export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (Array.isArray(left) || Array.isArray(right)) {
    return (
      Array.isArray(left) &&
      Array.isArray(right) &&
      left.length === right.length &&
      left.every((item, index) => jsonEqual(item, right[index]))
    );
  }
  if (isRecord(left) && isRecord(right)) {
    const keys = Object.keys(left);
    return (
      keys.length === Object.keys(right).length &&
      keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]))
    );
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
