/** Tests run the real code: cloud functions through the emulator, pages through miniprogram-simulate. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 30000,
};
