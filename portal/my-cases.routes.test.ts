import { describe, expect, it } from 'vitest';
import type { CompanyTimelineItem } from '../engine/services/my-cases.service.js';
import { actionText, companyTimelineView } from './my-cases.routes.js';

const at = new Date(Date.UTC(2026, 11, 8, 9, 0));
const erika = { kind: 'member', name: 'Erika Mustermann' } as const;
const gone = { kind: 'member', name: undefined } as const;
const agency = { kind: 'agency' } as const;

const items: CompanyTimelineItem[] = [
  { kind: 'submitted', at, by: erika },
  { kind: 'status', at, label: { de: 'In Prüfung', en: 'Under review' } },
  { kind: 'rueckfrageAsked', at, deadline: '21.12.2026' },
  { kind: 'rueckfrageAnswered', at, by: gone },
  { kind: 'taskCompleted', at, task: 'Unterlagen nachreichen', by: erika },
  { kind: 'message', at, by: agency },
  { kind: 'message', at, by: erika },
  { kind: 'rueckfrageWithdrawn', at },
  { kind: 'rueckfrageExpired', at },
  { kind: 'withdrawn', at, by: erika },
];

describe('companyTimelineView', () => {
  it.each([
    [
      'de',
      [
        'Eingereicht von Erika Mustermann',
        'In Prüfung',
        'Rückfrage der Wirtschaftsförderung, Antwort bis 21.12.2026',
        'Rückfrage beantwortet von einem ehemaligen Mitglied Ihres Unternehmens',
        '„Unterlagen nachreichen“ erledigt von Erika Mustermann',
        'Nachricht der Wirtschaftsförderung',
        'Nachricht von Erika Mustermann',
        'Rückfrage von der Wirtschaftsförderung zurückgezogen',
        'Frist der Rückfrage abgelaufen',
        'Zurückgezogen von Erika Mustermann',
      ],
    ],
    [
      'en',
      [
        'Submitted by Erika Mustermann',
        'Under review',
        'Request for information from the economic development agency, answer by 21.12.2026',
        'Request for information answered by a former member of your company',
        '“Unterlagen nachreichen” completed by Erika Mustermann',
        'Message from the economic development agency',
        'Message from Erika Mustermann',
        'Request for information withdrawn by the economic development agency',
        'The deadline of the request for information passed',
        'Withdrawn by Erika Mustermann',
      ],
    ],
  ] as const)('names who did what (%s); only a status is marked as one', (locale, expected) => {
    const view = companyTimelineView(items, locale);
    expect(view.map((entry) => entry.text)).toEqual(expected);
    expect(view.filter((entry) => entry.isStatus).map((entry) => entry.text)).toEqual([expected[1]]);
  });

  it('takes a name as it is: placeholders in it are not filled in again', () => {
    const [entry] = companyTimelineView([{ kind: 'submitted', at, by: { kind: 'member', name: '{person}' } }], 'de');
    expect(entry?.text).toBe('Eingereicht von {person}');
  });
});

describe('actionText', () => {
  it.each([
    ['de', 1, 0, '1 Aufgabe offen'],
    ['de', 2, 3, '2 Aufgaben offen · 3 neue Nachrichten'],
    ['de', 0, 1, '1 neue Nachricht'],
    ['en', 1, 2, '1 open task · 2 new messages'],
  ] as const)('%s: %i tasks, %i messages → %s', (locale, tasks, messages, expected) => {
    expect(actionText(locale, tasks, messages)).toBe(expected);
  });
});
