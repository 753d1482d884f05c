import { renderLetterPdf } from '../documents/letter-pdf.js';
import { publicStatusLabel, type StatusLabel } from '../case/public-status.js';
import { receiptLetter } from '../documents/receipt.js';
import type { FormSchema } from '../../forms/schema.js';
import { actorOf, mayComplete } from '../case/task-completion.js';
import type { CaseRepository, TaskRow } from '../repositories/case.repository.js';
import { hasRole, type CompanyUserSession, type StaffSession } from './auth.service.js';
import { startFormOf, startStepsOf, type CatalogService } from './catalog.service.js';

type CaseDetail = NonNullable<Awaited<ReturnType<CaseRepository['detail']>>>;
type CaseEventRow = Awaited<ReturnType<CaseRepository['events']>>[number];
/** A case in its company's list, its public status named in both languages. */
export type CaseSummary = Awaited<ReturnType<CaseRepository['listForCompany']>>[number] & {
  publicStatusLabel: StatusLabel | undefined;
};

/** A public status the case reached, as its company sees the history. */
export interface TimelineEntry {
  status: string;
  label: StatusLabel;
  at: Date;
}

/** The case page of its company. */
export interface CompanyCaseView {
  detail: CaseDetail;
  /** The case's public status named in both languages (undefined while the model has set none). */
  publicStatusLabel: StatusLabel | undefined;
  timeline: TimelineEntry[];
  tasks: TaskRow[];
  /** The company's open tasks: the same rule that lets it complete them. */
  openTasks: TaskRow[];
  /** The start form of the version the case runs on, with every start step's fields. */
  startForm: FormSchema | undefined;
}

/** The case page of staff: everything, including the full audit trail. */
export interface StaffCaseView {
  detail: CaseDetail;
  events: CaseEventRow[];
  tasks: TaskRow[];
  startForm: FormSchema | undefined;
}

/** Reading cases: each audience sees its own; any other id is undefined (→ 404). */
export interface CaseService {
  /** The company's cases, newest first. */
  listForCompany(companyId: string): Promise<CaseSummary[]>;
  /** The case as its company sees it; undefined (→ 404) for any other company. */
  detailForCompany(caseId: string, user: CompanyUserSession): Promise<CompanyCaseView | undefined>;
  /** The case for staff who had a task in it (administrators: every case); undefined (→ 404) otherwise. */
  detailForStaff(caseId: string, member: StaffSession): Promise<StaffCaseView | undefined>;
  /** The Eingangsbestätigung as PDF, for the case's company only. */
  receiptFor(
    caseId: string,
    companyId: string,
    locale: 'de' | 'en',
  ): Promise<{ pdf: Buffer; fileName: string } | undefined>;
}

export interface CaseServiceDeps {
  cases: CaseRepository;
  catalog: CatalogService;
}

export function createCaseService(deps: CaseServiceDeps): CaseService {
  const { cases, catalog } = deps;

  /**
   * The start form of the version the case runs on (never the latest version's); with several start
   * steps, one form with the components of all steps in order, so every answer is shown.
   */
  async function startFormOfVersion(versionId: string): Promise<FormSchema | undefined> {
    const version = await catalog.version(versionId);
    if (!version) return undefined;
    const steps = startStepsOf(version);
    const [first] = steps;
    if (!first || steps.length === 1) return first?.form ?? startFormOf(version);
    return { ...first.form, components: steps.flatMap((step) => step.form.components) };
  }

  return {
    async listForCompany(companyId) {
      const rows = await cases.listForCompany(companyId);
      return rows.map((row) => ({ ...row, publicStatusLabel: labelOf(row.publicStatus, row.statusLabels) }));
    },

    async detailForCompany(caseId, user) {
      const detail = await cases.detail(caseId);
      if (!detail || detail.companyId !== user.companyId) return undefined;
      const [events, tasks, startForm] = await Promise.all([
        cases.events(caseId),
        cases.tasksOfCase(caseId),
        startFormOfVersion(detail.serviceVersionId),
      ]);
      const openTasks = tasks.filter((task) => task.status === 'open' && mayComplete(actorOf(user), task));
      return {
        detail,
        publicStatusLabel: labelOf(detail.publicStatus, detail.statusLabels),
        timeline: publicTimeline(events, detail.statusLabels),
        tasks,
        openTasks,
        startForm,
      };
    },

    async receiptFor(caseId, companyId, locale) {
      const detail = await cases.detail(caseId);
      if (!detail || detail.companyId !== companyId) return undefined;
      const pdf = await renderLetterPdf(receiptLetter(detail, locale));
      const name = locale === 'de' ? 'Eingangsbestaetigung' : 'Receipt';
      return { pdf, fileName: `${name}-${detail.number}.pdf` };
    },

    async detailForStaff(caseId, member) {
      const detail = await cases.detail(caseId);
      if (!detail) return undefined;
      const [events, tasks, startForm] = await Promise.all([
        cases.events(caseId),
        cases.tasksOfCase(caseId),
        startFormOfVersion(detail.serviceVersionId),
      ]);
      // Staff see a case when one of its tasks (open or done) was for them; administrators see every case.
      if (!hasRole(member, 'administrator') && !tasks.some((task) => mayComplete(actorOf(member), task)))
        return undefined;
      return { detail, events, tasks, startForm };
    },
  };
}

const labelOf = (status: string | null, labels: unknown) =>
  status === null ? undefined : publicStatusLabel(status, labels);

/** Applicant-facing timeline: only the steps that carry a public status label, once per change. */
export function publicTimeline(events: CaseEventRow[], statusLabels: unknown): TimelineEntry[] {
  const timeline: TimelineEntry[] = [];
  for (const event of events) {
    if (event.type !== 'elementEntered' || !event.publicStatus) continue;
    if (timeline.at(-1)?.status === event.publicStatus) continue;
    timeline.push({
      status: event.publicStatus,
      label: publicStatusLabel(event.publicStatus, statusLabels),
      at: event.at,
    });
  }
  return timeline;
}
