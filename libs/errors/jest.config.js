/** @type {import('jest').Config} */
module.exports = {
  displayName: 'errors',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/errors',
};
