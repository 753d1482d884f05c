/**
 * The one generic workflow that runs every case. A thin shell around the pure interpreter: it
 * feeds it the start, task completions (Workflow Updates) and job results, and carries out the
 * commands it returns. Temporal replays this code: no I/O, no clock but workflow time.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { CaseActivities, CaseProjection, JobRequest } from '../engine/activities/types.js';
import { NO_IMPLEMENTATION_ERROR } from '../engine/activities/types.js';
import { initialState, step } from '../engine/interpreter/interpret.js';
import type { CaseEvent, CaseState, Command, StepResult, Variables } from '../engine/interpreter/types.js';
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
}

export interface Actor {
  kind: 'applicant' | 'staff';
  id: string;
  groups: string[];
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

/** Update id = the form's submission token, so a double submit is one completion. */
export const completeTaskUpdate = defineUpdate<CompleteTaskResult, [CompleteTaskInput]>('completeTask');
export const retryIncidentUpdate = defineUpdate<{ seq: number }, [{ incidentId: string; actor: string }]>(
  'retryIncident',
);
export const caseStateQuery = defineQuery<CaseState>('caseState');

/** Failure type of a rejected task submission; `details[0]` holds the field errors. */
export const INVALID_SUBMISSION = 'InvalidSubmission';
export const TASK_NOT_OPEN = 'TaskNotOpen';
export const NOT_ALLOWED = 'NotAllowed';

const { projectCase } = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export async function caseWorkflow(input: CaseWorkflowInput): Promise<void> {
  const { model, caseId } = input;
  let state: CaseState = initialState();
  let runningJobs = 0;
  // Steps run one at a time: an update and a job result never interleave inside a step.
  let serial: Promise<unknown> = Promise.resolve();

  const apply = (event: CaseEvent): Promise<StepResult> => {
    const run = serial.then(async () => {
      const result = step(model, state, event);
      state = result.state;
      await projectCase(projectionOf(caseId, result, event.at));
      for (const command of result.commands) carryOut(command);
      return result;
    });
    serial = run.catch(() => undefined);
    return run;
  };

  const carryOut = (command: Command) => {
    if (command.type !== 'runJob') return; // open/close task commands are carried by the projection
    runningJobs++;
    void runJob(input, command, state.seq)
      .then(
        (variables): CaseEvent => ({ type: 'completeJob', at: now(), tokenId: command.tokenId, variables }),
        (error: unknown): CaseEvent => ({
          type: 'failJob',
          at: now(),
          tokenId: command.tokenId,
          message: jobErrorMessage(error),
        }),
      )
      .then(apply)
      .finally(() => runningJobs--);
  };

  setHandler(caseStateQuery, () => state);

  setHandler(
    completeTaskUpdate,
    async ({ tokenId, actor, data }) => {
      const form = formOfTask(input, state, tokenId);
      const variables = form ? validateSubmission(form, data).values : {};
      const result = await apply({ type: 'completeTask', at: now(), actor: actorLabel(actor), tokenId, variables });
      return { seq: result.state.seq, publicStatus: result.state.publicStatus };
    },
    {
      validator: ({ tokenId, actor, data }) => {
        const element = openUserTask(model, state, tokenId);
        if (!element) throw ApplicationFailure.create({ type: TASK_NOT_OPEN, message: `Task ${tokenId} is not open` });
        if (!mayComplete(actor, element.candidateGroups, element.assignee)) {
          throw ApplicationFailure.create({ type: NOT_ALLOWED, message: `Task ${tokenId} is not for this user` });
        }
        const form = formOfTask(input, state, tokenId);
        const errors: FieldError[] = form ? validateSubmission(form, data).errors : [];
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

  await apply({ type: 'start', at: now(), actor: input.startedBy, variables: input.variables });
  await condition(() => state.status === 'completed' && runningJobs === 0);
  await serial;
  await condition(allHandlersFinished);
}

// Workflow time: deterministic on replay.
const now = () => new Date().toISOString();

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
              assignee: command.assignee,
            },
          ]
        : [],
    ),
    closedTasks: commands.flatMap((command) =>
      command.type === 'closeTask' ? [{ tokenId: command.tokenId, actor: command.actor }] : [],
    ),
    audit,
  };
}

async function runJob(input: CaseWorkflowInput, command: Extract<Command, { type: 'runJob' }>, seq: number) {
  // Zeebe's `retries` counts attempts; Temporal retries the activity that many times, then we raise an incident.
  const { runJob: run } = proxyActivities<CaseActivities>({
    startToCloseTimeout: '2 minutes',
    retry: {
      maximumAttempts: Math.max(1, command.retries),
      initialInterval: '1 second',
      nonRetryableErrorTypes: [NO_IMPLEMENTATION_ERROR],
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
  const result = await run(request);
  return result.variables;
}

function jobErrorMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

function openUserTask(model: ProcessModel, state: CaseState, tokenId: string) {
  if (state.status === 'completed') return undefined;
  const token = state.tokens.find((candidate) => candidate.id === tokenId);
  const element = token ? model.elements[token.elementId] : undefined;
  return element?.kind === 'userTask' ? element : undefined;
}

function formOfTask(input: CaseWorkflowInput, state: CaseState, tokenId: string): FormSchema | undefined {
  const formId = openUserTask(input.model, state, tokenId)?.formId;
  return formId ? input.forms[formId] : undefined;
}

/** Applicant tasks are for the company only; staff tasks for their candidate groups or assignee. */
export function mayComplete(actor: Actor, candidateGroups: string[], assignee?: string): boolean {
  if (candidateGroups.includes(APPLICANT_GROUP)) return actor.kind === 'applicant';
  if (actor.kind !== 'staff') return false;
  return assignee === actor.id || actor.groups.some((group) => candidateGroups.includes(group));
}

function actorLabel(actor: Actor): string {
  return `${actor.kind}:${actor.id}`;
}
