import { describe, expect, it } from 'vitest';
import { caseTimeline, personLabel, type TimelineInput } from './timeline.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute));
const APPLICANT = 'applicant:6f1c2b1e-0000-4000-8000-000000000001';
const CASEWORKER = 'staff:6f1c2b1e-0000-4000-8000-000000000002';

const event = (type: string, minute: number, more: Partial<TimelineInput['events'][number]> = {}) => ({
  type,
  elementId: 'element',
  elementName: null,
  publicStatus: null,
  at: at(minute),
  ...more,
});

/** A general inquiry: submitted, answered by Jonas Weber, mailed, completed; one note in between. */
const inquiry: TimelineInput = {
  submitted: { at: at(0), by: APPLICANT },
  events: [
    event('elementEntered', 0, { elementId: 'start', publicStatus: 'Eingegangen' }),
    event('elementCompleted', 0, { elementId: 'start' }),
    event('elementEntered', 0, {
      elementId: 'answer',
      elementName: 'Anfrage beantworten',
      publicStatus: 'Eingegangen',
    }),
    event('elementCompleted', 5, { elementId: 'answer', elementName: 'Anfrage beantworten' }),
    event('elementEntered', 5, { elementId: 'mail', elementName: 'Antwort senden', publicStatus: 'Beantwortet' }),
    event('caseCompleted', 6, { elementId: null }),
  ],
  tasks: [
    {
      name: 'Anfrage beantworten',
      elementId: 'answer',
      status: 'completed',
      completedAt: at(5),
      completedBy: CASEWORKER,
    },
  ],
  mails: [{ subject: 'Ihre Anfrage', recipient: 'anna@example.com', createdAt: at(6), sentAt: null }],
  notes: [{ authorName: 'Jonas Weber', body: 'Rückruf vereinbart', createdAt: at(3) }],
  people: new Map([
    [APPLICANT, { name: 'Anna Schmidt', companyName: 'Schmidt Metallbau GmbH' }],
    [CASEWORKER, { name: 'Jonas Weber' }],
  ]),
};

describe('caseTimeline', () => {
  it('tells the case oldest first: submitted, status, note, task, the status it led to, completed, mail', () => {
    expect(caseTimeline(inquiry)).toEqual([
      { kind: 'submitted', at: at(0), actor: { name: 'Anna Schmidt', companyName: 'Schmidt Metallbau GmbH' } },
      { kind: 'status', at: at(0), status: 'Eingegangen' },
      { kind: 'note', at: at(3), author: 'Jonas Weber', body: 'Rückruf vereinbart' },
      { kind: 'taskCompleted', at: at(5), task: 'Anfrage beantworten', actor: { name: 'Jonas Weber' } },
      { kind: 'status', at: at(5), status: 'Beantwortet' },
      { kind: 'completed', at: at(6) },
      { kind: 'mail', at: at(6), subject: 'Ihre Anfrage', recipient: 'anna@example.com' },
    ]);
  });

  it('a status shows only when it changes, not for every element that carries it', () => {
    const statuses = caseTimeline(inquiry).filter((item) => item.kind === 'status');
    expect(statuses.map((item) => item.kind === 'status' && item.status)).toEqual(['Eingegangen', 'Beantwortet']);
  });

  it('an unknown actor (a timer, a job, a deleted account) is the system: no person', () => {
    const [submitted, , , task] = caseTimeline({ ...inquiry, people: new Map() });
    expect(submitted).toMatchObject({ kind: 'submitted', actor: undefined });
    expect(task).toMatchObject({ kind: 'taskCompleted', actor: undefined });
  });

  it('a task that ended without being done (a boundary timer, a terminated case) is cancelled, not completed', () => {
    const timeline = caseTimeline({
      ...inquiry,
      tasks: [{ name: null, elementId: 'review', status: 'cancelled', completedAt: at(7), completedBy: null }],
    });
    expect(timeline.at(-1)).toEqual({ kind: 'taskCancelled', at: at(7), task: 'review' });
  });

  it('open tasks are not in the story yet', () => {
    const timeline = caseTimeline({
      ...inquiry,
      tasks: [{ name: 'Prüfen', elementId: 'check', status: 'open', completedAt: null, completedBy: null }],
    });
    expect(timeline.some((item) => item.kind === 'taskCompleted' || item.kind === 'taskCancelled')).toBe(false);
  });

  it('a failure and its retry are told with the element’s name; a mail counts when it was sent', () => {
    const timeline = caseTimeline({
      ...inquiry,
      events: [
        event('incidentRaised', 1, { elementName: 'Bescheid erstellen' }),
        event('incidentResolved', 2, { elementId: 'letter' }),
      ],
      tasks: [],
      notes: [],
      mails: [{ subject: 'Bescheid', recipient: 'a@example.com', createdAt: at(3), sentAt: at(4) }],
    });
    expect(timeline.slice(1)).toEqual([
      { kind: 'incident', at: at(1), element: 'Bescheid erstellen' },
      { kind: 'incidentResolved', at: at(2), element: 'letter' },
      { kind: 'mail', at: at(4), subject: 'Bescheid', recipient: 'a@example.com' },
    ]);
  });
});

describe('personLabel', () => {
  it.each([
    [{ name: 'Anna Schmidt', companyName: 'Schmidt Metallbau GmbH' }, 'Anna Schmidt (Schmidt Metallbau GmbH)'],
    [{ name: 'Jonas Weber' }, 'Jonas Weber'],
    [undefined, 'System'],
  ])('%o reads as %s', (person, expected) => {
    expect(personLabel(person, 'System')).toBe(expected);
  });
});
