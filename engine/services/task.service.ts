import type { Client } from '@temporalio/client';
import type { FormSchema } from '../../forms/schema.js';
import { initialValues, type Locale } from '../../forms/validate.js';
import { actorOf, audienceOf, mayComplete } from '../case/task-completion.js';
import type { CaseRepository, CaseRow, TaskRow } from '../repositories/case.repository.js';
import type { SessionPrincipal, StaffSession } from './auth.service.js';
import { startFormOf, type CatalogService } from './catalog.service.js';
import { rootKeysOf } from './start-steps.js';
import { createTaskUpdater, type CompletionOutcome } from './task-update.js';

/** What a completion came to; when it did not complete, with the task as loaded to show its page again. */
export type CompleteResult =
  Extract<CompletionOutcome, { ok: true }> | (Extract<CompletionOutcome, { ok: false }> & { found: TaskForPrincipal });

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
  const completeLoaded = createTaskUpdater({ cases, temporal });

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
}

function taskFormValues(form: FormSchema, variables: Record<string, unknown>): Record<string, unknown> {
  const fromCase = [...rootKeysOf(form)].filter((key) => Object.hasOwn(variables, key));
  return { ...initialValues(form), ...Object.fromEntries(fromCase.map((key) => [key, variables[key]])) };
}
