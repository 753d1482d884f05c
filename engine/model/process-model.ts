/**
 * The compiled process model: plain JSON, produced by the compiler from BPMN + Zeebe extensions (and DMN for
 * business rule tasks), frozen into a service version and handed to every case as workflow input.
 * One type, one validator (`compile`); the interpreter trusts it.
 *
 * Conventions:
 * - `elements` is one flat map for the whole service. Elements of the main process keep their BPMN id; elements of
 *   a called process are keyed `<processId>/<bpmnId>` (BPMN ids cannot contain `/`), so two files may both have
 *   a `StartEvent_1`.
 * - Values the BPMN allows as static text or FEEL keep Camunda's spelling: a leading `=` marks FEEL
 *   (`ValueOrExpression`). Fields that are always FEEL (conditions, collections) are stored without the `=`.
 */
import type { DecisionModel } from '../dmn/decision-model.js';

/**
 * 2: sub-processes, events, all gateways, multi-instance, variable mappings. A format-1 model (one process,
 * exclusive gateways, service tasks with flat job fields) is upgraded on the fly by `upgradeModel`.
 */
export const PROCESS_MODEL_FORMAT = 2;

/** Reserved candidate group: a user task with this group is done by the company, not by staff. */
export const APPLICANT_GROUP = 'applicant';

/** Static text, or a FEEL expression when it starts with `=`. */
export type ValueOrExpression = string;

/** One `zeebe:input` or `zeebe:output`. */
export interface VariableMapping {
  /** FEEL with a leading `=`, or a static string. */
  source: ValueOrExpression;
  /** A variable name, or a path into one (`order.status`). */
  target: string;
}

export interface IoMapping {
  /** Create local variables of the element instance when it is entered. */
  inputs: VariableMapping[];
  /** Copy values to the enclosing scope when it completes; with outputs, nothing else propagates. */
  outputs: VariableMapping[];
}

export interface MultiInstance {
  sequential: boolean;
  /** FEEL (without `=`) giving the list to iterate over, evaluated once when the activity is entered. */
  inputCollection: string;
  /** Local variable of each instance holding its item. */
  inputElement?: string;
  /** Variable (created in the enclosing scope when all instances are done) collecting `outputElement` per item. */
  outputCollection?: string;
  /** FEEL (without `=`) evaluated in each instance when it completes. */
  outputElement?: string;
  /** FEEL (without `=`) evaluated after each instance; `true` ends the remaining instances. */
  completionCondition?: string;
}

/** `zeebe:taskDefinition` + `zeebe:taskHeaders`: the job the shell runs as an activity. */
export interface JobDefinition {
  /** Chooses the activity in the catalog; may be FEEL. */
  taskType: ValueOrExpression;
  retries: number;
  /** Static strings, handed to the activity as they are. */
  headers: Record<string, string>;
}

export interface MessageDefinition {
  messageName: ValueOrExpression;
  /** FEEL (without `=`), evaluated when the subscription opens. */
  correlationKey: string;
}

export type EventDefinition =
  /** `value`: an ISO-8601 duration (`P5D`), date-time (`2025-03-01T09:00:00Z`) or cycle (`R3/P1D`), or FEEL. */
  | { type: 'timer'; timerType: 'duration' | 'date' | 'cycle'; value: ValueOrExpression }
  | ({ type: 'message' } & MessageDefinition)
  /** On a throw event: the code (static or FEEL). On a catch event: absent catches every error. */
  | { type: 'error'; errorCode?: ValueOrExpression }
  | { type: 'escalation'; escalationCode?: ValueOrExpression }
  | { type: 'terminate' }
  /** `targetId` on a link throw event: the link catch event with the same name in the same scope. */
  | { type: 'link'; linkName: string; targetId?: string }
  /** `bpmn:signal name` (static or FEEL, evaluated on entry). A thrown signal is broadcast by a built-in job. */
  | { type: 'signal'; signalName: ValueOrExpression };

export type EventType = EventDefinition['type'];

/**
 * The job type of the built-in job that broadcasts a thrown signal (signal throw and end events get it from the
 * compiler): a broadcast reaches other cases, a side effect the workflow leaves to an activity (ADR 0031).
 */
export const SIGNAL_BROADCAST_JOB_TYPE = 'lotse:broadcast-signal';

/** A message end or throw event: the job in `job` sends the message, so the event needs nothing else. */
export interface MessageThrow {
  type: 'message';
}
type EventOf<T extends EventType> = Extract<EventDefinition, { type: T }>;

interface ElementBase {
  /** Key in `elements`: the BPMN id, prefixed with `<processId>/` in called processes. */
  id: string;
  name?: string;
  /** Applicant-facing status label from `zeebe:properties` property `status`. */
  status?: string;
  incoming: string[];
  outgoing: string[];
  /** The sub-process the element sits in; absent on the process level. */
  parentId?: string;
  /** The called process the element belongs to; absent in the main process. */
  processId?: string;
  ioMapping?: IoMapping;
}

interface ActivityBase extends ElementBase {
  multiInstance?: MultiInstance;
  /** Boundary events attached to the activity, in document order. */
  boundaryEventIds?: string[];
}

export interface StartEventElement extends ElementBase {
  kind: 'startEvent';
  /** `zeebe:formDefinition formId` of the start form. */
  formId?: string;
  /** In an event sub-process: what starts it. On the process level: only a signal (a broadcast starts a case). */
  event?: EventOf<'timer' | 'message' | 'error' | 'escalation' | 'signal'>;
  /** Only in an event sub-process: whether starting it ends everything else in the enclosing scope. */
  interrupting?: boolean;
}

export interface EndEventElement extends ElementBase {
  kind: 'endEvent';
  event?: EventOf<'terminate' | 'error' | 'escalation' | 'signal'> | MessageThrow;
  /** A message end event sends its message through a job. */
  job?: JobDefinition;
}

export interface IntermediateCatchEventElement extends ElementBase {
  kind: 'intermediateCatchEvent';
  event: EventOf<'timer' | 'message' | 'link' | 'signal'>;
}

export interface IntermediateThrowEventElement extends ElementBase {
  kind: 'intermediateThrowEvent';
  /** Absent: a none event, which only marks a milestone. */
  event?: EventOf<'escalation' | 'link' | 'signal'> | MessageThrow;
  job?: JobDefinition;
}

export interface BoundaryEventElement extends ElementBase {
  kind: 'boundaryEvent';
  attachedToId: string;
  /** `cancelActivity`: an interrupting event ends the activity it is attached to. */
  interrupting: boolean;
  event: EventOf<'timer' | 'message' | 'error' | 'escalation' | 'signal'>;
}

export interface UserTaskElement extends ActivityBase {
  kind: 'userTask';
  formId?: string;
  /** A form in another system (ADR 0034): a URL, or FEEL (`=…`) giving one; the task page links to it. */
  externalForm?: string;
  /** Static candidate groups; may include APPLICANT_GROUP. Empty when they come from an expression. */
  candidateGroups: string[];
  /** Static assignee (user id / login), if any. */
  assignee?: string;
  candidateUsers?: string[];
  /** ISO-8601 date-time with offset. */
  dueDate?: string;
  followUpDate?: string;
  /** `zeebe:priorityDefinition`: 0–100. */
  priority?: number;
  /**
   * The fields given as FEEL in the BPMN (without `=`): evaluated when the task opens; the result replaces the
   * static field and is sent in the openTask command and kept on the token.
   */
  expressions?: Partial<
    Record<'assignee' | 'candidateGroups' | 'candidateUsers' | 'dueDate' | 'followUpDate' | 'priority', string>
  >;
}

export interface ServiceTaskElement extends ActivityBase {
  kind: 'serviceTask';
  job: JobDefinition;
}

export interface SendTaskElement extends ActivityBase {
  kind: 'sendTask';
  job: JobDefinition;
}

export interface ScriptTaskElement extends ActivityBase {
  kind: 'scriptTask';
  /** `zeebe:script`: FEEL (without `=`) evaluated in the engine; absent when a job worker runs the script. */
  script?: { expression: string; resultVariable: string };
  job?: JobDefinition;
}

export interface BusinessRuleTaskElement extends ActivityBase {
  kind: 'businessRuleTask';
  /** `zeebe:calledDecision`: evaluated in the engine against `ProcessModel.decisions`. */
  decision?: { decisionId: string; resultVariable: string };
  job?: JobDefinition;
}

export interface ReceiveTaskElement extends ActivityBase {
  kind: 'receiveTask';
  message: MessageDefinition;
}

/** A manual task or a task without a type: nothing to do for the engine, the token passes. */
export interface PassThroughTaskElement extends ActivityBase {
  kind: 'manualTask' | 'task';
}

export interface SubProcessElement extends ActivityBase {
  kind: 'subProcess';
  /** The none start event; for an event sub-process, its triggered start event. */
  startEventId: string;
  /** Event sub-processes directly inside. */
  eventSubProcessIds: string[];
  /** An event sub-process: started by its start event's trigger, never by a sequence flow. */
  triggeredByEvent?: true;
}

export interface CallActivityElement extends ActivityBase {
  kind: 'callActivity';
  /** Key into `ProcessModel.calledProcesses`. */
  calledProcessId: string;
  /** Copy every visible variable into the called process (otherwise only the input mappings). */
  propagateAllParentVariables: boolean;
  /** Without output mappings: copy the called process's variables back when it completes. */
  propagateAllChildVariables: boolean;
}

export interface ExclusiveGatewayElement extends ElementBase {
  kind: 'exclusiveGateway';
  defaultFlow?: string;
}

export interface ParallelGatewayElement extends ElementBase {
  kind: 'parallelGateway';
}

export interface InclusiveGatewayElement extends ElementBase {
  kind: 'inclusiveGateway';
  defaultFlow?: string;
  /**
   * Only when it joins (two or more incoming flows): per incoming flow, the elements of the same scope from which
   * a token can still arrive over that flow. The join waits while a token sits on one of them.
   */
  joinSources?: Record<string, string[]>;
}

export interface EventBasedGatewayElement extends ElementBase {
  kind: 'eventBasedGateway';
}

export type ProcessElement =
  | StartEventElement
  | EndEventElement
  | IntermediateCatchEventElement
  | IntermediateThrowEventElement
  | BoundaryEventElement
  | UserTaskElement
  | ServiceTaskElement
  | SendTaskElement
  | ScriptTaskElement
  | BusinessRuleTaskElement
  | ReceiveTaskElement
  | PassThroughTaskElement
  | SubProcessElement
  | CallActivityElement
  | ExclusiveGatewayElement
  | ParallelGatewayElement
  | InclusiveGatewayElement
  | EventBasedGatewayElement;

export type ElementKind = ProcessElement['kind'];

export type ActivityElement = Extract<ProcessElement, { boundaryEventIds?: string[] }>;

const ACTIVITY_KINDS: ReadonlySet<ElementKind> = new Set([
  'userTask',
  'serviceTask',
  'sendTask',
  'scriptTask',
  'businessRuleTask',
  'receiveTask',
  'manualTask',
  'task',
  'subProcess',
  'callActivity',
]);

export function isActivity(element: ProcessElement): element is ActivityElement {
  return ACTIVITY_KINDS.has(element.kind);
}

/** The job an element runs, if it waits for one (service, send, job-worker script/rule tasks, message throws). */
export function jobOf(element: ProcessElement): JobDefinition | undefined {
  return 'job' in element ? element.job : undefined;
}

export interface SequenceFlow {
  id: string;
  name?: string;
  sourceId: string;
  targetId: string;
  /** FEEL expression without the leading `=`; absent for unconditional flows. */
  condition?: string;
}

/** What a call activity needs to start another process of the service. */
export interface CalledProcess {
  processId: string;
  name?: string;
  startEventId: string;
  eventSubProcessIds: string[];
}

export interface ProcessModel {
  format: 1 | typeof PROCESS_MODEL_FORMAT;
  processId: string;
  name?: string;
  startEventId: string;
  elements: Record<string, ProcessElement>;
  flows: Record<string, SequenceFlow>;
  /** Event sub-processes on the level of the main process. */
  eventSubProcessIds?: string[];
  /** Processes that call activities start, by BPMN process id (the main process too, if it calls itself). */
  calledProcesses?: Record<string, CalledProcess>;
  /** Decisions of the service's DMN files, by decision id, for business rule tasks. */
  decisions?: Record<string, DecisionModel>;
}

/**
 * Cases started on a format-1 version run with its model; format 1 is a subset of format 2 except that a service
 * task carried its job fields (`taskType`, `retries`, `headers`) directly. Returns the model itself when there is
 * nothing to upgrade.
 */
export function upgradeModel(model: ProcessModel): ProcessModel {
  if (model.format !== 1) {
    return model;
  }
  const elements: Record<string, ProcessElement> = {};
  for (const [id, element] of Object.entries(model.elements)) {
    elements[id] = element.kind === 'serviceTask' && element.job === undefined ? withNestedJob(element) : element;
  }
  return { ...model, format: PROCESS_MODEL_FORMAT, elements };
}

/** The flat fields stay behind unread; the interpreter only looks at `job`. */
function withNestedJob(element: ServiceTaskElement): ServiceTaskElement {
  const flat: object = element;
  const taskType = 'taskType' in flat ? flat.taskType : undefined;
  const retries = 'retries' in flat ? flat.retries : undefined;
  const headers = 'headers' in flat ? flat.headers : undefined;
  return {
    ...element,
    job: {
      taskType: typeof taskType === 'string' ? taskType : '',
      retries: typeof retries === 'number' ? retries : 3,
      headers: isStringRecord(headers) ? headers : {},
    },
  };
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' && value !== null && Object.values(value).every((entry) => typeof entry === 'string')
  );
}
