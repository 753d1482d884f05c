import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import boundaries (pure cores, folder by folder, routes, cycles) are not checked here: ESLint's import rules
// match the specifier as written, so `../db/database.js` slipped past a `**/engine/db/**` pattern. They are
// checked on resolved paths by dependency-cruiser: .dependency-cruiser.cjs, `npm run lint:deps` (part of `npm run lint`).

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
    // The rules file of dependency-cruiser is CommonJS, run by Node.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
