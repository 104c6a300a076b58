/**
 * The quick mutation run (`npm run test:mutation:domain`): the domain's rules against their own
 * unit tests only — no bundles, no emulator — so every mutant of a rule must be caught by a test
 * of that rule, not by a function test that happens to pass through it.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/cloudfunctions/_shared/domain'],
  globalSetup: undefined,
};
