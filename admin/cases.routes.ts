import { Router, type Request } from 'express';
import type { CatalogService } from '../engine/services/catalog.service.js';
import type {
  CaseRecord,
  CaseSearchFilter,
  CaseViewService,
  RecordDocument,
} from '../engine/services/case-view.service.js';
import { NOTE_MAX_LENGTH, personLabel, type TimelineItem } from '../engine/services/case-view.service.js';
import { hasRole } from '../engine/services/auth.service.js';
import type { DocumentService } from '../engine/services/document.service.js';
import type { IncidentService } from '../engine/services/incident.service.js';
import type { CaseDiagramService } from '../engine/services/case-diagram.service.js';
import { CSV_MEDIA_TYPE, csvLines, toCsv } from '../engine/web/csv.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { NotFoundError, formInput, isUuid, localeOf, pageOf } from '../engine/web/http.js';
import { previewKindOf, sendDocument } from '../engine/web/send-document.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { staffMember } from './staff-guard.js';
import type { CaseMessageService } from '../engine/services/case-message.service.js';
import { messageTimeline, staffThread } from './case-messages.routes.js';
import { processDiagramView } from './process-diagram.js';

export interface CasesRouteDeps {
  caseViews: CaseViewService;
  /** The thread with the company on the case page (admin/case-messages.routes.ts). */
  caseMessages: CaseMessageService;
  catalog: CatalogService;
  documents: DocumentService;
  incidents: IncidentService;
  /** The process diagram on the case page (admin/views/partials/process-diagram.hbs). */
  caseDiagrams: CaseDiagramService;
  views: ViewRenderer;
}

const STATUSES = ['active', 'completed', 'incident'] as const;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Longest search term accepted; longer input is cut (a search box, not a document). */
const MAX_TERM = 200;

/** A calendar day as `<input type="date">` sends it, and one that exists (no 2026-02-30). */
function isDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}

interface SearchForm {
  filter: CaseSearchFilter;
  /** What the form shows again, as typed. */
  values: Record<string, string>;
  /** Field → i18n key of the error shown next to it. */
  errors: Record<string, string>;
  after?: string;
}

/** The search form's query, validated: unknown values are dropped, an impossible date is an error next to its field. */
function searchFormOf(req: Request, serviceSlugs: string[]): SearchForm {
  const term = (name: string) => {
    const value = req.query[name];
    return typeof value === 'string' ? value.trim().slice(0, MAX_TERM) : '';
  };
  const values = {
    q: term('q'),
    number: term('number'),
    company: term('company'),
    service: term('service'),
    status: term('status'),
    from: term('from'),
    to: term('to'),
  };
  const errors: Record<string, string> = {};
  for (const field of ['from', 'to'] as const) {
    if (values[field] && !isDay(values[field])) errors[field] = 'caseSearch.invalidDate';
  }
  if (!errors.from && !errors.to && values.from && values.to && values.from > values.to)
    errors.to = 'caseSearch.toBeforeFrom';
  const status = STATUSES.find((candidate) => candidate === values.status);
  const filter: CaseSearchFilter = {
    text: values.q || undefined,
    number: values.number || undefined,
    company: values.company || undefined,
    serviceSlug: serviceSlugs.includes(values.service) ? values.service : undefined,
    status,
    createdFrom: values.from && !errors.from ? values.from : undefined,
    createdTo: values.to && !errors.to ? values.to : undefined,
  };
  const after = term('after');
  return { filter, values, errors, after: after || undefined };
}

/** The query string of the form's values (what the result links carry on), without empty ones. */
function queryOf(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...values, ...extra })) if (value) params.set(key, value);
  return params.toString();
}

/** A timeline item in words: "Anna Schmidt (Schmidt Metallbau GmbH) hat den Antrag gestellt". */
function timelineText(item: TimelineItem, locale: Locale): string {
  const t = (key: string) => translate(locale, key);
  const fill = (key: string, values: Record<string, string>) =>
    t(key).replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
  const system = t('timeline.system');
  switch (item.kind) {
    case 'submitted':
      return fill('timeline.submitted', { actor: personLabel(item.actor, system) });
    case 'taskCompleted':
      return fill('timeline.taskCompleted', { actor: personLabel(item.actor, system), task: item.task });
    case 'taskCancelled':
      return fill('timeline.taskCancelled', { task: item.task });
    case 'status':
      return fill('timeline.status', { status: item.status });
    case 'mail':
      return fill('timeline.mail', { subject: item.subject, recipient: item.recipient });
    case 'note':
      return fill('timeline.note', { author: item.author });
    case 'incident':
      return fill('timeline.incident', { element: item.element });
    case 'incidentResolved':
      return fill('timeline.incidentResolved', { element: item.element });
    case 'completed':
      return t('timeline.completed');
    case 'rueckfrageAsked':
      return fill('timeline.rueckfrageAsked', {
        actor: personLabel(item.actor, system),
        task: item.task,
        deadline: item.deadline,
      });
    case 'rueckfrageAnswered':
      return fill('timeline.rueckfrageAnswered', { actor: personLabel(item.actor, system) });
    case 'rueckfrageWithdrawn':
      return fill('timeline.rueckfrageWithdrawn', { actor: personLabel(item.actor, system) });
    case 'rueckfrageExpired':
      return t('timeline.rueckfrageExpired');
    case 'rueckfrageCancelled':
      return t('timeline.rueckfrageCancelled');
    case 'withdrawn':
      return fill('withdraw.staffTimeline', {
        actor: item.actor ? personLabel(item.actor, system) : item.name || system,
      });
    case 'migrated':
      return fill('migration.timeline', { actor: personLabel(item.actor, system), from: item.from, to: item.to });
  }
}

const byteFormats: Record<Locale, Intl.NumberFormat> = {
  de: new Intl.NumberFormat('de-DE', { maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 }),
};

/** "12,5 KB": sizes for people. */
function sizeOf(bytes: number, locale: Locale): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${byteFormats[locale].format(bytes / 1024)} KB`;
  return `${byteFormats[locale].format(bytes / (1024 * 1024))} MB`;
}

/**
 * The case record as `partials/case-record.hbs` shows it (the case page and the task page): every start
 * step's and completed task's answers, and every document with its preview where the browser can show one.
 */
export function caseRecordView(record: CaseRecord, locale: Locale) {
  const base = `/staff/cases/${record.caseId}/documents`;
  const system = translate(locale, 'timeline.system');
  return {
    ...record,
    documents: record.documents.map((document: RecordDocument) => ({
      ...document,
      href: `${base}/${document.id}`,
      previewHref: `${base}/${document.id}/preview`,
      preview: previewKindOf(document.mediaType),
      size: sizeOf(document.size, locale),
      uploadedBy: document.generated ? system : personLabel(document.uploadedBy, system),
      fromTask: document.fromTask && translate(locale, 'caseRecord.fromTask').replace('{task}', document.fromTask),
    })),
  };
}

/** `/staff/cases`: search and CSV export; `/staff/cases/:id`: the case page, its documents and notes. */
export function createCasesRouter({
  caseViews,
  caseMessages,
  catalog,
  documents,
  incidents,
  caseDiagrams,
  views,
}: CasesRouteDeps): Router {
  const router = Router();

  const services = async (locale: Locale) =>
    (await catalog.list()).map((service) => ({ slug: service.slug, title: service.title[locale] }));

  router.get('/cases', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const locale = localeOf(req);
    const serviceList = await services(locale);
    const form = searchFormOf(
      req,
      serviceList.map((service) => service.slug),
    );
    const valid = Object.keys(form.errors).length === 0;
    const found = valid ? await caseViews.search(member, form.filter, form.after) : { rows: [], next: undefined };
    const query = queryOf(form.values);
    const nextHref = found.next ? `/staff/cases?${queryOf(form.values, { after: found.next })}` : undefined;
    const firstHref = form.after ? `/staff/cases${query ? `?${query}` : ''}` : undefined;
    res.status(valid ? 200 : 422).send(
      views.render('admin/cases', pageOf(req, translate(locale, 'caseSearch.title')), {
        values: form.values,
        errors: Object.entries(form.errors).map(([field, key]) => ({ field, message: translate(locale, key) })),
        fromError: form.errors.from && translate(locale, form.errors.from),
        toError: form.errors.to && translate(locale, form.errors.to),
        services: serviceList.map((service) => ({ ...service, selected: service.slug === form.values.service })),
        statuses: STATUSES.map((status) => ({ status, selected: status === form.filter.status })),
        valid,
        rows: found.rows,
        exportHref: `/staff/cases.csv${query ? `?${query}` : ''}`,
        nextHref,
        firstHref,
        paged: nextHref !== undefined || firstHref !== undefined,
      }),
    );
  });

  router.get('/cases.csv', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const locale = localeOf(req);
    const t = (key: string) => translate(locale, key);
    const form = searchFormOf(
      req,
      (await services(locale)).map((service) => service.slug),
    );
    if (Object.keys(form.errors).length > 0) throw new NotFoundError();
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin' });
    const time = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'Europe/Berlin',
      dateStyle: 'short',
      timeStyle: 'short',
    });
    res.type(CSV_MEDIA_TYPE);
    res.attachment(`${t('caseSearch.fileName')}-${day.format(new Date())}.csv`);
    const header = [
      t('cases.number'),
      t('cases.subject'),
      t('case.company'),
      t('cases.service'),
      t('caseView.version'),
      t('cases.status'),
      t('caseSearch.publicStatus'),
      t('cases.createdAt'),
      t('caseSearch.completedAt'),
    ];
    // The header (with the byte order mark) first, then page after page: an export of any size streams.
    res.write(toCsv(header, []));
    for await (const rows of caseViews.searchAll(member, form.filter)) {
      const lines = rows.map((row) => [
        row.number,
        row.subject,
        row.companyName,
        locale === 'en' ? row.serviceTitleEn : row.serviceTitleDe,
        String(row.serviceVersion),
        t(`status.${row.status}`),
        row.publicStatus,
        time.format(row.createdAt),
        row.completedAt ? time.format(row.completedAt) : '',
      ]);
      if (lines.length > 0) res.write(csvLines(lines));
    }
    res.end();
  });

  const casePage = async (req: Request, caseId: string, note?: { value: string; error: string }) => {
    const member = req.session.principal;
    if (member?.kind !== 'staff') throw new NotFoundError();
    const locale = localeOf(req);
    const found = isUuid(caseId) ? await caseViews.caseFileFor(member, caseId, locale) : undefined;
    if (!found) throw new NotFoundError();
    const isAdmin = hasRole(member, 'administrator');
    const thread = await staffThread(caseMessages, req, member, caseId);
    // The title is the number only: a subject may be personal, and titles end up in browser histories.
    return views.render('admin/case', pageOf(req, found.file.number), {
      ...found,
      serviceTitle: locale === 'en' ? found.file.serviceTitleEn : found.file.serviceTitleDe,
      // "Schmidt Metallbau GmbH", not "Schmidt Metallbau GmbH (GmbH)": the legal form only when the name lacks it.
      companyLabel:
        found.file.company.legalForm && !found.file.company.name.includes(found.file.company.legalForm)
          ? `${found.file.company.name} (${found.file.company.legalForm})`
          : found.file.company.name,
      record: caseRecordView(found.record, locale),
      timeline: [
        ...found.timeline.map((item) => ({
          at: item.at,
          text: timelineText(item, locale),
          note: item.kind === 'note' ? item.body : undefined,
        })),
        // "… hat eine Nachricht geschrieben": the thread's entries, in time order with the rest.
        ...messageTimeline(thread),
      ].sort((a, b) => a.at.getTime() - b.at.getTime()),
      // An incident names its element by id; the trail knows the element's name, which people read.
      incidents: (await incidents.ofCase(caseId)).map((incident) => ({
        ...incident,
        elementName: found.events.find((event) => event.elementId === incident.elementId && event.elementName)
          ?.elementName,
      })),
      isAdmin,
      diagram: await caseDiagrams
        .forStaff(caseId, member)
        .then((diagram) => diagram && processDiagramView(diagram, found.openTasks)),
      // The raw audit trail is for administrators only ("technical details").
      events: isAdmin ? found.events : [],
      noteMaxLength: NOTE_MAX_LENGTH,
      thread,
      note: note && { value: note.value, error: translate(locale, `caseView.${note.error}`) },
      noted: req.query.noted === '1',
      retried: req.query.retried,
    });
  };

  router.get('/cases/:id', async (req, res) => {
    if (!staffMember(req, res)) return;
    res.send(await casePage(req, req.params.id));
  });

  router.post('/cases/:id/notes', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const { id } = req.params;
    const { body } = formInput(req);
    const text = typeof body === 'string' ? body : '';
    const result = isUuid(id) ? await caseViews.addNote(member, id, text) : undefined;
    if (!result) throw new NotFoundError();
    if (!result.ok) {
      res.status(422).send(await casePage(req, id, { value: text, error: result.error }));
      return;
    }
    res.redirect(303, `/staff/cases/${id}?noted=1#notes`);
  });

  const sendCaseDocument = (inline: boolean) =>
    async function (req: Request<{ id: string; documentId: string }>, res: Parameters<typeof sendDocument>[0]) {
      const member = staffMember(req, res);
      if (!member) return;
      const { id, documentId } = req.params;
      const visible = isUuid(id) && isUuid(documentId) && (await caseViews.mayView(member, id));
      const found = visible ? await documents.openForStaff(id, documentId) : undefined;
      if (!found) throw new NotFoundError();
      await sendDocument(res, found, { inline });
    };
  router.get('/cases/:id/documents/:documentId', sendCaseDocument(false));
  router.get('/cases/:id/documents/:documentId/preview', sendCaseDocument(true));

  return router;
}
