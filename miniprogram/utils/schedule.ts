/**
 * Where a moment stands against a time window (the campaign, the magnet's claim window), read on
 * the server's clock: pages pass `Date.now() + serverOffset(...)` (utils/countdown).
 */

export type WindowPhase = 'upcoming' | 'open' | 'over';

export interface TimeWindow {
  startAt: string;
  endAt: string;
}

/**
 * `upcoming` before `startAt`, `open` in [startAt, endAt), `over` from `endAt` on. An unreadable
 * bound does not close the window: the server checks again on every action.
 */
export function windowPhase(window: TimeWindow, nowMs: number): WindowPhase {
  const start = Date.parse(window.startAt);
  const end = Date.parse(window.endAt);
  if (Number.isFinite(start) && nowMs < start) return 'upcoming';
  if (Number.isFinite(end) && nowMs >= end) return 'over';
  return 'open';
}
