/** @type {import('jest').Config} */
module.exports = {
  displayName: 'catalogs',
  preset: '../../jest.preset.js',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  coverageDirectory: '../../coverage/libs/catalogs',
};
