import {
  REFRESH_LEAD_MS,
  TOKEN_TTL_MS,
  tokenRefreshDelay,
} from '../../../miniprogram/utils/redeem';

const NOW = Date.parse('2025-03-01T12:00:00+08:00');
const iso = (ms: number) => new Date(ms).toISOString();

test('asks 10 s before the token expires', () => {
  expect(REFRESH_LEAD_MS).toBe(10_000);
  expect(tokenRefreshDelay(iso(NOW + TOKEN_TTL_MS), NOW)).toBe(50_000);
  expect(tokenRefreshDelay(iso(NOW + 30_000), NOW)).toBe(20_000);
});

test('a token cut short by its coupon’s expiry is refreshed sooner, but not in a loop', () => {
  expect(tokenRefreshDelay(iso(NOW + 16_000), NOW)).toBe(6_000);
  expect(tokenRefreshDelay(iso(NOW + 12_000), NOW)).toBe(5_000);
  expect(tokenRefreshDelay(iso(NOW - 60_000), NOW)).toBe(5_000); // phone clock minutes fast
});

test('a phone clock minutes slow never leaves a stale code up', () => {
  expect(tokenRefreshDelay(iso(NOW + 5 * 60_000), NOW)).toBe(50_000);
});

test('an unreadable expiry falls back to the longest wait', () => {
  expect(tokenRefreshDelay('', NOW)).toBe(50_000);
  expect(tokenRefreshDelay('not a date', NOW)).toBe(50_000);
});
