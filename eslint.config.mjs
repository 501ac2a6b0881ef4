// Lint is architecture here: module boundaries with tags that bite, no floating promises,
// and process.env read only by each app's config module.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import noImportCycles from './tools/lint-rules/no-import-cycles.cjs';
import ownPropertyLookups from './tools/lint-rules/own-property-lookups.cjs';

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/tmp', '**/data', '**/.nx', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  {
    files: ['**/*.ts'],
    // Workspace rules (not Nx's tools/eslint-rules convention: that one needs swc-node to load).
    plugins: { workspace: { rules: { 'own-property-lookups': ownPropertyLookups, 'no-import-cycles': noImportCycles } } },
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          banTransitiveDependencies: true,
          allow: [],
          depConstraints: [
            // Two dimensions: what a project is (type) and which product it belongs to (scope).
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // End-to-end and lint tests drive the built apps over HTTP or lint text: libs only.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:image', onlyDependOnLibsWithTags: ['scope:shared', 'scope:image'] },
            { sourceTag: 'scope:reactor', onlyDependOnLibsWithTags: ['scope:shared', 'scope:reactor'] },
            { sourceTag: 'scope:build', onlyDependOnLibsWithTags: ['scope:shared', 'scope:build'] },
            // Pure libs (errors, catalogs, queue-contracts) carry no framework: usable from any process.
            {
              sourceTag: 'runtime:pure',
              onlyDependOnLibsWithTags: ['runtime:pure'],
              bannedExternalImports: ['@nestjs/*', 'fastify', '@fastify/*', 'sharp'],
            },
            // sharp (libvips) lives in the image server, and in the worker's asset ingest (the
            // block below keeps it out of the rest of build-worker).
            { sourceTag: 'scope:reactor', bannedExternalImports: ['sharp'] },
            { sourceTag: 'scope:shared', bannedExternalImports: ['sharp'] },
            // BullMQ only where durable queues are produced or consumed.
            { sourceTag: 'queue:none', bannedExternalImports: ['bullmq', '@nestjs/bullmq', '@bull-board/*'] },
            // The image server's management API uses BullMQ through queue-contracts' producer and consumer only.
            { sourceTag: 'queue:plain', bannedExternalImports: ['@nestjs/bullmq', '@bull-board/*'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      // Allowlists and tables by own property only (tools/lint-rules/own-property-lookups.cjs).
      'workspace/own-property-lookups': 'error',
      curly: ['error', 'all'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through the app config module only.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // Any reference, not only a direct call: `(cond ? describe.skip : describe)(…)` skips too.
          selector: "MemberExpression[property.name='only'][object.name=/^(it|describe|test)$/]",
          message: 'Focused tests silently skip the rest of the suite.',
        },
        {
          selector: "MemberExpression[property.name='skip'][object.name=/^(it|describe|test)$/]",
          message: 'Skipped tests are not committed; delete or fix them.',
        },
      ],
    },
  },
  {
    // Test-only libs (a private sshd …) never reach production code: app and lib sources may not
    // import them; specs, test folders, e2e and tools may.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**', 'libs/test-*/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@openexp/test-*'], message: 'Test-only libraries are for tests, not for production code.' }] },
      ],
    },
  },
  {
    // In build-worker only the asset ingest (src/assets: validate, convert to pyramid TIFF) uses sharp.
    files: ['apps/build-worker/src/**/*.ts'],
    ignores: ['apps/build-worker/src/assets/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'sharp', message: "In build-worker, sharp belongs to the asset ingest (src/assets) only." }],
          patterns: [{ group: ['@openexp/test-*'], message: 'Test-only libraries are for tests, not for production code.' }],
        },
      ],
    },
  },
  {
    // No import cycle between files, nor between the top-level folders of a source root
    // (tools/lint-rules/no-import-cycles.cjs; `node tools/cycles/check-cycles.mjs` prints them all).
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/test/**'],
    rules: { 'workspace/no-import-cycles': 'error' },
  },
  {
    // The places allowed to read the environment: config modules, tests, tools.
    files: ['**/config/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/test/**/*.ts', 'tools/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
];
