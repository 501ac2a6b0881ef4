/** Integration tests: real Redis, PostgreSQL (or PGlite), sshd, sharp, Chromium. See tools/test/global-setup.js. */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'reactor-api:int',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/**/*.int-spec.ts'],
  globalSetup: '../../tools/test/global-setup.js',
  globalTeardown: '../../tools/test/global-teardown.js',
  testTimeout: 60000,
  // content-disposition (pulled in by Bull Board's @fastify/static) ships ESM only.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
};
