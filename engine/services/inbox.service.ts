import { actorOf, audienceOf, mayComplete } from '../case/task-completion.js';
import type { CaseRepository, TaskRow } from '../repositories/case.repository.js';
import type { InboxCriteria, InboxRepository, InboxView, InboxViewer } from '../repositories/inbox.repository.js';
import type { SavedFilterRepository } from '../repositories/saved-filter.repository.js';
import { hasRole, type StaffSession } from './auth.service.js';
import {
  INBOX_PAGE_SIZE,
  containsPattern,
  decodeCursor,
  dueRange,
  dueUrgency,
  encodeCursor,
  parseInboxQuery,
  prefixTsQuery,
  priorityLevel,
  savedFilterSearch,
  sortValueOf,
  type DueUrgency,
  type InboxQuery,
  type PriorityLevel,
  type RejectedParameter,
} from './inbox-query.js';
import { agencyToday } from './today.js';

export type { InboxView };

type ListedRow = Awaited<ReturnType<InboxRepository['list']>>[number];
export interface Colleague {
  name: string;
  email: string;
}

/** A row of the list, with what its buttons may do for this member. */
export interface InboxRow extends ListedRow {
  urgency: DueUrgency | undefined;
  priorityLevel: PriorityLevel;
  /** Assigned to this member (or to a colleague they stand in for today). */
  mine: boolean;
  canClaim: boolean;
  canUnclaim: boolean;
  /** Team leads: whom the task may be assigned to; empty otherwise. */
  assignTo: Colleague[];
}

/** Everything the inbox page shows, for one query. */
export interface InboxPage {
  query: InboxQuery;
  /** The view shown: the query's, or the default (mine if any, else my groups'). */
  view: InboxView;
  rejected: RejectedParameter[];
  counts: Record<InboxView, number>;
  rows: InboxRow[];
  /** The cursor of the next page, when there is one. */
  next: string | undefined;
  services: Awaited<ReturnType<InboxRepository['services']>>;
  /** Colleagues of the member's groups, for the assignee filter. */
  colleagues: Colleague[];
  savedFilters: (Awaited<ReturnType<SavedFilterRepository['visibleTo']>>[number] & { own: boolean })[];
  /** The member's groups with names: whom a saved filter can be shared with. */
  groups: { id: string; name: string }[];
}

/** How a task stands for the member looking at it: the task page's assignment box. */
export interface TaskAssignment {
  assignee: string | null;
  assigneeName: string | undefined;
  mine: boolean;
  canClaim: boolean;
  canUnclaim: boolean;
  assignTo: Colleague[];
}

/** Why a claim, release or assignment did not happen (undefined results are 404: the task is not the member's). */
export type AssignmentOutcome =
  | { ok: true; task: TaskRow }
  | { ok: false; reason: 'taken'; task: TaskRow; holder: string }
  | { ok: false; reason: 'notOpen'; task: TaskRow }
  | { ok: false; reason: 'notEligible'; task: TaskRow };

export type SaveFilterOutcome = { ok: true; query: string } | { ok: false; errors: { name?: string; group?: string } };

export const SAVED_FILTER_NAME_LIMIT = 80;

export interface InboxService {
  /** The page of `/staff/tasks` for these query parameters at `now`. */
  page(member: StaffSession, params: Record<string, unknown>, now?: Date): Promise<InboxPage>;
  /** The task page's assignment box, for a task the member may see. */
  assignmentOf(member: StaffSession, task: TaskRow, now?: Date): Promise<TaskAssignment>;
  /** Takes an unassigned task (or one of an away colleague the member stands in for): atomic, one winner. */
  claim(member: StaffSession, taskId: string, now?: Date): Promise<AssignmentOutcome | undefined>;
  /** Gives a task back to its groups: only its assignee, or a team lead. */
  unclaim(member: StaffSession, taskId: string): Promise<AssignmentOutcome | undefined>;
  /** Team leads: assigns a task to a colleague of one of its candidate groups (undefined for anyone else). */
  assign(member: StaffSession, taskId: string, email: string): Promise<AssignmentOutcome | undefined>;
  /** Saves the query (validated again, without its page position) under a name, optionally for a group. */
  saveFilter(
    member: StaffSession,
    input: { name: unknown; query: unknown; group: unknown },
  ): Promise<SaveFilterOutcome>;
  /** Deletes one of the member's own saved filters; false when there is none of theirs by that id. */
  deleteFilter(member: StaffSession, filterId: string): Promise<boolean>;
}

export interface InboxServiceDeps {
  inbox: InboxRepository;
  cases: CaseRepository;
  savedFilters: SavedFilterRepository;
}

export function createInboxService(deps: InboxServiceDeps): InboxService {
  const { inbox, cases, savedFilters } = deps;

  const viewerOf = (member: StaffSession, now: Date): InboxViewer => ({
    staffId: member.staffId,
    audience: audienceOf(actorOf(member)),
    today: agencyToday(now),
  });

  /** The task, if the member may complete it (the task rule); a task of another department is not there (404). */
  async function visibleTask(member: StaffSession, taskId: string): Promise<TaskRow | undefined> {
    const task = await cases.findTask(taskId);
    return task && mayComplete(actorOf(member), task) ? task : undefined;
  }

  async function holderName(assignee: string): Promise<string> {
    return (await inbox.staffName(assignee)) ?? assignee;
  }

  /** Why an assignment change did not apply, read after the fact. */
  async function refusal(taskId: string, fallback: TaskRow): Promise<AssignmentOutcome> {
    const current = (await cases.findTask(taskId)) ?? fallback;
    if (current.status !== 'open') return { ok: false, reason: 'notOpen', task: current };
    if (current.assignee)
      return { ok: false, reason: 'taken', task: current, holder: await holderName(current.assignee) };
    return { ok: true, task: current };
  }

  /** Who may take the task: members of its candidate groups and its candidate users. */
  const eligible = (task: Pick<TaskRow, 'candidateGroups' | 'candidateUsers'>, colleagues: ColleagueWithGroups[]) =>
    colleagues
      .filter(
        (colleague) =>
          colleague.groups.some((group) => task.candidateGroups.includes(group)) ||
          task.candidateUsers.includes(colleague.email),
      )
      .map(({ name, email }) => ({ name, email }));

  function criteriaOf(query: InboxQuery, view: InboxView, names: string[], now: Date): InboxCriteria {
    const criteria: InboxCriteria = { view };
    if (query.service) criteria.serviceSlug = query.service;
    if (query.task) criteria.taskNameLike = containsPattern(query.task);
    if (query.company) criteria.companyLike = containsPattern(query.company);
    if (query.due) criteria.due = dueRange(query.due, now);
    if (query.status) criteria.waiting = query.status === 'waiting';
    if (query.assignee) {
      criteria.assignees = query.assignee === 'none' ? null : query.assignee === 'me' ? names : [query.assignee];
    }
    if (query.q) criteria.text = { raw: query.q, tsQuery: prefixTsQuery(query.q), like: containsPattern(query.q) };
    return criteria;
  }

  return {
    async page(member, params, now = new Date()) {
      const { query, rejected } = parseInboxQuery(params);
      const viewer = viewerOf(member, now);
      const [counts, represented] = await Promise.all([
        inbox.counts(viewer),
        inbox.represented(member.staffId, viewer.today),
      ]);
      const view = query.view ?? (counts.mine > 0 ? 'mine' : 'groups');
      const after = decodeCursor(query.after, query.sort, query.dir);
      const listed = await inbox.list(viewer, criteriaOf(query, view, viewer.audience.names, now), {
        sort: query.sort,
        dir: query.dir,
        after,
        limit: INBOX_PAGE_SIZE + 1,
      });
      const shown = listed.slice(0, INBOX_PAGE_SIZE);
      const last = listed.length > INBOX_PAGE_SIZE ? shown.at(-1) : undefined;
      const teamLead = hasRole(member, 'team_lead');
      const candidateGroups = teamLead ? [...new Set(shown.flatMap((row) => row.task.candidateGroups))] : [];
      const [assignable, colleagues, services, filters, groups] = await Promise.all([
        inbox.colleagues(candidateGroups),
        inbox.colleagues(member.groups),
        inbox.services(),
        savedFilters.visibleTo(member.staffId, member.groups),
        inbox.groupNames(member.groups),
      ]);
      const ownNames = new Set([...viewer.audience.names, ...represented]);
      return {
        query,
        view,
        rejected,
        counts,
        rows: shown.map((row) => {
          const mine = row.task.assignee !== null && ownNames.has(row.task.assignee);
          const byOther = row.task.assignee !== null && !mine;
          return {
            ...row,
            // A task waiting for the company's answer has its due date paused: nothing to stand out for.
            urgency: row.task.dueDate && !row.task.waitingSince ? dueUrgency(row.task.dueDate, now) : undefined,
            priorityLevel: priorityLevel(row.task.priority),
            mine,
            canClaim:
              row.task.assignee === null ||
              (represented.includes(row.task.assignee) && !viewer.audience.names.includes(row.task.assignee)),
            canUnclaim: (mine && !represented.includes(row.task.assignee ?? '')) || (byOther && teamLead),
            assignTo: teamLead ? eligible(row.task, assignable) : [],
          };
        }),
        next: last
          ? encodeCursor(query.sort, query.dir, { value: sortValueOf(last.task, query.sort), id: last.task.id })
          : undefined,
        services,
        colleagues: colleagues.map(({ name, email }) => ({ name, email })),
        savedFilters: filters.map((filter) => ({ ...filter, own: filter.staffId === member.staffId })),
        groups,
      };
    },

    async assignmentOf(member, task, now = new Date()) {
      const names = audienceOf(actorOf(member)).names;
      const represented = await inbox.represented(member.staffId, agencyToday(now));
      const teamLead = hasRole(member, 'team_lead');
      const assignee = task.assignee;
      const mine = assignee !== null && (names.includes(assignee) || represented.includes(assignee));
      const open = task.status === 'open';
      return {
        assignee,
        assigneeName: assignee ? await holderName(assignee) : undefined,
        mine,
        canClaim: open && (assignee === null || (represented.includes(assignee) && !names.includes(assignee))),
        canUnclaim: open && assignee !== null && (names.includes(assignee) || (teamLead && !mine)),
        assignTo:
          open && teamLead
            ? await inbox
                .eligibleAssignees(task.candidateGroups, task.candidateUsers)
                .then((rows) => rows.map(({ name, email }) => ({ name, email })))
            : [],
      };
    },

    async claim(member, taskId, now = new Date()) {
      const task = await visibleTask(member, taskId);
      if (!task) return undefined;
      const represented = await inbox.represented(member.staffId, agencyToday(now));
      // The conditional UPDATE decides; whatever was read above may be stale by now.
      const claimed = await cases.claimTask(taskId, member.email, represented);
      return claimed ? { ok: true, task: claimed } : refusal(taskId, task);
    },

    async unclaim(member, taskId) {
      const task = await visibleTask(member, taskId);
      if (!task) return undefined;
      if (task.status !== 'open') return { ok: false, reason: 'notOpen', task };
      if (task.assignee === null) return { ok: true, task };
      const own = audienceOf(actorOf(member)).names.includes(task.assignee);
      if (!own && !hasRole(member, 'team_lead')) {
        return { ok: false, reason: 'taken', task, holder: await holderName(task.assignee) };
      }
      // The assignee releases only their own claim: if a team lead reassigned it meanwhile, it stays.
      const released = await cases.unclaimTask(taskId, own ? task.assignee : undefined);
      return released ? { ok: true, task: released } : refusal(taskId, task);
    },

    async assign(member, taskId, email) {
      if (!hasRole(member, 'team_lead')) return undefined;
      const task = await visibleTask(member, taskId);
      if (!task) return undefined;
      if (task.status !== 'open') return { ok: false, reason: 'notOpen', task };
      const candidates = await inbox.eligibleAssignees(task.candidateGroups, task.candidateUsers);
      const target = candidates.find((candidate) => candidate.email === email.trim().toLowerCase());
      if (!target) return { ok: false, reason: 'notEligible', task };
      const assigned = await cases.assignTask(taskId, target.email);
      return assigned ? { ok: true, task: assigned } : { ok: false, reason: 'notOpen', task };
    },

    async saveFilter(member, input) {
      const errors: { name?: string; group?: string } = {};
      const name = typeof input.name === 'string' ? input.name.trim() : '';
      if (name === '') errors.name = 'required';
      else if (name.length > SAVED_FILTER_NAME_LIMIT) errors.name = 'tooLong';
      const group = typeof input.group === 'string' && input.group !== '' ? input.group : undefined;
      if (group !== undefined && !member.groups.includes(group)) errors.group = 'notYours';
      if (errors.name || errors.group) return { ok: false, errors };
      const params = Object.fromEntries(new URLSearchParams(typeof input.query === 'string' ? input.query : ''));
      // Only what validates is kept, in canonical form: the stored query is re-validated when applied anyway.
      const query = savedFilterSearch(parseInboxQuery(params).query);
      await savedFilters.save({ staffId: member.staffId, name, query, sharedWithGroupId: group });
      return { ok: true, query };
    },

    deleteFilter: (member, filterId) => savedFilters.remove(filterId, member.staffId),
  };
}

type ColleagueWithGroups = Awaited<ReturnType<InboxRepository['colleagues']>>[number];
