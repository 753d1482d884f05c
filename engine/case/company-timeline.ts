/**
 * The timeline a company reads on its case page (pure): who of its members submitted the case, completed a task,
 * answered a Rückfrage, wrote a message or withdrew the case; what the agency did, as the agency; and each public
 * status the case reached. Staff are never named here (ADR 0033): the staff timeline (timeline.ts) names them for
 * staff; the company meets a caseworker by name only in the message thread, where they wrote themselves. The
 * words are the web layer's (i18n keys `mycases.timeline.<kind>`).
 */
import { APPLICANT_GROUP } from '../model/process-model.js';
import { isRequestToken } from './information-request.js';
import { publicStatusLabel, type StatusLabel } from './public-status.js';

/** Who acted, as the company sees it: one of its members (by name; undefined once the account is gone) or the agency. */
export type CompanyTimelineParty = { kind: 'member'; name: string | undefined } | { kind: 'agency' };

export interface CompanyTimelineInput {
  /** When and by whom (`applicant:<user id>`) the case was submitted. */
  submitted: { at: Date; by: string };
  /** The audit trail in order (seq, position). */
  events: readonly { type: string; publicStatus: string | null; actor: string; at: Date; detail: string | null }[];
  tasks: readonly {
    tokenId: string;
    name: string | null;
    elementId: string;
    candidateGroups: readonly string[];
    status: string;
    completedAt: Date | null;
    completedBy: string | null;
  }[];
  messages: readonly { side: 'company' | 'staff'; author: string; createdAt: Date }[];
  /** The service's public status labels (service.json `statusLabels`). */
  statusLabels: unknown;
  /** Names of the company's users by actor label (`applicant:<id>`). */
  members: ReadonlyMap<string, string>;
}

export type CompanyTimelineItem = { at: Date } & (
  | { kind: 'submitted'; by: CompanyTimelineParty }
  | { kind: 'status'; label: StatusLabel }
  | { kind: 'taskCompleted'; by: CompanyTimelineParty; task: string }
  | { kind: 'rueckfrageAsked'; deadline: string }
  | { kind: 'rueckfrageAnswered'; by: CompanyTimelineParty }
  | { kind: 'rueckfrageWithdrawn' }
  | { kind: 'rueckfrageExpired' }
  | { kind: 'message'; by: CompanyTimelineParty }
  | { kind: 'withdrawn'; by: CompanyTimelineParty }
);

/** The case's story for its company, oldest first; at the same moment: submission, tasks, trail, messages. */
export function companyTimeline(input: CompanyTimelineInput): CompanyTimelineItem[] {
  const party = (label: string | null, keptName?: string | null): CompanyTimelineParty =>
    label?.startsWith('applicant:')
      ? { kind: 'member', name: input.members.get(label) ?? (keptName || undefined) }
      : { kind: 'agency' };
  const items: CompanyTimelineItem[] = [{ kind: 'submitted', at: input.submitted.at, by: party(input.submitted.by) }];

  // Only the company's own tasks: what staff do inside the agency is told by the statuses the model shows.
  for (const task of input.tasks) {
    if (task.status !== 'completed' || !task.completedAt || isRequestToken(task.tokenId)) continue;
    if (!task.candidateGroups.includes(APPLICANT_GROUP)) continue;
    items.push({
      kind: 'taskCompleted',
      at: task.completedAt,
      task: task.name ?? task.elementId,
      by: party(task.completedBy),
    });
  }

  let status: string | undefined;
  for (const event of input.events) {
    if (event.type === 'elementEntered' && event.publicStatus && event.publicStatus !== status) {
      status = event.publicStatus;
      items.push({ kind: 'status', at: event.at, label: publicStatusLabel(status, input.statusLabels) });
    } else if (event.type === 'informationRequested') {
      // The trail's detail reads "bis 21.12.2026".
      items.push({ kind: 'rueckfrageAsked', at: event.at, deadline: event.detail?.replace(/^bis /, '') ?? '' });
    } else if (event.type === 'informationAnswered') {
      items.push({ kind: 'rueckfrageAnswered', at: event.at, by: party(event.actor) });
    } else if (event.type === 'informationRequestWithdrawn') {
      items.push({ kind: 'rueckfrageWithdrawn', at: event.at });
    } else if (event.type === 'informationRequestExpired') {
      items.push({ kind: 'rueckfrageExpired', at: event.at });
    } else if (event.type === 'caseWithdrawn') {
      // The trail keeps the name of who withdrew (engine/case/withdrawal.ts), for when the account is gone.
      items.push({ kind: 'withdrawn', at: event.at, by: party(event.actor, event.detail) });
    }
  }

  for (const message of input.messages) {
    items.push({
      kind: 'message',
      at: message.createdAt,
      by: message.side === 'company' ? party(message.author) : { kind: 'agency' },
    });
  }

  // Array.prototype.sort is stable: equal times keep the order pushed above.
  return items.sort((a, b) => a.at.getTime() - b.at.getTime());
}
