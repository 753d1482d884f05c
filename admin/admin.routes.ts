import { Router, type Request, type Response } from 'express';
import type { FormRenderer } from '../forms/render.js';
import type { FormSchema } from '../forms/schema.js';
import { errorMessage, initialValues, validateSubmission, type FieldError } from '../forms/validate.js';
import type { LoginService } from '../engine/services/login.service.js';
import type { CaseService } from '../engine/services/case.service.js';
import type { CatalogService } from '../engine/services/catalog.service.js';
import type { DocumentService } from '../engine/services/document.service.js';
import { taskNotOpenView } from '../engine/web/task-not-open.js';
import type { IncidentService } from '../engine/services/incident.service.js';
import type { TaskService } from '../engine/services/task.service.js';
import type { DashboardService } from '../engine/services/dashboard.service.js';
import { createDashboardRouter } from './dashboard.routes.js';
import type { InformationRequestService } from '../engine/services/information-request.service.js';
import { uploadsOf } from '../engine/web/uploads.js';
import { fileFieldsOf } from '../engine/services/start-steps.js';
import {
  createInformationRequestRouter,
  informationRequestNotice,
  informationRequestView,
} from './information-request.routes.js';
import type { InboxService } from '../engine/services/inbox.service.js';
import { createInboxRouter } from './inbox.routes.js';
import type { CaseViewService } from '../engine/services/case-view.service.js';
import { caseRecordView, createCasesRouter } from './cases.routes.js';
import type { CaseMessageService } from '../engine/services/case-message.service.js';
import { createCaseMessageRouter } from './case-messages.routes.js';
import type { CaseDiagramService } from '../engine/services/case-diagram.service.js';
import type { StaffAdminService } from '../engine/services/staff-admin.service.js';
import { createStaffAdminRouter } from './staff-admin.routes.js';
import { createProfileRouter } from './profile.routes.js';
import { createMigrationRouter } from './migration.routes.js';
import type { MigrationService } from '../engine/services/migration.service.js';
import { createDesignerTestRunRouter } from './designer-testrun.routes.js';
import { createDesignerRouter } from './designer.routes.js';
import type { DesignerService } from '../engine/services/designer.service.js';
import type { DesignerTestRunService } from '../engine/services/designer-testrun.service.js';
import type { DesignerTrialService } from '../engine/services/designer-trial.service.js';
import { STAFF_AREA, requireRole, staffMember } from './staff-guard.js';
import { maskDeliveredPasswordLink } from '../engine/services/staff-rules.js';
import type { OutboxRepository } from '../engine/repositories/outbox.repository.js';
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

export interface AdminDeps {
  logins: LoginService;
  catalog: CatalogService;
  cases: CaseService;
  documents: DocumentService;
  incidents: IncidentService;
  tasks: TaskService;
  /** The inbox (/staff/tasks): views, filters, claims (admin/inbox.routes.ts). */
  inbox: InboxService;
  dashboard: DashboardService;
  /** Rückfrage on any task (admin/information-request.routes.ts). */
  informationRequests: InformationRequestService;
  caseViews: CaseViewService;
  /** Messages with the company on the case page (admin/case-messages.routes.ts). */
  caseMessages: CaseMessageService;
  /** The process diagram on the case page. */
  caseDiagrams: CaseDiagramService;
  staffAdmin: StaffAdminService;
  /** Migrating running cases to a newer version (admin/migration.routes.ts). */
  migrations: MigrationService;
  /** The designer's test-run of a draft's scenario files (admin/designer-testrun.routes.ts, ADR 0021). */
  testRuns: DesignerTestRunService;
  /** The Probelauf: a throwaway case of a draft, only for the designer who started it (admin/designer-trial.routes.ts). */
  trials: DesignerTrialService;
  /** The service designer: drafts, files, validation, publish, pause (admin/designer.routes.ts). */
  designer: DesignerService;
  outbox: OutboxRepository;
  views: ViewRenderer;
  forms: FormRenderer;
}

/** Caseworker and administrator pages under /staff. Only staff sessions get past `staffMember`. */
export function createAdminRouter({
  logins,
  catalog,
  documents,
  incidents,
  tasks,
  inbox,
  dashboard,
  informationRequests,
  caseViews,
  caseMessages,
  caseDiagrams,
  staffAdmin,
  migrations,
  testRuns,
  trials,
  designer,
  outbox,
  views,
  forms,
}: AdminDeps): Router {
  const router = Router();
  const t = (req: Request, key: string) => translate(localeOf(req), key);

  // Role guards of the staff pages (admin/staff-guard.ts): a member without the role gets 404.
  const administrator = requireRole('administrator');
  const serviceDesigner = requireRole('service_designer', 'administrator');

  const taskPage = async (
    req: Request,
    found: NonNullable<Awaited<ReturnType<TaskService['taskFor']>>>,
    state: {
      values: Record<string, unknown>;
      errors: FieldError[];
      token: string;
      /** Set when this submission came too late: what the user typed, to copy. */
      notOpen?: { completedBy?: string; completedAt?: Date; values: Record<string, unknown> };
    },
  ) => {
    const locale = localeOf(req);
    const form: FormSchema | undefined = found.form;
    return {
      ...found,
      done: found.task.status !== 'open' || state.notOpen !== undefined,
      notOpen: taskNotOpenView(
        state.notOpen ?? { completedBy: found.completedBy, completedAt: found.task.completedAt ?? undefined },
        form,
        locale,
      ),
      // Every start step's answers, completed tasks' data and documents (the case page's record).
      record: await caseViews
        .recordOf(found.caseRow.id, locale)
        .then((record) => record && caseRecordView(record, locale)),
      errorSummary: form ? forms.renderErrorSummary(form, state.errors, locale) : '',
      fields: form
        ? forms.renderFields(form, {
            values: state.values,
            errors: state.errors,
            locale,
            context: found.context,
            files: found.files,
          })
        : found.externalForm
          ? forms.renderExternalForm(found.externalForm, { locale, context: found.context })
          : '',
      token: state.token,
      // Task forms take uploads: sent as multipart when the form has a file field.
      multipart: form ? fileFieldsOf(form).length > 0 : false,
      // Rückfrage on any task: its state, the form to ask, earlier ones with their answers.
      rueckfrage: informationRequestView(req, found.task, await informationRequests.staffView(found), {
        notice: informationRequestNotice(req),
      }),
    };
  };

  addSignInRoutes(router, STAFF_AREA, (attempt) => logins.staff(attempt), views);
  router.use(createDashboardRouter({ dashboard, views }));
  router.use(createInformationRequestRouter({ informationRequests, views }));
  router.use(createInboxRouter({ inbox, views }));
  router.use(createCasesRouter({ caseViews, caseMessages, catalog, documents, incidents, caseDiagrams, views }));
  router.use(createCaseMessageRouter({ caseMessages, views }));
  router.use(createStaffAdminRouter({ staffAdmin, views }));
  router.use(createProfileRouter({ staffAdmin, views }));
  router.use(createDesignerTestRunRouter({ testRuns, trials, views, forms }));
  router.use(createDesignerRouter({ designer, views, forms }));
  router.use(createMigrationRouter({ migrations, views }));

  // The staff home: the inbox, where a working day starts (after the login, if needed).
  router.get('/', (req, res) => {
    if (staffMember(req, res)) res.redirect(303, '/staff/tasks');
  });

  // The inbox moved to /staff/tasks (admin/inbox.routes.ts); old bookmarks keep working.
  router.get('/inbox', (req, res) => {
    const search = req.originalUrl.indexOf('?');
    res.redirect(301, `/staff/tasks${search >= 0 ? req.originalUrl.slice(search) : ''}`);
  });

  router.get('/tasks/:id', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const found = isUuid(req.params.id) ? await tasks.taskFor(member, req.params.id) : undefined;
    if (!found) throw new NotFoundError();
    const values = found.values;
    res.send(
      views.render('admin/task', pageOf(req, found.task.name ?? found.task.elementId), {
        ...(await taskPage(req, found, { values, errors: [], token: newSubmissionToken() })),
        assignment: await inbox.assignmentOf(member, found.task),
      }),
    );
  });

  router.post('/tasks/:id', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const token = submissionTokenOf(req);
    if (!isUuid(req.params.id) || !token) throw new NotFoundError();
    const result = await tasks.complete(member, req.params.id, token, formInput(req), localeOf(req), uploadsOf(req));
    if (!result) throw new NotFoundError();
    if (!result.ok) {
      const { found } = result;
      const page = pageOf(req, found.task.name ?? found.task.elementId);
      if (result.reason === 'claimed') {
        // 409: a colleague has claimed the task; nothing was sent. The form stays, with what was typed.
        const state = { values: result.values, errors: [], token };
        res.status(409).send(
          views.render('admin/task', page, {
            ...(await taskPage(req, found, state)),
            assignment: await inbox.assignmentOf(member, found.task),
            claimedBy: result.claimedBy,
          }),
        );
        return;
      }
      const state =
        result.reason === 'invalid'
          ? { values: result.values, errors: result.errors, token }
          : { values: result.values, errors: [], token, notOpen: result };
      // 409: the task was completed by someone else first; nothing of this submission was applied.
      res
        .status(result.reason === 'invalid' ? 422 : 409)
        .send(views.render('admin/task', page, await taskPage(req, found, state)));
      return;
    }
    res.redirect(303, `/staff/cases/${result.caseId}`);
  });

  router.get('/incidents', async (req, res) => {
    if (!administrator(req, res)) return;
    res.send(
      views.render('admin/incidents', pageOf(req, t(req, 'incidents.title')), {
        incidents: await incidents.listOpen(),
      }),
    );
  });

  router.post('/cases/:id/incidents/:incidentId/retry', async (req, res) => {
    const admin = administrator(req, res);
    if (!admin) return;
    const { id, incidentId } = req.params;
    if (!isUuid(id) || !/^[\w-]{1,32}$/.test(incidentId)) throw new NotFoundError();
    const retried = await incidents.retry(id, incidentId, `staff:${admin.staffId}`);
    res.redirect(303, `/staff/cases/${id}?retried=${retried ? '1' : '0'}`);
  });

  /** Designers' preview: any form of a published service with sample data, and what the validator says. */
  const preview = async (req: Request, res: Response, at: { slug: string; formId: string }, sample?: string) => {
    if (!serviceDesigner(req, res)) return;
    const service = await catalog.current(at.slug);
    const form = service && Object.hasOwn(service.forms, at.formId) ? service.forms[at.formId] : undefined;
    if (!service || !form) throw new NotFoundError();
    const locale = localeOf(req);
    let data: Record<string, unknown> = initialValues(form);
    let sampleError: string | undefined;
    if (sample !== undefined) {
      try {
        const parsed: unknown = JSON.parse(sample);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        data = Object.fromEntries(Object.entries(parsed));
      } catch {
        sampleError = t(req, 'preview.invalidJson');
      }
    }
    const result = sample !== undefined && !sampleError ? validateSubmission(form, data) : undefined;
    res.status(sampleError ? 422 : 200).send(
      views.render('admin/form-preview', pageOf(req, `${t(req, 'preview.title')}: ${form.id}`), {
        service,
        form,
        forms: Object.keys(service.forms),
        sample: sample ?? JSON.stringify(data, null, 2),
        sampleError,
        fields: forms.renderFields(form, { values: result?.values ?? data, errors: result?.errors ?? [], locale }),
        result: result && {
          valid: result.errors.length === 0,
          values: JSON.stringify(result.values, null, 2),
          errors: result.errors.map((error) => ({ key: error.key, message: errorMessage(error, locale) })),
        },
      }),
    );
  };

  router.get('/services', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    const services = await Promise.all(
      (await catalog.list()).map(async (listed) => {
        const current = await catalog.current(listed.slug);
        return { ...listed, version: current?.version, forms: Object.keys(current?.forms ?? {}) };
      }),
    );
    res.send(views.render('admin/services', pageOf(req, t(req, 'services.title')), { services }));
  });

  router.get('/services/:slug/forms/:formId/preview', (req, res) => preview(req, res, req.params));
  router.post('/services/:slug/forms/:formId/preview', (req, res) => {
    const { sample } = formInput(req);
    return preview(req, res, req.params, typeof sample === 'string' ? sample : '');
  });

  // Every company's mail: administrators only (404 for other staff, like every admin page: ADR 0003).
  // A caseworker sees a case's mails on the case page, where the case's visibility already applies.
  router.get('/outbox', async (req, res) => {
    if (!administrator(req, res)) return;
    const mails = (await outbox.latest()).map(maskDeliveredPasswordLink);
    res.send(views.render('admin/outbox', pageOf(req, t(req, 'outbox.title')), { mails }));
  });

  return router;
}
