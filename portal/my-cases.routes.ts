import { Router, type Request } from 'express';
import type { DraftService } from '../engine/services/draft.service.js';
import {
  MY_CASES_SORTS,
  STATUS_GROUPS,
  myCasesSearch,
  parseMyCasesQuery,
  type MyCasesFieldError,
} from '../engine/services/my-cases-query.js';
import type { CompanyTimelineItem, CompanyTimelineParty, MyCasesService } from '../engine/services/my-cases.service.js';
import { localeOf, pageOf } from '../engine/web/http.js';
import type { Locale } from '../engine/web/i18n.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireApplicant, text } from './applicant.js';

export interface MyCasesDeps {
  myCases: MyCasesService;
  drafts: DraftService;
  views: ViewRenderer;
}

/** "Meine Vorgänge": the company's cases with filters and keyset pages, and its open tasks above them. */
export function createMyCasesRouter(deps: MyCasesDeps): Router {
  const { myCases, drafts, views } = deps;
  const router = Router();

  router.get('/cases', async (req, res) => {
    const user = requireApplicant(req, res);
    if (!user) return;
    const locale = localeOf(req);
    const say = (key: string, params?: Record<string, string | number>) => text(locale, key, params);
    const { query, errors } = parseMyCasesQuery(req.query);
    const [page, openTasks, services, userDrafts] = await Promise.all([
      myCases.page(user, query),
      myCases.openTasks(user),
      myCases.services(user),
      drafts.list(user),
    ]);
    // What was typed, shown again as typed (a refused value too), so nothing is lost.
    const typed = (name: string) => (typeof req.query[name] === 'string' ? req.query[name] : '');
    const errorOf = (field: MyCasesFieldError['field']) => {
      const found = errors.find((error) => error.field === field);
      return found && say(found.key);
    };
    const filtered = Boolean(query.status || query.service || query.q || query.from || query.to);
    const href = (changes: Parameters<typeof myCasesSearch>[1]) => {
      const search = myCasesSearch(query, { after: undefined, before: undefined, ...changes });
      return search ? `/cases?${search}#cases` : '/cases#cases';
    };
    res.status(errors.length > 0 ? 422 : 200).send(
      views.render('portal/cases', pageOf(req, say('cases.title')), {
        errors: errors.map((error) => ({ field: error.field, message: say(error.key) })),
        values: { q: typed('q'), from: typed('from'), to: typed('to') },
        qError: errorOf('q'),
        fromError: errorOf('from'),
        toError: errorOf('to'),
        statusError: errorOf('status'),
        serviceError: errorOf('service'),
        sortError: errorOf('sort'),
        statuses: STATUS_GROUPS.map((group) => ({
          value: group,
          label: say(`mycases.group.${group}`),
          selected: query.status === group,
        })),
        services: services.map((service) => ({
          slug: service.slug,
          title: locale === 'en' ? service.titleEn : service.titleDe,
          selected: query.service === service.slug,
        })),
        sorts: MY_CASES_SORTS.map((sort) => ({
          value: sort,
          label: say(`mycases.sort.${sort}`),
          selected: query.sort === sort,
        })),
        draftsText:
          userDrafts.length > 0
            ? say(userDrafts.length === 1 ? 'mycases.draftsOne' : 'mycases.draftsMany', { count: userDrafts.length })
            : undefined,
        openTasks: openTasks.map((task) => ({
          id: task.id,
          name: task.informationRequest ? say('mycases.needsYou.rueckfrage') : (task.name ?? task.elementId),
          caseNumber: task.caseNumber,
          caseSubject: task.caseSubject,
          dueDate: task.dueDate,
        })),
        filtered,
        cases: page.rows.map((row) => ({
          id: row.id,
          number: row.number,
          subject: row.subject,
          serviceTitle: locale === 'en' ? row.serviceTitleEn : row.serviceTitleDe,
          publicStatusLabel: row.publicStatusLabel,
          createdAt: row.createdAt,
          updatedAt: row.updatedAt,
          startedBy: row.startedBy,
          actionText: row.actionNeeded ? actionText(locale, row.openTasks, row.unreadMessages) : undefined,
          toMessages: row.openTasks === 0 && row.unreadMessages > 0,
        })),
        olderHref: page.older && href({ after: page.older }),
        newerHref: page.newer && href({ before: page.newer }),
        firstHref: page.newer && href({}),
      }),
    );
  });

  return router;
}

/** "1 Aufgabe offen · 2 neue Nachrichten": what the company has to do on a case, in words. */
export function actionText(locale: Locale, openTasks: number, unreadMessages: number): string {
  const parts: string[] = [];
  if (openTasks > 0) {
    parts.push(text(locale, openTasks === 1 ? 'mycases.tasksOne' : 'mycases.tasksMany', { count: openTasks }));
  }
  if (unreadMessages > 0) {
    parts.push(
      text(locale, unreadMessages === 1 ? 'mycases.messagesOne' : 'mycases.messagesMany', { count: unreadMessages }),
    );
  }
  return parts.join(' · ');
}

/** The company's timeline in words: one line per entry; a status is shown as the status. */
export function companyTimelineView(
  items: CompanyTimelineItem[],
  locale: Locale,
): { text: string; isStatus: boolean; at: Date }[] {
  const person = (party: CompanyTimelineParty) =>
    party.kind === 'agency'
      ? text(locale, 'mycases.timeline.agency')
      : (party.name ?? text(locale, 'mycases.timeline.formerMember'));
  const say = (key: string, params?: Record<string, string>) => text(locale, `mycases.timeline.${key}`, params);
  return items.map((item) => {
    const line = (words: string) => ({ text: words, isStatus: false, at: item.at });
    switch (item.kind) {
      case 'status':
        return { text: item.label[locale], isStatus: true, at: item.at };
      case 'submitted':
        return line(say('submitted', { person: person(item.by) }));
      case 'taskCompleted':
        return line(say('taskCompleted', { task: item.task, person: person(item.by) }));
      case 'rueckfrageAsked':
        return line(say('rueckfrageAsked', { deadline: item.deadline }));
      case 'rueckfrageAnswered':
        return line(say('rueckfrageAnswered', { person: person(item.by) }));
      case 'rueckfrageWithdrawn':
        return line(say('rueckfrageWithdrawn'));
      case 'rueckfrageExpired':
        return line(say('rueckfrageExpired'));
      case 'message':
        return line(
          item.by.kind === 'agency' ? say('messageFromAgency') : say('messageFromMember', { person: person(item.by) }),
        );
      case 'withdrawn':
        return line(say('withdrawn', { person: person(item.by) }));
    }
  });
}

/** The timeline of the case page (portal.routes.ts), in the page's language. */
export async function caseTimelineFor(myCases: MyCasesService, req: Request, caseId: string) {
  const user = req.session.principal;
  if (user?.kind !== 'applicant') return [];
  return companyTimelineView((await myCases.timeline(user, caseId)) ?? [], localeOf(req));
}
