import { Router, type Request, type Response } from 'express';
import type {
  CaseMigrationResult,
  MigrationOverview,
  MigrationRequest,
  MigrationService,
  PlannedMigration,
} from '../engine/services/migration.service.js';
import { MIGRATION_CASE_LIMIT } from '../engine/services/migration.service.js';
import { translate, type Locale } from '../engine/web/i18n.js';
import { NotFoundError, formInput, localeOf, pageOf } from '../engine/web/http.js';
import type { ViewRenderer } from '../engine/web/views.js';
import { requireRole } from './staff-guard.js';

export interface MigrationRouteDeps {
  migrations: MigrationService;
  views: ViewRenderer;
}

const serviceDesigner = requireRole('service_designer');
/** A service's slug as the catalog writes it; anything else is no service (404 before any query). */
const SLUG = /^[a-z0-9][a-z0-9-]{0,79}$/;
/** A mapping field: `map:<element id>` (BPMN ids are NCNames; called processes add `/`). */
const MAPPING_FIELD = /^map:([A-Za-z_][\w.\-/]{0,199})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `/staff/designer/:slug/migration`: move running cases to a newer version (issue 10, ADR 0020). Service
 * designers only (404 for everyone else). Works without JavaScript: choosing versions is a GET form, the dry run
 * and the migration are POSTs of one form that carries the versions, the chosen cases and the mapping.
 */
export function createMigrationRouter({ migrations, views }: MigrationRouteDeps): Router {
  const router = Router();

  router.get('/designer/:slug/migration', async (req, res) => {
    if (!serviceDesigner(req, res)) return;
    const slug = slugOf(req);
    const overview = await migrations.overview(slug);
    if (!overview) throw new NotFoundError();
    const chosen = versionsOf(req.query, overview);
    if (!chosen) {
      render(req, res, overview, { fromVersion: defaultFrom(overview), toVersion: latestOf(overview) });
      return;
    }
    const planned = await migrations.plan(slug, { ...chosen, mapping: {} });
    if (!planned) throw new NotFoundError();
    render(req, res, overview, { ...chosen, planned }, planned.ok ? 200 : 422);
  });

  router.post('/designer/:slug/migration', async (req, res) => {
    const member = serviceDesigner(req, res);
    if (!member) return;
    const slug = slugOf(req);
    const overview = await migrations.overview(slug);
    if (!overview) throw new NotFoundError();
    const request = requestOf(formInput(req));
    const action = formInput(req).action === 'migrate' ? 'migrate' : 'dryRun';
    if (action === 'migrate') {
      const outcome = await migrations.migrate(member, slug, request);
      if (!outcome) throw new NotFoundError();
      // The versions' counts as they are after the migration.
      render(
        req,
        res,
        (await migrations.overview(slug)) ?? overview,
        { ...request, planned: outcome.planned, results: outcome.results },
        outcome.planned.ok ? 200 : 422,
      );
      return;
    }
    const planned = await migrations.plan(slug, request);
    if (!planned) throw new NotFoundError();
    render(req, res, overview, { ...request, planned, dryRun: planned.ok }, planned.ok ? 200 : 422);
  });

  function render(
    req: Request,
    res: Response,
    overview: MigrationOverview,
    state: {
      fromVersion?: number;
      toVersion?: number;
      planned?: PlannedMigration;
      dryRun?: boolean;
      results?: CaseMigrationResult[];
    },
    status = 200,
  ) {
    const locale = localeOf(req);
    const t = (key: string, values: Record<string, string | number> = {}) => fill(translate(locale, key), values);
    const title = `${t('migration.title')}: ${overview.service.title[locale]}`;
    res
      .status(status)
      .send(views.render('admin/migration', pageOf(req, title), migrationView(overview, state, locale, t)));
  }

  return router;
}

/** The page's data: versions to choose, the cases and the mapping, the dry run's verdicts, the results. */
export function migrationView(
  overview: MigrationOverview,
  state: {
    fromVersion?: number;
    toVersion?: number;
    planned?: PlannedMigration;
    dryRun?: boolean;
    results?: CaseMigrationResult[];
  },
  locale: Locale,
  t: (key: string, values?: Record<string, string | number>) => string,
) {
  const { planned } = state;
  const errors = Object.fromEntries(
    (planned && !planned.ok ? planned.errors : []).map((error) => [error.field, error.message[locale]]),
  );
  const versionOptions = (selected: number | undefined) =>
    overview.versions.map((version) => ({
      value: version.version,
      label: t('migration.versionOption', { version: version.version, running: version.runningCases }),
      selected: version.version === selected,
    }));
  // After a mapping error the form comes back as chosen; verdicts only with a valid plan. After a migration the
  // page shows its results and a link to plan again: the cases listed before have moved.
  const setup = state.results ? undefined : planned?.ok ? planned : planned?.setup;
  const toVersion = setup?.to.version;
  const results = state.results && planned?.ok && resultsView(state.results, planned.to.version, t);
  return {
    slug: overview.service.slug,
    serviceTitle: overview.service.title[locale],
    enoughVersions: overview.versions.length >= 2,
    fromOptions: versionOptions(state.fromVersion),
    toOptions: versionOptions(state.toVersion),
    errors,
    hasErrors: Object.keys(errors).length > 0,
    // The summary links each error to its field: the version selects, or the mapping select of its element.
    errorLinks: Object.entries(errors).map(([field, message]) => {
      const mappingIndex = setup?.mapping.findIndex((row) => `mapping.${row.elementId}` === field) ?? -1;
      const href = field === 'fromVersion' ? '#from' : field === 'toVersion' ? '#to' : `#map-${mappingIndex}`;
      return { href, message };
    }),
    setup: setup && {
      fromVersion: setup.from.version,
      toVersion: setup.to.version,
      targetLabel: t('migration.target', { version: setup.to.version }),
      truncated: setup.truncated && t('migration.truncated', { limit: MIGRATION_CASE_LIMIT }),
      cases: setup.cases.map((row) => ({
        ...row,
        activeText: row.active
          .map((move) =>
            move.targetId && move.targetId !== move.elementId
              ? `${move.name ?? move.elementId} → ${move.targetName ?? move.targetId}`
              : (move.name ?? move.elementId),
          )
          .join(', '),
        reasons: row.reasons.map((reason) => reason[locale]),
        cannotMove: t('migration.cannotMove', { version: setup.from.version }),
      })),
      mapping: setup.mapping.map((row, index) => ({
        ...row,
        fieldId: `map-${index}`,
        fieldName: `map:${row.elementId}`,
        kindLabel: kindLabel(row.kind, locale),
        error: errors[`mapping.${row.elementId}`],
        options: row.options.map((option) => ({
          ...option,
          label: option.name && option.name !== option.id ? `${option.name} (${option.id})` : option.id,
          selected: option.id === row.targetId,
        })),
      })),
    },
    dryRun: state.dryRun &&
      planned?.ok && {
        summary: t('migration.dryRunSummary', {
          movable: planned.cases.filter((row) => row.selected && row.canMove).length,
          total: planned.cases.filter((row) => row.selected).length,
        }),
        anyMovable: planned.cases.some((row) => row.selected && row.canMove),
      },
    results: results && {
      ...results,
      againHref: planned?.ok ? `?from=${planned.from.version}&to=${planned.to.version}&lang=${locale}` : undefined,
    },
    toVersion,
  };
}

function resultsView(
  results: CaseMigrationResult[],
  version: number,
  t: (key: string, values?: Record<string, string | number>) => string,
) {
  const migrated = results.filter((result) => result.outcome === 'migrated').length;
  return {
    summary: t('migration.resultsSummary', { migrated, other: results.length - migrated, version }),
    rows: results.map((result) => ({
      caseId: result.caseId,
      number: result.number,
      migrated: result.outcome === 'migrated',
      text:
        result.outcome === 'migrated'
          ? t('migration.migrated', { version })
          : result.outcome === 'refused'
            ? t('migration.refused')
            : t('migration.failed'),
      reasons: result.outcome === 'refused' ? result.reasons : [],
    })),
  };
}

function kindLabel(kind: string, locale: Locale): string {
  const key = `diagram.kind.${kind}`;
  const label = translate(locale, key);
  return label === key ? kind : label;
}

function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    values[name] === undefined ? placeholder : String(values[name]),
  );
}

function slugOf(req: Request): string {
  const slug: unknown = req.params.slug;
  if (typeof slug !== 'string' || !SLUG.test(slug)) throw new NotFoundError();
  return slug;
}

const versionNumber = (value: unknown): number | undefined =>
  typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : undefined;

/** `?from=1&to=2` when both are numbers; anything else shows the choice again. */
function versionsOf(
  query: Request['query'],
  overview: MigrationOverview,
): { fromVersion: number; toVersion: number } | undefined {
  const fromVersion = versionNumber(query.from);
  const toVersion = versionNumber(query.to);
  if (fromVersion === undefined || toVersion === undefined || overview.versions.length === 0) return undefined;
  return { fromVersion, toVersion };
}

/** The form: versions, the chosen cases (`cases`, one or more), and `map:<element id>` per mapped element. */
export function requestOf(form: Record<string, unknown>): MigrationRequest {
  const list = (value: unknown) => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
  const mapping: Record<string, string> = {};
  for (const [field, value] of Object.entries(form)) {
    const match = MAPPING_FIELD.exec(field);
    if (match?.[1] && typeof value === 'string' && value !== '') mapping[match[1]] = value.slice(0, 200);
  }
  return {
    // An unknown number finds no version: the service answers with the error at the field.
    fromVersion: versionNumber(form.fromVersion) ?? 0,
    toVersion: versionNumber(form.toVersion) ?? 0,
    // The form always says which cases: none ticked is none, not all.
    caseIds: list(form.cases).filter((id): id is string => typeof id === 'string' && UUID.test(id)),
    mapping,
  };
}

/** The oldest version that still has running cases and is not the latest (else the one before the latest). */
function defaultFrom(overview: MigrationOverview): number | undefined {
  const latest = latestOf(overview);
  const older = overview.versions.filter((version) => version.version !== latest);
  return (older.find((version) => version.runningCases > 0) ?? older.at(-1))?.version;
}

function latestOf(overview: MigrationOverview): number | undefined {
  return overview.versions.at(-1)?.version;
}
