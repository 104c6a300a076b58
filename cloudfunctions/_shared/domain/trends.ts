/**
 * Retention (issue 15): the funnel day by day. Every funnel figure, for the campaign and per
 * channel, has a daily twin `days.<Shanghai day>.<path>` bumped in the same counter write as the
 * all-time figure (no extra write per event), and recounted by the reconciler from the records'
 * own timestamps (domain/tally). Pure: the day and the counters come in.
 *
 * A day's figure counts what happened that day: new visitors (their first entry), claims, first
 * spins, spins, new inviters, invites verified, cards unlocked, first group hand-outs, joins,
 * coupons issued and redeemed, and the face value redeemed. So the days of a figure add up to its
 * all-time count; a reversal takes its redemption back from the day it was made.
 */
import { CHANNEL_FIGURES, type ChannelCounts } from './channels';
import { DAY_MS, shanghaiDayKey, shanghaiDayStart } from './time';

/** Campaign-wide figures with a daily twin (the funnel's, and the face value redeemed). */
export const TRENDED_FIGURES = [
  'visitors',
  'claims',
  'spinners',
  'spins',
  'inviters',
  'invitesVerified',
  'cardsUnlocked',
  'groupHandouts',
  'groupJoins',
  'couponsIssued',
  'couponsRedeemed',
  'redeemedValue',
] as const;

/** Per-channel figures with a daily twin (`channels.<code>.<figure>`): a channel's row. */
export const TRENDED_CHANNEL_FIGURES = CHANNEL_FIGURES;

export type TrendedFigure = (typeof TRENDED_FIGURES)[number];
export type TrendedChannelFigure = keyof ChannelCounts;

const TRENDED = new RegExp(
  `^(${TRENDED_FIGURES.join('|')})$|^channels\\.[^.]+\\.(${TRENDED_CHANNEL_FIGURES.join('|')})$`,
);
const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether an all-time counter path has a daily twin. */
export function isTrended(path: string): boolean {
  return TRENDED.test(path);
}

/** The daily twin of `path` on `dayKey` ('YYYY-MM-DD', Shanghai). */
export function dayPath(dayKey: string, path: string): string {
  return `days.${dayKey}.${path}`;
}

/** A daily twin's day and all-time path, or null for any other path. */
export function parseDayPath(path: string): { dayKey: string; path: string } | null {
  if (!path.startsWith('days.')) return null;
  const dayKey = path.slice(5, 15);
  const rest = path.slice(16);
  return DAY_KEY.test(dayKey) && path[15] === '.' && isTrended(rest)
    ? { dayKey, path: rest }
    : null;
}

/**
 * `increments` with the daily twin of each trended figure on the Shanghai day of `at` (the time
 * of the event: a reversal passes its redemption's), for one counter write.
 */
export function withDays(
  increments: Readonly<Record<string, number>>,
  at: Date,
): Record<string, number> {
  const dayKey = shanghaiDayKey(at);
  const dated: Record<string, number> = { ...increments };
  for (const [path, by] of Object.entries(increments)) {
    if (!isTrended(path)) continue;
    const twin = dayPath(dayKey, path);
    dated[twin] = (dated[twin] ?? 0) + by;
  }
  return dated;
}

/** Days a trend answers at most (a campaign of the seeds' 3–5 months fits). */
export const TREND_DAYS_MAX = 180;

/**
 * The Shanghai days of a campaign so far, oldest first: from its start's day to today (or its
 * end's day once it ended), the last TREND_DAYS_MAX of them. Today's is last while it runs.
 */
export function campaignDays(startAt: Date, endAt: Date, now: Date): string[] {
  const first = shanghaiDayStart(startAt).getTime();
  // an end at midnight is the end of the day before it
  const last = shanghaiDayStart(now < endAt ? now : new Date(endAt.getTime() - 1)).getTime();
  const days: string[] = [];
  for (let t = last; t >= first && days.length < TREND_DAYS_MAX; t -= DAY_MS) {
    // noon of the day: never near a boundary, whatever the arithmetic did to the hour
    days.push(shanghaiDayKey(new Date(t + DAY_MS / 2)));
  }
  return days.reverse();
}

/** The day before `dayKey` (both 'YYYY-MM-DD', Shanghai). */
export function previousDay(dayKey: string): string {
  return shanghaiDayKey(new Date(Date.parse(`${dayKey}T12:00:00+08:00`) - DAY_MS));
}

/** One figure's values on `days`, from the summed counters. */
export function dailyValues(
  counters: ReadonlyMap<string, number>,
  path: string,
  days: readonly string[],
): number[] {
  return days.map((day) => counters.get(dayPath(day, path)) ?? 0);
}
