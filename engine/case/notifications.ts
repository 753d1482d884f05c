/**
 * Which mails a case's steps cause for its company (issue 11, ADR 0030). Pure: the projection activity and the
 * deadline sweep ask here, then render (engine/mail/notification-templates.ts) and send to every member.
 */
import type { CaseProjection } from '../activities/types.js';
import { APPLICANT_GROUP } from '../model/process-model.js';
import { WITHDRAWN_BY_VARIABLE } from './withdrawal.js';

export const NOTIFICATION_KINDS = [
  'submitted',
  'taskOpened',
  'message',
  'caseEnded',
  'caseWithdrawn',
  'deadline',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds a user may switch off; every other kind is part of the case and always sent. */
export const OPTIONAL_NOTIFICATIONS = ['message', 'deadline'] as const satisfies readonly NotificationKind[];
export type OptionalNotification = (typeof OPTIONAL_NOTIFICATIONS)[number];

export const isOptionalNotification = (kind: string): kind is OptionalNotification =>
  (OPTIONAL_NOTIFICATIONS as readonly string[]).includes(kind);

/** A deadline reminder goes out once a company task is due within this long. */
export const DEADLINE_REMINDER_MS = 2 * 24 * 60 * 60_000;

export interface CaseNotification {
  kind: NotificationKind;
  /** Names the event: with the recipient it is the mail's idempotency key, so a replayed step mails nobody twice. */
  eventKey: string;
  /** taskOpened, deadline: the company task's name as the model gives it. */
  taskName?: string;
  /** deadline: when the task is due (ISO). */
  dueDate?: string;
}

/** The notifications one projected step causes: the case's start (submission), company tasks that opened, its end. */
export function notificationsOfStep(step: CaseProjection): CaseNotification[] {
  const planned: CaseNotification[] = [];
  // The interpreter's first step is the start: seq 1 exists once per case.
  if (step.seq === 1) planned.push({ kind: 'submitted', eventKey: `submitted:${step.caseId}` });
  for (const task of step.openedTasks) {
    if (!task.candidateGroups.includes(APPLICANT_GROUP)) continue;
    planned.push({
      kind: 'taskOpened',
      eventKey: `taskOpened:${step.caseId}:${task.tokenId}:${step.seq}`,
      ...(task.name !== undefined && { taskName: task.name }),
    });
  }
  if (step.status === 'completed' && step.audit.some((entry) => entry.type === 'caseCompleted')) {
    // The withdrawal message brings who withdrew into the case (ADR 0029): a case ending with it was withdrawn.
    const withdrawn = typeof step.variables[WITHDRAWN_BY_VARIABLE] === 'string';
    planned.push({ kind: withdrawn ? 'caseWithdrawn' : 'caseEnded', eventKey: `ended:${step.caseId}` });
  }
  return planned;
}

export interface OpenCompanyTask {
  id: string;
  name: string | null;
  dueDate: Date;
}

/** The open company tasks whose deadline reminder is due at `now`: due within two days and not yet past. */
export function deadlineRemindersDue(tasks: readonly OpenCompanyTask[], now: Date): CaseNotification[] {
  return tasks
    .filter((task) => task.dueDate > now && task.dueDate.getTime() - now.getTime() <= DEADLINE_REMINDER_MS)
    .map((task) => ({
      kind: 'deadline' as const,
      eventKey: `deadline:${task.id}`,
      ...(task.name !== null && { taskName: task.name }),
      dueDate: task.dueDate.toISOString(),
    }));
}

export interface NotificationRecipient {
  userId: string;
  email: string;
  name: string;
  language: 'de' | 'en';
  optOuts: readonly string[];
}

/** Every member of the company gets the mail, except those who switched off an optional kind. */
export function recipientsOf(
  kind: NotificationKind,
  members: readonly NotificationRecipient[],
): NotificationRecipient[] {
  return members.filter((member) => !(isOptionalNotification(kind) && member.optOuts.includes(kind)));
}

/** One mail per event and recipient, however often the step is projected or the sweep runs. */
export const notificationMailKey = (eventKey: string, userId: string) => `notification:${eventKey}:${userId}`;
