/** @type {import('jest').Config} */
module.exports = {
  displayName: 'service-runtime',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/service-runtime',
};
