/** @type {import('jest').Config} */
module.exports = {
  displayName: 'queue-contracts',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/queue-contracts',
};
