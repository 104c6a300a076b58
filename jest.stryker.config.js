/**
 * The jest run Stryker repeats for each mutant (`npm run test:mutation`): the tests of the
 * functions and their domain, with the bundles built once per Stryker sandbox (the mutants are
 * all compiled in, switched on one at a time). Page, emulator and size tests are left out: they
 * do not exercise the mutated code, or they measure the bundles themselves.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/cloudfunctions'],
  testPathIgnorePatterns: [
    '/node_modules/',
    // measures the bundle's size and source map: the instrumented bundle is bigger by design
    '<rootDir>/test/cloudfunctions/bundles.test.ts',
  ],
  globalSetup: '<rootDir>/test/stryker-setup.js',
};
