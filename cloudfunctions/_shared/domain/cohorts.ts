/**
 * Retention (issue 15): cohorts (同期群). A member's cohort is the Shanghai day they first entered
 * the campaign, and the channel they entered by. A return is a `session.enter` on a later Shanghai
 * day. Definitions (decided here, shown on the dashboard as 次日 / 7日内 / 30日内):
 *
 * - **D1** (次日回访): came back on the day after their first (day 1 exactly);
 * - **D7** (7日内回访): came back at least once on days 1–7;
 * - **D30** (30日内回访): came back at least once on days 1–30.
 *
 * So D1 ⊆ D7 ⊆ D30, and all three follow from one fact: the day of the member's **first return**
 * (`returnedAt`). That is all a participant records (once, conditionally), which keeps the record
 * bounded and the counting exact: the first return bumps the windows it falls in, and the
 * reconciler recounts them from `enteredAt` and `returnedAt`. Pure: times come in.
 *
 * Rates are read over the cohorts whose window has opened (day 1 has come); a window still open
 * for some of them (day 7 has not passed) may still rise, and says so.
 */
import { DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDayKey } from './time';
import { dayPath } from './trends';

export const RETURN_WINDOWS = [
  { key: 'd1', days: 1, exact: true, label: '次日' },
  { key: 'd7', days: 7, exact: false, label: '7日内' },
  { key: 'd30', days: 30, exact: false, label: '30日内' },
] as const;

export type ReturnWindow = (typeof RETURN_WINDOWS)[number]['key'];

/** Shanghai calendar days from `from`'s to `to`'s (0: the same day). */
export function daysBetween(from: Date, to: Date): number {
  const day = (at: Date) => Math.floor((at.getTime() + SHANGHAI_OFFSET_MS) / DAY_MS);
  return day(to) - day(from);
}

/** A visit at `now` of a member who first entered at `enteredAt` is a return (a later day). */
export function isReturn(enteredAt: Date, now: Date): boolean {
  return daysBetween(enteredAt, now) >= 1;
}

/** The windows a first return at `returnedAt` falls in. */
export function returnWindows(enteredAt: Date, returnedAt: Date): ReturnWindow[] {
  const offset = daysBetween(enteredAt, returnedAt);
  if (offset < 1) return [];
  return RETURN_WINDOWS.filter((w) => (w.exact ? offset === w.days : offset <= w.days)).map(
    (w) => w.key,
  );
}

/** The counter of a cohort's returns in one window: `cohorts.<first day>.<channel>.<window>`. */
export function cohortPath(dayKey: string, channel: string, window: ReturnWindow): string {
  return `cohorts.${dayKey}.${channel}.${window}`;
}

/** What a member's first return adds to the counters. */
export function returnIncrements(
  member: { enteredAt: Date; channel: string },
  returnedAt: Date,
): Record<string, number> {
  const dayKey = shanghaiDayKey(member.enteredAt);
  return Object.fromEntries(
    returnWindows(member.enteredAt, returnedAt).map((w) => [
      cohortPath(dayKey, member.channel, w),
      1,
    ]),
  );
}

const COHORT_PATH = new RegExp(
  `^cohorts\\.\\d{4}-\\d{2}-\\d{2}\\.[^.]+\\.(${RETURN_WINDOWS.map((w) => w.key).join('|')})$`,
);

export function isCohortPath(path: string): boolean {
  return COHORT_PATH.test(path);
}

/** One window of a cohort (or of several): who came back, out of whom, and whether it can rise. */
export interface WindowFigure {
  window: ReturnWindow;
  returned: number;
  /** members of the cohorts whose window has opened (their day 1 has come) */
  base: number;
  /** the window is still open for some of them: the figure may still rise */
  open: boolean;
}

/**
 * The windows of the cohorts of `days` (first-visit days, with their sizes), read on `today`. A
 * cohort counts in a window's base from its day 1 on; the window is open until its last day ends.
 */
export function windowFigures(cohorts: readonly CohortCounts[], today: string): WindowFigure[] {
  const age = (dayKey: string) => Math.round((Date.parse(today) - Date.parse(dayKey)) / DAY_MS);
  return RETURN_WINDOWS.map((w) => {
    let returned = 0;
    let base = 0;
    let open = false;
    for (const cohort of cohorts) {
      const days = age(cohort.dayKey);
      if (days < 1 || cohort.size === 0) continue;
      returned += cohort.returns[w.key];
      base += cohort.size;
      if (days <= w.days) open = true;
    }
    return { window: w.key, returned, base, open };
  });
}

/** A cohort as the counters hold it: its size and returns per window. */
export interface CohortCounts {
  dayKey: string;
  size: number;
  returns: Record<ReturnWindow, number>;
}

/**
 * The cohort of first-visit day `dayKey` among the members of `channels`, from the summed
 * counters: its size is the day's new visitors (`days.<day>.channels.<code>.visitors`).
 */
export function cohortOf(
  counters: ReadonlyMap<string, number>,
  dayKey: string,
  channels: readonly string[],
): CohortCounts {
  const count = (path: string) => counters.get(path) ?? 0;
  const returns = { d1: 0, d7: 0, d30: 0 };
  let size = 0;
  for (const channel of channels) {
    size += count(dayPath(dayKey, `channels.${channel}.visitors`));
    for (const w of RETURN_WINDOWS) returns[w.key] += count(cohortPath(dayKey, channel, w.key));
  }
  return { dayKey, size, returns };
}
