import { Router, type Request } from 'express';
import type { FormRenderer } from '../forms/render.js';
import type { FormSchema } from '../forms/schema.js';
import type { FieldError } from '../forms/validate.js';
import type { LoginService } from '../engine/services/login.service.js';
import type { CaseService } from '../engine/services/case.service.js';
import type { CaseStartService } from '../engine/services/case-start.service.js';
import { startFormOf, type CatalogService } from '../engine/services/catalog.service.js';
import type { DocumentService } from '../engine/services/document.service.js';
import { validateStart } from '../engine/services/start-validation.js';
import { startsWithDraft, type DraftService } from '../engine/services/draft.service.js';
import type { DraftAnswersService } from '../engine/services/draft-answers.service.js';
import type { TaskForPrincipal, TaskService } from '../engine/services/task.service.js';
import type { InformationRequestService } from '../engine/services/information-request.service.js';
import { uploadsOf } from '../engine/files/multipart.js';
import { fileFieldsOf } from '../engine/services/start-steps.js';
import { asOutage } from '../engine/services/unavailable.js';
import { translate } from '../engine/web/i18n.js';
import {
  NotFoundError,
  formInput,
  isUuid,
  localeOf,
  newSubmissionToken,
  pageOf,
  submissionTokenOf,
} from '../engine/web/http.js';
import { addSignInRoutes } from '../engine/web/sign-in.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { companyArea, fileSize, requireApplicant, textFor } from './applicant.js';
import { pausedPage } from './service-paused.js';
import { newStartToken, openStartToken } from './start-token.js';
import { sendDocument } from '../engine/web/send-document.js';
import { taskNotOpenView } from '../engine/web/task-not-open.js';
import { createAccountRouter, type AccountDeps } from './account.routes.js';
import { createCompanyRouter, type CompanyDeps } from './company.routes.js';
import { createAccountAccessRouter, type AccountAccessDeps } from './account-access.routes.js';
import { answersOf, createDraftRouter } from './drafts.routes.js';
import type { CaseMessageService } from '../engine/services/case-message.service.js';
import { companyThread, createMessageRouter } from './messages.routes.js';
import { caseResultView } from './case-result.js';
import { caseTimelineFor, createMyCasesRouter, type MyCasesDeps } from './my-cases.routes.js';
import type { CaseWithdrawalService } from '../engine/services/case-withdrawal.service.js';
import { createWithdrawRouter } from './withdraw.routes.js';
import { createOidcRouter, type OidcDeps } from './oidc.routes.js';
import { createNotificationSettingsRouter, type NotificationSettingsDeps } from './notification-settings.routes.js';
import { createLegalRouter, type LegalDeps } from './legal.routes.js';

export interface PortalDeps
  extends AccountDeps, AccountAccessDeps, CompanyDeps, MyCasesDeps, OidcDeps, NotificationSettingsDeps, LegalDeps {
  logins: LoginService;
  catalog: CatalogService;
  cases: CaseService;
  caseStarts: CaseStartService;
  tasks: TaskService;
  drafts: DraftService;
  draftAnswers: DraftAnswersService;
  documents: DocumentService;
  /** Rückfrage on any task: the open ones of a case, for its page. */
  informationRequests: InformationRequestService;
  /** Messages between the company and the agency on the case page (portal/messages.routes.ts). */
  caseMessages: CaseMessageService;
  /** Withdrawing a case where its service models it (portal/withdraw.routes.ts, ADR 0029). */
  caseWithdrawals: CaseWithdrawalService;
  views: ViewRenderer;
  forms: FormRenderer;
  /** Largest accepted upload per file (`UPLOAD_MAX_BYTES`), for messages. */
  maxUploadBytes: number;
  /** `DRAFT_TTL_DAYS`, for messages. */
  draftTtlDays: number;
}

/** Company-facing pages. Every id in a path is checked against the logged-in company: others get 404. */
export function createPortalRouter(deps: PortalDeps): Router {
  const { logins, catalog, cases, caseStarts, tasks, drafts, documents, informationRequests, views, forms } = deps;
  const router = Router();
  const t = (req: Request, key: string) => translate(localeOf(req), key);

  const formPage = (
    req: Request,
    form: FormSchema | undefined,
    state: {
      values: Record<string, unknown>;
      errors: FieldError[];
      token: string;
      context?: Record<string, unknown>;
      /** A task form's uploads, shown again after a refused submission. */
      files?: TaskForPrincipal['files'];
    },
  ) => {
    const locale = localeOf(req);
    const { values, errors, context, files } = state;
    return {
      errorSummary: form ? forms.renderErrorSummary(form, errors, locale) : '',
      fields: form
        ? forms.renderFields(form, { values, errors, locale, ...(context && { context }), ...(files && { files }) })
        : '',
      token: state.token,
      multipart: form ? fileFieldsOf(form).length > 0 : false,
    };
  };

  /** A Rückfrage's company task: what the caseworker wrote and by when it is due (the form asks the questions). */
  const requestOf = (req: Request, task: TaskForPrincipal['task']) =>
    task.informationRequest && {
      ...task.informationRequest,
      requestedAt: new Date(task.informationRequest.requestedAt),
      deadlineText: deadlineText(task.informationRequest.deadline, localeOf(req)),
    };

  router.get('/', (_req, res) => res.redirect(303, '/services'));

  addSignInRoutes(
    router,
    companyArea,
    (attempt) => logins.companyUser(attempt),
    views,
    (next) => ({
      oidcLoginHref: deps.oidcLogin.enabled && `/login/oidc${next ? `?next=${encodeURIComponent(next)}` : ''}`,
    }),
  );
  router.use(createOidcRouter(deps));

  router.get('/services', async (req, res) => {
    res.send(views.render('portal/catalog', pageOf(req, t(req, 'catalog.title')), { services: await catalog.list() }));
  });

  // Stepped starts (several steps or files) go through a draft; it passes one-page starts on to here.
  router.use(createDraftRouter(deps));
  router.use(createAccountRouter(deps));
  router.use(createCompanyRouter(deps));
  router.use(createNotificationSettingsRouter(deps));
  router.use(createAccountAccessRouter(deps));
  router.use(createMessageRouter(deps));
  router.use(createWithdrawRouter(deps));
  router.use(createLegalRouter(deps));

  router.get('/services/:slug/start', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const service = await catalog.current(req.params.slug);
    if (!service) throw new NotFoundError();
    if (service.paused) return pausedPage(req, res, views, service, 200);
    // "Neue Anfrage starten" (and the catalog): a fresh token, then the plain address, so Back lands there.
    if (req.query.new === '1') {
      newStartToken(req, service.slug);
      return res.redirect(303, `/services/${service.slug}/start`);
    }
    const token = openStartToken(req, service.slug);
    // Back after sending (or a reload of the old address): say so instead of offering the same form again.
    const sent = await caseStarts.sentWith(user, token);
    if (sent) {
      const say = textFor(req);
      return res.send(
        views.render(
          'portal/start-sent',
          pageOf(req, `${t(req, 'startSent.title')} – ${service.title[localeOf(req)]}`),
          {
            service,
            caseId: sent.id,
            sentText: say('startSent.sent', { number: sent.number }),
            toCaseText: say('startSent.toCase', { number: sent.number }),
          },
        ),
      );
    }
    const form = startFormOf(service);
    // Defaults, and what the service prefills from the company profile and the account.
    const values = form ? await drafts.prefilledValues(user, service) : {};
    res.send(
      views.render('portal/start', pageOf(req, service.title[localeOf(req)]), {
        service,
        ...formPage(req, form, { values, errors: [], token }),
      }),
    );
  });

  router.post('/services/:slug/start', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const token = submissionTokenOf(req);
    const service = await catalog.current(req.params.slug);
    // A stepped start is submitted from its draft's review page only.
    if (!service || !token || startsWithDraft(service)) throw new NotFoundError();
    // Paused by the service designer meanwhile: no case starts; the form comes back with what was typed.
    if (service.paused) {
      res.status(409).send(
        views.render('portal/start', pageOf(req, service.title[localeOf(req)]), {
          service,
          pausedMessage: service.paused[localeOf(req)],
          ...formPage(req, startFormOf(service), { values: formInput(req), errors: [], token }),
        }),
      );
      return;
    }
    const input = formInput(req);
    const locale = localeOf(req);
    const sent = await caseStarts.sentWith(user, token).catch(asOutage);
    if (sent && sent !== 'unavailable') {
      const { values, invalidSteps } = validateStart(service, input, { locale });
      if (invalidSteps.length > 0 || !sameAnswers(values, sent.variables)) {
        // The form came back from the browser's cache (Back) and was changed, under a token that already made
        // a case: neither drop the changes silently nor make a case of them unasked. The form again, with the
        // changes and a new token: sending it now is a deliberate new inquiry.
        res.status(409).send(
          views.render('portal/start', pageOf(req, service.title[locale]), {
            service,
            alreadySent: { caseId: sent.id, text: textFor(req)('start.alreadySent', { number: sent.number }) },
            ...formPage(req, startFormOf(service), {
              values,
              errors: invalidSteps.flatMap((step) => step.errors),
              token: newStartToken(req, service.slug),
            }),
          }),
        );
        return;
      }
      // The same answers again (double click, a retry): the submit below returns the case the token made.
    }
    const result = await caseStarts.submit(user, service.slug, token, input, { locale }).catch(asOutage);
    if (!result) throw new NotFoundError();
    if (result === 'unavailable') {
      // Temporal or the database is down: the form again with what was typed and the same token, so that
      // sending again makes no second case (the row may exist; the worker starts its workflow when Temporal is back).
      res
        .status(503)
        .set('Retry-After', '30')
        .send(
          views.render('portal/start', pageOf(req, service.title[localeOf(req)]), {
            service,
            unavailable: true,
            ...formPage(req, startFormOf(service), { values: input, errors: [], token }),
          }),
        );
      return;
    }
    if (!result.ok) {
      res.status(422).send(
        views.render('portal/start', pageOf(req, service.title[localeOf(req)]), {
          service,
          ...formPage(req, startFormOf(service), { values: result.values, errors: result.errors, token }),
        }),
      );
      return;
    }
    res.redirect(303, `/cases/${result.caseId}?submitted=1`);
  });

  router.use(createMyCasesRouter(deps));

  router.get('/cases/:id', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const found = isUuid(req.params.id) ? await cases.detailForCompany(req.params.id, user) : undefined;
    if (!found) throw new NotFoundError();
    const { openTasks } = found;
    const locale = localeOf(req);
    const caseDocuments = await documents.listForCase(found.detail.id);
    const rueckfragen = (await informationRequests.openForCase(found.detail.id)).map((request) => ({
      ...request,
      deadlineText: deadlineText(request.deadline, locale),
    }));
    const answers = found.startForm ? answersOf(found.startForm, found.detail.variables, caseDocuments, locale) : [];
    res.send(
      views.render('portal/case', pageOf(req, `${found.detail.number}`), {
        ...found,
        answers,
        documents: caseDocuments.map((document) => ({
          ...document,
          sizeText: fileSize(document.size, locale),
          href: `/cases/${found.detail.id}/documents/${document.id}`,
        })),
        // Rückfragen are shown highlighted above, not again among the tasks.
        openTasks: openTasks.filter((task) => !rueckfragen.some((request) => request.taskId === task.id)),
        rueckfragen,
        result: caseResultView(
          await catalog.version(found.detail.serviceVersionId),
          found.detail.id,
          found.detail.variables,
          caseDocuments,
          locale,
        ),
        submitted: req.query.submitted === '1',
        thread: await companyThread(deps.caseMessages, req, user, found.detail.id),
        // Who of the company did what, and what the agency did (portal/my-cases.routes.ts).
        timeline: await caseTimelineFor(deps.myCases, req, found.detail.id),
        withdrawal: await deps.caseWithdrawals.viewFor(user, found.detail.id),
      }),
    );
  });

  router.get('/cases/:id/documents/:documentId', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const { id, documentId } = req.params;
    const found =
      isUuid(id) && isUuid(documentId) ? await documents.openForCase(user.companyId, id, documentId) : undefined;
    if (!found) throw new NotFoundError();
    await sendDocument(res, found);
  });

  router.get('/cases/:id/receipt', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const receipt = isUuid(req.params.id)
      ? await cases.receiptFor(req.params.id, user.companyId, localeOf(req))
      : undefined;
    if (!receipt) throw new NotFoundError();
    res.type('application/pdf').attachment(receipt.fileName).set('X-Content-Type-Options', 'nosniff').send(receipt.pdf);
  });

  router.get('/tasks/:id', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const found = isUuid(req.params.id) ? await tasks.taskFor(user, req.params.id) : undefined;
    if (!found) throw new NotFoundError();
    const { task, caseRow, form } = found;
    const rueckfrage = requestOf(req, task);
    res.send(
      views.render(
        'portal/task',
        pageOf(req, rueckfrage ? t(req, 'rueckfrage.taskTitle') : (task.name ?? task.elementId)),
        {
          task,
          caseRow,
          rueckfrage,
          done: task.status !== 'open',
          notOpen: taskNotOpenView(
            { completedBy: found.completedBy, completedAt: task.completedAt ?? undefined },
            form,
            localeOf(req),
          ),
          ...formPage(req, form, {
            values: found.values,
            errors: [],
            token: newSubmissionToken(),
            context: found.context,
          }),
        },
      ),
    );
  });

  router.post('/tasks/:id', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const token = submissionTokenOf(req);
    if (!isUuid(req.params.id) || !token) throw new NotFoundError();
    const result = await tasks.complete(user, req.params.id, token, formInput(req), localeOf(req), uploadsOf(req));
    if (!result) throw new NotFoundError();
    if (result.ok) {
      res.redirect(303, `/cases/${result.caseId}`);
      return;
    }
    const { found } = result;
    if (result.reason === 'notOpen') {
      // 409: a colleague completed the task first; nothing of this submission was applied.
      res.status(409).send(
        views.render('portal/task', pageOf(req, found.task.name ?? found.task.elementId), {
          task: found.task,
          caseRow: found.caseRow,
          done: true,
          notOpen: taskNotOpenView(result, found.form, localeOf(req)),
        }),
      );
      return;
    }
    // Claims are staff's: a company task is never claimed by a colleague, so this is a refused submission.
    const errors = result.reason === 'invalid' ? result.errors : [];
    const rueckfrage = requestOf(req, found.task);
    res.status(422).send(
      views.render(
        'portal/task',
        pageOf(req, rueckfrage ? t(req, 'rueckfrage.taskTitle') : (found.task.name ?? found.task.elementId)),
        {
          task: found.task,
          caseRow: found.caseRow,
          rueckfrage,
          ...formPage(req, found.form, {
            values: result.values,
            errors,
            token,
            context: found.context,
            files: found.files,
          }),
        },
      ),
    );
  });

  return router;
}

/** A deadline (YYYY-MM-DD) as people write it: 21.12.2026 / 21 Dec 2026. */
function deadlineText(day: string, locale: 'de' | 'en'): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    date,
  );
}

/** Whether the start answers are those the case was made with (its variables hold them, and more). */
function sameAnswers(values: Record<string, unknown>, variables: Record<string, unknown>): boolean {
  return Object.entries(values).every(
    ([key, value]) => Object.hasOwn(variables, key) && sameData(value, variables[key]),
  );
}

/** Deep equality of JSON data, whatever the objects' prototypes (the validator's have none). */
function sameData(a: unknown, b: unknown): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameData(item, b[i]));
  if (typeof a === 'object' && a !== null) {
    if (typeof b !== 'object' || b === null || Array.isArray(b)) return false;
    const other = new Map(Object.entries(b));
    const entries = Object.entries(a);
    return (
      entries.length === other.size &&
      entries.every(([key, value]) => other.has(key) && sameData(value, other.get(key)))
    );
  }
  return Object.is(a, b);
}
