/** Lint tests: the workspace's ESLint config, applied to snippets placed virtually in each project, must bite. */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'lint-tests',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/tools/lint-tests',
  testTimeout: 120000,
};
