import { companyTimeline, type CompanyTimelineItem } from '../case/company-timeline.js';
import { publicStatusLabel, type StatusLabel } from '../case/public-status.js';
import type { CaseMessageRepository } from '../repositories/case-message.repository.js';
import type { CaseRepository } from '../repositories/case.repository.js';
import type { CompanyUserSession } from './auth.service.js';
import { needsAction, pageFromRows, pagePlanOf, type MyCasesPage, type MyCasesQuery } from './my-cases-query.js';

export type { CompanyTimelineItem, CompanyTimelineParty } from '../case/company-timeline.js';

type CompanyCaseRow = Awaited<ReturnType<CaseRepository['companyCasesPage']>>[number];

/** A case in "Meine Vorgänge": its row, its public status in both languages, and whether the company must act. */
export type MyCaseRow = CompanyCaseRow & {
  publicStatusLabel: StatusLabel | undefined;
  actionNeeded: boolean;
};

/** An open task of the company, for "Das braucht Sie" above the list. */
export type CompanyOpenTask = Awaited<ReturnType<CaseRepository['openCompanyTasks']>>[number];

/** "Meine Vorgänge" and the company's case timeline. Every member of a company sees all of its cases. */
export interface MyCasesService {
  /** One page of the company's cases as the (validated) query says. */
  page(user: CompanyUserSession, query: MyCasesQuery): Promise<MyCasesPage<MyCaseRow>>;
  /** The company's open tasks across its cases, the earliest due first. */
  openTasks(user: CompanyUserSession): Promise<CompanyOpenTask[]>;
  /** The services the company has cases of (the filter's choices). */
  services(user: CompanyUserSession): ReturnType<CaseRepository['servicesOfCompanyCases']>;
  /** The case's story as its company reads it; undefined (→ 404) for another company's case. */
  timeline(user: CompanyUserSession, caseId: string): Promise<CompanyTimelineItem[] | undefined>;
}

export interface MyCasesServiceDeps {
  cases: CaseRepository;
  messages: CaseMessageRepository;
}

export function createMyCasesService(deps: MyCasesServiceDeps): MyCasesService {
  const { cases, messages } = deps;
  return {
    async page(user, query) {
      const plan = pagePlanOf(query);
      let page = pageFromRows(plan, await cases.companyCasesPage(user.companyId, plan));
      // "Neuere" reached the top of the list: show the top page, full, rather than the few rows above the cursor.
      if (plan.direction === 'newer' && !page.newer) {
        const top = pagePlanOf({ ...query, before: undefined });
        page = pageFromRows(top, await cases.companyCasesPage(user.companyId, top));
      }
      return {
        ...page,
        rows: page.rows.map((row) => ({
          ...row,
          publicStatusLabel:
            row.publicStatus === null ? undefined : publicStatusLabel(row.publicStatus, row.statusLabels),
          actionNeeded: needsAction(row),
        })),
      };
    },

    openTasks: (user) => cases.openCompanyTasks(user.companyId),

    services: (user) => cases.servicesOfCompanyCases(user.companyId),

    async timeline(user, caseId) {
      const detail = await cases.detail(caseId);
      if (!detail || detail.companyId !== user.companyId) return undefined;
      const [caseRow, events, tasks, thread] = await Promise.all([
        cases.findById(caseId),
        cases.events(caseId),
        cases.tasksOfCase(caseId),
        messages.ofCase(caseId),
      ]);
      if (!caseRow) return undefined;
      const submittedBy = `applicant:${caseRow.createdByUserId}`;
      const memberIds = new Set<string>();
      for (const label of [
        submittedBy,
        ...events.map((event) => event.actor),
        ...tasks.map((task) => task.completedBy ?? ''),
        ...thread.map((message) => message.author),
      ]) {
        if (label.startsWith('applicant:')) memberIds.add(label.slice('applicant:'.length));
      }
      const names = await cases.userNames([...memberIds].filter((id) => /^[0-9a-f-]{36}$/.test(id)));
      return companyTimeline({
        submitted: { at: caseRow.createdAt, by: submittedBy },
        events,
        tasks,
        messages: thread,
        statusLabels: detail.statusLabels,
        members: new Map(names.map((row) => [`applicant:${row.id}`, row.name])),
      });
    },
  };
}
