// One lint for every workspace. Type-aware rules only where they catch real bugs (a promise
// nobody awaits, a promise passed where a callback's result is ignored); import rules keep
// the package boundaries: each workspace declares what it imports, nothing reaches into a
// package past its index, and no module imports itself in a circle.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'test/stack/.screenshots/**', 'bench/profiles/**'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    languageOptions: {
      parserOptions: {
        // Test files are outside the workspaces' build configs; tsconfig.test.json holds them.
        project: [
          './tsconfig.test.json',
          './packages/*/tsconfig.json',
          './services/*/tsconfig.json',
          './api-gateway/tsconfig.json',
          './jobs/*/tsconfig.json',
          './bench/tsconfig.json',
          './tools/tsconfig.json',
          './console/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.test.json', 'console/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // The nearest package.json: each workspace must declare what its files import.
      'import-x/no-extraneous-dependencies': ['error', { includeTypes: true }],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'no-restricted-imports': ['error', { patterns: [{ group: ['@shopstack/*/*'], message: 'Import a package through its index only.' }] }],
    },
  },
  {
    // Tests may assert on values whose type they just narrowed.
    files: ['**/*.test.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', fetch: 'readonly', AbortSignal: 'readonly', setTimeout: 'readonly' },
    },
  },
  {
    // CommonJS on purpose (it loads faster, see the file): require is how it imports.
    files: ['scripts/healthcheck.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
