/** @type {import('jest').Config} */
module.exports = {
  displayName: 'server-keys',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/server-keys',
};
