/**
 * When the coupon page asks for a fresh redemption token (核销码). Tokens last about 60 s
 * (SPEC §3); the page asks again `leadMs` before the expiry the server gave.
 *
 * The expiry is on the server's clock and the phone's may be off by minutes, so the wait is
 * clamped: never longer than a token's life minus the lead (a slow phone would otherwise show a
 * stale code), never shorter than `minMs` (a fast phone would otherwise ask in a loop).
 */

export const TOKEN_TTL_MS = 60_000;
export const REFRESH_LEAD_MS = 10_000;
const MIN_WAIT_MS = 5_000;

export function tokenRefreshDelay(expiresAtIso: string, nowMs: number): number {
  const longest = TOKEN_TTL_MS - REFRESH_LEAD_MS;
  const expiresAt = Date.parse(expiresAtIso);
  if (!Number.isFinite(expiresAt)) return longest;
  const wait = expiresAt - REFRESH_LEAD_MS - nowMs;
  return Math.min(longest, Math.max(MIN_WAIT_MS, wait));
}
