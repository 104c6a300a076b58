/**
 * `npm run test:e2e`: the browser end-to-end tests (test/e2e/**). Each starts the built emulator
 * (dist/emulator/main.js) and drives Debian's Chromium through playwright-core. Kept out of
 * `npm test` (jest.config.js ignores test/e2e/): they need a browser.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  globalSetup: '<rootDir>/test/e2e/global-setup.js',
  testTimeout: 180000,
};
