/**
 * 权益额度: how often a black-card right may be used, per period of the Shanghai calendar
 * (`{ quota: 1, period: 'month' }` = once per calendar month), or without limit. The uses of one
 * member, right and period are counted in one document whose id names the period
 * (repositories/right-uses): a new period is a new document, so nothing has to reset.
 *
 * Periods: `day`, `week` (Monday to Sunday), `month`, `year` — calendar periods in Asia/Shanghai
 * — and `campaign` (once for the whole campaign).
 */
import { DAY_MS, SHANGHAI_OFFSET_MS, formatShanghai, shanghaiDayStart } from './time';

export type RightPeriod = 'day' | 'week' | 'month' | 'year' | 'campaign';

export const PERIOD_NAMES: Record<RightPeriod, { every: string; current: string }> = {
  day: { every: '每天', current: '今天' },
  week: { every: '每周', current: '本周' },
  month: { every: '每月', current: '本月' },
  year: { every: '每年', current: '今年' },
  campaign: { every: '活动期间', current: '活动期间' },
};

export interface RightLimit {
  /** uses per period; absent: unlimited */
  quota?: number;
  period?: RightPeriod;
}

export interface PeriodWindow {
  /** safe as part of a document id: `m2025-03`, `w2025-03-10`, `all` */
  key: string;
  /** the first instant of the next period (null: the campaign's period never ends) */
  endsAt: Date | null;
}

/** The period of `period` kind that `at` falls in. */
export function periodAt(period: RightPeriod, at: Date): PeriodWindow {
  const dayStart = shanghaiDayStart(at);
  switch (period) {
    case 'day':
      return {
        key: `d${formatShanghai(at, 'YYYY-MM-DD')}`,
        endsAt: new Date(dayStart.getTime() + DAY_MS),
      };
    case 'week': {
      // Shanghai weekday of `at`: 0 = Sunday … 6 = Saturday; weeks start on Monday
      const weekday = new Date(dayStart.getTime() + SHANGHAI_OFFSET_MS).getUTCDay();
      const monday = new Date(dayStart.getTime() - ((weekday + 6) % 7) * DAY_MS);
      return {
        key: `w${formatShanghai(monday, 'YYYY-MM-DD')}`,
        endsAt: new Date(monday.getTime() + 7 * DAY_MS),
      };
    }
    case 'month': {
      const wall = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
      const next = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth() + 1, 1) - SHANGHAI_OFFSET_MS;
      return { key: `m${formatShanghai(at, 'YYYY-MM')}`, endsAt: new Date(next) };
    }
    case 'year': {
      const wall = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
      const next = Date.UTC(wall.getUTCFullYear() + 1, 0, 1) - SHANGHAI_OFFSET_MS;
      return { key: `y${formatShanghai(at, 'YYYY')}`, endsAt: new Date(next) };
    }
    case 'campaign':
      return { key: 'all', endsAt: null };
  }
}

/** The period a right is counted in (an unlimited right is counted per month, for the record). */
export function rightPeriod(right: RightLimit): RightPeriod {
  return right.period ?? 'month';
}

/** What is left of a right's quota after `used` uses this period (null: unlimited). */
export function quotaLeft(right: RightLimit, used: number): number | null {
  return right.quota === undefined ? null : Math.max(0, right.quota - used);
}

/** `每月 1 次`, `活动期间 2 次`, `不限次数`. */
export function describeQuota(right: RightLimit): string {
  if (right.quota === undefined) return '不限次数';
  return `${PERIOD_NAMES[rightPeriod(right)].every} ${right.quota} 次`;
}

/** `本月剩 1 次`, `本周已用完`, `不限次数`. */
export function describeLeft(right: RightLimit, used: number): string {
  const left = quotaLeft(right, used);
  if (left === null) return '不限次数';
  const current = PERIOD_NAMES[rightPeriod(right)].current;
  return left > 0 ? `${current}剩 ${left} 次` : `${current}已用完`;
}
