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
  actor: 'system',
  at: at(minute),
  detail: null,
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
      tokenId: 't4',
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
      tasks: [
        { tokenId: 't9', name: null, elementId: 'review', status: 'cancelled', completedAt: at(7), completedBy: null },
      ],
    });
    expect(timeline.at(-1)).toEqual({ kind: 'taskCancelled', at: at(7), task: 'review' });
  });

  it('open tasks are not in the story yet', () => {
    const timeline = caseTimeline({
      ...inquiry,
      tasks: [
        { tokenId: 't8', name: 'Prüfen', elementId: 'check', status: 'open', completedAt: null, completedBy: null },
      ],
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

describe('a Rückfrage in the timeline', () => {
  it('tells who asked (with the deadline), who answered, and not the company task a second time', () => {
    const timeline = caseTimeline({
      ...inquiry,
      events: [
        event('informationRequested', 1, {
          elementName: 'Anfrage beantworten',
          actor: CASEWORKER,
          detail: 'bis 21.12.2026',
        }),
        event('informationAnswered', 2, { actor: APPLICANT }),
        event('informationRequested', 3, {
          elementName: 'Anfrage beantworten',
          actor: CASEWORKER,
          detail: 'bis 28.12.2026',
        }),
        event('informationRequestWithdrawn', 4, { actor: CASEWORKER }),
        event('informationRequestExpired', 5),
        event('informationRequestCancelled', 6),
      ],
      tasks: [
        {
          tokenId: 'rueckfrage-1',
          name: 'Rückfrage',
          elementId: 'answer',
          status: 'completed',
          completedAt: at(2),
          completedBy: APPLICANT,
        },
      ],
      mails: [],
      notes: [],
    });
    const anna = { name: 'Anna Schmidt', companyName: 'Schmidt Metallbau GmbH' };
    const jonas = { name: 'Jonas Weber' };
    expect(timeline.slice(1)).toEqual([
      { kind: 'rueckfrageAsked', at: at(1), actor: jonas, task: 'Anfrage beantworten', deadline: '21.12.2026' },
      { kind: 'rueckfrageAnswered', at: at(2), actor: anna },
      { kind: 'rueckfrageAsked', at: at(3), actor: jonas, task: 'Anfrage beantworten', deadline: '28.12.2026' },
      { kind: 'rueckfrageWithdrawn', at: at(4), actor: jonas },
      { kind: 'rueckfrageExpired', at: at(5) },
      { kind: 'rueckfrageCancelled', at: at(6) },
    ]);
  });

  it('tells who moved the case to which version', () => {
    const timeline = caseTimeline({
      ...inquiry,
      events: [event('caseMigrated', 2, { elementId: null, actor: CASEWORKER, detail: 'Version 1 → 2' })],
      tasks: [],
      mails: [],
      notes: [],
    });
    expect(timeline.slice(1)).toEqual([
      { kind: 'migrated', at: at(2), actor: { name: 'Jonas Weber' }, from: '1', to: '2' },
    ]);
  });

  it('tells who of the company withdrew the case, by the name the trail kept when the account is gone', () => {
    const withdrawn = (actor: string) =>
      caseTimeline({
        ...inquiry,
        events: [event('caseWithdrawn', 3, { elementId: null, actor, detail: 'Anna Schmidt' })],
        tasks: [],
        mails: [],
        notes: [],
      }).slice(1);

    expect(withdrawn(APPLICANT)).toEqual([
      {
        kind: 'withdrawn',
        at: at(3),
        actor: { name: 'Anna Schmidt', companyName: 'Schmidt Metallbau GmbH' },
        name: 'Anna Schmidt',
      },
    ]);
    expect(withdrawn('applicant:gone')).toEqual([
      { kind: 'withdrawn', at: at(3), actor: undefined, name: 'Anna Schmidt' },
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
