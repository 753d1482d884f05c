import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { agencyToday } from './today.js';
import { ApplicationFailure } from '@temporalio/common';
import { initialValues, validateSubmission, type FieldError } from '../../forms/validate.js';
import { rootKeysOf } from './start-steps.js';
import type { FormSchema } from '../../forms/schema.js';
import { completeTaskUpdate, INVALID_SUBMISSION, mayComplete, type Actor } from '../../workflows/case.workflow.js';
import type { CaseRepository, TaskRow } from '../repositories/case.repository.js';
import type { SessionPrincipal } from './auth.service.js';
import { startFormOf, type CatalogService } from './catalog.service.js';

export type CompleteResult =
  { ok: true; caseId: string } | { ok: false; errors: FieldError[]; values: Record<string, unknown> };

export function actorOf(principal: SessionPrincipal): Actor {
  return principal.kind === 'staff'
    ? { kind: 'staff', id: principal.staffId, email: principal.email, groups: principal.groups }
    : { kind: 'applicant', id: principal.userId, groups: [] };
}

export function createTaskService(deps: { cases: CaseRepository; catalog: CatalogService; temporal: Client }) {
  const { cases, catalog, temporal } = deps;

  /** The task with its case and form, if this principal may see it; undefined (→ 404) otherwise. */
  async function taskFor(principal: SessionPrincipal, taskId: string) {
    const task = await cases.findTask(taskId);
    if (!task) return undefined;
    const caseRow = await cases.findById(task.caseId);
    if (!caseRow) return undefined;
    if (principal.kind === 'applicant' && caseRow.companyId !== principal.companyId) return undefined;
    const assignment = {
      candidateGroups: task.candidateGroups,
      candidateUsers: task.candidateUsers,
      assignee: task.assignee ?? undefined,
    };
    if (!mayComplete(actorOf(principal), assignment)) return undefined;
    const version = await catalog.version(caseRow.serviceVersionId);
    const form: FormSchema | undefined = task.formId ? version?.forms[task.formId] : undefined;
    return {
      task,
      caseRow,
      form,
      startForm: version ? startFormOf(version) : undefined,
      /** What the form's FEEL, tables and `valuesKey` options see: the case's variables. */
      context: caseRow.variables,
      /** The form opens with the case's current values for its fields, as in Camunda's Tasklist. */
      values: form ? taskFormValues(form, caseRow.variables) : {},
    };
  }

  return {
    taskFor,

    /** Inbox: open tasks of the staff member's groups or naming them; overdue first, then by priority and age. */
    inbox: (member: { groups: string[]; email: string; staffId: string }) => cases.openTasksForStaff(member),

    /**
     * Completes the task through the case workflow's update. The update id is the form's
     * submission token: a double submit is one completion. Returns once the read model shows it.
     */
    async complete(
      principal: SessionPrincipal,
      taskId: string,
      submissionToken: string,
      input: Record<string, unknown>,
    ): Promise<CompleteResult | undefined> {
      const found = await taskFor(principal, taskId);
      if (!found) return undefined;
      const { task, form } = found;
      // The same context as the workflow's validator: the case's variables.
      const { values, errors } = form
        ? validateSubmission(form, input, { context: found.caseRow.variables, today: agencyToday() })
        : { values: {}, errors: [] };
      if (errors.length > 0) return { ok: false, errors, values };
      if (task.status !== 'open') return { ok: true, caseId: task.caseId };
      try {
        await temporal.workflow.getHandle(task.caseId).executeUpdate(completeTaskUpdate, {
          args: [{ tokenId: task.tokenId, actor: actorOf(principal), data: input }],
          updateId: submissionToken,
        });
      } catch (error) {
        const rejection = rejectionOf(error);
        if (rejection?.type === INVALID_SUBMISSION) {
          // Our validation passed but the workflow's did not: the same pure validator over the same
          // version's form, so this only happens if the input changed type on the way. Show its errors.
          const fieldErrors: unknown = rejection.details?.[0];
          return { ok: false, errors: Array.isArray(fieldErrors) ? fieldErrors.filter(isFieldError) : [], values };
        }
        // Completed meanwhile (a double submit that lost the race, or a finished case): nothing to do.
        if (!(await stillOpen(task))) return { ok: true, caseId: task.caseId };
        throw error;
      }
      return { ok: true, caseId: task.caseId };
    },
  };

  async function stillOpen(task: TaskRow) {
    return (await cases.findTask(task.id))?.status === 'open';
  }
}

function rejectionOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) return error.cause;
  return undefined;
}

export type TaskService = ReturnType<typeof createTaskService>;

function taskFormValues(form: FormSchema, variables: Record<string, unknown>): Record<string, unknown> {
  const fromCase = [...rootKeysOf(form)].filter((key) => Object.hasOwn(variables, key));
  return { ...initialValues(form), ...Object.fromEntries(fromCase.map((key) => [key, variables[key]])) };
}

function isFieldError(value: unknown): value is FieldError {
  return typeof value === 'object' && value !== null && 'componentId' in value && 'code' in value && 'key' in value;
}
