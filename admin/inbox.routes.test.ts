import { describe, expect, it } from 'vitest';
import { dueText } from './inbox.routes.js';

describe('dueText', () => {
  it.each([
    [{ kind: 'overdue', daysOverdue: 3 }, 'de', 'überfällig seit 3 Tagen', 'overdue'],
    [{ kind: 'overdue', daysOverdue: 1 }, 'de', 'überfällig seit 1 Tag', 'overdue'],
    [{ kind: 'overdue', daysOverdue: 0 }, 'de', 'überfällig seit heute', 'overdue'],
    [{ kind: 'soon', daysLeft: 0 }, 'de', 'fällig heute', 'soon'],
    [{ kind: 'soon', daysLeft: 1 }, 'de', 'fällig morgen', 'soon'],
    [{ kind: 'soon', daysLeft: 2 }, 'de', 'fällig in 2 Tagen', 'soon'],
    [{ kind: 'overdue', daysOverdue: 3 }, 'en', 'overdue by 3 days', 'overdue'],
    [{ kind: 'soon', daysLeft: 1 }, 'en', 'due tomorrow', 'soon'],
  ] as const)('%j in %s reads "%s"', (urgency, locale, text, tone) => {
    expect(dueText(urgency, locale)).toEqual({ text, tone });
  });

  it('says nothing for a due date further away or none', () => {
    expect(dueText({ kind: 'later', daysLeft: 5 }, 'de')).toBeUndefined();
    expect(dueText(undefined, 'de')).toBeUndefined();
  });
});
