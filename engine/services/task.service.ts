import type { Client } from '@temporalio/client';
import type { FormSchema } from '../../forms/schema.js';
import { initialValues, validateSubmission, type Locale } from '../../forms/validate.js';
import { actorLabel, actorOf, audienceOf, mayComplete } from '../case/task-completion.js';
import type { CaseRepository, CaseRow, TaskRow } from '../repositories/case.repository.js';
import type { InboxRepository } from '../repositories/inbox.repository.js';
import type { CompanyUserSession, SessionPrincipal } from './auth.service.js';
import { startFormOf, type CatalogService } from './catalog.service.js';
import { rootKeysOf } from './start-steps.js';
import { createTaskUpdater, type CompletionOutcome } from './task-update.js';
import { requestForm } from '../case/information-request.js';
import type { Uploads } from '../files/multipart.js';
import type { DocumentService } from './document.service.js';
import { receiveTaskFiles } from './task-files.js';
import { agencyToday } from './today.js';

/** What a completion came to; when it did not complete, with the task as loaded to show its page again. */
export type CompleteResult =
  | Extract<CompletionOutcome, { ok: true }>
  | ((Extract<CompletionOutcome, { ok: false }> | ClaimedByOther) & { found: TaskForPrincipal });

type CompleteArguments = [
  taskId: string,
  submissionToken: string,
  input: Record<string, unknown>,
  locale?: Locale,
  uploads?: Uploads,
];

/** Companies' tasks are never claimed: what a company user's completion can come to. */
export type ApplicantCompleteResult = Exclude<CompleteResult, { reason: 'claimed' }>;

/** The task is claimed by a colleague: nothing was sent to the workflow. `values`: what this user typed. */
export interface ClaimedByOther {
  ok: false;
  reason: 'claimed';
  /** The name of whoever has it (their e-mail if no staff member has it). */
  claimedBy: string;
  values: Record<string, unknown>;
}

/** A task as the page that shows or completes it needs it. */
export interface TaskForPrincipal {
  task: TaskRow;
  caseRow: CaseRow;
  form: FormSchema | undefined;
  /** The task's form in another system (ADR 0034): a URL or FEEL over `context`, shown as a link instead of a form. */
  externalForm?: string;
  startForm: FormSchema | undefined;
  /** What the form's FEEL, tables and `valuesKey` options see: the case's variables. */
  context: Record<string, unknown>;
  /** The form opens with the case's current values for its fields, as in Camunda's Tasklist. */
  values: Record<string, unknown>;
  /** Who completed the task, once it is no longer open (a stale page shows it). */
  completedBy: string | undefined;
  /** The task's uploads per file field, when its form is shown again after a refused submission. */
  files?: Record<string, { id: string; name: string; size: number }[]>;
}

export interface TaskService {
  /** The task with its case and form, if this principal may complete it; undefined (→ 404) otherwise. */
  taskFor(principal: SessionPrincipal, taskId: string): Promise<TaskForPrincipal | undefined>;
  /**
   * Completes the task through the case workflow's update. The update id is the form's submission
   * token: a double submit is one completion. Returns once the read model shows it; undefined (→ 404)
   * when the task is not this principal's. A result that is not ok carries the task as loaded, so the
   * page can be shown again without loading it twice.
   */
  complete(
    principal: CompanyUserSession,
    taskId: string,
    submissionToken: string,
    input: Record<string, unknown>,
    locale?: Locale,
    /** Files sent with the form (multipart): stored with the task, the case's once the completion went through. */
    uploads?: Uploads,
  ): Promise<ApplicantCompleteResult | undefined>;
  complete(
    principal: SessionPrincipal,
    taskId: string,
    submissionToken: string,
    input: Record<string, unknown>,
    locale?: Locale,
    /** Files sent with the form (multipart): stored with the task, the case's once the completion went through. */
    uploads?: Uploads,
  ): Promise<CompleteResult | undefined>;
}

export interface TaskServiceDeps {
  cases: CaseRepository;
  catalog: CatalogService;
  temporal: Client;
  /** Who stands in for whom today, and assignees' names: the claimed-by-someone-else check. */
  assignments: Pick<InboxRepository, 'represented' | 'staffName'>;
  /** Uploads on task forms (task-files.ts). */
  documents: Pick<DocumentService, 'store' | 'listPendingForTask' | 'attachTaskDocuments'>;
}

export function createTaskService(deps: TaskServiceDeps): TaskService {
  const { cases, catalog, temporal, assignments } = deps;
  const completeLoaded = createTaskUpdater({ cases, temporal });

  async function taskFor(principal: SessionPrincipal, taskId: string): Promise<TaskForPrincipal | undefined> {
    const task = await cases.findTask(taskId);
    if (!task) return undefined;
    const caseRow = await cases.findById(task.caseId);
    if (!caseRow) return undefined;
    if (principal.kind === 'applicant' && caseRow.companyId !== principal.companyId) return undefined;
    if (!mayComplete(actorOf(principal), task)) return undefined;
    const version = await catalog.version(caseRow.serviceVersionId);
    // A Rückfrage's company task has the form generated from what was asked (engine/case/information-request.ts).
    const form: FormSchema | undefined = task.informationRequest
      ? requestForm({ ...task.informationRequest, requestedDocuments: task.informationRequest.documents })
      : task.formId
        ? version?.forms[task.formId]
        : undefined;
    const element = version?.model.elements[task.elementId];
    const externalForm = element?.kind === 'userTask' && !form ? element.externalForm : undefined;
    return {
      task,
      caseRow,
      form,
      ...(externalForm !== undefined && { externalForm }),
      startForm: version ? startFormOf(version) : undefined,
      context: caseRow.variables,
      values: form ? taskFormValues(form, caseRow.variables) : {},
      completedBy: task.status !== 'open' && task.completedBy ? await cases.actorName(task.completedBy) : undefined,
    };
  }

  // `locale`: the language of the form the user filled in — how its numbers are read, here and in the workflow.
  // Overloaded so that a company user's result has no 'claimed': only staff tasks are claimed.
  function complete(
    principal: CompanyUserSession,
    ...rest: CompleteArguments
  ): Promise<ApplicantCompleteResult | undefined>;
  function complete(principal: SessionPrincipal, ...rest: CompleteArguments): Promise<CompleteResult | undefined>;
  async function complete(
    principal: SessionPrincipal,
    taskId: string,
    submissionToken: string,
    input: Record<string, unknown>,
    locale?: Locale,
    uploads: Uploads = { files: [], overfull: new Set() },
  ): Promise<CompleteResult | undefined> {
    const found = await taskFor(principal, taskId);
    if (!found) return undefined;
    const claimedBy = await claimedByOther(principal, found.task, { assignments });
    if (claimedBy) {
      const { values } = found.form
        ? validateSubmission(found.form, input, { context: found.caseRow.variables, today: agencyToday(), locale })
        : { values: {} };
      return { ok: false, reason: 'claimed', claimedBy, values, found };
    }
    const files = await receiveTaskFiles(
      deps.documents,
      { companyId: found.caseRow.companyId, taskId: found.task.id, uploadedBy: actorLabel(actorOf(principal)) },
      found.form,
      input,
      uploads,
    );
    const withFiles = { ...found, files: files.shown };
    if (files.errors.length > 0 && found.task.status === 'open') {
      const { values } = found.form
        ? validateSubmission(found.form, files.data, { context: found.caseRow.variables, today: agencyToday(), locale })
        : { values: {} };
      return { ok: false, reason: 'invalid', errors: files.errors, values, found: withFiles };
    }
    const outcome = await completeLoaded(principal, found, submissionToken, files.data, locale);
    if (outcome?.ok) await files.attach(outcome.caseId);
    return outcome && !outcome.ok ? { ...outcome, found: withFiles } : outcome;
  }

  return {
    taskFor,

    complete,
  };
}

/**
 * The name of the colleague who claimed this open task, unless it is the principal's (or of a colleague away
 * today whom they stand in for). Checked before the update is sent, so it races with a claim made in between:
 * that completion still applies — by someone its groups entitle to it, exactly once (the workflow decides in
 * turn) — and the claimant's own submit is then told who completed it and shown what they typed. Nothing is lost.
 */
async function claimedByOther(
  principal: SessionPrincipal,
  task: TaskRow,
  deps: Pick<TaskServiceDeps, 'assignments'>,
): Promise<string | undefined> {
  const assignee = task.assignee;
  if (principal.kind !== 'staff' || task.status !== 'open' || assignee === null) return undefined;
  if (audienceOf(actorOf(principal)).names.includes(assignee)) return undefined;
  const represented = await deps.assignments.represented(principal.staffId, agencyToday());
  if (represented.includes(assignee)) return undefined;
  return (await deps.assignments.staffName(assignee)) ?? assignee;
}

/** A task form's first values: its defaults, then the case variables its fields name. */
export function taskFormValues(form: FormSchema, variables: Record<string, unknown>): Record<string, unknown> {
  const fromCase = [...rootKeysOf(form)].filter((key) => Object.hasOwn(variables, key));
  return { ...initialValues(form), ...Object.fromEntries(fromCase.map((key) => [key, variables[key]])) };
}
