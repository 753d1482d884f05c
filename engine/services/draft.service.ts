import type { Logger } from '../log/logger.js';
import { randomBytes } from 'node:crypto';
import type { FormSchema } from '../../forms/schema.js';
import type { AccountRepository } from '../repositories/account.repository.js';
import type { DraftRepository, DraftRow } from '../repositories/draft.repository.js';
import type { DocumentRow } from '../repositories/document.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import { startStepsOf, type CatalogService, type ServiceVersion } from './catalog.service.js';
import type { DocumentService, OpenedDocument } from './document.service.js';
import { prefillContext, prefilledStart } from './prefill.js';
import type { StartConfig, StartStep } from './service-definition.js';
import { fileFieldsOf } from './start-steps.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A draft is kept this long after its last change. */
export const draftExpiry = (now: Date, ttlDays: number) => new Date(now.getTime() + ttlDays * DAY_MS);

/** Services whose start has several steps or takes files go through a draft; the others are one page. */
export function startsWithDraft(version: { start: StartConfig; forms: Record<string, FormSchema> }): boolean {
  const steps = startStepsOf(version);
  return steps.length > 1 || steps.some((step) => fileFieldsOf(step.form).length > 0);
}

/** A draft of the user, loaded with what its pages need. */
export interface LoadedDraft {
  draft: DraftRow;
  service: NonNullable<Awaited<ReturnType<DraftRepository['findWithService']>>>['service'];
  version: ServiceVersion;
  steps: (StartStep & { form: FormSchema })[];
  expired: boolean;
}

/** Where a draft resumes: a step (0-based) or the review page (after the last step). */
export type ResumeTarget = { step: number } | 'review';

/** The drafts of stepped starts: begin, find, list, delete. Their answers: draft-answers.service.ts. */
export interface DraftService {
  /** Once-only: what the company profile and the user account already say, as the service's `prefill` maps it. */
  prefilledValues(
    user: CompanyUserSession,
    version: { start: StartConfig; forms: Record<string, FormSchema> },
  ): Promise<Record<string, unknown>>;
  /** The user's draft with its version and service; undefined (→ 404) for anyone else's or a missing one. */
  load(user: CompanyUserSession, draftId: string): Promise<LoadedDraft | undefined>;
  /** Where the user left off. */
  resumeTarget(draft: DraftRow, stepCount: number): ResumeTarget;
  /**
   * Resumes the user's open draft of the service's current version, or starts one (prefilled).
   * `'single-page'` for services that start on one page without files: they need no draft.
   */
  startIfStepped(
    user: CompanyUserSession,
    slug: string,
  ): Promise<{ draftId: string; created: boolean; target: ResumeTarget } | 'single-page' | undefined>;
  /** Open drafts of the user, newest change first. */
  list(user: CompanyUserSession): ReturnType<DraftRepository['listOpen']>;
  documentsOf(draftId: string): Promise<DocumentRow[]>;
  /** A document of the draft; the caller has loaded the draft as the user's. */
  openDocument(draftId: string, documentId: string): Promise<OpenedDocument | undefined>;
  /** Deletes an open draft of the user with its documents; false when there is no such draft. */
  remove(user: CompanyUserSession, draftId: string): Promise<boolean>;
}

export interface DraftServiceDeps {
  drafts: DraftRepository;
  documents: DocumentService;
  catalog: CatalogService;
  companies: Pick<AccountRepository, 'findCompany'>;
  ttlDays: number;
  logger: Logger;
  clock?: () => Date;
}

export function createDraftService(deps: DraftServiceDeps): DraftService {
  const { drafts, documents, catalog, companies, ttlDays, logger } = deps;
  const clock = deps.clock ?? (() => new Date());

  const prefilledValues: DraftService['prefilledValues'] = async (user, version) => {
    const prefills = Object.keys(version.start.prefill).length > 0;
    const company = prefills ? await companies.findCompany(user.companyId) : undefined;
    return prefilledStart(version, prefillContext(user, company), (field, error) =>
      logger.warn({ field, err: error }, 'a prefill expression failed'),
    );
  };

  const load: DraftService['load'] = async (user, draftId) => {
    const found = await drafts.findWithService(draftId);
    if (!found || found.draft.userId !== user.userId || found.draft.companyId !== user.companyId) return undefined;
    const version = await catalog.version(found.draft.serviceVersionId);
    if (!version) return undefined;
    const steps = startStepsOf(version);
    const expired = found.draft.expiresAt.getTime() <= clock().getTime();
    return { draft: found.draft, service: found.service, version, steps, expired };
  };

  const resumeTarget: DraftService['resumeTarget'] = (draft, stepCount) =>
    draft.step >= stepCount ? 'review' : { step: Math.max(0, draft.step) };

  return {
    prefilledValues,
    load,
    resumeTarget,

    async startIfStepped(user, slug) {
      const service = await catalog.current(slug);
      if (!service) return undefined;
      if (!startsWithDraft(service)) return 'single-page';
      const now = clock();
      const values = await prefilledValues(user, service);
      const { row, created } = await drafts.findOrCreateOpen(
        { userId: user.userId, serviceVersionId: service.versionId, now },
        () => ({
          companyId: user.companyId,
          step: 0,
          values,
          submissionToken: randomBytes(18).toString('base64url'),
          updatedAt: now,
          expiresAt: draftExpiry(now, ttlDays),
        }),
      );
      return { draftId: row.id, created, target: resumeTarget(row, startStepsOf(service).length) };
    },

    async list(user) {
      const rows = await drafts.listOpen(user.userId, clock());
      return rows.filter((row) => row.companyId === user.companyId);
    },

    documentsOf: (draftId) => documents.listForDraft(draftId),

    openDocument: (draftId, documentId) => documents.openForDraft(draftId, documentId),

    async remove(user, draftId) {
      const loaded = await load(user, draftId);
      if (!loaded || loaded.draft.submittedCaseId) return false;
      await documents.keepOnlyInDraft(draftId, []);
      await drafts.deleteOpen(draftId);
      return true;
    },
  };
}
