/**
 * What a scenario sees of its cases, and how CPT selectors pick cases, elements, jobs, user tasks and incidents
 * from it (pure).
 *
 * A service's model is flat: elements of a called process are keyed `<processId>/<bpmnId>`. A selector's
 * `processDefinitionId` names the case's own process or one it calls; its `elementId` is the plain BPMN id.
 */
import type { ProcessModel } from '../model/process-model.js';
import type { ElementInstance } from './element-state.js';
import type { ElementSelector, IncidentSelector, JobSelector, UserTaskSelector } from './test-case-file.js';

export interface TaskView {
  tokenId: string;
  /** Key in the model (`<processId>/<bpmnId>` in a called process). */
  elementId: string;
  name?: string;
  status: 'open' | 'completed' | 'cancelled';
  candidateGroups: string[];
  assignee?: string;
}

export interface JobView {
  tokenId: string;
  elementId: string;
  taskType: string;
}

export interface IncidentView {
  id: string;
  elementId: string;
  message: string;
  resolved: boolean;
}

/** One case at one consistent moment: its live state (workflow query) and its read model at the same step. */
export interface CaseView {
  caseId: string;
  /** The BPMN id of the case's process. */
  processId: string;
  model: ProcessModel;
  seq: number;
  status: 'active' | 'completed' | 'incident';
  variables: Record<string, unknown>;
  instances: ElementInstance[];
  incidents: IncidentView[];
  subscriptions: { elementId: string; messageName: string; correlationKey: string }[];
  /** Open and closed user tasks, oldest first. */
  tasks: TaskView[];
  /** Jobs waiting for the scenario (scenario mode runs no activities). */
  jobs: JobView[];
  /** Messages this case took. */
  correlatedMessages: { name: string; correlationKey: string }[];
}

/** The cases of one test case, oldest first. */
export type ScenarioWorld = readonly CaseView[];

/** The process an element key belongs to. */
export function processOfElement(view: Pick<CaseView, 'processId' | 'model'>, elementKey: string): string {
  return view.model.elements[elementKey]?.processId ?? view.processId;
}

/** The plain BPMN id of an element key. */
export function bpmnIdOf(elementKey: string): string {
  const slash = elementKey.indexOf('/');
  return slash === -1 ? elementKey : elementKey.slice(slash + 1);
}

/** Whether the case runs this process, as its own or as a called process. */
export function runsProcess(view: Pick<CaseView, 'processId' | 'model'>, processId: string): boolean {
  return view.processId === processId || view.model.calledProcesses?.[processId] !== undefined;
}

/** CPT's process instance selector: the newest case of that process (or calling it). */
export function selectCase(world: ScenarioWorld, processId: string): CaseView | undefined {
  const own = world.filter((view) => view.processId === processId);
  if (own.length > 0) return own.at(-1);
  return world.filter((view) => runsProcess(view, processId)).at(-1);
}

/** The element keys a selector names within one process of the case; empty if none. */
export function selectElements(view: CaseView, processId: string, selector: ElementSelector): string[] {
  return Object.values(view.model.elements)
    .filter((element) => (element.processId ?? view.processId) === processId)
    .filter(
      (element) =>
        (selector.elementId === undefined || bpmnIdOf(element.id) === selector.elementId) &&
        (selector.elementName === undefined || element.name === selector.elementName),
    )
    .map((element) => element.id);
}

export function describeElementSelector(selector: ElementSelector): string {
  return selector.elementId ?? `"${selector.elementName ?? ''}"`;
}

export function matchesJob(view: CaseView, job: JobView, selector: JobSelector): boolean {
  return (
    (selector.jobType === undefined || job.taskType === selector.jobType) &&
    (selector.elementId === undefined || bpmnIdOf(job.elementId) === selector.elementId) &&
    (selector.processDefinitionId === undefined ||
      processOfElement(view, job.elementId) === selector.processDefinitionId)
  );
}

export function matchesUserTask(view: CaseView, task: TaskView, selector: UserTaskSelector): boolean {
  return (
    (selector.elementId === undefined || bpmnIdOf(task.elementId) === selector.elementId) &&
    (selector.taskName === undefined || task.name === selector.taskName) &&
    (selector.processDefinitionId === undefined ||
      processOfElement(view, task.elementId) === selector.processDefinitionId)
  );
}

/** The oldest waiting job the selector matches. */
export function findJob(world: ScenarioWorld, selector: JobSelector): { view: CaseView; job: JobView } | undefined {
  for (const view of world) {
    const job = view.jobs.find((candidate) => matchesJob(view, candidate, selector));
    if (job) return { view, job };
  }
  return undefined;
}

/** The oldest open user task the selector matches. */
export function findOpenUserTask(
  world: ScenarioWorld,
  selector: UserTaskSelector,
): { view: CaseView; task: TaskView } | undefined {
  for (const view of world) {
    const task = view.tasks.find(
      (candidate) => candidate.status === 'open' && matchesUserTask(view, candidate, selector),
    );
    if (task) return { view, task };
  }
  return undefined;
}

/** The newest user task (of any state) the selector matches: after a loop, that is the current one. */
export function findLatestUserTask(
  world: ScenarioWorld,
  selector: UserTaskSelector,
): { view: CaseView; task: TaskView } | undefined {
  for (const view of [...world].reverse()) {
    const task = [...view.tasks].reverse().find((candidate) => matchesUserTask(view, candidate, selector));
    if (task) return { view, task };
  }
  return undefined;
}

/** The oldest open incident the selector matches. */
export function findOpenIncident(
  world: ScenarioWorld,
  selector: IncidentSelector,
): { view: CaseView; incident: IncidentView } | undefined {
  for (const view of world) {
    const incident = view.incidents.find(
      (candidate) =>
        !candidate.resolved &&
        (selector.elementId === undefined || bpmnIdOf(candidate.elementId) === selector.elementId) &&
        (selector.processDefinitionId === undefined ||
          processOfElement(view, candidate.elementId) === selector.processDefinitionId),
    );
    if (incident) return { view, incident };
  }
  return undefined;
}

export function describeSelector(selector: Record<string, string | undefined>): string {
  return Object.entries(selector)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} "${value}"`)
    .join(', ');
}
