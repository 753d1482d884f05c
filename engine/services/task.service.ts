import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { agencyToday } from './today.js';
import { ApplicationFailure } from '@temporalio/common';
import { initialValues, validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import { rootKeysOf } from './start-steps.js';
import type { FormSchema } from '../../forms/schema.js';
import {
  INVALID_SUBMISSION,
  NOT_ALLOWED,
  TASK_NOT_OPEN,
  actorOf,
  audienceOf,
  mayComplete,
} from '../case/task-completion.js';
import { completeTaskUpdate } from '../case/contract.js';
import type { CaseRepository, CaseRow, TaskRow } from '../repositories/case.repository.js';
import type { SessionPrincipal, StaffSession } from './auth.service.js';
import { startFormOf, type CatalogService } from './catalog.service.js';

type Outcome =
  | { ok: true; caseId: string }
  | { ok: false; reason: 'invalid'; errors: FieldError[]; values: Record<string, unknown> }
  /**
   * Someone else completed the task first (another caseworker, a colleague, or the case moved on):
   * the submission changed nothing. `values` is what this user typed, to show it for copying.
   */
  | {
      ok: false;
      reason: 'notOpen';
      caseId: string;
      completedBy?: string;
      completedAt?: Date;
      values: Record<string, unknown>;
    };

/** What a completion came to; when it did not complete, with the task as loaded to show its page again. */
export type CompleteResult =
  Extract<Outcome, { ok: true }> | (Extract<Outcome, { ok: false }> & { found: TaskForPrincipal });

/** A task as the page that shows or completes it needs it. */
export interface TaskForPrincipal {
  task: TaskRow;
  caseRow: CaseRow;
  form: FormSchema | undefined;
  startForm: FormSchema | undefined;
  /** What the form's FEEL, tables and `valuesKey` options see: the case's variables. */
  context: Record<string, unknown>;
  /** The form opens with the case's current values for its fields, as in Camunda's Tasklist. */
  values: Record<string, unknown>;
  /** Who completed the task, once it is no longer open (a stale page shows it). */
  completedBy: string | undefined;
}

export interface TaskService {
  /** The task with its case and form, if this principal may complete it; undefined (→ 404) otherwise. */
  taskFor(principal: SessionPrincipal, taskId: string): Promise<TaskForPrincipal | undefined>;
  /** Inbox: open tasks the staff member may complete; overdue first, then by priority and age. */
  inbox(member: StaffSession): ReturnType<CaseRepository['openTasksForStaff']>;
  /**
   * Completes the task through the case workflow's update. The update id is the form's submission
   * token: a double submit is one completion. Returns once the read model shows it; undefined (→ 404)
   * when the task is not this principal's. A result that is not ok carries the task as loaded, so the
   * page can be shown again without loading it twice.
   */
  complete(
    principal: SessionPrincipal,
    taskId: string,
    submissionToken: string,
    input: Record<string, unknown>,
    locale?: Locale,
  ): Promise<CompleteResult | undefined>;
}

export interface TaskServiceDeps {
  cases: CaseRepository;
  catalog: CatalogService;
  temporal: Client;
}

export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { cases, catalog, temporal } = deps;

  async function taskFor(principal: SessionPrincipal, taskId: string): Promise<TaskForPrincipal | undefined> {
    const task = await cases.findTask(taskId);
    if (!task) return undefined;
    const caseRow = await cases.findById(task.caseId);
    if (!caseRow) return undefined;
    if (principal.kind === 'applicant' && caseRow.companyId !== principal.companyId) return undefined;
    if (!mayComplete(actorOf(principal), task)) return undefined;
    const version = await catalog.version(caseRow.serviceVersionId);
    const form: FormSchema | undefined = task.formId ? version?.forms[task.formId] : undefined;
    return {
      task,
      caseRow,
      form,
      startForm: version ? startFormOf(version) : undefined,
      context: caseRow.variables,
      values: form ? taskFormValues(form, caseRow.variables) : {},
      completedBy: task.status !== 'open' && task.completedBy ? await cases.actorName(task.completedBy) : undefined,
    };
  }

  return {
    taskFor,

    inbox: (member: StaffSession) => cases.openTasksForStaff(audienceOf(actorOf(member))),

    // `locale`: the language of the form the user filled in — how its numbers are read, here and in the workflow.
    async complete(principal, taskId, submissionToken, input, locale) {
      const found = await taskFor(principal, taskId);
      if (!found) return undefined;
      const outcome = await completeLoaded(principal, found, submissionToken, input, locale);
      return outcome && !outcome.ok ? { ...outcome, found } : outcome;
    },
  };

  async function completeLoaded(
    principal: SessionPrincipal,
    found: TaskForPrincipal,
    submissionToken: string,
    input: Record<string, unknown>,
    locale: Locale | undefined,
  ): Promise<Outcome | undefined> {
    const { task, form } = found;
    // The same validator and inputs as the workflow's (engine/case/task-completion.ts): the case's variables, today.
    const { values, errors } = form
      ? validateSubmission(form, input, { context: found.caseRow.variables, today: agencyToday(), locale })
      : { values: {}, errors: [] };
    if (task.status !== 'open') return (await sentBefore(task, submissionToken)) ?? notOpen(task, values);
    if (errors.length > 0) return { ok: false, reason: 'invalid', errors, values };
    try {
      await temporal.workflow.getHandle(task.caseId).executeUpdate(completeTaskUpdate, {
        args: [{ tokenId: task.tokenId, actor: actorOf(principal), data: input, locale }],
        updateId: submissionToken,
      });
    } catch (error) {
      const rejection = rejectionOf(error);
      if (rejection?.type === INVALID_SUBMISSION) {
        // Our validation passed but the workflow's did not: the same pure validator over the same
        // version's form, so this only happens if the input changed type on the way. Show its errors.
        const fieldErrors: unknown = rejection.details?.[0];
        const shown = Array.isArray(fieldErrors) ? fieldErrors.filter(isFieldError) : [];
        return { ok: false, reason: 'invalid', errors: shown, values };
      }
      if (rejection?.type === NOT_ALLOWED) return undefined;
      // Lost the race: another completion was applied first. The read model already shows it (the
      // winner's update returns only after the projection).
      if (rejection?.type === TASK_NOT_OPEN) return notOpen((await cases.findTask(task.id)) ?? task, values);
      throw error;
    }
    return { ok: true, caseId: task.caseId };
  }

  /**
   * The same form sent again (a double click, a reload of the POST) after its first submit completed
   * the task: the update id is the form's token, so Temporal still knows that completion. Any other
   * form of a task that is no longer open came too late.
   */
  async function sentBefore(task: TaskRow, submissionToken: string): Promise<Outcome | undefined> {
    try {
      await temporal.workflow.getHandle(task.caseId).getUpdateHandle(submissionToken).result();
      return { ok: true, caseId: task.caseId };
    } catch {
      return undefined;
    }
  }

  async function notOpen(task: TaskRow, values: Record<string, unknown>): Promise<Outcome> {
    return {
      ok: false,
      reason: 'notOpen',
      caseId: task.caseId,
      completedBy: task.completedBy ? await cases.actorName(task.completedBy) : undefined,
      completedAt: task.completedAt ?? undefined,
      values,
    };
  }
}

function rejectionOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) return error.cause;
  return undefined;
}

function taskFormValues(form: FormSchema, variables: Record<string, unknown>): Record<string, unknown> {
  const fromCase = [...rootKeysOf(form)].filter((key) => Object.hasOwn(variables, key));
  return { ...initialValues(form), ...Object.fromEntries(fromCase.map((key) => [key, variables[key]])) };
}

function isFieldError(value: unknown): value is FieldError {
  return typeof value === 'object' && value !== null && 'componentId' in value && 'code' in value && 'key' in value;
}
