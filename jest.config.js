/** Tests run the real code: cloud functions through the emulator, pages through miniprogram-simulate. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // the browser tests need Chromium (`npm run test:e2e`); the chaos bursts take minutes (`npm run test:chaos`)
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/', '<rootDir>/test/chaos/'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  globalSetup: '<rootDir>/test/global-setup.js',
  setupFiles: ['<rootDir>/test/setup-env.js'],
  testTimeout: 30000,
  // Page tests run in jsdom (miniprogram-simulate renders into a DOM) *and* load the emulator:
  // resolve packages as Node does there too, not by their browser builds.
  testEnvironmentOptions: { customExportConditions: ['node', 'node-addons'] },
};
