/**
 * What the bundles contain, checked on run-time imports only (`import type` is erased, as the bundlers
 * erase it): the workflow bundle Temporal replays (`workflows/index.ts`) and the browser scripts
 * (`forms/browser/forms-live.ts`, `admin/browser/process-diagram.ts`, `admin/browser/designer-*.ts`, bundled by engine/web/browser-assets.ts). Part of `npm run lint:deps`.
 *
 * .dependency-cruiser.cjs checks each import of the pure cores; this checks everything the entry points
 * reach, however many files lie between (so a new forms/ module that validate.ts imports is covered too).
 */
const { builtinModules } = require('node:module');
const base = require('./.dependency-cruiser.cjs');

/** The `to` of one of the base rules: the two configurations share their lists of packages and folders. */
const targetOf = (ruleName) => base.forbidden.find((rule) => rule.name === ruleName).to.path;
const IO_PACKAGES = targetOf('pure-core-no-io-packages');
const SHELLS = targetOf('pure-core-no-shells');

const ENTRY_POINTS =
  '^(workflows/index\\.ts|forms/browser/forms-live\\.ts|admin/browser/(process-diagram|designer-modeler|designer-form|designer-dmn)\\.ts)$';
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const NODE_BUILTINS = `^(node:)?(${builtinModules.map(escapeRegExp).join('|')})$`;

function unreachable(name, to, comment, toNot) {
  return {
    name,
    severity: 'error',
    comment,
    from: { path: ENTRY_POINTS },
    to: { path: to, ...(toNot ? { pathNot: toNot } : {}), reachable: true },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    unreachable(
      'bundle-no-node-builtins',
      NODE_BUILTINS,
      'The workflow bundle is replayed by Temporal in a sandbox and the browser has no Node: no Node built-ins.',
    ),
    unreachable(
      'bundle-no-io-packages',
      IO_PACKAGES,
      'No I/O library in the workflow or browser bundle (database, HTTP, mail, Temporal client/worker, logger).',
    ),
    unreachable(
      'bundle-no-zod',
      '^node_modules/zod/',
      'forms/README.md: validate.ts and what it imports stay free of zod (schema.ts parses at the edge; the ' +
        'pure modules use its types only), and so does the browser script.',
    ),
    unreachable(
      'bundle-no-shells',
      SHELLS,
      'No db, repositories, services, main, infra, web, mail, temporal, cli or routes in the bundles ' +
        '(admin/browser/ is the browser code itself: the designer bundles share designer-save.ts and their CSS).',
      '^admin/browser/',
    ),
    unreachable(
      'bundle-no-activity-code',
      '^engine/activities/(?!types\\.ts$)',
      'Activities run in the worker; the workflow bundle has their contract (engine/activities/types.ts) only.',
    ),
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
};
