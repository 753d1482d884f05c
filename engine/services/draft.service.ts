import type { Logger } from '../log/logger.js';
import { randomBytes } from 'node:crypto';
import { agencyToday } from './today.js';
import { readPath, splitKey, writePath } from '../../forms/paths.js';
import type { FormSchema } from '../../forms/schema.js';
import {
  REMOVE_FILE_FIELD,
  initialValues,
  validateSubmission,
  type FieldError,
  type Locale,
} from '../../forms/validate.js';
import { evaluateExpression, FeelError, stripExpression } from '../feel/feel.js';
import type { Uploads } from '../files/multipart.js';
import type { AccountRepository } from '../repositories/account.repository.js';
import type { DraftRepository, DraftRow } from '../repositories/draft.repository.js';
import type { DocumentRow } from '../repositories/document.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import type { CaseStartService } from './case-start.service.js';
import { validateStart } from './start-validation.js';
import { startStepsOf, type CatalogService } from './catalog.service.js';
import type { DocumentService, UploadProblem } from './document.service.js';
import type { StartConfig } from './service-definition.js';
import { dataPathsOf, fileFieldsOf, rootKeysOf, type FileField } from './start-steps.js';

export { fileFieldsOf, type FileField } from './start-steps.js';

/** At most this many files in one file field. */
export const MAX_FILES_PER_FIELD = 10;

const DAY_MS = 24 * 60 * 60 * 1000;

export type StepAction = 'next' | 'back' | 'save';

/** Services whose start has several steps or takes files go through a draft; the others are one page. */
export function startsWithDraft(version: { start: StartConfig; forms: Record<string, FormSchema> }): boolean {
  const steps = startStepsOf(version);
  return steps.length > 1 || steps.some((step) => fileFieldsOf(step.form).length > 0);
}

export interface FileProblem {
  componentId: string;
  /** The file field's name (data path). */
  name: string;
  fileName: string;
  problem: UploadProblem;
}

export type SaveStepResult =
  | { kind: 'saved'; draftId: string; next: { step: number } | 'review' | 'drafts' }
  | { kind: 'invalid'; values: Record<string, unknown>; errors: FieldError[]; fileProblems: FileProblem[] }
  | { kind: 'expired' }
  | { kind: 'submitted'; caseId: string };

export type SubmitDraftResult =
  { kind: 'submitted'; caseId: string } | { kind: 'invalid'; step: number } | { kind: 'expired' };

const stringList = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

export function createDraftService(deps: {
  drafts: DraftRepository;
  documents: DocumentService;
  catalog: CatalogService;
  caseStarts: CaseStartService;
  companies: Pick<AccountRepository, 'findCompany'>;
  ttlDays: number;
  logger: Logger;
  clock?: () => Date;
}) {
  const { drafts, documents, catalog, caseStarts, companies, ttlDays, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const expiryFrom = (now: Date) => new Date(now.getTime() + ttlDays * DAY_MS);

  /** Once-only: what the company profile and the user account already say, as the service's `prefill` maps it. */
  async function prefilledValues(
    user: CompanyUserSession,
    version: { start: StartConfig; forms: Record<string, FormSchema> },
  ): Promise<Record<string, unknown>> {
    const prefill = Object.entries(version.start.prefill);
    const given: Record<string, unknown> = {};
    if (prefill.length > 0) {
      const company = await companies.findCompany(user.companyId);
      const context = {
        company: {
          name: company?.name ?? user.companyName,
          legalForm: company?.legalForm ?? null,
          registerNumber: company?.registerNumber ?? null,
          street: company?.street ?? null,
          postalCode: company?.postalCode ?? null,
          city: company?.city ?? null,
          sector: company?.sector ?? null,
          size: company?.size ?? null,
        },
        user: { name: user.name, email: user.email },
      };
      for (const [key, expression] of prefill) {
        try {
          const value = evaluateExpression(stripExpression(expression), context);
          if (typeof value === 'string' || typeof value === 'boolean') given[key] = value;
          else if (typeof value === 'number') given[key] = String(value);
        } catch (error) {
          // A prefill is a convenience: a failing expression leaves the field for the user to fill in.
          if (!(error instanceof FeelError)) throw error;
          logger.warn({ field: key, err: error }, 'a prefill expression failed');
        }
      }
    }
    // Through the validator, so a prefilled value is typed (and trimmed) like typed input; errors wait for "Next".
    const values: Record<string, unknown> = {};
    for (const step of startStepsOf(version)) {
      const input = initialValues(step.form);
      for (const path of dataPathsOf(step.form)) {
        if (Object.hasOwn(given, path)) writePath(input, splitKey(path), given[path]);
      }
      Object.assign(values, validateSubmission(step.form, input).values);
    }
    return values;
  }

  /** The user's draft with its version and service; undefined (→ 404) for anyone else's or a missing one. */
  async function load(user: CompanyUserSession, draftId: string) {
    const found = await drafts.findWithService(draftId);
    if (!found || found.draft.userId !== user.userId || found.draft.companyId !== user.companyId) return undefined;
    const version = await catalog.version(found.draft.serviceVersionId);
    if (!version) return undefined;
    const steps = startStepsOf(version);
    return {
      draft: found.draft,
      service: found.service,
      version,
      steps,
      expired: found.draft.expiresAt.getTime() <= clock().getTime(),
    };
  }

  /** Where the user left off: a step (0-based) or the review page (after the last step). */
  const resumeTarget = (draft: DraftRow, stepCount: number): { step: number } | 'review' =>
    draft.step >= stepCount ? 'review' : { step: Math.max(0, draft.step) };

  return {
    prefilledValues,
    load,
    resumeTarget,

    /**
     * Resumes the user's open draft of the service's current version, or starts one (prefilled).
     * `'single-page'` for services that start on one page without files: they need no draft.
     */
    async startIfStepped(user: CompanyUserSession, slug: string) {
      const service = await catalog.current(slug);
      if (!service) return undefined;
      if (!startsWithDraft(service)) return 'single-page' as const;
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
          expiresAt: expiryFrom(now),
        }),
      );
      return { draftId: row.id, created, target: resumeTarget(row, startStepsOf(service).length) };
    },

    /** Open drafts of the user, newest change first, with where each one resumes. */
    async list(user: CompanyUserSession) {
      const rows = await drafts.listOpen(user.userId, clock());
      return rows.filter((row) => row.companyId === user.companyId);
    },

    /**
     * Saves one step. Back and Save keep whatever was typed without judging it; Next validates the
     * step. Files are checked and stored first; a refused file never costs the rest of the input.
     */
    async saveStep(
      user: CompanyUserSession,
      draftId: string,
      index: number,
      action: StepAction,
      input: Record<string, unknown>,
      uploads: Uploads,
      returnToReview: boolean,
      // The language the user typed in (numbers: `1.000,5` in German); the stored values are data.
      locale?: Locale,
    ): Promise<SaveStepResult | undefined> {
      const loaded = await load(user, draftId);
      const step = loaded?.steps[index];
      if (!loaded || !step) return undefined;
      const { draft, steps } = loaded;
      if (draft.submittedCaseId) return { kind: 'submitted', caseId: draft.submittedCaseId };
      if (loaded.expired) return { kind: 'expired' };

      // A file field's value is the documents' ids: the ones the page sent back (hidden inputs) that
      // this draft really owns for that field, plus the files that arrive now and pass the checks.
      const stepInput: Record<string, unknown> = { ...input };
      const fileProblems: FileProblem[] = [];
      const owned = await documents.listForDraft(draftId);
      const removed = new Set(stringList(arrayOf(input[REMOVE_FILE_FIELD])));
      for (const field of fileFieldsOf(step.form)) {
        const mine = new Set(
          owned.filter((document) => document.fieldKey === field.name).map((document) => document.id),
        );
        let ids = stringList(arrayOf(input[field.name])).filter((id) => mine.has(id) && !removed.has(id));
        const incoming = uploads.files.filter((file) => file.field === field.name);
        // One file only: a new one takes the place of the old.
        if (!field.multiple && incoming.length > 0) ids = [];
        const limit = field.multiple ? MAX_FILES_PER_FIELD : 1;
        for (const file of incoming) {
          if (ids.length >= limit) {
            fileProblems.push({ ...problemAt(field, file.fileName), problem: { code: 'tooManyFiles', max: limit } });
            continue;
          }
          const stored = await documents.store(
            file,
            { companyId: user.companyId, draftId, fieldKey: field.name, uploadedBy: `applicant:${user.userId}` },
            field.accept,
          );
          if (stored.ok) ids.push(stored.document.id);
          else fileProblems.push({ ...problemAt(field, file.fileName), problem: stored.problem });
        }
        if (uploads.overfull.has(field.name)) {
          fileProblems.push({ ...problemAt(field, ''), problem: { code: 'tooManyFiles', max: limit } });
        }
        stepInput[field.name] = ids;
      }

      const { values: stepValues, errors } = validateSubmission(step.form, stepInput, { today: agencyToday(), locale });
      const values = { ...omit(draft.values, rootKeysOf(step.form)), ...stepValues };
      const valid = errors.length === 0 && fileProblems.length === 0;
      const movesOn = action === 'next' && valid;
      const nextStep = movesOn ? (returnToReview ? steps.length : index + 1) : action === 'back' ? index - 1 : index;
      const now = clock();
      await drafts.save(draftId, {
        values,
        step: Math.max(0, Math.min(nextStep, steps.length)),
        updatedAt: now,
        expiresAt: expiryFrom(now),
      });
      await documents.keepOnlyInDraft(
        draftId,
        documentIdsIn(
          values,
          steps.map((candidate) => candidate.form),
        ),
      );

      // A refused file is reported whatever the button; validation errors only after "Next".
      if (fileProblems.length > 0 || (action === 'next' && !valid)) {
        return { kind: 'invalid', values: stepValues, errors: action === 'next' ? errors : [], fileProblems };
      }
      if (action === 'save') return { kind: 'saved', draftId, next: 'drafts' };
      if (action === 'back') return { kind: 'saved', draftId, next: { step: Math.max(0, index - 1) } };
      return { kind: 'saved', draftId, next: nextStep >= steps.length ? 'review' : { step: nextStep } };
    },

    /** The whole draft checked as the case would be: the first step with errors, if any. */
    check(loaded: { version: Parameters<typeof validateStart>[0]; draft: DraftRow }) {
      return validateStart(loaded.version, loaded.draft.values);
    },

    async documentsOf(draftId: string): Promise<DocumentRow[]> {
      return documents.listForDraft(draftId);
    },

    /** Submits the draft as one case (its submission token is the case's), with its documents attached. */
    async submit(user: CompanyUserSession, draftId: string): Promise<SubmitDraftResult | undefined> {
      const loaded = await load(user, draftId);
      if (!loaded) return undefined;
      const { draft, steps } = loaded;
      if (draft.submittedCaseId) return { kind: 'submitted', caseId: draft.submittedCaseId };
      if (loaded.expired) return { kind: 'expired' };
      const result = await caseStarts.submitDraft(
        user,
        {
          serviceVersionId: draft.serviceVersionId,
          serviceTitle: loaded.service.titleDe,
          submissionToken: draft.submissionToken,
          values: draft.values,
        },
        async (caseId) => {
          await documents.attachToCase(
            draftId,
            documentIdsIn(
              draft.values,
              steps.map((step) => step.form),
            ),
            caseId,
          );
          await drafts.markSubmitted(draftId, caseId);
        },
      );
      if (!result) return undefined;
      if (!result.ok) {
        const { invalidSteps } = validateStart(loaded.version, draft.values);
        return { kind: 'invalid', step: invalidSteps[0]?.index ?? 0 };
      }
      return { kind: 'submitted', caseId: result.caseId };
    },

    /** Deletes an open draft of the user with its documents; false when there is no such draft. */
    async remove(user: CompanyUserSession, draftId: string): Promise<boolean> {
      const loaded = await load(user, draftId);
      if (!loaded || loaded.draft.submittedCaseId) return false;
      await documents.keepOnlyInDraft(draftId, []);
      await drafts.deleteOpen(draftId);
      return true;
    },

    openDocument: (draftId: string, documentId: string) => documents.openForDraft(draftId, documentId),
  };
}

/** The document ids the draft's file fields name. */
export function documentIdsIn(values: Record<string, unknown>, forms: Pick<FormSchema, 'components'>[]): string[] {
  return forms.flatMap((form) =>
    fileFieldsOf(form).flatMap((field) => stringList(readPath(values, splitKey(field.name)))),
  );
}

function problemAt(field: FileField, fileName: string) {
  return { componentId: field.id, name: field.name, fileName };
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function omit(values: Record<string, unknown>, keys: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !keys.has(key)));
}

export type DraftService = ReturnType<typeof createDraftService>;
