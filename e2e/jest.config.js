/**
 * End-to-end tests: the BUILT apps (dist/apps/<app>/main.js) as child processes, on a private Redis
 * (tools/test/global-setup.js), PGlite or TEST_DATABASE_URL, temp data folders and random ports;
 * spoken to over HTTP only. `nx run e2e:test:integration` builds the apps first.
 */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'e2e:int',
  preset: '../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/test/**/*.int-spec.ts'],
  globalSetup: '../tools/test/global-setup.js',
  globalTeardown: '../tools/test/global-teardown.js',
  testTimeout: 180000,
};
