import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { agencyToday } from './today.js';
import type { FormSchema } from '../../forms/schema.js';
import { validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import { INVALID_SUBMISSION, NOT_ALLOWED, TASK_NOT_OPEN, actorOf } from '../case/task-completion.js';
import { completeTaskUpdate } from '../case/contract.js';
import { AWAITING_ANSWER } from '../case/information-request.js';
import type { CaseRepository, CaseRow, TaskRow } from '../repositories/case.repository.js';
import type { SessionPrincipal } from './auth.service.js';

export type CompletionOutcome =
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

/**
 * Completes a task the principal may complete (the caller checked) through the case workflow's update;
 * undefined when the workflow says the principal may not.
 */
export type CompleteLoaded = (
  principal: SessionPrincipal,
  found: { task: TaskRow; caseRow: CaseRow; form: FormSchema | undefined },
  submissionToken: string,
  input: Record<string, unknown>,
  locale: Locale | undefined,
) => Promise<CompletionOutcome | undefined>;

export function createTaskUpdater(deps: { cases: CaseRepository; temporal: Client }): CompleteLoaded {
  const { cases, temporal } = deps;

  /**
   * The same form sent again (a double click, a reload of the POST) after its first submit completed
   * the task: the update id is the form's token, so Temporal still knows that completion. Any other
   * form of a task that is no longer open came too late.
   */
  async function sentBefore(task: TaskRow, submissionToken: string): Promise<CompletionOutcome | undefined> {
    try {
      await temporal.workflow.getHandle(task.caseId).getUpdateHandle(submissionToken).result();
      return { ok: true, caseId: task.caseId };
    } catch {
      return undefined;
    }
  }

  async function notOpen(task: TaskRow, values: Record<string, unknown>): Promise<CompletionOutcome> {
    return {
      ok: false,
      reason: 'notOpen',
      caseId: task.caseId,
      completedBy: task.completedBy ? await cases.actorName(task.completedBy) : undefined,
      completedAt: task.completedAt ?? undefined,
      values,
    };
  }

  return async function completeLoaded(principal, found, submissionToken, input, locale) {
    const { task, form } = found;
    // The same validator and inputs as the workflow's (engine/case/task-completion.ts): the case's variables, today.
    const { values, errors } = form
      ? validateSubmission(form, input, { context: found.caseRow.variables, today: agencyToday(), locale })
      : { values: {}, errors: [] };
    if (task.status !== 'open') return (await sentBefore(task, submissionToken)) ?? notOpen(task, values);
    if (errors.length > 0) return { ok: false, reason: 'invalid', errors, values };
    // Rückfrage: a staff task waiting for the company's answer is not completed meanwhile; its page says so.
    if (task.waitingSince) return { ok: false, reason: 'invalid', errors: [], values };
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
      // A Rückfrage was sent from this task meanwhile (the read model had not shown it yet).
      if (rejection?.type === AWAITING_ANSWER) return { ok: false, reason: 'invalid', errors: [], values };
      // Lost the race: another completion was applied first. The read model already shows it (the
      // winner's update returns only after the projection).
      if (rejection?.type === TASK_NOT_OPEN) return notOpen((await cases.findTask(task.id)) ?? task, values);
      throw error;
    }
    return { ok: true, caseId: task.caseId };
  };
}

function rejectionOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) return error.cause;
  return undefined;
}

function isFieldError(value: unknown): value is FieldError {
  return typeof value === 'object' && value !== null && 'componentId' in value && 'code' in value && 'key' in value;
}
