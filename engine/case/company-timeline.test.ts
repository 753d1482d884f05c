import { describe, expect, it } from 'vitest';
import { companyTimeline, type CompanyTimelineInput } from './company-timeline.js';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute));
const ERIKA = 'applicant:6f1c2b1e-0000-4000-8000-000000000001';
const MAX = 'applicant:6f1c2b1e-0000-4000-8000-000000000003';
const GONE = 'applicant:6f1c2b1e-0000-4000-8000-000000000009';
const CASEWORKER = 'staff:6f1c2b1e-0000-4000-8000-000000000002';

const event = (type: string, minute: number, more: Partial<CompanyTimelineInput['events'][number]> = {}) => ({
  type,
  publicStatus: null,
  actor: 'system',
  at: at(minute),
  detail: null,
  ...more,
});
const task = (tokenId: string, minute: number, candidateGroups: string[], completedBy: string) => ({
  tokenId,
  name: tokenId === 'upload' ? 'Unterlagen nachreichen' : 'Prüfen',
  elementId: tokenId,
  candidateGroups,
  status: 'completed',
  completedAt: at(minute),
  completedBy,
});

const base: CompanyTimelineInput = {
  submitted: { at: at(0), by: ERIKA },
  events: [
    event('elementEntered', 0, { publicStatus: 'Eingegangen', actor: ERIKA }),
    event('elementEntered', 0, { publicStatus: 'Eingegangen', actor: ERIKA }),
    event('informationRequested', 2, { actor: CASEWORKER, detail: 'bis 21.12.2026' }),
    event('informationAnswered', 3, { actor: MAX }),
    event('elementEntered', 6, { publicStatus: 'In Prüfung', actor: CASEWORKER }),
  ],
  tasks: [
    task('upload', 4, ['applicant'], MAX),
    task('review', 5, ['wirtschaftsfoerderung'], CASEWORKER),
    // A Rückfrage's company task: told by the trail entries, not a second time.
    task('rueckfrage-1', 3, ['applicant'], MAX),
  ],
  messages: [
    { side: 'staff', author: CASEWORKER, createdAt: at(1) },
    { side: 'company', author: ERIKA, createdAt: at(7) },
  ],
  statusLabels: { 'In Prüfung': { de: 'In Prüfung', en: 'Under review' } },
  members: new Map([
    [ERIKA, 'Erika Mustermann'],
    [MAX, 'Max Muster'],
  ]),
};

const erika = { kind: 'member', name: 'Erika Mustermann' };
const max = { kind: 'member', name: 'Max Muster' };
const agency = { kind: 'agency' };

describe('companyTimeline', () => {
  it('names the member for every company step and the agency (never a caseworker) for the others', () => {
    expect(companyTimeline(base)).toEqual([
      { kind: 'submitted', at: at(0), by: erika },
      { kind: 'status', at: at(0), label: { de: 'Eingegangen', en: 'Eingegangen' } },
      { kind: 'message', at: at(1), by: agency },
      { kind: 'rueckfrageAsked', at: at(2), deadline: '21.12.2026' },
      { kind: 'rueckfrageAnswered', at: at(3), by: max },
      { kind: 'taskCompleted', at: at(4), task: 'Unterlagen nachreichen', by: max },
      { kind: 'status', at: at(6), label: { de: 'In Prüfung', en: 'Under review' } },
      { kind: 'message', at: at(7), by: erika },
    ]);
  });

  it('leaves out the agency’s internal tasks and every open task', () => {
    const kinds = companyTimeline({
      ...base,
      tasks: [{ ...task('upload', 4, ['applicant'], MAX), status: 'open', completedAt: null }],
    }).map((item) => item.kind);
    expect(kinds).not.toContain('taskCompleted');
  });

  it('a member whose account is gone is a member without a name; a withdrawal keeps the name the trail kept', () => {
    const timeline = companyTimeline({
      ...base,
      submitted: { at: at(0), by: GONE },
      events: [
        event('caseWithdrawn', 8, { actor: GONE, detail: 'Erika Früher' }),
        event('informationRequestWithdrawn', 9, { actor: CASEWORKER }),
        event('informationRequestExpired', 10),
      ],
      tasks: [],
      messages: [],
    });
    expect(timeline).toEqual([
      { kind: 'submitted', at: at(0), by: { kind: 'member', name: undefined } },
      { kind: 'withdrawn', at: at(8), by: { kind: 'member', name: 'Erika Früher' } },
      { kind: 'rueckfrageWithdrawn', at: at(9) },
      { kind: 'rueckfrageExpired', at: at(10) },
    ]);
  });
});
