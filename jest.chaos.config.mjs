/**
 * `npm run test:chaos`: bursts under injected faults and under `kill -9` of the emulator, then
 * retries and one reconciler run, then the invariants (test/chaos/**). Bounded to a few minutes;
 * `.ci/run` runs it after `npm test`.
 */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  globalSetup: '<rootDir>/test/global-setup.js',
  setupFiles: ['<rootDir>/test/setup-env.js'],
  testTimeout: 600000,
};
