/**
 * The staff timeline of a case, written for people (pure): who submitted it, who completed which task,
 * which status the case reached, which mails went out, the internal notes, failures and the end. Built
 * from the audit trail, the tasks, the mails and the notes; the words are the web layer's (i18n keys
 * `timeline.<kind>`), names come resolved in `people`.
 */
import { isRequestToken } from './information-request.js';

/** A person behind an actor label; applicants with their company. */
export interface TimelinePerson {
  name: string;
  companyName?: string;
}

export interface TimelineInput {
  /** The case row: when and by whom (`applicant:<user id>`) it was submitted. */
  submitted: { at: Date; by: string };
  /** The audit trail in order (seq, position). */
  events: readonly {
    type: string;
    elementName: string | null;
    elementId: string | null;
    publicStatus: string | null;
    actor: string;
    at: Date;
    detail: string | null;
  }[];
  tasks: readonly {
    tokenId: string;
    name: string | null;
    elementId: string;
    status: string;
    completedAt: Date | null;
    completedBy: string | null;
  }[];
  mails: readonly { subject: string; recipient: string; createdAt: Date; sentAt: Date | null }[];
  notes: readonly { authorName: string; body: string; createdAt: Date }[];
  /** Names by actor label (`staff:<id>`, `applicant:<id>`); a label not found here is the system. */
  people: ReadonlyMap<string, TimelinePerson>;
}

export type TimelineItem = { at: Date } & (
  | { kind: 'submitted'; actor: TimelinePerson | undefined }
  | { kind: 'taskCompleted'; actor: TimelinePerson | undefined; task: string }
  | { kind: 'taskCancelled'; task: string }
  | { kind: 'status'; status: string }
  | { kind: 'mail'; subject: string; recipient: string }
  | { kind: 'note'; author: string; body: string }
  | { kind: 'incident'; element: string }
  | { kind: 'incidentResolved'; element: string }
  | { kind: 'completed' }
  | { kind: 'rueckfrageAsked'; actor: TimelinePerson | undefined; task: string; deadline: string }
  | { kind: 'rueckfrageAnswered'; actor: TimelinePerson | undefined }
  | { kind: 'rueckfrageWithdrawn'; actor: TimelinePerson | undefined }
  | { kind: 'rueckfrageExpired' }
  | { kind: 'rueckfrageCancelled' }
  /** The company withdrew the case (engine/case/withdrawal.ts); `name`: as the trail kept it, if the user is gone. */
  | { kind: 'withdrawn'; actor: TimelinePerson | undefined; name: string }
  /** Moved to a newer version of its service (engine/case/migration.ts). */
  | { kind: 'migrated'; actor: TimelinePerson | undefined; from: string; to: string }
);

/** The case's story, oldest first; at the same moment: submission, tasks, trail, mails, notes. */
export function caseTimeline(input: TimelineInput): TimelineItem[] {
  const person = (label: string | null) => (label ? input.people.get(label) : undefined);
  const items: TimelineItem[] = [{ kind: 'submitted', at: input.submitted.at, actor: person(input.submitted.by) }];

  // A task's completion is told before the status it led to (the same step, the same moment).
  for (const task of input.tasks) {
    // A Rückfrage's company task is told by its own trail entries below (asked, answered, withdrawn, …).
    if (!task.completedAt || isRequestToken(task.tokenId)) continue;
    const name = task.name ?? task.elementId;
    items.push(
      task.status === 'cancelled'
        ? { kind: 'taskCancelled', at: task.completedAt, task: name }
        : { kind: 'taskCompleted', at: task.completedAt, task: name, actor: person(task.completedBy) },
    );
  }
  let status: string | undefined;
  for (const event of input.events) {
    const element = event.elementName ?? event.elementId ?? '';
    if (event.type === 'elementEntered' && event.publicStatus && event.publicStatus !== status) {
      status = event.publicStatus;
      items.push({ kind: 'status', at: event.at, status });
    } else if (event.type === 'incidentRaised') items.push({ kind: 'incident', at: event.at, element });
    else if (event.type === 'incidentResolved') items.push({ kind: 'incidentResolved', at: event.at, element });
    else if (event.type === 'caseCompleted') items.push({ kind: 'completed', at: event.at });
    else if (event.type === 'informationRequested') {
      // The trail's detail reads "bis 21.12.2026": the deadline, in the agency's words.
      const deadline = event.detail?.replace(/^bis /, '') ?? '';
      items.push({ kind: 'rueckfrageAsked', at: event.at, actor: person(event.actor), task: element, deadline });
    } else if (event.type === 'informationAnswered') {
      items.push({ kind: 'rueckfrageAnswered', at: event.at, actor: person(event.actor) });
    } else if (event.type === 'informationRequestWithdrawn') {
      items.push({ kind: 'rueckfrageWithdrawn', at: event.at, actor: person(event.actor) });
    } else if (event.type === 'informationRequestExpired') items.push({ kind: 'rueckfrageExpired', at: event.at });
    else if (event.type === 'informationRequestCancelled') items.push({ kind: 'rueckfrageCancelled', at: event.at });
    else if (event.type === 'caseWithdrawn') {
      items.push({ kind: 'withdrawn', at: event.at, actor: person(event.actor), name: event.detail ?? '' });
    } else if (event.type === 'caseMigrated') {
      // The trail's detail reads "Version 1 → 2".
      const [, from = '', to = ''] = /(\d+) → (\d+)/.exec(event.detail ?? '') ?? [];
      items.push({ kind: 'migrated', at: event.at, actor: person(event.actor), from, to });
    }
  }

  for (const mail of input.mails) {
    items.push({ kind: 'mail', at: mail.sentAt ?? mail.createdAt, subject: mail.subject, recipient: mail.recipient });
  }
  for (const note of input.notes) {
    items.push({ kind: 'note', at: note.createdAt, author: note.authorName, body: note.body });
  }

  // Array.prototype.sort is stable: equal times keep the order pushed above.
  return items.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** How the timeline names a person: "Anna Schmidt (Schmidt Metallbau GmbH)"; undefined is the system. */
export function personLabel(person: TimelinePerson | undefined, system: string): string {
  if (!person) return system;
  return person.companyName ? `${person.name} (${person.companyName})` : person.name;
}
