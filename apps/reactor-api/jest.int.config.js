/** Integration tests: real Redis, PostgreSQL, sshd, sharp, Chromium (see tools/test/run.mjs). */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reactor-api:int',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  testTimeout: 60000,
};
