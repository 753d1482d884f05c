import { describe, expect, it } from 'vitest';
import type { CaseProjection, OpenedTask } from '../activities/types.js';
import {
  deadlineRemindersDue,
  notificationMailKey,
  notificationsOfStep,
  recipientsOf,
  type NotificationRecipient,
} from './notifications.js';

const step = (overrides: Partial<CaseProjection>): CaseProjection => ({
  caseId: 'c1',
  seq: 4,
  at: '2026-12-08T10:00:00.000Z',
  status: 'active',
  activeElementIds: [],
  variables: {},
  openedTasks: [],
  closedTasks: [],
  openedSubscriptions: [],
  closedSubscriptionIds: [],
  incidents: [],
  audit: [],
  ...overrides,
});
const task = (tokenId: string, candidateGroups: string[], name?: string): OpenedTask => ({
  tokenId,
  elementId: `Task_${tokenId}`,
  candidateGroups,
  candidateUsers: [],
  ...(name && { name }),
});

describe('the notifications of a projected step', () => {
  it('announce the submission on the first step only', () => {
    expect(notificationsOfStep(step({ seq: 1 }))).toEqual([{ kind: 'submitted', eventKey: 'submitted:c1' }]);
    expect(notificationsOfStep(step({ seq: 2 }))).toEqual([]);
  });

  it('announce company tasks that opened, not staff tasks', () => {
    const planned = notificationsOfStep(
      step({ openedTasks: [task('t1', ['applicant'], 'Rückfrage beantworten'), task('t2', ['sachbearbeitung'])] }),
    );
    expect(planned).toEqual([
      { kind: 'taskOpened', eventKey: 'taskOpened:c1:t1:4', taskName: 'Rückfrage beantworten' },
    ]);
  });

  it('announce the end of the case in the step that completes it; a withdrawn case gets the confirmation', () => {
    const ending = { status: 'completed' as const, audit: [{ type: 'caseCompleted' as const, actor: 'x', at: 'now' }] };
    expect(notificationsOfStep(step(ending))).toEqual([{ kind: 'caseEnded', eventKey: 'ended:c1' }]);
    expect(notificationsOfStep(step({ ...ending, variables: { withdrawnBy: 'Anna Schmidt' } }))).toEqual([
      { kind: 'caseWithdrawn', eventKey: 'ended:c1' },
    ]);
    // A later projection of a finished case (no caseCompleted entry) says nothing again.
    expect(notificationsOfStep(step({ status: 'completed' }))).toEqual([]);
  });
});

describe('deadline reminders', () => {
  const now = new Date('2026-12-08T10:00:00.000Z');
  const due = (id: string, iso: string) => ({ id, name: 'Unterlagen', dueDate: new Date(iso) });

  it('are due for open company tasks due within two days and not yet past', () => {
    const planned = deadlineRemindersDue(
      [
        due('tomorrow', '2026-12-09T10:00:00.000Z'),
        due('in-two-days', '2026-12-10T10:00:00.000Z'),
        due('in-three-days', '2026-12-11T10:00:00.000Z'),
        due('past', '2026-12-08T09:59:59.000Z'),
      ],
      now,
    );
    expect(planned.map((reminder) => reminder.eventKey)).toEqual(['deadline:tomorrow', 'deadline:in-two-days']);
    expect(planned[0]).toMatchObject({ kind: 'deadline', taskName: 'Unterlagen', dueDate: '2026-12-09T10:00:00.000Z' });
  });
});

describe('the recipients', () => {
  const member = (userId: string, optOuts: string[]): NotificationRecipient => ({
    userId,
    email: `${userId}@example.org`,
    name: userId,
    language: 'de',
    optOuts,
  });
  const members = [member('anna', []), member('ben', ['message', 'deadline'])];

  it('are every member for an essential kind, even one who switched the optional kinds off', () => {
    expect(recipientsOf('submitted', members).map((m) => m.userId)).toEqual(['anna', 'ben']);
    expect(recipientsOf('caseEnded', members).map((m) => m.userId)).toEqual(['anna', 'ben']);
  });

  it('leave out who switched an optional kind off', () => {
    expect(recipientsOf('message', members).map((m) => m.userId)).toEqual(['anna']);
    expect(recipientsOf('deadline', members).map((m) => m.userId)).toEqual(['anna']);
  });

  it('get one mail per event each', () => {
    expect(notificationMailKey('submitted:c1', 'anna')).toBe('notification:submitted:c1:anna');
  });
});
