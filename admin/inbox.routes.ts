import { Router, type Request, type Response } from 'express';
import type { AssignmentOutcome, InboxPage, InboxRow, InboxService } from '../engine/services/inbox.service.js';
import {
  inboxSearch,
  savedFilterSearch,
  type DueUrgency,
  type InboxQuery,
  type InboxView,
} from '../engine/services/inbox-query.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { NotFoundError, formInput, isUuid, localeOf, pageOf } from '../engine/web/http.js';
import { safeReturnPath } from '../engine/web/return-path.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { staffMember } from './staff-guard.js';

export interface InboxRouteDeps {
  inbox: InboxService;
  views: ViewRenderer;
}

const VIEWS: InboxView[] = ['mine', 'groups', 'all'];

/**
 * `/staff/tasks`: the inbox (GET, every filter a query parameter: it works without JavaScript), saved filters,
 * and claim / release / assign (POST forms with CSRF, answered 303 back to the page they came from).
 */
export function createInboxRouter({ inbox, views }: InboxRouteDeps): Router {
  const router = Router();

  const render = async (
    req: Request,
    res: Response,
    params: Record<string, unknown>,
    saveForm?: { name: string; group: string; errors: { name?: string; group?: string } },
  ) => {
    const member = staffMember(req, res);
    if (!member) return;
    const locale = localeOf(req);
    const now = new Date();
    const page = await inbox.page(member, params, now);
    res
      .status(saveForm ? 422 : 200)
      .send(
        views.render(
          'admin/tasks',
          pageOf(req, translate(locale, 'tasks.title')),
          inboxPageView(page, locale, now, saveForm),
        ),
      );
  };

  router.get('/tasks', (req, res) => render(req, res, req.query));

  router.post('/tasks/filters', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const { name, query, group } = formInput(req);
    const saved = await inbox.saveFilter(member, { name, query, group });
    const queryText = typeof query === 'string' ? query : '';
    if (saved.ok) {
      res.redirect(303, `/staff/tasks?${saved.query}`);
      return;
    }
    await render(req, res, Object.fromEntries(new URLSearchParams(queryText)), {
      name: typeof name === 'string' ? name : '',
      group: typeof group === 'string' ? group : '',
      errors: saved.errors,
    });
  });

  router.post('/tasks/filters/:id/delete', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    if (!isUuid(req.params.id) || !(await inbox.deleteFilter(member, req.params.id))) throw new NotFoundError();
    res.redirect(303, returnPathOf(req));
  });

  const answer = (req: Request, res: Response, outcome: AssignmentOutcome | undefined) => {
    if (!outcome) throw new NotFoundError();
    if (outcome.ok) {
      res.redirect(303, returnPathOf(req, `/staff/tasks/${outcome.task.id}`));
      return;
    }
    const locale = localeOf(req);
    const t = (key: string) => translate(locale, key);
    const heading = t(`tasks.refused.${outcome.reason}`);
    const message =
      outcome.reason === 'taken'
        ? t('tasks.refused.takenBy').replace('{name}', outcome.holder)
        : t(`tasks.refused.${outcome.reason}Text`);
    // 409: someone else holds the task or it is done; 422: the chosen person cannot take it.
    res
      .status(outcome.reason === 'notEligible' ? 422 : 409)
      .send(views.render('admin/task-taken', pageOf(req, heading), { heading, message, task: outcome.task }));
  };

  router.post('/tasks/:id/claim', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    if (!isUuid(req.params.id)) throw new NotFoundError();
    answer(req, res, await inbox.claim(member, req.params.id));
  });

  router.post('/tasks/:id/unclaim', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    if (!isUuid(req.params.id)) throw new NotFoundError();
    answer(req, res, await inbox.unclaim(member, req.params.id));
  });

  router.post('/tasks/:id/assign', async (req, res) => {
    const member = staffMember(req, res);
    if (!member) return;
    const { assignee } = formInput(req);
    if (!isUuid(req.params.id)) throw new NotFoundError();
    answer(req, res, await inbox.assign(member, req.params.id, typeof assignee === 'string' ? assignee : ''));
  });

  return router;
}

/** Where a button's form came from (its `next` field), if that is a staff page; else `fallback`. */
function returnPathOf(req: Request, fallback = '/staff/tasks'): string {
  return safeReturnPath(formInput(req).next, '/staff/') ?? fallback;
}

/** The due date's words and how it stands out: colour by class, always with the words. */
export function dueText(urgency: DueUrgency | undefined, locale: Locale): { text: string; tone: string } | undefined {
  if (!urgency) return undefined;
  const t = (key: string) => translate(locale, key);
  switch (urgency.kind) {
    case 'overdue':
      return {
        tone: 'overdue',
        text:
          urgency.daysOverdue === 0
            ? t('tasks.due.overdueToday')
            : urgency.daysOverdue === 1
              ? t('tasks.due.overdueOne')
              : t('tasks.due.overdueMany').replace('{n}', String(urgency.daysOverdue)),
      };
    case 'soon':
      return {
        tone: 'soon',
        text: t(['tasks.due.today', 'tasks.due.tomorrow', 'tasks.due.inTwo'][urgency.daysLeft] ?? ''),
      };
    case 'later':
      return undefined;
  }
}

/** The template's data for one inbox page: links, labels and rows in the reader's language. Pure. */
export function inboxPageView(
  page: InboxPage,
  locale: Locale,
  now: Date,
  saveForm?: { name: string; group: string; errors: { name?: string; group?: string } },
) {
  const t = (key: string) => translate(locale, key);
  const { query, view } = page;
  const href = (changes: Partial<Record<keyof InboxQuery, string | undefined>>) => {
    const search = inboxSearch(query, { view, after: undefined, ...changes });
    return `/staff/tasks${search ? `?${search}` : ''}`;
  };
  const here = href({ after: query.after });
  const option = (value: string, label: string, selected: string | undefined) => ({
    value,
    label,
    selected: value === (selected ?? ''),
  });
  const filtered = Boolean(
    query.q || query.service || query.task || query.due || query.status || query.company || query.assignee,
  );
  return {
    view,
    viewLabel: t(`tasks.view.${view}`),
    viewLinks: VIEWS.map((id) => ({
      label: t(`tasks.view.${id}`),
      count: page.counts[id],
      href: href({ view: id }),
      current: id === view,
    })),
    rejected: page.rejected.map((name) => t(`tasks.param.${name}`)),
    filtered,
    query,
    resetHref: href({
      q: undefined,
      service: undefined,
      task: undefined,
      due: undefined,
      status: undefined,
      company: undefined,
      assignee: undefined,
    }),
    serviceOptions: [
      option('', t('tasks.any'), query.service),
      ...page.services.map((service) =>
        option(service.slug, locale === 'en' ? service.titleEn : service.titleDe, query.service),
      ),
    ],
    dueOptions: ['', 'overdue', 'today', 'week', 'none'].map((value) =>
      option(value, t(value ? `tasks.dueFilter.${value}` : 'tasks.any'), query.due),
    ),
    statusOptions: ['', 'ready', 'waiting'].map((value) =>
      option(value, t(value ? `tasks.status.${value}` : 'tasks.any'), query.status),
    ),
    assigneeOptions: [
      option('', t('tasks.any'), query.assignee),
      option('me', t('tasks.assignee.me'), query.assignee),
      option('none', t('tasks.assignee.none'), query.assignee),
      ...page.colleagues.map((colleague) => option(colleague.email, colleague.name, query.assignee)),
    ],
    sortOptions: ['due', 'followUp', 'priority', 'created'].map((value) =>
      option(value, t(`tasks.sort.${value}`), query.sort),
    ),
    dirOptions: ['asc', 'desc'].map((value) => option(value, t(`tasks.dir.${value}`), query.dir)),
    rows: page.rows.map((row) => rowView(row, locale, now)),
    here,
    nextHref: page.next ? href({ after: page.next }) : undefined,
    firstHref: query.after ? href({}) : undefined,
    savedFilters: page.savedFilters.map((filter) => ({
      id: filter.id,
      name: filter.name,
      href: `/staff/tasks${filter.query ? `?${filter.query}` : ''}`,
      own: filter.own,
      groupName: filter.groupName,
      authorName: filter.own ? undefined : filter.authorName,
    })),
    saveQuery: savedFilterSearch({ ...query, view }),
    save: {
      name: saveForm?.name ?? '',
      open: saveForm !== undefined,
      nameError: saveForm?.errors.name ? t(`tasks.save.error.${saveForm.errors.name}`) : undefined,
      groupError: saveForm?.errors.group ? t(`tasks.save.error.${saveForm.errors.group}`) : undefined,
      groupOptions: [
        option('', t('tasks.save.private'), saveForm?.group),
        ...page.groups.map((group) => option(group.id, group.name, saveForm?.group)),
      ],
    },
  };
}

function rowView(row: InboxRow, locale: Locale, now: Date) {
  const t = (key: string) => translate(locale, key);
  const due = dueText(row.urgency, locale);
  return {
    id: row.task.id,
    caseId: row.task.caseId,
    name: row.task.name ?? row.task.elementId,
    caseNumber: row.caseNumber,
    caseSubject: row.caseSubject,
    companyName: row.companyName,
    serviceTitle: locale === 'en' ? row.serviceTitleEn : row.serviceTitleDe,
    dueDate: row.task.dueDate,
    due,
    waitingSince: row.task.waitingSince,
    followUpDate: row.task.followUpDate,
    followUpReached: row.task.followUpDate !== null && row.task.followUpDate.getTime() <= now.getTime(),
    priority: `${t(`tasks.priority.${row.priorityLevel}`)} (${row.task.priority})`,
    priorityLevel: row.priorityLevel,
    assignee: row.task.assignee ? (row.assigneeName ?? row.task.assignee) : undefined,
    mine: row.mine,
    createdAt: row.task.createdAt,
    canClaim: row.canClaim,
    canUnclaim: row.canUnclaim,
    assignTo: row.assignTo.map((colleague) => ({
      ...colleague,
      selected: colleague.email === row.task.assignee,
    })),
  };
}
