// @ts-check
/**
 * `npm run test:mutation:domain`: Stryker over the domain rules the invariants rest on (stock,
 * lottery, invites and their verdicts, coupons, the group pool, redeem tokens, right quotas, the
 * invite ladder), each against its own unit tests (jest.stryker-domain.config.js). Minutes, where
 * `npm run test:mutation` (everything, through the function bundles) takes hours on two cores.
 * The score is recorded in docs/RELIABILITY.md.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import base from './stryker.config.mjs';

export default {
  ...base,
  jest: { configFile: 'jest.stryker-domain.config.js', enableFindRelatedTests: false },
  mutate: [
    'cloudfunctions/_shared/domain/stock.ts',
    'cloudfunctions/_shared/domain/lottery.ts',
    'cloudfunctions/_shared/domain/invite.ts',
    'cloudfunctions/_shared/domain/qualify.ts',
    'cloudfunctions/_shared/domain/coupon.ts',
    'cloudfunctions/_shared/domain/group.ts',
    'cloudfunctions/_shared/domain/redeem-token.ts',
    'cloudfunctions/_shared/domain/quota.ts',
    'cloudfunctions/_shared/domain/milestones.ts',
  ],
  jsonReporter: { fileName: 'reports/mutation/domain.json' },
  htmlReporter: { fileName: 'reports/mutation/domain.html' },
};
