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
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CaseActivities, JobRequest } from '../engine/activities/types.js';
import { BPMN_ERROR, NO_IMPLEMENTATION_ERROR, SCENARIO_HEADER } from '../engine/activities/types.js';
import { initialState, step } from '../engine/interpreter/interpret.js';
import { SIGNAL_BROADCAST_JOB_TYPE } from '../engine/model/process-model.js';
import {
  InvalidEventError,
  type CaseEvent,
  type CaseState,
  type Command,
  type Variables,
} from '../engine/interpreter/types.js';
import {
  checkCompletion,
  actorLabel,
  INVALID_SUBMISSION,
  TASK_NOT_OPEN,
  type CompleteTaskInput,
} from '../engine/case/task-completion.js';
import {
  EVENT_NOT_ACCEPTED,
  MIGRATION_REFUSED,
  NO_SUBSCRIPTION,
  caseStateQuery,
  completeTaskUpdate,
  deliverMessageUpdate,
  deliverSignalUpdate,
  increaseTimeSignal,
  migrateUpdate,
  requestInformationUpdate,
  retryIncidentUpdate,
  withdrawInformationRequestUpdate,
  scenarioJobUpdate,
  waitingJobsQuery,
  type CaseWorkflowInput,
  type DeliverMessageInput,
  type MigrateCaseInput,
} from '../engine/case/contract.js';
import { planMigration } from '../engine/case/migration.js';
import {
  AWAITING_ANSWER,
  answerRequest,
  checkAnswer,
  checkInformationRequest,
  checkWithdrawal,
  closeRequest,
  deadlineEnd,
  isRequestToken,
  openRequest,
  openRequestByToken,
  openRequestOn,
  openRequests,
  requestMail,
  settleRequests,
  type InformationRequest,
} from '../engine/case/information-request.js';
import { projectionOf, type ProjectedStep } from '../engine/case/projection.js';
import { withWithdrawalTrail } from '../engine/case/withdrawal.js';
import { agencyToday } from '../engine/case/today.js';

// The worker heartbeats every activity (engine/main/worker.ts): one killed mid-activity is retried after the
// heartbeat timeout, not after the start-to-close timeout. Timeouts are no replay-relevant command data.
const { projectCase } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  const { caseId } = input;
  // A migration (the `migrate` update) swaps the model and forms for the rest of the case.
  let model = input.model;
  let forms = input.forms;
  let serviceVersionId = input.serviceVersionId;
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

  /**
   * Runs one step of the case in turn: made when its turn comes (so it sees the state the steps before it
   * left), projected, its commands carried out.
   */
  const runStep = <T extends ProjectedStep>(make: () => { result: T; at: string }): Promise<T> => {
    const run = serial.then(async () => {
      const { result, at } = make();
      state = result.state;
      const { messages } = await projectCase(projectionOf(caseId, result, at));
      for (const command of result.commands) carryOut(command);
      // Messages buffered before the case subscribed: the projection claimed them for us.
      for (const message of messages) void applyQuietly(correlation(message));
      return result;
    });
    serial = run.catch(() => undefined);
    return run;
  };

  /**
   * Applies an event to the interpreter in turn. An event given as a function is made when its turn comes
   * (a completion re-checks that its task is still open). A Rückfrage whose staff task the step closed ends
   * with it (settleRequests: no change for a case without Rückfragen). A withdrawal names who withdrew in the trail.
   */
  const apply = (event: CaseEvent | (() => CaseEvent)): Promise<ProjectedStep> =>
    runStep(() => {
      const next = typeof event === 'function' ? event() : event;
      return { result: withWithdrawalTrail(settleRequests(step(model, state, next), next.at), next), at: next.at };
    });

  /**
   * For updates: an event that no longer fits the case when its turn comes rejects the update that
   * brought it (an ApplicationFailure), never the workflow task.
   */
  const applyUpdate = (event: CaseEvent | (() => CaseEvent)): Promise<ProjectedStep> =>
    apply(event).catch((error: unknown) => {
      if (error instanceof InvalidEventError) {
        throw ApplicationFailure.create({ type: EVENT_NOT_ACCEPTED, message: error.message, nonRetryable: true });
      }
      throw error;
    });

  /** For events from timers and jobs: their token may have left meanwhile, which is no error. */
  const applyQuietly = (event: CaseEvent | undefined) =>
    event
      ? apply(event).catch((error: unknown) => {
          if (!(error instanceof InvalidEventError)) throw error;
        })
      : Promise.resolve();

  const correlation = (message: DeliverMessageInput, at = now()): CaseEvent | undefined => {
    const subscription = state.subscriptions?.find(
      (open) => open.messageName === message.messageName && open.correlationKey === message.correlationKey,
    );
    return subscription
      ? {
          type: 'correlateMessage',
          at,
          subscriptionId: subscription.id,
          messageName: message.messageName,
          variables: message.variables,
          ...(message.actor !== undefined && { actor: message.actor }),
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
          // A Rückfrage's deadline is the shell's own timer; every other timer is the interpreter's.
          if (isRequestToken(timerId)) return expireRequest(timerId);
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
        // A signal broadcast is the engine's own work, never a job a scenario answers (CPT broadcasts it too).
        if (command.taskType === SIGNAL_BROADCAST_JOB_TYPE && input.scenario)
          runJob({ ...command, headers: { ...command.headers, [SCENARIO_HEADER]: 'true' } });
        else if (input.scenario) waitingJobs.set(command.tokenId, command);
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

  /** Rückfrage steps (engine/case/information-request.ts) run in turn like interpreter steps. */
  const requestStep = (make: (at: string) => ProjectedStep) => {
    const at = now();
    return runStep(() => ({ result: make(at), at }));
  };

  /** The deadline passed without an answer: the staff task comes back, noted "keine Antwort bis …". */
  const expireRequest = (tokenId: string) =>
    requestStep((at) => {
      const request = openRequestByToken(state, tokenId);
      // Answered or withdrawn in a step just before: nothing left to do (an empty step projects nothing new).
      return request ? closeRequest(state, request, 'expired', 'system', at) : { state, commands: [], audit: [] };
    }).then(() => undefined);

  /** Cases before ADR 0030: the company heard of the Rückfrage through the e-mail job; a failure stops nothing. */
  const sendRequestMail = (request: InformationRequest, seq: number) => {
    if (input.scenario) return;
    // The platform's notifications now tell every member of the company of the Rückfrage's task, in their language
    // and without its text (ADR 0030); a case that mailed here before replays as it ran.
    if (patched('company-notifications')) return;
    const { subject, body } = requestMail(request, input.caseNumber);
    runningJobs++;
    runJobActivity(
      input,
      {
        type: 'runJob',
        tokenId: request.tokenId,
        elementId: request.staffElementId,
        taskType: 'email',
        retries: 3,
        headers: { to: '=applicant.email', subject, body },
        variables: state.variables,
      },
      seq,
    )
      .catch(() => undefined)
      .finally(() => {
        runningJobs--;
      });
  };

  setHandler(caseStateQuery, () => state);
  setHandler(waitingJobsQuery, () => [...waitingJobs.values()]);

  // The agency's today in workflow time: the date rules of a form are checked as the route checked them.
  const completion = (update: CompleteTaskInput) =>
    checkCompletion({ model, forms, state, scenario: input.scenario }, update, agencyToday(new Date(clock())));

  // A staff task waiting for a Rückfrage's answer is not completed meanwhile (withdraw the Rückfrage first).
  const awaiting = (update: CompleteTaskInput) =>
    openRequestOn(state, update.tokenId)
      ? ApplicationFailure.create({
          type: AWAITING_ANSWER,
          message: `Task ${update.tokenId} waits for the company's answer`,
          nonRetryable: true,
        })
      : undefined;

  /** The company's answer to a Rückfrage: the completion of its task, checked by the Rückfrage's own rule. */
  const answerCheck = (update: CompleteTaskInput) => {
    const check = checkAnswer(state, update, agencyToday(new Date(clock())));
    if (!check.ok) throw rejectionOf(check);
    return check;
  };

  setHandler(
    completeTaskUpdate,
    async (update) => {
      const at = now();
      if (isRequestToken(update.tokenId)) {
        const answered = await runStep(() => ({
          result: answerRequest(state, answerCheck(update), actorLabel(update.actor), at),
          at,
        })).catch(asUpdateRejection);
        return { seq: answered.state.seq, publicStatus: answered.state.publicStatus };
      }
      const result = await applyUpdate(() => {
        // Checked again in turn: another completion of the same task may have been applied since the validator ran.
        const check = completion(update);
        if (!check.ok) throw rejectionOf(check);
        const waiting = awaiting(update);
        if (waiting) throw waiting;
        return {
          type: 'completeTask',
          at,
          actor: actorLabel(update.actor),
          tokenId: update.tokenId,
          variables: check.variables,
        };
      });
      return { seq: result.state.seq, publicStatus: result.state.publicStatus };
    },
    {
      validator: (update) => {
        if (isRequestToken(update.tokenId)) {
          answerCheck(update);
          return;
        }
        const check = completion(update);
        if (!check.ok) throw rejectionOf(check);
        const waiting = awaiting(update);
        if (waiting) throw waiting;
      },
    },
  );

  // Rückfrage: validated in the validator and checked again in turn by the handler (ADR 0014): anything a
  // user sent that does not fit rejects the update with an ApplicationFailure, never the workflow task.
  const requestCheck = (update: Parameters<typeof checkInformationRequest>[1]) => {
    const check = checkInformationRequest({ model, state }, update, agencyToday(new Date(clock())));
    if (!check.ok) {
      throw ApplicationFailure.create({
        type: check.type,
        message: check.message,
        nonRetryable: true,
        details: check.errors ? [check.errors] : undefined,
      });
    }
    return check;
  };

  setHandler(
    requestInformationUpdate,
    async (update) => {
      const result = await requestStep((at) => openRequest(state, requestCheck(update), at)).catch(asUpdateRejection);
      if (result.openedRequest) sendRequestMail(result.openedRequest, result.state.seq);
      return { seq: result.state.seq };
    },
    { validator: (update) => void requestCheck(update) },
  );

  const withdrawalCheck = (update: Parameters<typeof checkWithdrawal>[1]) => {
    const check = checkWithdrawal({ model, state }, update);
    if (!check.ok) throw ApplicationFailure.create({ type: check.type, message: check.message, nonRetryable: true });
    return check.request;
  };

  setHandler(
    withdrawInformationRequestUpdate,
    async (update) => {
      const result = await requestStep((at) =>
        closeRequest(state, withdrawalCheck(update), 'withdrawn', actorLabel(update.actor), at),
      ).catch(asUpdateRejection);
      return { seq: result.state.seq };
    },
    { validator: (update) => void withdrawalCheck(update) },
  );

  setHandler(
    retryIncidentUpdate,
    async ({ incidentId, actor }) => {
      const result = await applyUpdate({ type: 'retryIncident', at: now(), actor, incidentId });
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
      const at = now();
      const result = await applyUpdate(() => {
        // Correlated in turn: the validator saw a subscription, but a step before this one may have closed it;
        // then the message was not taken (the publisher buffers it).
        const event = correlation(message, at);
        if (!event)
          throw ApplicationFailure.create({ type: NO_SUBSCRIPTION, message: 'Subscription closed meanwhile' });
        return event;
      });
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

  // A broadcast signal (ADR 0031): only cases of models with signals ever have a signal subscription.
  const hasSignalSubscription = (signalName: string) =>
    (state.signalSubscriptions ?? []).some((open) => open.signalName === signalName);
  setHandler(
    deliverSignalUpdate,
    async (signal) => {
      const at = now();
      const result = await applyUpdate(() => {
        // In turn: a step before this one may have closed the subscription; then the signal passed the case by.
        if (!hasSignalSubscription(signal.signalName))
          throw ApplicationFailure.create({ type: NO_SUBSCRIPTION, message: 'Signal subscription closed meanwhile' });
        return { type: 'broadcastSignal', at, signalName: signal.signalName, variables: signal.variables };
      });
      return { seq: result.state.seq };
    },
    {
      validator: (signal) => {
        if (!hasSignalSubscription(signal.signalName)) {
          throw ApplicationFailure.create({
            type: NO_SUBSCRIPTION,
            message: `No open subscription for signal ${signal.signalName}`,
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
      const result = await applyUpdate(event);
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

  // Migration (engine/case/migration.ts, ADR 0020): validated in the validator and planned again in turn with the
  // same pure function; a case that cannot move rejects the update with an ApplicationFailure and stays as it is.
  const migrationPlan = (update: MigrateCaseInput) => {
    if (serviceVersionId !== undefined && serviceVersionId !== update.fromVersionId) {
      const reason = {
        de: 'Der Fall läuft nicht mehr auf der Ausgangsversion.',
        en: 'The case no longer runs on the version it was planned from.',
      };
      throw ApplicationFailure.create({
        type: MIGRATION_REFUSED,
        message: reason.en,
        nonRetryable: true,
        details: [[reason]],
      });
    }
    const plan = planMigration({
      state,
      from: model,
      fromForms: forms,
      to: update.model,
      toForms: update.forms,
      mapping: update.mapping,
    });
    if (!plan.canMove) {
      throw ApplicationFailure.create({
        type: MIGRATION_REFUSED,
        message: plan.reasons.map((reason) => reason.en).join(' '),
        nonRetryable: true,
        details: [plan.reasons],
      });
    }
    return plan;
  };

  setHandler(
    migrateUpdate,
    async (update) => {
      const at = now();
      const result = await runStep(() => {
        const plan = migrationPlan(update);
        model = update.model;
        forms = update.forms;
        serviceVersionId = update.toVersionId;
        const migrated: ProjectedStep = {
          state: plan.state,
          commands: [],
          audit: [
            {
              type: 'caseMigrated',
              actor: update.actor,
              at,
              detail: `Version ${update.fromVersion} → ${update.toVersion}`,
            },
          ],
          migration: { serviceVersionId: update.toVersionId, tasks: plan.movedTasks },
        };
        return { result: migrated, at };
      });
      return { seq: result.state.seq };
    },
    { validator: (update) => void migrationPlan(update) },
  );

  setHandler(increaseTimeSignal, ({ ms }) => {
    if (input.scenario && ms > 0) clockOffsetMs += ms;
  });

  if (input.resumeState) {
    for (const timer of state.timers ?? []) startTimer(timer.id, timer.dueAt);
    // The Rückfragen's deadlines are no interpreter timers: the open ones are in the case's variables.
    for (const request of openRequests(state)) startTimer(request.tokenId, deadlineEnd(request.deadline));
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
    await continueAsNew<typeof caseWorkflow>({
      ...input,
      resumeState: state,
      clockOffsetMs,
      // A migrated case goes on with its new version; any other carries its input as it was.
      ...(serviceVersionId !== undefined && { model, forms, serviceVersionId }),
    });
  }
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

/** A Rückfrage step's check threw a plain error in turn: never let it fail the workflow task (ADR 0014). */
function asUpdateRejection(error: unknown): never {
  if (error instanceof InvalidEventError) {
    throw ApplicationFailure.create({ type: EVENT_NOT_ACCEPTED, message: error.message, nonRetryable: true });
  }
  throw error;
}

function rejectionOf(
  check:
    Exclude<ReturnType<typeof checkCompletion>, { ok: true }> | Exclude<ReturnType<typeof checkAnswer>, { ok: true }>,
): ApplicationFailure {
  return ApplicationFailure.create({
    type: check.type,
    message: check.message,
    nonRetryable: true,
    details: check.type === INVALID_SUBMISSION ? [check.errors] : undefined,
  });
}
