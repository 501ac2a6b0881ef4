/** Unit tests: fast, no external services. */
/** @type {import('jest').Config} */
module.exports = {
  displayName: 'image-server',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/apps/image-server',
};
