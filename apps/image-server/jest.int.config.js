/** Integration tests: real Redis, PostgreSQL (or PGlite), sshd, sharp, Chromium. See tools/test/global-setup.js. */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'image-server:int',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  globalSetup: '../../tools/test/global-setup.js',
  globalTeardown: '../../tools/test/global-teardown.js',
  testTimeout: 60000,
};
