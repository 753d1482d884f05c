import { Router, type Request, type Response } from 'express';
import { fieldId, readPath, splitKey } from '../forms/paths.js';
import type { FormRenderer, UploadedFile } from '../forms/render.js';
import { allComponents, labelOf, type FormSchema } from '../forms/schema.js';
import { summarizeAnswers } from '../forms/summary.js';
import { errorMessage, validateSubmission, type FieldError } from '../forms/validate.js';
import { uploadsOf } from '../engine/files/multipart.js';
import { describeAccept } from '../engine/files/sniff.js';
import type { CompanyUserSession } from '../engine/services/auth.service.js';
import { validateStart } from '../engine/services/start-validation.js';
import { asOutage } from '../engine/services/unavailable.js';
import type { DocumentRow } from '../engine/repositories/document.repository.js';
import type { DraftService, LoadedDraft } from '../engine/services/draft.service.js';
import type { FileProblem } from '../engine/services/draft-files.js';
import type { DraftAnswersService, StepAction } from '../engine/services/draft-answers.service.js';
import { fileFieldsOf, type FileField } from '../engine/services/start-steps.js';
import { NotFoundError, formInput, isUuid, localeOf, pageOf } from '../engine/web/http.js';
import type { Locale } from '../engine/web/i18n.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { fileSize, requireApplicant, text, textFor } from './applicant.js';
import { sendDocument } from '../engine/web/send-document.js';
import type { CatalogService } from '../engine/services/catalog.service.js';
import { pausedPage } from './service-paused.js';

export interface DraftRoutesDeps {
  drafts: DraftService;
  /** Whether a service is paused (no draft starts, no draft is sent while it is). */
  catalog: Pick<CatalogService, 'current' | 'pauseOf'>;
  draftAnswers: DraftAnswersService;
  views: ViewRenderer;
  forms: FormRenderer;
  /** Largest accepted upload per file, for the messages. */
  maxUploadBytes: number;
  draftTtlDays: number;
}

interface StepState {
  values: Record<string, unknown>;
  errors: FieldError[];
  fileProblems: FileProblem[];
  returnToReview: boolean;
  notice?: 'resumed';
}

const ACTIONS: readonly StepAction[] = ['next', 'back', 'save'];

/**
 * The start of a case in steps, kept as a draft: step pages (Next validates, Back and Save keep input
 * as it is), check-your-answers, submit, "Meine Entwürfe". Drafts are the user's own: any other
 * draft id is the same 404 as a missing one.
 */
export function createDraftRouter(deps: DraftRoutesDeps): Router {
  const { drafts, draftAnswers, catalog, views, forms, maxUploadBytes, draftTtlDays } = deps;
  const router = Router();

  /** The user's draft, or a 404; a submitted draft sends the user to its case, an expired one explains itself. */
  async function draftFor(req: Request, res: Response, user: CompanyUserSession): Promise<LoadedDraft | undefined> {
    const id = req.params.id;
    const loaded = typeof id === 'string' && isUuid(id) ? await drafts.load(user, id) : undefined;
    if (!loaded) throw new NotFoundError();
    if (loaded.draft.submittedCaseId) {
      res.redirect(303, `/cases/${loaded.draft.submittedCaseId}`);
      return undefined;
    }
    if (loaded.expired) {
      expiredPage(req, res, loaded);
      return undefined;
    }
    return loaded;
  }

  function expiredPage(req: Request, res: Response, loaded: Pick<LoadedDraft, 'service'>) {
    const t = textFor(req);
    res.status(410).send(
      views.render('portal/draft-expired', pageOf(req, t('draft.expiredTitle')), {
        service: loaded.service,
        expiredText: t('draft.expired', { days: draftTtlDays }),
      }),
    );
  }

  function stepIndexOf(req: Request, loaded: LoadedDraft): number {
    const n = req.params.n;
    const index = typeof n === 'string' && /^[1-9][0-9]{0,2}$/.test(n) ? Number(n) - 1 : -1;
    if (index < 0 || index >= loaded.steps.length) throw new NotFoundError();
    return index;
  }

  const stepHref = (draftId: string, index: number) => `/drafts/${draftId}/steps/${index + 1}`;

  const targetHref = (draftId: string, target: { step: number } | 'review' | 'drafts') =>
    target === 'review'
      ? `/drafts/${draftId}/review`
      : target === 'drafts'
        ? '/drafts?saved=1'
        : stepHref(draftId, target.step);

  async function renderStep(
    req: Request,
    res: Response,
    loaded: LoadedDraft,
    index: number,
    state: StepState,
    status = 200,
  ) {
    const locale = localeOf(req);
    const t = textFor(req);
    const step = loaded.steps[index];
    if (!step) throw new NotFoundError();
    const serviceTitle = serviceTitleOf(loaded.service, locale);
    const stepTitle = step.title?.[locale];
    const progress = t('step.progress', { n: index + 1, total: loaded.steps.length });
    const hasErrors = state.errors.length > 0 || state.fileProblems.length > 0;
    const documents = await drafts.documentsOf(loaded.draft.id);
    const fileFields = fileFieldsOf(step.form);
    const title = [
      hasErrors ? t('error.titlePrefix') : '',
      [stepTitle, progress, serviceTitle].filter(Boolean).join(' – '),
    ].join('');
    const shown = shownErrors(step.form, state, locale, maxUploadBytes);
    const fields = forms.renderFields(step.form, {
      values: state.values,
      errors: shown.fieldErrors,
      locale,
      files: Object.fromEntries(fileFields.map((field) => [field.name, uploadedFiles(documents, field)])),
    });
    res.status(status).send(
      views.render('portal/draft-step', pageOf(req, title), {
        draftId: loaded.draft.id,
        serviceTitle,
        stepTitle,
        progress,
        steps: loaded.steps.map((candidate, candidateIndex) => ({
          number: candidateIndex + 1,
          title: candidate.title?.[locale] ?? t('step.numbered', { n: candidateIndex + 1 }),
          current: candidateIndex === index,
        })),
        errorSummary: shown.summary.length > 0 ? { items: shown.summary } : undefined,
        fields,
        multipart: fileFields.length > 0,
        action: stepHref(loaded.draft.id, index),
        isFirst: index === 0,
        returnToReview: state.returnToReview,
        resumed: state.notice === 'resumed',
        expiresAt: loaded.draft.expiresAt,
      }),
    );
  }

  router.get('/services/:slug/start', async (req, res, next) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    // A paused service starts no draft: the portal router's start page shows its message.
    if ((await catalog.current(req.params.slug))?.paused) return next();
    const started = await drafts.startIfStepped(user, req.params.slug);
    // Services with one page and no files keep their one-page start form (the portal router's).
    if (started === 'single-page') return next();
    if (!started) throw new NotFoundError();
    const href = targetHref(started.draftId, started.target);
    res.redirect(303, started.created ? href : `${href}?resumed=1`);
  });

  router.get('/drafts', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const locale = localeOf(req);
    const t = textFor(req);
    const rows = await drafts.list(user);
    res.send(
      views.render('portal/drafts', pageOf(req, t('drafts.title')), {
        drafts: rows.map((row) => ({
          ...row,
          serviceTitle: locale === 'en' ? row.serviceTitleEn : row.serviceTitleDe,
        })),
        saved: req.query.saved === '1',
        deleted: req.query.deleted === '1',
        ttlText: t('drafts.intro', { days: draftTtlDays }),
      }),
    );
  });

  router.get('/drafts/:id', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const loaded = await draftFor(req, res, user);
    if (!loaded) return;
    res.redirect(303, targetHref(loaded.draft.id, drafts.resumeTarget(loaded.draft, loaded.steps.length)));
  });

  router.get('/drafts/:id/steps/:n', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const loaded = await draftFor(req, res, user);
    if (!loaded) return;
    const index = stepIndexOf(req, loaded);
    const step = loaded.steps[index];
    // `?check=1`: sent back here from the review because this step is not complete yet.
    const errors = step && req.query.check === '1' ? validateSubmission(step.form, loaded.draft.values).errors : [];
    await renderStep(req, res, loaded, index, {
      values: loaded.draft.values,
      errors,
      fileProblems: [],
      returnToReview: req.query.from === 'review',
      notice: req.query.resumed === '1' ? 'resumed' : undefined,
    });
  });

  router.post('/drafts/:id/steps/:n', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const loaded = await draftFor(req, res, user);
    if (!loaded) return;
    const index = stepIndexOf(req, loaded);
    const input = formInput(req);
    const action = ACTIONS.find((candidate) => candidate === input._action) ?? 'next';
    const returnToReview = input._return === 'review';
    const result = await draftAnswers.saveStep(
      user,
      loaded.draft.id,
      index,
      action,
      input,
      uploadsOf(req),
      returnToReview,
      localeOf(req),
    );
    if (!result) throw new NotFoundError();
    switch (result.kind) {
      case 'submitted':
        return res.redirect(303, `/cases/${result.caseId}`);
      case 'expired':
        return expiredPage(req, res, loaded);
      case 'invalid': {
        const reloaded = await drafts.load(user, loaded.draft.id);
        return renderStep(
          req,
          res,
          reloaded ?? loaded,
          index,
          { values: result.values, errors: result.errors, fileProblems: result.fileProblems, returnToReview },
          422,
        );
      }
      case 'saved':
        return res.redirect(303, targetHref(result.draftId, result.next));
    }
  });

  router.get('/drafts/:id/review', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const loaded = await draftFor(req, res, user);
    if (!loaded) return;
    const { invalidSteps } = validateStart(loaded.version, loaded.draft.values);
    const firstInvalid = invalidSteps[0];
    if (firstInvalid) return res.redirect(303, `${stepHref(loaded.draft.id, firstInvalid.index)}?check=1`);
    const locale = localeOf(req);
    const t = textFor(req);
    const documents = await drafts.documentsOf(loaded.draft.id);
    const serviceTitle = serviceTitleOf(loaded.service, locale);
    res.send(
      views.render('portal/draft-review', pageOf(req, `${t('review.title')} – ${serviceTitle}`), {
        draftId: loaded.draft.id,
        serviceTitle,
        sections: loaded.steps.map((step, index) => ({
          title: step.title?.[locale] ?? t('step.numbered', { n: index + 1 }),
          changeHref: `${stepHref(loaded.draft.id, index)}?from=review`,
          answers: answersOf(step.form, loaded.draft.values, documents, locale),
        })),
      }),
    );
  });

  router.post('/drafts/:id/submit', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const id = req.params.id;
    const loaded = isUuid(id) ? await drafts.load(user, id) : undefined;
    if (!loaded) throw new NotFoundError();
    // Paused by the service designer: the draft is not sent and stays as it is, to be sent after the pause.
    const paused = loaded.draft.submittedCaseId ? undefined : await catalog.pauseOf(loaded.draft.serviceVersionId);
    if (paused)
      return pausedPage(
        req,
        res,
        views,
        { title: { de: loaded.service.titleDe, en: loaded.service.titleEn }, paused },
        409,
        loaded.draft.id,
      );
    // A second submit (double click, back button) lands where the first did: one case, the same page.
    const result = loaded.draft.submittedCaseId
      ? { kind: 'submitted' as const, caseId: loaded.draft.submittedCaseId }
      : await draftAnswers.submit(user, loaded.draft.id).catch(asOutage);
    if (!result) throw new NotFoundError();
    if (result === 'unavailable') {
      // Temporal or the database is down. Nothing is lost: the draft keeps every answer, or, once its case row is
      // written, the case does and the worker starts it when Temporal is back. Sending again makes no second case.
      return res
        .status(503)
        .set('Retry-After', '30')
        .send(
          views.render('web/error', pageOf(req, textFor(req)('error.unavailable')), {
            kind: 'unavailable',
            back: `/drafts/${loaded.draft.id}/review`,
          }),
        );
    }
    switch (result.kind) {
      case 'expired':
        return expiredPage(req, res, loaded);
      case 'invalid':
        return res.redirect(303, `${stepHref(loaded.draft.id, result.step)}?check=1`);
      case 'submitted':
        return res.redirect(303, `/cases/${result.caseId}?submitted=1`);
    }
  });

  router.get('/drafts/:id/delete', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const id = req.params.id;
    const loaded = isUuid(id) ? await drafts.load(user, id) : undefined;
    if (!loaded || loaded.draft.submittedCaseId) throw new NotFoundError();
    const t = textFor(req);
    res.send(
      views.render('portal/draft-delete', pageOf(req, t('drafts.deleteTitle')), {
        draftId: loaded.draft.id,
        serviceTitle: serviceTitleOf(loaded.service, localeOf(req)),
        updatedAt: loaded.draft.updatedAt,
      }),
    );
  });

  router.post('/drafts/:id/delete', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const id = req.params.id;
    const removed = isUuid(id) ? await drafts.remove(user, id) : false;
    if (!removed) throw new NotFoundError();
    res.redirect(303, '/drafts?deleted=1');
  });

  router.get('/drafts/:id/documents/:documentId', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const { id, documentId } = req.params;
    const loaded = isUuid(id) && isUuid(documentId) ? await drafts.load(user, id) : undefined;
    const found = loaded ? await drafts.openDocument(loaded.draft.id, documentId) : undefined;
    if (!found) throw new NotFoundError();
    await sendDocument(res, found);
  });

  return router;
}

function serviceTitleOf(service: { titleDe: string; titleEn: string }, locale: Locale): string {
  return locale === 'en' ? service.titleEn : service.titleDe;
}

/** The answers as label/value lines; file fields list their files' names (the summary only counts them). */
export function answersOf(
  form: Pick<FormSchema, 'components'>,
  values: Record<string, unknown>,
  documents: DocumentRow[],
  locale: Locale,
) {
  const names = new Map(documents.map((document) => [document.id, document.fileName]));
  const fileFields = new Set(fileFieldsOf(form).map((field) => field.name));
  return summarizeAnswers(form, values, locale).map((line) => {
    if (!fileFields.has(line.key)) return line;
    const ids = readPath(values, splitKey(line.key));
    const files = Array.isArray(ids) ? ids.map((id) => (typeof id === 'string' ? (names.get(id) ?? id) : '')) : [];
    return { ...line, value: files.filter((name) => name !== '').join(', ') };
  });
}

function uploadedFiles(documents: DocumentRow[], field: FileField): UploadedFile[] {
  return documents
    .filter((document) => document.fieldKey === field.name)
    .map((document) => ({ id: document.id, name: document.fileName, size: document.size }));
}

function uploadMessage(problem: FileProblem, label: string, locale: Locale, maxBytes: number): string {
  const file = problem.fileName;
  const refusal = problem.problem;
  switch (refusal.code) {
    case 'fileTooLarge':
      return text(locale, 'upload.tooLarge', { file, max: fileSize(maxBytes, locale) });
    case 'fileEmpty':
      return text(locale, 'upload.empty', { file });
    case 'fileType':
      return refusal.accept
        ? text(locale, 'upload.type', { file, accept: describeAccept(refusal.accept) })
        : text(locale, 'upload.typeAny', { file });
    case 'fileInfected':
      return text(locale, 'upload.infected', { file });
    case 'fileScanFailed':
      return text(locale, 'upload.scanFailed', { file });
    case 'tooManyFiles':
      return text(locale, 'upload.tooMany', { label, max: refusal.max });
  }
}

/**
 * What the step page shows: the validator's errors, and refused files as the error of their field
 * (one error per field; a refused file says more than "required"). The summary lists both.
 */
function shownErrors(form: FormSchema, state: StepState, locale: Locale, maxBytes: number) {
  const labels = new Map(allComponents(form.components).map((component) => [component.id, labelOf(component)]));
  const uploadMessages = new Map<string, string[]>();
  for (const problem of state.fileProblems) {
    const message = uploadMessage(problem, labels.get(problem.componentId) ?? '', locale, maxBytes);
    uploadMessages.set(problem.componentId, [...(uploadMessages.get(problem.componentId) ?? []), message]);
  }
  const fileFields = fileFieldsOf(form).filter((field) => uploadMessages.has(field.id));
  const fieldErrors: FieldError[] = [
    ...state.errors.filter((error) => !uploadMessages.has(error.componentId)),
    // The file field's error, with the portal's own sentence: why the upload was refused.
    ...fileFields.map((field): FieldError => ({
      componentId: field.id,
      key: field.name,
      fieldId: fieldId(field.id),
      code: 'invalidFile',
      message: uploadMessages.get(field.id)?.join(' '),
    })),
  ];
  const summary = fieldErrors.map((error) => ({
    href: `#${error.fieldId}`,
    text: errorMessage(error, locale, labels.get(error.componentId)),
  }));
  return { fieldErrors, summary };
}
