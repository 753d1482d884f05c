import { describe, expect, it } from 'vitest';
import type { Dashboard } from '../engine/services/dashboard.service.js';
import { figuresOf } from './dashboard.routes.js';

const service = { slug: 's', titleDe: 'Förderberatung', titleEn: 'Funding advice' };
const times = (seconds: number | null) => ({
  ...service,
  leadSeconds30: seconds,
  leadSeconds90: seconds,
  completed30: seconds === null ? 0 : 1,
  completed90: seconds === null ? 0 : 1,
  processingSeconds30: seconds,
  processingSeconds90: seconds,
});
const dashboard = (overrides: Partial<Dashboard> = {}): Dashboard => ({
  openCases: [],
  overdueTasks: [],
  times: [],
  rueckfrage: [],
  casesPerWeek: [],
  workload: [],
  ...overrides,
});
const leadTimeCell = (data: Dashboard, locale: 'de' | 'en') =>
  figuresOf(data, locale).find((figure) => figure.id === 'lead-time')?.rows[0]?.cells[0];

describe('figuresOf', () => {
  it.each([
    [3 * 86_400, 'de', '3,0 Tage'],
    [36 * 3_600, 'en', '1.5 days'],
    [5_400, 'de', '1,5 Std.'],
    [5_400, 'en', '1.5 h'],
    [150, 'de', '3 Min.'],
    [null, 'en', '–'],
  ] as const)('writes a median of %s seconds in %s as “%s”', (seconds, locale, expected) => {
    expect(leadTimeCell(dashboard({ times: [times(seconds)] }), locale)).toBe(expected);
  });

  it('draws no chart for a figure without rows (the page says "no data" instead)', () => {
    const figures = figuresOf(dashboard(), 'de');
    expect(figures.map((figure) => figure.chart)).toEqual(Array(figures.length).fill(''));
  });

  it('names unassigned workload in the table, and an assignee by name', () => {
    const workload = figuresOf(
      dashboard({
        workload: [
          { groupId: 'g', groupName: 'Gruppe', assignee: null, assigneeName: null, open: 2 },
          { groupId: 'g', groupName: 'Gruppe', assignee: 'a@example.org', assigneeName: 'Ada', open: 1 },
        ],
      }),
      'de',
    ).find((figure) => figure.id === 'workload');
    expect(workload?.rows).toEqual([
      { header: 'Gruppe', cells: ['Nicht zugewiesen', '2'] },
      { header: 'Gruppe', cells: ['Ada', '1'] },
    ]);
    expect(workload?.chart).toContain('Gruppe: Nicht zugewiesen');
  });

  it('has no workload figure when the viewer may not see it (no team lead)', () => {
    const { workload: _hidden, ...withoutWorkload } = dashboard();
    expect(figuresOf(withoutWorkload, 'de').map((figure) => figure.id)).not.toContain('workload');
    expect(figuresOf(dashboard(), 'de').map((figure) => figure.id)).toContain('workload');
  });
});
