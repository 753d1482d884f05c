/**
 * The one generic workflow that runs every case. A thin shell around the pure interpreter: it
 * feeds it the start, task completions and message deliveries (Workflow Updates), timers and job
 * results, and carries out the commands it returns. Temporal replays this code: no I/O, no clock
 * but workflow time.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities, CaseMessage, CaseProjection, JobRequest } from '../engine/activities/types.js';
import { BPMN_ERROR, NO_IMPLEMENTATION_ERROR } from '../engine/activities/types.js';
import { initialState, step } from '../engine/interpreter/interpret.js';
import {
  InvalidEventError,
  type CaseEvent,
  type CaseState,
  type Command,
  type StepResult,
  type Variables,
} from '../engine/interpreter/types.js';
import { APPLICANT_GROUP, type ProcessModel } from '../engine/model/process-model.js';
import type { FormSchema } from '../forms/schema.js';
import { validateSubmission, type FieldError } from '../forms/validate.js';

export interface CaseWorkflowInput {
  caseId: string;
  caseNumber: string;
  model: ProcessModel;
  /** The version's forms by id: task submissions are validated here too, never trusted. */
  forms: Record<string, FormSchema>;
  startedBy: string;
  variables: Variables;
  /**
   * Scenario runs (`lotse test`): jobs wait to be completed by the scenario instead of running
   * activities, and the scenario may move the case's clock forward.
   */
  scenario?: boolean;
  /** Set by continue-as-new: the state to go on from (the start event is not applied again). */
  resumeState?: CaseState;
  /** Set by continue-as-new: how far a scenario had moved the clock. */
  clockOffsetMs?: number;
}

export interface Actor {
  kind: 'applicant' | 'staff';
  id: string;
  /** Staff e-mail: what `candidateUsers` and a static `assignee` in a model name. */
  email?: string;
  groups: string[];
}

/** Who may complete a task, as evaluated when it opened. */
export interface TaskAssignment {
  candidateGroups: string[];
  candidateUsers?: string[];
  assignee?: string;
}

export interface CompleteTaskInput {
  tokenId: string;
  actor: Actor;
  data: Record<string, unknown>;
}

export interface CompleteTaskResult {
  seq: number;
  publicStatus?: string;
}

export type DeliverMessageInput = CaseMessage;

export type ScenarioJobInput =
  | { tokenId: string; outcome: 'complete'; variables: Variables }
  | { tokenId: string; outcome: 'throwError'; errorCode: string; message?: string; variables?: Variables }
  | { tokenId: string; outcome: 'fail'; message: string };

/** Update id = the form's submission token, so a double submit is one completion. */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
export const retryIncidentUpdate = defineUpdate<{ seq: number }, [{ incidentId: string; actor: string }]>(
  'retryIncident',
);
/** A published message for one of the case's open subscriptions; rejected if none matches. */
export const deliverMessageUpdate = defineUpdate<{ seq: number }, [DeliverMessageInput]>('deliverMessage');
/** Scenario runs only: the scenario completes, fails or throws a BPMN error from a waiting job. */
export const scenarioJobUpdate = defineUpdate<{ seq: number }, [ScenarioJobInput]>('scenarioJob');
/** Scenario runs only: move the case's clock forward (CPT `INCREASE_TIME`). */
export const increaseTimeSignal = defineSignal<[{ ms: number }]>('increaseTime');
export const caseStateQuery = defineQuery<CaseState>('caseState');
/** Scenario runs only: the jobs waiting for the scenario. */
export const waitingJobsQuery = defineQuery<Extract<Command, { type: 'runJob' }>[]>('waitingJobs');

/** Failure type of a rejected task submission; `details[0]` holds the field errors. */
export const INVALID_SUBMISSION = 'InvalidSubmission';
export const TASK_NOT_OPEN = 'TaskNotOpen';
export const NOT_ALLOWED = 'NotAllowed';
export const NO_SUBSCRIPTION = 'NoMatchingSubscription';

// The worker heartbeats every activity (engine/main/worker.ts): one killed mid-activity is retried after the
// heartbeat timeout, not after the start-to-close timeout. Timeouts are no replay-relevant command data.
const { projectCase } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  const { model, caseId } = input;
  let state: CaseState = input.resumeState ?? initialState();
  let clockOffsetMs = input.clockOffsetMs ?? 0;
  let runningJobs = 0;
  const jobScopes = new Map<string, CancellationScope>();
  const timerScopes = new Map<string, CancellationScope>();
  const waitingJobs = new Map<string, Extract<Command, { type: 'runJob' }>>();
  // Workflow time (deterministic on replay), moved forward only by a scenario.
  const clock = () => Date.now() + clockOffsetMs;
  const now = () => new Date(clock()).toISOString();
  // Steps run one at a time: an update, a timer and a job result never interleave inside a step.
  let serial: Promise<unknown> = Promise.resolve();

  const apply = (event: CaseEvent): Promise<StepResult> => {
    const run = serial.then(async () => {
      const result = step(model, state, event);
      state = result.state;
      const { messages } = await projectCase(projectionOf(caseId, result, event.at));
      for (const command of result.commands) carryOut(command);
      // Messages buffered before the case subscribed: the projection claimed them for us.
      for (const message of messages) void applyQuietly(correlation(message));
      return result;
    });
    serial = run.catch(() => undefined);
    return run;
  };

  /** For events from timers and jobs: their token may have left meanwhile, which is no error. */
  const applyQuietly = (event: CaseEvent | undefined) =>
    event
      ? apply(event).catch((error: unknown) => {
          if (!(error instanceof InvalidEventError)) throw error;
        })
      : Promise.resolve();

  const correlation = (message: DeliverMessageInput): CaseEvent | undefined => {
    const subscription = state.subscriptions?.find(
      (open) => open.messageName === message.messageName && open.correlationKey === message.correlationKey,
    );
    return subscription
      ? {
          type: 'correlateMessage',
          at: now(),
          subscriptionId: subscription.id,
          messageName: message.messageName,
          variables: message.variables,
        }
      : undefined;
  };

  const startTimer = (timerId: string, dueAt: string) => {
    const scope = new CancellationScope();
    timerScopes.set(timerId, scope);
    const due = Date.parse(dueAt);
    // A Temporal timer (durable, fires once, late rather than lost); a scenario's clock jump wakes it early.
    scope
      .run(() => condition(() => clock() >= due, Math.max(1, due - clock())))
      .then(
        () => {
          timerScopes.delete(timerId);
          return applyQuietly({ type: 'fireTimer', at: now(), timerId });
        },
        (error: unknown) => {
          if (!isCancellation(error)) throw error;
        },
      );
  };

  const carryOut = (command: Command) => {
    switch (command.type) {
      case 'runJob':
        if (input.scenario) waitingJobs.set(command.tokenId, command);
        else runJob(command);
        return;
      case 'cancelJob':
        jobScopes.get(command.tokenId)?.cancel();
        waitingJobs.delete(command.tokenId);
        return;
      case 'startTimer':
        startTimer(command.timerId, command.dueAt);
        return;
      case 'cancelTimer':
        timerScopes.get(command.timerId)?.cancel();
        timerScopes.delete(command.timerId);
        return;
      default:
        // Tasks and subscriptions are carried by the projection.
        return;
    }
  };

  const runJob = (command: Extract<Command, { type: 'runJob' }>) => {
    runningJobs++;
    const scope = new CancellationScope();
    jobScopes.set(command.tokenId, scope);
    const seq = state.seq;
    scope
      .run(() => runJobActivity(input, command, seq))
      .then(
        (variables): CaseEvent => ({ type: 'completeJob', at: now(), tokenId: command.tokenId, variables }),
        (error: unknown): CaseEvent | undefined => {
          if (isCancellation(error)) return undefined;
          const bpmnError = bpmnErrorOf(error);
          return bpmnError
            ? { type: 'throwJobError', at: now(), tokenId: command.tokenId, ...bpmnError }
            : { type: 'failJob', at: now(), tokenId: command.tokenId, message: jobErrorMessage(error) };
        },
      )
      .then(applyQuietly)
      .finally(() => {
        jobScopes.delete(command.tokenId);
        runningJobs--;
      });
  };

  setHandler(caseStateQuery, () => state);
  setHandler(waitingJobsQuery, () => [...waitingJobs.values()]);

  setHandler(
    completeTaskUpdate,
    async ({ tokenId, actor, data }) => {
      const form = formOfTask(input, state, tokenId);
      // Only what the form defines is taken (no mass assignment); a scenario sets what it says.
      const variables = input.scenario
        ? data
        : form
          ? validateSubmission(form, data, { context: state.variables }).values
          : {};
      const result = await apply({ type: 'completeTask', at: now(), actor: actorLabel(actor), tokenId, variables });
      return { seq: result.state.seq, publicStatus: result.state.publicStatus };
    },
    {
      validator: ({ tokenId, actor, data }) => {
        const task = openUserTask(model, state, tokenId);
        if (!task) throw ApplicationFailure.create({ type: TASK_NOT_OPEN, message: `Task ${tokenId} is not open` });
        if (input.scenario) return;
        if (!mayComplete(actor, task.assignment)) {
          throw ApplicationFailure.create({ type: NOT_ALLOWED, message: `Task ${tokenId} is not for this user` });
        }
        const form = formOfTask(input, state, tokenId);
        const errors: FieldError[] = form ? validateSubmission(form, data, { context: state.variables }).errors : [];
        if (errors.length > 0) {
          throw ApplicationFailure.create({
            type: INVALID_SUBMISSION,
            message: 'Invalid submission',
            details: [errors],
          });
        }
      },
    },
  );

  setHandler(
    retryIncidentUpdate,
    async ({ incidentId, actor }) => {
      const result = await apply({ type: 'retryIncident', at: now(), actor, incidentId });
      return { seq: result.state.seq };
    },
    {
      validator: ({ incidentId }) => {
        if (!state.incidents.some((incident) => incident.id === incidentId && !incident.resolved)) {
          throw ApplicationFailure.create({ type: 'IncidentNotOpen', message: `Incident ${incidentId} is not open` });
        }
      },
    },
  );

  setHandler(
    deliverMessageUpdate,
    async (message) => {
      const event = correlation(message);
      // The validator saw a subscription; if a step before us closed it, the message was not taken.
      if (!event) throw ApplicationFailure.create({ type: NO_SUBSCRIPTION, message: 'Subscription closed meanwhile' });
      const result = await apply(event);
      return { seq: result.state.seq };
    },
    {
      validator: (message) => {
        if (!correlation(message)) {
          throw ApplicationFailure.create({
            type: NO_SUBSCRIPTION,
            message: `No open subscription for message ${message.messageName}`,
          });
        }
      },
    },
  );

  setHandler(
    scenarioJobUpdate,
    async (job) => {
      waitingJobs.delete(job.tokenId);
      const at = now();
      const event: CaseEvent =
        job.outcome === 'complete'
          ? { type: 'completeJob', at, tokenId: job.tokenId, variables: job.variables }
          : job.outcome === 'throwError'
            ? {
                type: 'throwJobError',
                at,
                tokenId: job.tokenId,
                errorCode: job.errorCode,
                message: job.message,
                variables: job.variables,
              }
            : { type: 'failJob', at, tokenId: job.tokenId, message: job.message };
      const result = await apply(event);
      return { seq: result.state.seq };
    },
    {
      validator: (job) => {
        if (!input.scenario) throw ApplicationFailure.create({ message: 'Not a scenario run' });
        const incident = state.incidents.some((open) => open.tokenId === job.tokenId && !open.resolved);
        if (!waitingJobs.has(job.tokenId) || incident) {
          throw ApplicationFailure.create({ type: TASK_NOT_OPEN, message: `Job ${job.tokenId} is not waiting` });
        }
      },
    },
  );

  setHandler(increaseTimeSignal, ({ ms }) => {
    if (input.scenario && ms > 0) clockOffsetMs += ms;
  });

  if (input.resumeState) {
    for (const timer of state.timers ?? []) startTimer(timer.id, timer.dueAt);
  } else {
    await apply({ type: 'start', at: now(), actor: input.startedBy, variables: input.variables });
  }

  const finished = () => state.status === 'completed' && runningJobs === 0;
  // Long cases start a fresh history when Temporal suggests it, between steps and with no job in flight.
  const historyFull = () => workflowInfo().continueAsNewSuggested && runningJobs === 0 && allHandlersFinished();
  await condition(() => finished() || historyFull());
  await serial;
  await condition(allHandlersFinished);
  if (!finished()) {
    await continueAsNew<typeof caseWorkflow>({ ...input, resumeState: state, clockOffsetMs });
  }
}

function projectionOf(caseId: string, { state, commands, audit }: StepResult, at: string): CaseProjection {
  return {
    caseId,
    seq: state.seq,
    at,
    status: state.status,
    publicStatus: state.publicStatus,
    activeElementIds: state.tokens.map((token) => token.elementId),
    variables: state.variables,
    openedTasks: commands.flatMap((command) =>
      command.type === 'openTask'
        ? [
            {
              tokenId: command.tokenId,
              elementId: command.elementId,
              name: command.name,
              formId: command.formId,
              candidateGroups: command.candidateGroups,
              candidateUsers: command.candidateUsers ?? [],
              assignee: command.assignee,
              dueDate: command.dueDate,
              followUpDate: command.followUpDate,
              priority: command.priority,
            },
          ]
        : [],
    ),
    closedTasks: commands.flatMap((command) =>
      command.type === 'closeTask'
        ? [{ tokenId: command.tokenId, actor: command.actor, outcome: command.outcome ?? 'completed' }]
        : [],
    ),
    openedSubscriptions: commands.flatMap((command) =>
      command.type === 'openSubscription'
        ? [
            {
              subscriptionId: command.subscriptionId,
              elementId: command.elementId,
              messageName: command.messageName,
              correlationKey: command.correlationKey,
            },
          ]
        : [],
    ),
    closedSubscriptionIds: commands.flatMap((command) =>
      command.type === 'closeSubscription' ? [command.subscriptionId] : [],
    ),
    incidents: state.incidents.map(({ id, elementId, message, at: raisedAt, resolved }) => ({
      incidentId: id,
      elementId,
      message,
      at: raisedAt,
      resolved,
    })),
    audit,
  };
}

async function runJobActivity(input: CaseWorkflowInput, command: Extract<Command, { type: 'runJob' }>, seq: number) {
  // Zeebe's `retries` counts attempts; Temporal retries the activity that many times, then we raise an incident.
  const { runJob } = proxyActivities<CaseActivities>({
    startToCloseTimeout: '2 minutes',
    heartbeatTimeout: '10 seconds',
    retry: {
      maximumAttempts: Math.max(1, command.retries),
      initialInterval: '1 second',
      nonRetryableErrorTypes: [NO_IMPLEMENTATION_ERROR, BPMN_ERROR],
    },
  });
  const request: JobRequest = {
    caseId: input.caseId,
    caseNumber: input.caseNumber,
    elementId: command.elementId,
    tokenId: command.tokenId,
    taskType: command.taskType,
    idempotencyKey: `${input.caseId}:${command.elementId}:${seq}`,
    headers: command.headers,
    variables: command.variables,
  };
  const result = await runJob(request);
  return result.variables;
}

function bpmnErrorOf(error: unknown): { errorCode: string; message?: string; variables?: Variables } | undefined {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== BPMN_ERROR) return undefined;
  const [errorCode, variables] = cause.details ?? [];
  if (typeof errorCode !== 'string') return undefined;
  return {
    errorCode,
    message: cause.message,
    variables: typeof variables === 'object' && variables !== null ? { ...variables } : undefined,
  };
}

function jobErrorMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * The open user task on this token: not a scope token (a multi-instance body carries its task's
 * element id too), and not waiting on an incident (the interpreter refuses to complete it then).
 */
function openUserTask(model: ProcessModel, state: CaseState, tokenId: string) {
  if (state.status === 'completed') return undefined;
  const token = state.tokens.find((candidate) => candidate.id === tokenId && candidate.role === undefined);
  const element = token ? model.elements[token.elementId] : undefined;
  if (!token?.assignment || element?.kind !== 'userTask') return undefined;
  if (state.incidents.some((incident) => incident.tokenId === tokenId && !incident.resolved)) return undefined;
  return { element, assignment: token.assignment };
}

function formOfTask(input: CaseWorkflowInput, state: CaseState, tokenId: string): FormSchema | undefined {
  const formId = openUserTask(input.model, state, tokenId)?.element.formId;
  return formId ? input.forms[formId] : undefined;
}

/** Applicant tasks are for the company only; staff tasks for their candidate groups, candidate users or assignee. */
export function mayComplete(actor: Actor, { candidateGroups, candidateUsers = [], assignee }: TaskAssignment): boolean {
  if (candidateGroups.includes(APPLICANT_GROUP)) return actor.kind === 'applicant';
  if (actor.kind !== 'staff') return false;
  const names = [actor.id, ...(actor.email ? [actor.email] : [])];
  return (
    (assignee !== undefined && names.includes(assignee)) ||
    candidateUsers.some((user) => names.includes(user)) ||
    actor.groups.some((group) => candidateGroups.includes(group))
  );
}

function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}
