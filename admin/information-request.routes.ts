import { Router, type Request } from 'express';
import type {
  InformationRequestService,
  RequestFieldError,
  RequestView,
  StaffRequestsView,
} from '../engine/services/information-request.service.js';
import type { TaskForPrincipal } from '../engine/services/task.service.js';
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
import type { ViewRenderer } from '../engine/web/views.js';
import { staffMember } from './staff-guard.js';

export interface InformationRequestRouteDeps {
  informationRequests: InformationRequestService;
  views: ViewRenderer;
}

/** What the caseworker typed, shown again after an error. */
interface RequestFormState {
  questions: string;
  documents: string;
  message: string;
  deadline: string;
}

/**
 * The Rückfrage part of the staff task page (admin/views/partials/information-request.hbs): the open
 * Rückfrage, the form to ask (with what was typed and its errors), the earlier ones with their answers.
 */
export function informationRequestView(
  req: Request,
  task: TaskForPrincipal['task'],
  view: StaffRequestsView,
  state: { form?: RequestFormState; errors?: RequestFieldError[]; notice?: string } = {},
) {
  const locale = localeOf(req);
  const t = (key: string) => translate(locale, key);
  const errors: Partial<Record<RequestFieldError['field'], string>> = {};
  for (const error of state.errors ?? []) errors[error.field] ??= t(`rueckfrage.error.${error.code}`);
  const shown = (request: RequestView) => ({
    ...request,
    deadlineText: dateText(request.deadline, locale),
    // "Keine Antwort bis 21.12.2026": an expired Rückfrage names its deadline.
    statusText: [
      t(`rueckfrage.status.${request.status}`),
      ...(request.status === 'expired' ? [dateText(request.deadline, locale)] : []),
    ].join(' '),
  });
  return {
    taskId: task.id,
    token: newSubmissionToken(),
    notice: state.notice,
    canAsk: view.canAsk,
    open: view.open && shown(view.open),
    past: view.past.map(shown),
    form: {
      questions: state.form?.questions ?? '',
      documents: state.form?.documents ?? '',
      message: state.form?.message ?? '',
      deadline: state.form?.deadline ?? view.defaultDeadline,
      min: view.minDeadline,
      errors,
    },
    errorList: Object.entries(errors).map(([field, text]) => ({ href: `#rueckfrage-${field}`, text })),
  };
}

/** The notice a redirect back to the task page carries (`?rueckfrage=sent|withdrawn|none`). */
export function informationRequestNotice(req: Request): string | undefined {
  const key = { sent: 'rueckfrage.sent', withdrawn: 'rueckfrage.withdrawn', none: 'rueckfrage.notWithdrawn' }[
    String(req.query.rueckfrage)
  ];
  return key ? translate(localeOf(req), key) : undefined;
}

/** POST routes of the Rückfrage under /staff: ask from a task, withdraw the open one. */
export function createInformationRequestRouter({ informationRequests, views }: InformationRequestRouteDeps): Router {
  const router = Router();

  router.post('/tasks/:id/rueckfrage', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const token = submissionTokenOf(req);
    if (!isUuid(req.params.id) || !token) throw new NotFoundError();
    const input = formInput(req);
    const form: RequestFormState = {
      questions: text(input.questions),
      documents: text(input.documents),
      message: text(input.message),
      deadline: text(input.deadline),
    };
    const asked = await informationRequests.ask(member, req.params.id, token, form);
    if (!asked) throw new NotFoundError();
    const { found, result } = asked;
    if (result.ok) {
      res.redirect(303, `/staff/tasks/${found.task.id}?rueckfrage=sent`);
      return;
    }
    // The form again on a page of its own, with what was typed: 422 for errors, 409 when the task moved on.
    const view = await informationRequests.staffView(found);
    const locale = localeOf(req);
    const notice = result.reason === 'invalid' ? undefined : translate(locale, `rueckfrage.${result.reason}`);
    res.status(result.reason === 'invalid' ? 422 : 409).send(
      views.render('admin/information-request', pageOf(req, found.task.name ?? found.task.elementId), {
        task: found.task,
        rueckfrage: informationRequestView(req, found.task, view, {
          form,
          errors: result.reason === 'invalid' ? result.errors : [],
          notice,
        }),
      }),
    );
  });

  router.post('/tasks/:id/rueckfrage/withdraw', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const token = submissionTokenOf(req);
    if (!isUuid(req.params.id) || !token) throw new NotFoundError();
    const withdrawn = await informationRequests.withdraw(member, req.params.id, token);
    if (!withdrawn) throw new NotFoundError();
    res.redirect(303, `/staff/tasks/${req.params.id}?rueckfrage=${withdrawn.withdrawn ? 'withdrawn' : 'none'}`);
  });

  return router;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A deadline (YYYY-MM-DD) as people write it: 21.12.2026 / 21 Dec 2026. */
export function dateText(day: string, locale: 'de' | 'en'): string {
  const date = new Date(`${day}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeZone: 'UTC',
  }).format(date);
}
