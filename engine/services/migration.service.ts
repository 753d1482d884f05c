/**
 * Migrating running cases to a newer version of their service (issue 10, ADR 0020): pick the versions and the
 * cases, map the active elements (equal ids by default), see per case whether it can move and why not (the dry
 * run, planned against each case's live state), then move the movable ones, each through the case workflow's
 * `migrate` update, which plans again with the same pure function. One case failing never stops the rest.
 */
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Logger } from '../log/logger.js';
import { safeErrorForLog } from '../log/safe-error.js';
import { caseStateQuery, migrateUpdate, MIGRATION_REFUSED } from '../case/contract.js';
import {
  mappableTargets,
  planMigration,
  targetOf,
  type ActiveElementMove,
  type ElementMapping,
  type MigrationReason,
} from '../case/migration.js';
import type { CaseState } from '../interpreter/types.js';
import type { MigrationRepository } from '../repositories/migration.repository.js';
import type { StaffSession } from './auth.service.js';
import type { CatalogService, ServiceVersion } from './catalog.service.js';

/** At most this many running cases are planned and migrated in one request (oldest first); the rest in the next. */
export const MIGRATION_CASE_LIMIT = 200;

type Localized = { de: string; en: string };

export interface MigrationVersion {
  id: string;
  version: number;
  publishedAt: Date;
  runningCases: number;
}

export interface MigrationOverview {
  service: { slug: string; title: Localized };
  versions: MigrationVersion[];
}

export interface MigrationRequest {
  fromVersion: number;
  toVersion: number;
  /** The chosen cases; absent: every running case of the from-version. */
  caseIds?: string[];
  /** Source element id → target element id; elements left out keep equal ids. */
  mapping: ElementMapping;
}

/** One active element of the selected cases with the target elements it may map to. */
export interface MappingRow {
  elementId: string;
  name?: string;
  kind: string;
  /** The target chosen (the request's, else equal id); absent: none. */
  targetId?: string;
  options: { id: string; name?: string }[];
}

export interface CasePlan {
  caseId: string;
  number: string;
  selected: boolean;
  active: ActiveElementMove[];
  canMove: boolean;
  reasons: MigrationReason[];
  /** The step of the case's state the plan looked at (absent: the state could not be read). */
  seq?: number;
}

export type MigrationField = 'fromVersion' | 'toVersion' | `mapping.${string}`;

/** The cases and the mapping of a chosen pair of versions. */
export interface MigrationSetup {
  from: MigrationVersion;
  to: MigrationVersion;
  mapping: MappingRow[];
  cases: CasePlan[];
  /** More running cases than MIGRATION_CASE_LIMIT: only the oldest are shown. */
  truncated: boolean;
}

export type PlannedMigration =
  | {
      ok: false;
      overview: MigrationOverview;
      errors: { field: MigrationField; message: Localized }[];
      /** With a mapping error: the cases and the mapping as chosen, to show the form again. */
      setup?: MigrationSetup;
    }
  | ({ ok: true; overview: MigrationOverview } & MigrationSetup);

export type CaseMigrationResult = { caseId: string; number: string } & (
  { outcome: 'migrated' } | { outcome: 'refused'; reasons: MigrationReason[] } | { outcome: 'failed' }
);

export interface MigrationService {
  overview(slug: string): Promise<MigrationOverview | undefined>;
  /** The dry run: undefined when there is no such service. */
  plan(slug: string, request: MigrationRequest): Promise<PlannedMigration | undefined>;
  /** Plans again and moves every selected case that can move; a result per case. */
  migrate(
    member: StaffSession,
    slug: string,
    request: MigrationRequest,
  ): Promise<{ planned: PlannedMigration; results: CaseMigrationResult[] } | undefined>;
}

export interface MigrationServiceDeps {
  migrations: MigrationRepository;
  catalog: Pick<CatalogService, 'version'>;
  temporal: Client;
  logger?: Logger;
}

const UNREADABLE: MigrationReason = {
  de: 'Der Zustand des Falls ist nicht lesbar; er bleibt auf seiner Version.',
  en: 'The state of the case cannot be read; it stays on its version.',
};

export function createMigrationService(deps: MigrationServiceDeps): MigrationService {
  const { migrations, catalog, temporal, logger } = deps;

  async function overview(slug: string): Promise<MigrationOverview | undefined> {
    const found = await migrations.versionsOf(slug);
    if (!found) return undefined;
    return {
      service: { slug: found.service.slug, title: { de: found.service.titleDe, en: found.service.titleEn } },
      versions: found.versions,
    };
  }

  const stateOf = (caseId: string): Promise<CaseState | undefined> =>
    temporal.workflow
      .getHandle(caseId)
      .query(caseStateQuery)
      .catch(() => undefined);

  async function plan(slug: string, request: MigrationRequest): Promise<PlannedMigration | undefined> {
    const found = await overview(slug);
    if (!found) return undefined;
    const errors: Extract<PlannedMigration, { ok: false }>['errors'] = [];
    const from = found.versions.find((version) => version.version === request.fromVersion);
    const to = found.versions.find((version) => version.version === request.toVersion);
    if (!from) {
      errors.push({
        field: 'fromVersion',
        message: { de: 'Bitte eine veröffentlichte Version wählen.', en: 'Please choose a published version.' },
      });
    }
    if (!to || (from && to.version <= from.version)) {
      errors.push({
        field: 'toVersion',
        message: {
          de: 'Bitte eine neuere veröffentlichte Version als die Ausgangsversion wählen.',
          en: 'Please choose a published version newer than the source version.',
        },
      });
    }
    if (!from || !to || errors.length > 0) return { ok: false, overview: found, errors };
    const [fromVersion, toVersion] = await Promise.all([catalog.version(from.id), catalog.version(to.id)]);
    if (!fromVersion || !toVersion) return undefined;

    const running = await migrations.runningCases(from.id, MIGRATION_CASE_LIMIT + 1);
    const truncated = running.length > MIGRATION_CASE_LIMIT;
    const listed = running.slice(0, MIGRATION_CASE_LIMIT);
    const chosen = request.caseIds ? new Set(request.caseIds) : undefined;
    const states = await inBatches(listed, 8, (row) => stateOf(row.id));

    const mapping = mappingRows(fromVersion, toVersion, states, request.mapping);
    for (const row of mapping) {
      const wanted = request.mapping[row.elementId];
      if (wanted && !row.options.some((option) => option.id === wanted)) {
        errors.push({
          field: `mapping.${row.elementId}`,
          message: {
            de: 'Bitte ein Element derselben Art aus der neuen Version wählen.',
            en: 'Please choose an element of the same kind from the new version.',
          },
        });
      }
    }
    const cases = listed.map((row, index): CasePlan => {
      const state = states[index];
      const selected = chosen ? chosen.has(row.id) : true;
      if (!state) {
        return { caseId: row.id, number: row.number, selected, active: [], canMove: false, reasons: [UNREADABLE] };
      }
      const planned = planMigration({
        state,
        from: fromVersion.model,
        fromForms: fromVersion.forms,
        to: toVersion.model,
        toForms: toVersion.forms,
        mapping: request.mapping,
      });
      return {
        caseId: row.id,
        number: row.number,
        selected,
        active: planned.active,
        canMove: planned.canMove,
        reasons: planned.canMove ? [] : planned.reasons,
        seq: state.seq,
      };
    });
    const setup = { from, to, mapping, cases, truncated };
    if (errors.length > 0) return { ok: false, overview: found, errors, setup };
    return { ok: true, overview: found, ...setup };
  }

  return {
    overview,
    plan,
    async migrate(member, slug, request) {
      const planned = await plan(slug, request);
      if (!planned) return undefined;
      if (!planned.ok) return { planned, results: [] };
      const [toVersion] = await Promise.all([catalog.version(planned.to.id)]);
      if (!toVersion) return undefined;
      const movable = planned.cases.filter((row) => row.selected && row.canMove);
      // One after the other: each is a workflow update of its own; one that fails is reported and the rest go on.
      const results: CaseMigrationResult[] = [];
      for (const row of movable) {
        results.push(await migrateOne(row, planned.from, toVersion, request.mapping, `staff:${member.staffId}`));
      }
      logger?.info(
        {
          staffId: member.staffId,
          service: slug,
          fromVersion: planned.from.version,
          toVersion: planned.to.version,
          migrated: results.filter((result) => result.outcome === 'migrated').length,
          refused: results.filter((result) => result.outcome !== 'migrated').length,
        },
        'running cases migrated',
      );
      return { planned, results };
    },
  };

  async function migrateOne(
    row: CasePlan,
    from: MigrationVersion,
    to: ServiceVersion,
    mapping: ElementMapping,
    actor: string,
  ): Promise<CaseMigrationResult> {
    const base = { caseId: row.caseId, number: row.number };
    try {
      await temporal.workflow.getHandle(row.caseId).executeUpdate(migrateUpdate, {
        args: [
          {
            actor,
            fromVersionId: from.id,
            fromVersion: from.version,
            toVersionId: to.id,
            toVersion: to.version,
            model: to.model,
            forms: to.forms,
            mapping: usedMapping(mapping, row.active),
          },
        ],
        // One migration per case, target and planned state, however often it is sent; a case that moved on
        // since (and was refused in turn) is tried afresh next time.
        updateId: `migrate:${to.id}:${row.seq ?? 0}`,
      });
      return { ...base, outcome: 'migrated' };
    } catch (error) {
      const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === MIGRATION_REFUSED) {
        const [reasons] = cause.details ?? [];
        return { ...base, outcome: 'refused', reasons: Array.isArray(reasons) ? (reasons as MigrationReason[]) : [] };
      }
      logger?.warn({ caseId: row.caseId, err: safeErrorForLog(error) }, 'migrating a case failed');
      return { ...base, outcome: 'failed' };
    }
  }
}

/** The mapping rows for every element active in any listed case, with the request's choice or the equal id. */
function mappingRows(
  from: ServiceVersion,
  to: ServiceVersion,
  states: (CaseState | undefined)[],
  requested: ElementMapping,
): MappingRow[] {
  const ids = new Set<string>();
  for (const state of states) {
    for (const token of state?.tokens ?? []) ids.add(token.elementId);
    for (const waiting of [...(state?.timers ?? []), ...(state?.subscriptions ?? [])]) ids.add(waiting.elementId);
  }
  return [...ids].sort().map((elementId) => {
    const element = from.model.elements[elementId];
    const options = element
      ? mappableTargets(element, to.model).map((target) => ({ id: target.id, name: target.name }))
      : [];
    const targetId = targetOf(elementId, to.model, requested);
    return { elementId, name: element?.name, kind: element?.kind ?? 'unknown', targetId, options };
  });
}

/** Only the entries for this case's active elements travel into its workflow. */
function usedMapping(mapping: ElementMapping, active: ActiveElementMove[]): ElementMapping {
  return Object.fromEntries(
    active.flatMap((move) => (mapping[move.elementId] ? [[move.elementId, mapping[move.elementId]!]] : [])),
  );
}

async function inBatches<T, R>(items: T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(run))));
  }
  return results;
}
