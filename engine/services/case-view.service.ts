import { allComponents, isKeyedComponent, labelOf } from '../../forms/components.js';
import type { FormSchema } from '../../forms/schema.js';
import { summarizeAnswers, type AnswerLine } from '../../forms/summary.js';
import { localizeForm } from '../../forms/translate.js';
import type { Locale } from '../../forms/validate.js';
import { requestsOf } from '../case/information-request.js';
import { caseTimeline, personLabel, type TimelineItem, type TimelinePerson } from '../case/timeline.js';
import { actorOf, audienceOf, mayComplete } from '../case/task-completion.js';
import type { CaseNoteRepository } from '../repositories/case-note.repository.js';
import type { CaseRepository, TaskRow } from '../repositories/case.repository.js';
import type {
  CaseFile,
  CaseScope,
  CaseSearchFilter,
  CaseSearchRepository,
  CaseSearchRow,
} from '../repositories/case-search.repository.js';
import type { DocumentRepository } from '../repositories/document.repository.js';
import type { OutboxRepository } from '../repositories/outbox.repository.js';
import { hasRole, type StaffSession } from './auth.service.js';
import { startStepsOf, type CatalogService } from './catalog.service.js';

export type { CaseSearchFilter, CaseSearchRow };
// The routes word the timeline; they reach engine/case only through this service.
export { personLabel } from '../case/timeline.js';
export type { TimelineItem };

/** Results per page of the case search. */
export const CASE_PAGE_SIZE = 25;
/** Longest internal note, in characters. */
export const NOTE_MAX_LENGTH = 4000;
/** Rows the CSV export reads per query: the export streams page after page, so any result fits. */
const EXPORT_PAGE_SIZE = 500;

export interface CaseSearchPage {
  rows: CaseSearchRow[];
  /** The `after` of the next page; absent on the last page. */
  next?: string;
}

/** One part of the submitted data: a start step's or a completed task's answers. */
export interface RecordSection {
  /** The step's or the task's title; a single start step has none. */
  title?: string;
  /** Set for a Rückfrage's answers: its number (the title is then the staff task it was asked on). */
  rueckfrage?: number;
  /** Who completed the task, and when (task sections only). */
  completedBy?: string;
  completedAt?: Date;
  answers: AnswerLine[];
}

/** A document of the case as the case record lists it. */
export interface RecordDocument {
  id: string;
  fileName: string;
  mediaType: string;
  size: number;
  scanStatus: string;
  createdAt: Date;
  /** The label of the field it was uploaded through; undefined for a letter Lotse generated. */
  field?: string;
  /** The task whose form it came with (a task form's upload, a Rückfrage's answer). */
  fromTask?: string;
  generated: boolean;
  /** Who uploaded it (generated: undefined, the system). */
  uploadedBy?: TimelinePerson;
}

/** Everything the company submitted and the staff recorded, with every document: the case view and the task page. */
export interface CaseRecord {
  caseId: string;
  startSections: RecordSection[];
  taskSections: RecordSection[];
  documents: RecordDocument[];
}

export interface OpenTaskView {
  id: string;
  name: string;
  candidateGroups: string[];
  /** The assignee's name, or the raw assignment if it names nobody known. */
  assignee?: string;
  dueDate: Date | null;
  /** The company must act (an applicant task). */
  forApplicant: boolean;
}

/** The staff case page without the diagram: the case file, its record, open tasks and its story. */
export interface StaffCaseFile {
  file: CaseFile;
  openTasks: OpenTaskView[];
  record: CaseRecord;
  timeline: TimelineItem[];
  /** The raw audit trail (administrators' "technical details"). */
  events: Awaited<ReturnType<CaseRepository['events']>>;
  mails: Awaited<ReturnType<OutboxRepository['listForCase']>>;
}

export type NoteResult = { ok: true } | { ok: false; error: 'noteEmpty' | 'noteTooLong' };

/** The staff's side of cases: search, export, the case page and internal notes. A case not theirs is undefined (→ 404). */
export interface CaseViewService {
  search(member: StaffSession, filter: CaseSearchFilter, after?: string): Promise<CaseSearchPage>;
  /** Every case the search finds, page by page (the CSV export streams them). */
  searchAll(member: StaffSession, filter: CaseSearchFilter): AsyncGenerator<CaseSearchRow[]>;
  /** Whether the member may see the case: administrators every case, others one with a task (open or done) for them. */
  mayView(member: StaffSession, caseId: string): Promise<boolean>;
  caseFileFor(member: StaffSession, caseId: string, locale: Locale): Promise<StaffCaseFile | undefined>;
  /** The case record of a case the caller has shown the member may see (the task page: its task is theirs). */
  recordOf(caseId: string, locale: Locale): Promise<CaseRecord | undefined>;
  addNote(member: StaffSession, caseId: string, body: string): Promise<NoteResult | undefined>;
}

export interface CaseViewServiceDeps {
  search: CaseSearchRepository;
  cases: CaseRepository;
  notes: CaseNoteRepository;
  documents: DocumentRepository;
  outbox: OutboxRepository;
  catalog: CatalogService;
}

/** `after` as the search's links carry it: the last row's creation time (microseconds) and id. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)~([0-9a-f-]{36})$/;

/**
 * Who sees which case: administrators every case; everyone else (team leads included: their role is about
 * their groups) a case with a task, open or done, that the one task rule gives them.
 */
function scopeOf(member: StaffSession): CaseScope {
  return hasRole(member, 'administrator') ? { all: true } : { all: false, audience: audienceOf(actorOf(member)) };
}

function mayViewTasks(member: StaffSession, tasks: TaskRow[]): boolean {
  return hasRole(member, 'administrator') || tasks.some((task) => mayComplete(actorOf(member), task));
}

export function createCaseViewService(deps: CaseViewServiceDeps): CaseViewService {
  const { search, cases, notes, documents, outbox, catalog } = deps;

  async function page(member: StaffSession, filter: CaseSearchFilter, after: string | undefined, limit: number) {
    const cursor = after ? CURSOR.exec(after) : undefined;
    const rows = await search.search(filter, scopeOf(member), {
      after: cursor?.[1] && cursor[2] ? { createdAt: cursor[1], id: cursor[2] } : undefined,
      limit: limit + 1,
    });
    const more = rows.length > limit;
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return { rows: shown, next: more && last ? `${last.cursorAt}~${last.id}` : undefined };
  }

  /** Names of the people behind actor labels; applicants act for the case's company. */
  async function peopleOf(labels: Iterable<string>, companyName: string): Promise<Map<string, TimelinePerson>> {
    const ids = { staff: new Set<string>(), applicant: new Set<string>() };
    for (const label of labels) {
      const [kind, id] = label.split(':');
      if (id && (kind === 'staff' || kind === 'applicant')) ids[kind].add(id);
    }
    const [staffRows, userRows] = await Promise.all([
      search.staffNamed([...ids.staff]),
      search.usersNamed([...ids.applicant]),
    ]);
    return new Map<string, TimelinePerson>([
      ...staffRows.map((row): [string, TimelinePerson] => [`staff:${row.id}`, { name: row.name }]),
      ...userRows.map((row): [string, TimelinePerson] => [`applicant:${row.id}`, { name: row.name, companyName }]),
    ]);
  }

  async function record(file: CaseFile, tasks: TaskRow[], locale: Locale): Promise<CaseRecord> {
    const [version, caseDocuments] = await Promise.all([
      catalog.version(file.serviceVersionId),
      documents.listForCase(file.id),
    ]);
    const steps = version ? startStepsOf(version) : [];
    const startSections = steps.map((step) => ({
      title: steps.length > 1 ? step.title?.[locale] : undefined,
      answers: summarizeAnswers(step.form, file.variables, locale, file.variables),
    }));
    const done = tasks.filter((task) => task.status === 'completed' && task.formId && version?.forms[task.formId]);
    const answered = requestsOf(file.variables).filter((request) => request.status === 'answered' && request.answers);
    const people = await peopleOf(
      [
        ...done.flatMap((task) => (task.completedBy ? [task.completedBy] : [])),
        ...caseDocuments.map((document) => document.uploadedBy),
        ...answered.flatMap((request) => (request.closedBy ? [request.closedBy] : [])),
      ],
      file.company.name,
    );
    const taskSections = done.flatMap((task): RecordSection[] => {
      const form = task.formId ? version?.forms[task.formId] : undefined;
      // Task forms show the case's current values: a later task may have changed what an earlier one set.
      const answers = form ? summarizeAnswers(form, file.variables, locale, file.variables) : [];
      if (answers.length === 0) return [];
      const by = task.completedBy ? people.get(task.completedBy) : undefined;
      return [
        {
          title: task.name ?? task.elementId,
          completedBy: by?.name,
          completedAt: task.completedAt ?? undefined,
          answers,
        },
      ];
    });
    // A Rückfrage's form is generated from its questions (engine/case/information-request.ts): its answers are
    // in the case's `rueckfragen`, question by question.
    const rueckfrageSections = answered.map((request): RecordSection => {
      const by = request.closedBy ? people.get(request.closedBy) : undefined;
      return {
        title: request.staffTaskName ?? undefined,
        rueckfrage: request.number,
        completedBy: by ? personLabel(by, '') : undefined,
        completedAt: request.closedAt ? new Date(request.closedAt) : undefined,
        answers: request.questions.map((question, index) => ({
          key: `rueckfragen[${request.number - 1}].answers[${index}]`,
          label: question,
          value: request.answers?.[index] ?? '',
        })),
      };
    });
    const forms = version ? Object.values(version.forms) : [];
    const taskName = (taskId: string | null) => {
      const task = taskId ? tasks.find((candidate) => candidate.id === taskId) : undefined;
      return task ? (task.name ?? task.elementId) : undefined;
    };
    return {
      caseId: file.id,
      startSections,
      taskSections: [...taskSections, ...rueckfrageSections].sort(
        (a, b) => (a.completedAt?.getTime() ?? 0) - (b.completedAt?.getTime() ?? 0),
      ),
      documents: caseDocuments.map((document) => {
        const generated = document.fieldKey.startsWith('generated:');
        return {
          id: document.id,
          fileName: document.fileName,
          mediaType: document.mediaType,
          size: document.size,
          scanStatus: document.scanStatus,
          createdAt: document.createdAt,
          generated,
          field: generated ? undefined : fieldLabel(forms, document.fieldKey, locale),
          fromTask: taskName(document.taskId),
          uploadedBy: people.get(document.uploadedBy),
        };
      }),
    };
  }

  async function visibleFile(member: StaffSession, caseId: string) {
    const [file, tasks] = await Promise.all([search.caseFile(caseId), cases.tasksOfCase(caseId)]);
    if (!file || !mayViewTasks(member, tasks)) return undefined;
    return { file, tasks };
  }

  return {
    search: (member, filter, after) => page(member, filter, after, CASE_PAGE_SIZE),

    async *searchAll(member, filter) {
      let after: string | undefined;
      do {
        const found = await page(member, filter, after, EXPORT_PAGE_SIZE);
        yield found.rows;
        after = found.next;
      } while (after);
    },

    mayView: async (member, caseId) => (await visibleFile(member, caseId)) !== undefined,

    async caseFileFor(member, caseId, locale) {
      const visible = await visibleFile(member, caseId);
      if (!visible) return undefined;
      const { file, tasks } = visible;
      const [events, mails, caseNotes, caseRecord] = await Promise.all([
        cases.events(caseId),
        outbox.listForCase(caseId),
        notes.ofCase(caseId),
        record(file, tasks, locale),
      ]);
      const open = tasks.filter((task) => task.status === 'open');
      const submittedBy = `applicant:${file.contact.id}`;
      const people = await peopleOf(
        [
          submittedBy,
          ...tasks.flatMap((task) => (task.completedBy ? [task.completedBy] : [])),
          // Who asked or answered a Rückfrage is named by the trail only.
          ...events.map((event) => event.actor),
        ],
        file.company.name,
      );
      const assignees = await search.staffNamed(open.flatMap((task) => (task.assignee ? [task.assignee] : [])));
      const assigneeName = (assignee: string) =>
        assignees.find((row) => row.id === assignee || row.email === assignee)?.name ?? assignee;
      return {
        file,
        record: caseRecord,
        events,
        mails,
        openTasks: open.map((task) => ({
          id: task.id,
          name: task.name ?? task.elementId,
          candidateGroups: task.candidateGroups,
          assignee: task.assignee ? assigneeName(task.assignee) : undefined,
          dueDate: task.dueDate,
          forApplicant: task.candidateGroups.includes('applicant'),
        })),
        timeline: caseTimeline({
          submitted: { at: file.createdAt, by: submittedBy },
          events,
          tasks,
          mails,
          notes: caseNotes,
          people,
        }),
      };
    },

    async recordOf(caseId, locale) {
      const [file, tasks] = await Promise.all([search.caseFile(caseId), cases.tasksOfCase(caseId)]);
      return file ? record(file, tasks, locale) : undefined;
    },

    async addNote(member, caseId, body) {
      if (!(await visibleFile(member, caseId))) return undefined;
      const text = body.trim();
      if (text === '') return { ok: false, error: 'noteEmpty' };
      if (text.length > NOTE_MAX_LENGTH) return { ok: false, error: 'noteTooLong' };
      await notes.add({ caseId, staffId: member.staffId, authorName: member.name, body: text });
      return { ok: true };
    },
  };
}

/** The label of the field a document was uploaded through, in any of the version's forms. */
function fieldLabel(forms: FormSchema[], fieldKey: string, locale: Locale): string | undefined {
  for (const form of forms) {
    const component = allComponents(localizeForm(form, locale).components).find(
      (candidate) => isKeyedComponent(candidate) && candidate.key === fieldKey,
    );
    if (component) return labelOf(component);
  }
  return undefined;
}
