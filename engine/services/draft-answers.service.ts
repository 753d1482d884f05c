import { agencyToday } from './today.js';
import { validateSubmission, type FieldError, type Locale } from '../../forms/validate.js';
import type { Uploads } from '../files/multipart.js';
import type { DraftRepository } from '../repositories/draft.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import type { CaseStartService } from './case-start.service.js';
import type { DocumentService } from './document.service.js';
import { documentIdsIn, receiveStepFiles, type FileProblem } from './draft-files.js';
import { draftExpiry, type DraftService } from './draft.service.js';
import { rootKeysOf } from './start-steps.js';
import { validateStart } from './start-validation.js';

export type StepAction = 'next' | 'back' | 'save';

export type SaveStepResult =
  | { kind: 'saved'; draftId: string; next: { step: number } | 'review' | 'drafts' }
  | { kind: 'invalid'; values: Record<string, unknown>; errors: FieldError[]; fileProblems: FileProblem[] }
  | { kind: 'expired' }
  | { kind: 'submitted'; caseId: string };

export type SubmitDraftResult =
  { kind: 'submitted'; caseId: string } | { kind: 'invalid'; step: number } | { kind: 'expired' };

/** The answers of a draft: saved one step page at a time, then sent as one case. */
export interface DraftAnswersService {
  /**
   * Saves one step. Back and Save keep whatever was typed without judging it; Next validates the
   * step. Files are checked and stored first; a refused file never costs the rest of the input.
   * `locale` is the language the user typed in (numbers: `1.000,5` in German); the stored values are data.
   * Undefined (→ 404) when the draft is not the user's or has no such step.
   */
  saveStep(
    user: CompanyUserSession,
    draftId: string,
    index: number,
    action: StepAction,
    input: Record<string, unknown>,
    uploads: Uploads,
    returnToReview: boolean,
    locale?: Locale,
  ): Promise<SaveStepResult | undefined>;
  /** Submits the draft as one case (its submission token is the case's), with its documents attached. */
  submit(user: CompanyUserSession, draftId: string): Promise<SubmitDraftResult | undefined>;
}

export interface DraftAnswersServiceDeps {
  drafts: DraftRepository;
  documents: DocumentService;
  caseStarts: CaseStartService;
  /** How the draft is found: the user's own only (draft.service.ts). */
  load: DraftService['load'];
  ttlDays: number;
  clock?: () => Date;
}

export function createDraftAnswersService(deps: DraftAnswersServiceDeps): DraftAnswersService {
  const { drafts, documents, caseStarts, load, ttlDays } = deps;
  const clock = deps.clock ?? (() => new Date());

  return {
    async saveStep(user, draftId, index, action, input, uploads, returnToReview, locale) {
      const loaded = await load(user, draftId);
      const step = loaded?.steps[index];
      if (!loaded || !step) return undefined;
      const { draft, steps } = loaded;
      if (draft.submittedCaseId) return { kind: 'submitted', caseId: draft.submittedCaseId };
      if (loaded.expired) return { kind: 'expired' };

      const owner = { companyId: user.companyId, userId: user.userId, draftId };
      const { fileValues, fileProblems } = await receiveStepFiles(documents, owner, step.form, input, uploads);
      const stepInput = { ...input, ...fileValues };
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
        expiresAt: draftExpiry(now, ttlDays),
      });
      const named = documentIdsIn(
        values,
        steps.map((candidate) => candidate.form),
      );
      await documents.keepOnlyInDraft(draftId, named);

      // A refused file is reported whatever the button; validation errors only after "Next".
      if (fileProblems.length > 0 || (action === 'next' && !valid)) {
        return { kind: 'invalid', values: stepValues, errors: action === 'next' ? errors : [], fileProblems };
      }
      if (action === 'save') return { kind: 'saved', draftId, next: 'drafts' };
      if (action === 'back') return { kind: 'saved', draftId, next: { step: Math.max(0, index - 1) } };
      return { kind: 'saved', draftId, next: nextStep >= steps.length ? 'review' : { step: nextStep } };
    },

    async submit(user, draftId) {
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
          const named = documentIdsIn(
            draft.values,
            steps.map((step) => step.form),
          );
          await documents.attachToCase(draftId, named, caseId);
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
  };
}

function omit(values: Record<string, unknown>, keys: Set<string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([key]) => !keys.has(key)));
}
