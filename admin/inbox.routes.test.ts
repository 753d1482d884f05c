import { describe, expect, it } from 'vitest';
import { dueText } from './inbox.routes.js';

describe('dueText', () => {
  it.each([
    [{ kind: 'overdue', daysOverdue: 3 } as const, 'de', 'überfällig seit 3 Tagen', 'overdue'],
    [{ kind: 'overdue', daysOverdue: 1 } as const, 'de', 'überfällig seit 1 Tag', 'overdue'],
    [{ kind: 'overdue', daysOverdue: 0 } as const, 'de', 'überfällig seit heute', 'overdue'],
    [{ kind: 'soon', daysLeft: 0 } as const, 'de', 'fällig heute', 'soon'],
    [{ kind: 'soon', daysLeft: 1 } as const, 'de', 'fällig morgen', 'soon'],
    [{ kind: 'soon', daysLeft: 2 } as const, 'de', 'fällig in 2 Tagen', 'soon'],
    [{ kind: 'overdue', daysOverdue: 3 } as const, 'en', 'overdue by 3 days', 'overdue'],
    [{ kind: 'soon', daysLeft: 1 } as const, 'en', 'due tomorrow', 'soon'],
  ])('%j in %s reads "%s"', (urgency, locale, text, tone) => {
    expect(dueText(urgency, locale)).toEqual({ text, tone });
  });

  it('says nothing for a due date further away or none', () => {
    expect(dueText({ kind: 'later', daysLeft: 5 }, 'de')).toBeUndefined();
    expect(dueText(undefined, 'de')).toBeUndefined();
  });
});
