/**
 * Calendar days in Asia/Shanghai, whatever the host's time zone.
 *
 * Daily limits (free spins, bonus spins earned, invite caps) and coupon expiry follow the
 * Shanghai calendar. China has kept UTC+8 without daylight saving since 1991, so a Shanghai
 * wall-clock reading is the instant shifted by +8 h and read in UTC, and day boundaries are
 * plain arithmetic.
 *
 * Why not `dayjs(at).tz('Asia/Shanghai')`: the timezone plugin goes through the host's local
 * time, and on a host that observes DST its `startOf('day')` / `add(1, 'day')` (and even its
 * formatting inside the host's DST gap) come out an hour off around the host's transitions
 * (measured with dayjs 1.11 under TZ=America/Los_Angeles). dayjs is still used to format, in
 * UTC mode, which never consults the host zone.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

function instantOf(at: Date): number {
  const ms = at.getTime();
  // An Invalid Date here is a programming error upstream; failing loudly beats a NaN day key.
  if (!Number.isFinite(ms)) throw new RangeError('invalid Date');
  return ms;
}

/** The Shanghai calendar day of `at`, as 'YYYY-MM-DD' (the key for per-day counters). */
export function shanghaiDayKey(at: Date): string {
  // the shifted instant's ISO date: what formatShanghai(at, 'YYYY-MM-DD') answers, without
  // parsing a pattern (every visitor action asks for today's key, some several times)
  const iso = new Date(instantOf(at) + SHANGHAI_OFFSET_MS).toISOString();
  return iso.length === 24 ? iso.slice(0, 10) : formatShanghai(at, 'YYYY-MM-DD');
}

/** The instant the Shanghai day containing `at` began (00:00:00.000 Shanghai). */
export function shanghaiDayStart(at: Date): Date {
  const wall = instantOf(at) + SHANGHAI_OFFSET_MS;
  return new Date(wall - (((wall % DAY_MS) + DAY_MS) % DAY_MS) - SHANGHAI_OFFSET_MS);
}

/** The next 00:00 Shanghai strictly after `at` (a counter keyed by today resets then). */
export function nextShanghaiMidnight(at: Date): Date {
  return new Date(shanghaiDayStart(at).getTime() + DAY_MS);
}

/** The last millisecond (23:59:59.999 Shanghai) of the Shanghai day `plusDays` after `at`'s. */
export function endOfShanghaiDay(at: Date, plusDays = 0): Date {
  return new Date(shanghaiDayStart(at).getTime() + (plusDays + 1) * DAY_MS - 1);
}

/** Formats `at` as Shanghai wall-clock time with a dayjs pattern, e.g. 'M月D日 HH:mm'. */
export function formatShanghai(at: Date, pattern: string): string {
  return dayjs.utc(instantOf(at) + SHANGHAI_OFFSET_MS).format(pattern);
}

/** ISO-8601 with the Shanghai offset, e.g. '2025-03-01T10:00:00.000+08:00' (same instant). */
export function toShanghaiIso(at: Date): string {
  return `${formatShanghai(at, 'YYYY-MM-DDTHH:mm:ss.SSS')}+08:00`;
}
