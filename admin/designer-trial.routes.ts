import { Router, type Request, type Response } from 'express';
import type { FormRenderer } from '../forms/render.js';
import type { FieldError } from '../forms/validate.js';
import type { DesignerTrialService } from '../engine/services/designer-trial.service.js';
import { translate } from '../engine/web/i18n.js';
import { NotFoundError, formInput, localeOf, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireRole } from './staff-guard.js';

export interface DesignerTrialRouteDeps {
  trials: DesignerTrialService;
  views: ViewRenderer;
  forms: FormRenderer;
}

const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
const TOKEN = /^[A-Za-z0-9_-]{1,32}$/;
const NOTICES = new Set(['started', 'completed', 'job', 'ended']);

/**
 * The Probelauf (ADR 0021) under `/staff/designer/:slug/trial`: start a throwaway case of the draft with its start
 * form (as the company), then complete its tasks — company tasks as the company, staff tasks as the caseworker —
 * and its waiting jobs, on pages of the designer's own; "Probelauf beenden" deletes it. Only the designer who
 * started it sees or acts on it (the service keys trials by member); nobody else finds it under these addresses.
 */
export function createDesignerTrialRouter({ trials, views, forms }: DesignerTrialRouteDeps): Router {
  const router = Router();
  const serviceDesigner = requireRole('service_designer');
  const t = (req: Request, key: string) => translate(localeOf(req), key);
  const param = (req: Request, name: string, pattern: RegExp): string => {
    const value: unknown = req.params[name];
    if (typeof value !== 'string' || !pattern.test(value)) throw new NotFoundError();
    return value;
  };
  const base = (slug: string) => `/staff/designer/${slug}/trial`;

  async function startPage(
    req: Request,
    res: Response,
    slug: string,
    state: { status?: number; values?: Record<string, unknown>; errors?: FieldError[]; notice?: string } = {},
  ) {
    const prepared = await trials.prepare(slug);
    if (!prepared) throw new NotFoundError();
    const locale = localeOf(req);
    const errors = state.errors ?? [];
    res.status(state.status ?? 200).send(
      views.render('admin/designer-trial', pageOf(req, `${t(req, 'testrun.trial.title')}: ${slug}`), {
        slug,
        notice: state.notice,
        problems: prepared.ok ? undefined : prepared.problems,
        start: prepared.ok && {
          // One summary for all start steps (one element with the summary's id on the page).
          errorSummary: prepared.startForms[0]
            ? forms.renderErrorSummary(
                { ...prepared.startForms[0], components: prepared.startForms.flatMap((form) => form.components) },
                errors,
                locale,
              )
            : '',
          fields: prepared.startForms
            .map((form) => forms.renderFields(form, { values: state.values ?? {}, errors, locale }))
            .join(''),
        },
      }),
    );
  }

  /** The running trial; a job's output that is no JSON object comes back at its field (422), as typed. */
  async function trialPage(
    req: Request,
    res: Response,
    slug: string,
    state: { notice?: string; status?: number; job?: { tokenId: string; variables: string; error: string } } = {},
  ) {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const overview = await trials.overview(member, slug);
    if (!overview) {
      await startPage(req, res, slug, { notice: state.notice });
      return;
    }
    res.status(state.status ?? 200).send(
      views.render('admin/designer-trial', pageOf(req, `${t(req, 'testrun.trial.title')}: ${slug}`), {
        slug,
        notice: state.notice,
        trial: {
          ...overview,
          jobs: overview.jobs.map((job) => ({
            ...job,
            ...(state.job?.tokenId === job.tokenId && { variables: state.job.variables, error: state.job.error }),
          })),
          statusText: t(req, `testrun.trial.status.${overview.status}`),
          openTasks: overview.openTasks.map((task) => ({
            ...task,
            url: `${base(slug)}/tasks/${task.tokenId}`,
            role: t(req, task.asCompany ? 'testrun.trial.asCompany' : 'testrun.trial.asCaseworker'),
          })),
          doneTasks: overview.doneTasks.map((task) => ({
            ...task,
            role: t(req, task.asCompany ? 'testrun.trial.asCompany' : 'testrun.trial.asCaseworker'),
          })),
        },
      }),
    );
  }

  router.get('/designer/:slug/trial', async (req, res) => {
    const slug = param(req, 'slug', SLUG);
    const done = typeof req.query.done === 'string' && NOTICES.has(req.query.done) ? req.query.done : undefined;
    await trialPage(req, res, slug, { notice: done && t(req, `testrun.trial.done.${done}`) });
  });

  router.post('/designer/:slug/trial/start', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = param(req, 'slug', SLUG);
    const started = await trials.start(member, slug, formInput(req), localeOf(req));
    if (started.ok) {
      res.redirect(303, `${base(slug)}?done=started`);
      return;
    }
    if (started.reason === 'invalid') {
      await startPage(req, res, slug, { status: 422, values: started.values, errors: started.errors });
      return;
    }
    await startPage(req, res, slug, { status: 422 });
  });

  async function taskPage(
    req: Request,
    res: Response,
    slug: string,
    tokenId: string,
    state: { status?: number; values?: Record<string, unknown>; errors?: FieldError[] } = {},
  ) {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const found = await trials.task(member, slug, tokenId);
    if (!found) throw new NotFoundError();
    const locale = localeOf(req);
    const errors = state.errors ?? [];
    const values = state.values ?? found.values;
    res.status(state.status ?? 200).send(
      views.render('admin/designer-trial-task', pageOf(req, found.task.name), {
        slug,
        task: found.task,
        role: t(req, found.task.asCompany ? 'testrun.trial.asCompany' : 'testrun.trial.asCaseworker'),
        action: `${base(slug)}/tasks/${tokenId}`,
        errorSummary: found.form ? forms.renderErrorSummary(found.form, errors, locale) : '',
        fields: found.form ? forms.renderFields(found.form, { values, errors, locale, context: found.context }) : '',
      }),
    );
  }

  router.get('/designer/:slug/trial/tasks/:tokenId', async (req, res) => {
    await taskPage(req, res, param(req, 'slug', SLUG), param(req, 'tokenId', TOKEN));
  });

  router.post('/designer/:slug/trial/tasks/:tokenId', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = param(req, 'slug', SLUG);
    const tokenId = param(req, 'tokenId', TOKEN);
    const completed = await trials.completeTask(member, slug, tokenId, formInput(req), localeOf(req));
    if (!completed) throw new NotFoundError();
    if (completed.ok) {
      res.redirect(303, `${base(slug)}?done=completed`);
      return;
    }
    await taskPage(req, res, slug, tokenId, { status: 422, values: completed.values, errors: completed.errors });
  });

  router.post('/designer/:slug/trial/jobs/:tokenId', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = param(req, 'slug', SLUG);
    const tokenId = param(req, 'tokenId', TOKEN);
    const typed = formInput(req).variables;
    const text = typeof typed === 'string' ? typed : '';
    const variables = jobOutput(text);
    if (!variables) {
      const error = t(req, 'testrun.trial.jobVariablesInvalid');
      await trialPage(req, res, slug, { status: 422, job: { tokenId, variables: text, error } });
      return;
    }
    if (!(await trials.completeJob(member, slug, tokenId, variables))) throw new NotFoundError();
    res.redirect(303, `${base(slug)}?done=job`);
  });

  router.post('/designer/:slug/trial/end', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = param(req, 'slug', SLUG);
    if (!(await trials.end(member, slug))) throw new NotFoundError();
    res.redirect(303, `${base(slug)}?done=ended`);
  });

  return router;
}

/** A job's output as the designer types it: nothing, or a JSON object of variables; undefined: neither. */
function jobOutput(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isRecord(value) ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
