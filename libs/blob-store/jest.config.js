/** @type {import('jest').Config} */
module.exports = {
  displayName: 'blob-store',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/blob-store',
};
