import { randomUUID } from 'node:crypto';
import { agencyToday } from './today.js';
import { renderLetterPdf } from '../documents/letter-pdf.js';
import { receiptLetter } from '../documents/receipt.js';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { FormSchema } from '../../forms/schema.js';
import { validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import { CASE_WORKFLOW_TYPE, type CaseWorkflowInput } from '../case/contract.js';
import { actorOf, mayComplete } from '../case/task-completion.js';
import type { caseWorkflow } from '../../workflows/case.workflow.js';
import type { CaseRepository, CaseRow } from '../repositories/case.repository.js';
import type { CompanyUserSession, StaffSession } from './auth.service.js';
import { startFormOf, startStepsOf, type CatalogService, type PublishedService } from './catalog.service.js';
import type { StartConfig } from './service-definition.js';
import { answeredWithin } from './unavailable.js';

export type SubmitResult =
  { ok: true; caseId: string; number: string } | { ok: false; errors: FieldError[]; values: Record<string, unknown> };

export interface StartValidation {
  /** The typed values of all steps, merged: the case's start variables. */
  values: Record<string, unknown>;
  /** Steps (0-based) with errors, in order; empty when every step is valid. */
  invalidSteps: { index: number; errors: FieldError[] }[];
}

/** Validates the input against every start step's form, as the case will receive it. */
export function validateStart(
  version: { start: StartConfig; forms: Record<string, FormSchema> },
  input: Record<string, unknown>,
  // Only for what a person just typed: stored values (a draft's) are data and read without it.
  options: { locale?: Locale } = {},
): StartValidation {
  const values: Record<string, unknown> = {};
  const invalidSteps: StartValidation['invalidSteps'] = [];
  startStepsOf(version).forEach((step, index) => {
    const result = validateSubmission(step.form, input, { today: agencyToday(), locale: options.locale });
    Object.assign(values, result.values);
    if (result.errors.length > 0) invalidSteps.push({ index, errors: result.errors });
  });
  return { values, invalidSteps };
}

/**
 * How long a submit waits for Temporal to accept the workflow start. The client's own retries would
 * wait ~20 s on a dead server; past this the page says "try again shortly" (503) and the sweep in the
 * worker process starts the case's workflow once Temporal is back (the row is already written).
 */
export const WORKFLOW_START_DEADLINE_MS = 5000;

export function createCaseService(deps: {
  cases: CaseRepository;
  catalog: CatalogService;
  temporal: Client;
  taskQueue: string;
  clock?: () => Date;
}) {
  const { cases, catalog, temporal, taskQueue } = deps;
  const clock = deps.clock ?? (() => new Date());

  /**
   * Starts the case's workflow with its version; safe to call again for the same case (the id is the
   * case id). A scenario run (`lotse test`) starts with the scenario's clock.
   */
  async function startWorkflow(row: CaseRow, scenario?: { clockOffsetMs: number }): Promise<void> {
    const version = await catalog.version(row.serviceVersionId);
    if (!version) throw new Error(`Case ${row.id}: service version ${row.serviceVersionId} is missing`);
    const input: CaseWorkflowInput = {
      caseId: row.id,
      caseNumber: row.number,
      model: version.model,
      forms: version.forms,
      startedBy: `applicant:${row.createdByUserId}`,
      variables: { ...row.variables, caseNumber: row.number },
      ...(scenario && { scenario: true, clockOffsetMs: scenario.clockOffsetMs }),
    };
    try {
      await answeredWithin(WORKFLOW_START_DEADLINE_MS, 'temporal', (deadline) =>
        temporal.withDeadline(deadline, () =>
          temporal.workflow.start<typeof caseWorkflow>(CASE_WORKFLOW_TYPE, {
            workflowId: row.id,
            taskQueue,
            args: [input],
            // A case id runs once, ever: a finished case is never started again by a late double submit.
            workflowIdReusePolicy: 'REJECT_DUPLICATE',
            workflowIdConflictPolicy: 'FAIL',
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  }

  /** Inserts the case unless its submission token already made one; either way returns that case. */
  async function insertCase(
    version: Pick<PublishedService, 'model'> & { id: string },
    owner: { companyId: string; userId: string },
    submissionToken: string,
    subject: string,
    variables: Record<string, unknown>,
  ): Promise<CaseRow> {
    const start = version.model.elements[version.model.startEventId];
    const { row } = await cases.insertOnce({
      id: randomUUID(),
      year: clock().getFullYear(),
      serviceVersionId: version.id,
      companyId: owner.companyId,
      userId: owner.userId,
      submissionToken,
      subject,
      publicStatus: start?.status ?? null,
      variables,
    });
    return row;
  }

  /**
   * Validates the start input against every start step of the version, makes the case (once per
   * submission token) and starts its workflow. `beforeStart` runs after the case row exists and before
   * its workflow starts (a draft attaches its documents); it must be idempotent, as a retry repeats it.
   */
  async function startCase(
    user: CompanyUserSession,
    version: Parameters<typeof validateStart>[0] & Pick<PublishedService, 'model'> & { id: string },
    title: string,
    submissionToken: string,
    input: Record<string, unknown>,
    options: { locale?: Locale; beforeStart?: (caseId: string) => Promise<void> } = {},
  ): Promise<SubmitResult> {
    const { values, invalidSteps } = validateStart(version, input, options);
    if (invalidSteps.length > 0) return { ok: false, errors: invalidSteps.flatMap((step) => step.errors), values };
    const row = await insertCase(
      version,
      user,
      submissionToken,
      typeof values.subject === 'string' ? values.subject : title,
      {
        ...values,
        company: { id: user.companyId, name: user.companyName },
        applicant: { id: user.userId, name: user.name, email: user.email },
      },
    );
    // The token made a case of another company (a forged token): nothing of it is shown or reached.
    if (row.companyId !== user.companyId) return { ok: false, errors: [], values };
    await options.beforeStart?.(row.id);
    await startWorkflow(row);
    return { ok: true, caseId: row.id, number: row.number };
  }

  /**
   * The start form of the version the case runs on (never the latest version's); with several start
   * steps, one form with the components of all steps in order, so every answer is shown.
   */
  async function startFormOfVersion(versionId: string): Promise<FormSchema | undefined> {
    const version = await catalog.version(versionId);
    if (!version) return undefined;
    const steps = startStepsOf(version);
    const [first] = steps;
    if (!first || steps.length === 1) return first?.form ?? startFormOf(version);
    return { ...first.form, components: steps.flatMap((step) => step.form.components) };
  }

  return {
    startWorkflow,

    /**
     * Validates the start form and starts the case. The submission token makes it idempotent:
     * a double submit returns the case the first submit created.
     */
    async submit(
      user: CompanyUserSession,
      slug: string,
      submissionToken: string,
      input: Record<string, unknown>,
      options: { locale?: Locale } = {},
    ): Promise<SubmitResult | undefined> {
      const service = await catalog.current(slug);
      if (!service) return undefined;
      return startCase(user, { ...service, id: service.versionId }, service.title.de, submissionToken, input, options);
    },

    /**
     * Starts the case of a finished draft: the draft's submission token is the case's, so submitting
     * it twice makes one case. `beforeStart` attaches the draft's documents and marks it (idempotent).
     */
    async submitDraft(
      user: CompanyUserSession,
      draft: {
        serviceVersionId: string;
        serviceTitle: string;
        submissionToken: string;
        values: Record<string, unknown>;
      },
      beforeStart: (caseId: string) => Promise<void>,
    ): Promise<SubmitResult | undefined> {
      const version = await catalog.version(draft.serviceVersionId);
      if (!version) return undefined;
      return startCase(user, version, draft.serviceTitle, draft.submissionToken, draft.values, { beforeStart });
    },

    /**
     * The case this start-form submission token already made for the user's company, if any: how the
     * portal tells Back-then-send-again from a new inquiry.
     */
    async sentWith(user: CompanyUserSession, submissionToken: string) {
      const row = await cases.findBySubmissionToken(submissionToken);
      if (!row || row.companyId !== user.companyId) return undefined;
      return { id: row.id, number: row.number, variables: row.variables };
    },

    listForCompany: (companyId: string) => cases.listForCompany(companyId),

    /** The case as its company sees it; undefined (→ 404) for any other company. */
    async detailForCompany(caseId: string, user: CompanyUserSession) {
      const detail = await cases.detail(caseId);
      if (!detail || detail.companyId !== user.companyId) return undefined;
      const [events, tasks, startForm] = await Promise.all([
        cases.events(caseId),
        cases.tasksOfCase(caseId),
        startFormOfVersion(detail.serviceVersionId),
      ]);
      /** The company's open tasks: the same rule that lets it complete them. */
      const openTasks = tasks.filter((task) => task.status === 'open' && mayComplete(actorOf(user), task));
      return { detail, timeline: publicTimeline(events), tasks, openTasks, startForm };
    },

    /** The Eingangsbestätigung as PDF, for the case's company only. */
    async receiptFor(caseId: string, companyId: string, locale: 'de' | 'en') {
      const detail = await cases.detail(caseId);
      if (!detail || detail.companyId !== companyId) return undefined;
      const pdf = await renderLetterPdf(receiptLetter(detail, locale));
      const name = locale === 'de' ? 'Eingangsbestaetigung' : 'Receipt';
      return { pdf, fileName: `${name}-${detail.number}.pdf` };
    },

    /** The case as staff see it: everything, including the full audit trail. */
    async detailForStaff(caseId: string, member: StaffSession) {
      const detail = await cases.detail(caseId);
      if (!detail) return undefined;
      const [events, tasks, startForm] = await Promise.all([
        cases.events(caseId),
        cases.tasksOfCase(caseId),
        startFormOfVersion(detail.serviceVersionId),
      ]);
      // Staff see a case when one of its tasks (open or done) was for them; administrators see every case.
      if (!member.isAdmin && !tasks.some((task) => mayComplete(actorOf(member), task))) return undefined;
      return { detail, events, tasks, startForm };
    },

    /**
     * Cases whose workflow never started (Temporal was down at submit, or the process died between insert
     * and start): start them now. The first failure ends the round (Temporal is still down);
     * the caller tries again later. Returns how many were started.
     */
    async resumeUnstarted(olderThanMs = 0) {
      const rows = await cases.unstarted(new Date(clock().getTime() - olderThanMs));
      for (const row of rows) await startWorkflow(row);
      return rows.length;
    },

    /**
     * `lotse test`: starts a case in scenario mode on the given version, for the given applicant. Jobs wait for
     * the scenario instead of running activities; `clockOffsetMs` starts the case's clock where the scenario's is.
     */
    async startScenario(input: {
      serviceVersionId: string;
      companyId: string;
      userId: string;
      variables: Record<string, unknown>;
      clockOffsetMs?: number;
    }): Promise<{ caseId: string; number: string }> {
      const version = await catalog.version(input.serviceVersionId);
      if (!version) throw new Error(`Service version ${input.serviceVersionId} is missing`);
      const row = await insertCase(version, input, `scenario:${randomUUID()}`, 'Szenario', input.variables);
      await startWorkflow(row, { clockOffsetMs: input.clockOffsetMs ?? 0 });
      return { caseId: row.id, number: row.number };
    },
  };
}

type CaseEventRow = Awaited<ReturnType<CaseRepository['events']>>[number];

/** Applicant-facing timeline: only the steps that carry a public status label, once per change. */
export function publicTimeline(events: CaseEventRow[]) {
  const timeline: { status: string; at: Date }[] = [];
  for (const event of events) {
    if (event.type !== 'elementEntered' || !event.publicStatus) continue;
    if (timeline.at(-1)?.status === event.publicStatus) continue;
    timeline.push({ status: event.publicStatus, at: event.at });
  }
  return timeline;
}

export type CaseService = ReturnType<typeof createCaseService>;
