import { describe, expect, it } from 'vitest';
import { isMailLanguage, settingsFormOf } from './notification-settings.service.js';

describe('the notification settings form', () => {
  it.each([
    ['one box ticked', { language: 'en', receive: 'deadline' }, { message: false, deadline: true }],
    ['both ticked', { language: 'de', receive: ['message', 'deadline'] }, { message: true, deadline: true }],
    ['none ticked', { language: 'de' }, { message: false, deadline: false }],
    [
      'an essential kind is no box',
      { language: 'de', receive: ['submitted', 'caseEnded'] },
      { message: false, deadline: false },
    ],
    [
      'a forged value is ignored',
      { language: 'de', receive: [{ x: 1 }, 'message'] },
      { message: true, deadline: false },
    ],
  ])('reads %s', (_case, input, receive) => {
    expect(settingsFormOf(input).receive).toEqual(receive);
  });

  it('keeps the language as sent, trimmed, so a refused one is shown again', () => {
    expect(settingsFormOf({ language: ' fr ' }).language).toBe('fr');
    expect(settingsFormOf({ language: ['de', 'en'] }).language).toBe('');
  });

  it('knows German and English only', () => {
    expect(['de', 'en', 'fr', '', undefined].map(isMailLanguage)).toEqual([true, true, false, false, false]);
  });
});
