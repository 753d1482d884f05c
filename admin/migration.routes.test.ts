import { describe, expect, it } from 'vitest';
import type { MigrationOverview, PlannedMigration } from '../engine/services/migration.service.js';
import { translate } from '../engine/web/i18n.js';
import { migrationView, requestOf } from './migration.routes.js';

const CASE_A = '6f1c2b1e-0000-4000-8000-00000000000a';
const CASE_B = '6f1c2b1e-0000-4000-8000-00000000000b';

describe('requestOf', () => {
  it('reads versions, the ticked cases (one or many) and the mapping fields; drops what is no id', () => {
    expect(
      requestOf({
        fromVersion: '1',
        toVersion: '2',
        cases: [CASE_A, 'not-a-case', CASE_B],
        'map:Task_FollowUpCall': 'Task_Callback',
        'map:Task_Answer': '',
        'map:<script>': 'x',
        action: 'dryRun',
      }),
    ).toEqual({
      fromVersion: 1,
      toVersion: 2,
      caseIds: [CASE_A, CASE_B],
      mapping: { Task_FollowUpCall: 'Task_Callback' },
    });
    expect(requestOf({ fromVersion: '1', toVersion: '2', cases: CASE_A }).caseIds).toEqual([CASE_A]);
  });

  it('ticking no case chooses none; a version that is no number finds no version', () => {
    expect(requestOf({ fromVersion: 'eins', toVersion: '2' })).toEqual({
      fromVersion: 0,
      toVersion: 2,
      caseIds: [],
      mapping: {},
    });
  });
});

describe('migrationView', () => {
  const overview: MigrationOverview = {
    service: { slug: 'general-inquiry', title: { de: 'Allgemeine Anfrage', en: 'General inquiry' } },
    versions: [
      { id: 'v1', version: 1, publishedAt: new Date(0), runningCases: 2 },
      { id: 'v2', version: 2, publishedAt: new Date(0), runningCases: 0 },
    ],
  };
  const t = (key: string, values: Record<string, string | number> = {}) =>
    translate('de', key).replace(/\{(\w+)\}/g, (placeholder, name: string) => String(values[name] ?? placeholder));

  it('keeps the cases and the mapping after a mapping error, with the error at its select and no verdicts', () => {
    const setup = {
      from: overview.versions[0]!,
      to: overview.versions[1]!,
      truncated: false,
      mapping: [
        {
          elementId: 'Task_FollowUpCall',
          name: 'Rückruf durchführen',
          kind: 'userTask',
          targetId: undefined,
          options: [{ id: 'Task_Callback', name: 'Rückruf (v2)' }],
        },
      ],
      cases: [{ caseId: CASE_A, number: 'WF-1', selected: true, active: [], canMove: false, reasons: [] }],
    };
    const planned: PlannedMigration = {
      ok: false,
      overview,
      errors: [{ field: 'mapping.Task_FollowUpCall', message: { de: 'Bitte wählen.', en: 'Please choose.' } }],
      setup,
    };
    const view = migrationView(overview, { fromVersion: 1, toVersion: 2, planned, dryRun: false }, 'de', t);
    expect(view.hasErrors).toBe(true);
    expect(view.errorLinks).toEqual([{ href: '#map-0', message: 'Bitte wählen.' }]);
    expect(view.dryRun).toBeFalsy();
    expect(view.setup?.mapping).toMatchObject([
      {
        fieldName: 'map:Task_FollowUpCall',
        error: 'Bitte wählen.',
        kindLabel: 'Aufgabe',
        options: [{ id: 'Task_Callback', label: 'Rückruf (v2) (Task_Callback)', selected: false }],
      },
    ]);
    expect(view.setup?.cases.map((row) => row.number)).toEqual(['WF-1']);
  });
});
