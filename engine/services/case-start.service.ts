import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { FieldError, Locale } from '../../forms/validate.js';
import type { CaseRepository, CaseRow } from '../repositories/case.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import { createCaseLauncher } from './case-launch.js';
import type { CatalogService, PublishedService } from './catalog.service.js';
import { validateStart } from './start-validation.js';

export type SubmitResult =
  { ok: true; caseId: string; number: string } | { ok: false; errors: FieldError[]; values: Record<string, unknown> };

/** Starting cases: a company user's submit, a finished draft, an interrupted start, a scenario run. */
export interface CaseStartService {
  /**
   * Validates the start form and starts the case. The submission token makes it idempotent:
   * a double submit returns the case the first submit created.
   */
  submit(
    user: CompanyUserSession,
    slug: string,
    submissionToken: string,
    input: Record<string, unknown>,
    options?: { locale?: Locale },
  ): Promise<SubmitResult | undefined>;
  /**
   * Starts the case of a finished draft: the draft's submission token is the case's, so submitting
   * it twice makes one case. `beforeStart` attaches the draft's documents and marks it (idempotent).
   */
  submitDraft(
    user: CompanyUserSession,
    draft: { serviceVersionId: string; serviceTitle: string; submissionToken: string; values: Record<string, unknown> },
    beforeStart: (caseId: string) => Promise<void>,
  ): Promise<SubmitResult | undefined>;
  /**
   * The case this start-form submission token already made for the user's company, if any: how the
   * portal tells Back-then-send-again from a new inquiry.
   */
  sentWith(
    user: CompanyUserSession,
    submissionToken: string,
  ): Promise<Pick<CaseRow, 'id' | 'number' | 'variables'> | undefined>;
  /**
   * Cases whose workflow never started (Temporal was down at submit, or the process died between insert
   * and start): start them now. The first failure ends the round (Temporal is still down);
   * the caller tries again later. Returns how many were started.
   */
  resumeUnstarted(olderThanMs?: number): Promise<number>;
  /**
   * `lotse test`: starts a case in scenario mode on the given version, for the given applicant. Jobs wait for
   * the scenario instead of running activities; `clockOffsetMs` starts the case's clock where the scenario's is.
   */
  startScenario(input: {
    serviceVersionId: string;
    companyId: string;
    userId: string;
    variables: Record<string, unknown>;
    clockOffsetMs?: number;
  }): Promise<{ caseId: string; number: string }>;
}

export interface CaseStartServiceDeps {
  cases: CaseRepository;
  catalog: CatalogService;
  temporal: Client;
  taskQueue: string;
  clock?: () => Date;
}

type StartableVersion = Parameters<typeof validateStart>[0] & Pick<PublishedService, 'model'> & { id: string };

export function createCaseStartService(deps: CaseStartServiceDeps): CaseStartService {
  const { cases, catalog, temporal, taskQueue } = deps;
  const clock = deps.clock ?? (() => new Date());
  const { insertCase, startWorkflow } = createCaseLauncher({ cases, catalog, temporal, taskQueue, clock });

  /**
   * Validates the start input against every start step of the version, makes the case (once per
   * submission token) and starts its workflow. `beforeStart` runs after the case row exists and before
   * its workflow starts (a draft attaches its documents); it must be idempotent, as a retry repeats it.
   */
  async function startCase(
    user: CompanyUserSession,
    version: StartableVersion,
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

  return {
    async submit(user, slug, submissionToken, input, options = {}) {
      const service = await catalog.current(slug);
      if (!service) return undefined;
      return startCase(user, { ...service, id: service.versionId }, service.title.de, submissionToken, input, options);
    },

    async submitDraft(user, draft, beforeStart) {
      const version = await catalog.version(draft.serviceVersionId);
      if (!version) return undefined;
      return startCase(user, version, draft.serviceTitle, draft.submissionToken, draft.values, { beforeStart });
    },

    async sentWith(user, submissionToken) {
      const row = await cases.findBySubmissionToken(submissionToken);
      if (!row || row.companyId !== user.companyId) return undefined;
      return { id: row.id, number: row.number, variables: row.variables };
    },

    async resumeUnstarted(olderThanMs = 0) {
      const rows = await cases.unstarted(new Date(clock().getTime() - olderThanMs));
      for (const row of rows) await startWorkflow(row);
      return rows.length;
    },

    async startScenario(input) {
      const version = await catalog.version(input.serviceVersionId);
      if (!version) throw new Error(`Service version ${input.serviceVersionId} is missing`);
      const row = await insertCase(version, input, `scenario:${randomUUID()}`, 'Szenario', input.variables);
      await startWorkflow(row, { clockOffsetMs: input.clockOffsetMs ?? 0 });
      return { caseId: row.id, number: row.number };
    },
  };
}
