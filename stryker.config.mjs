// @ts-check
/**
 * `npm run test:mutation`: Stryker mutates the rules (domain), the repository operations that
 * enforce them, the flows that follow a record, and the actions; every mutant must be caught by
 * a test. The functions are tested through their bundles, built from the mutated sources once
 * per sandbox (test/stryker-setup.js). The score is recorded in docs/RELIABILITY.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: { configFile: 'jest.stryker.config.js', enableFindRelatedTests: false },
  coverageAnalysis: 'perTest',
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate: [
    'cloudfunctions/_shared/domain/**/*.ts',
    'cloudfunctions/_shared/repositories/**/*.ts',
    'cloudfunctions/_shared/flows/**/*.ts',
    'cloudfunctions/*/actions/**/*.ts',
  ],
  ignorePatterns: ['dist', '.cloudbase-local', 'docs', 'test/e2e', 'reports', '.stryker-tmp'],
  concurrency: 2,
  timeoutMS: 30000,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 85, break: 85 },
};
