/**
 * Retention (issue 15): the parts of `stats.overview` that look past the all-time figures — the
 * campaign day by day (trend), return visits by cohort, and repurchase (复购). All of it is read
 * from the same summed counters as the rest of the dashboard: no extra read, nothing scanned.
 */
import type { Campaign } from '../../_shared/campaign';
import type {
  AdminResults,
  CohortRow,
  RepurchaseFigures,
  TrendSeries,
} from '../../_shared/contracts';
import {
  RETURN_WINDOWS,
  cohortOf,
  windowFigures,
  type CohortCounts,
} from '../../_shared/domain/cohorts';
import { formatShanghai, shanghaiDayKey } from '../../_shared/domain/time';
import {
  campaignDays,
  dailyValues,
  type TrendedChannelFigure,
  type TrendedFigure,
} from '../../_shared/domain/trends';

type Overview = AdminResults['stats.overview'];
type Counters = ReadonlyMap<string, number>;
/** A channel as the dashboard names it. */
export interface NamedChannel {
  code: string;
  name: string;
}

/** The campaign's daily figures, as a day's value reads (新访客: who first entered that day). */
const SERIES: Array<{ key: TrendedFigure; label: string; unit: TrendSeries['unit'] }> = [
  { key: 'visitors', label: '新访客', unit: '人' },
  { key: 'claims', label: '领取福利', unit: '人' },
  { key: 'spinners', label: '新抽奖人', unit: '人' },
  { key: 'spins', label: '抽奖次数', unit: '次' },
  { key: 'inviters', label: '新邀请人', unit: '人' },
  { key: 'invitesVerified', label: '有效邀请', unit: '人' },
  { key: 'cardsUnlocked', label: '解锁黑卡', unit: '人' },
  { key: 'groupHandouts', label: '领取群码', unit: '人' },
  { key: 'groupJoins', label: '确认入群', unit: '人' },
  { key: 'couponsIssued', label: '发券', unit: '张' },
  { key: 'couponsRedeemed', label: '核销', unit: '张' },
  { key: 'redeemedValue', label: '核销面值', unit: '分' },
];

/** A channel's daily figures (its row's: what it brought, and what was redeemed). */
const CHANNEL_SERIES: Array<{
  key: TrendedChannelFigure;
  label: string;
  unit: TrendSeries['unit'];
}> = [
  { key: 'visitors', label: '新访客', unit: '人' },
  { key: 'claims', label: '领取福利', unit: '人' },
  { key: 'spinners', label: '新抽奖人', unit: '人' },
  { key: 'verified', label: '带来会员', unit: '人' },
  { key: 'couponsIssued', label: '发券', unit: '张' },
  { key: 'couponsRedeemed', label: '核销', unit: '张' },
  { key: 'redeemedValue', label: '核销面值', unit: '分' },
  { key: 'revenue', label: '估算收入', unit: '分' },
];

export function trendView(
  campaign: Pick<Campaign, 'startAt' | 'endAt'>,
  counters: Counters,
  channels: readonly NamedChannel[],
  now: Date,
): Overview['trend'] {
  const days = campaignDays(new Date(campaign.startAt), new Date(campaign.endAt), now);
  return {
    days,
    today: shanghaiDayKey(now),
    series: SERIES.map(({ key, label, unit }) => ({
      key,
      label,
      unit,
      values: dailyValues(counters, key, days),
    })),
    channels: channels.map(({ code, name }) => ({
      code,
      name,
      series: CHANNEL_SERIES.map(({ key, label, unit }) => ({
        key,
        label,
        unit,
        values: dailyValues(counters, `channels.${code}.${key}`, days),
      })),
    })),
  };
}

/** First-visit days the cohort table lists (newest first); the totals cover every day. */
export const COHORT_DAYS_SHOWN = 14;

export function cohortsView(
  counters: Counters,
  days: readonly string[],
  channels: readonly NamedChannel[],
  now: Date,
): Overview['cohorts'] {
  const today = shanghaiDayKey(now);
  const codes = channels.map((c) => c.code);
  const byDay = days.map((day) => cohortOf(counters, day, codes));
  const row = (key: string, label: string, cohorts: CohortCounts[]): CohortRow => ({
    key,
    label,
    visitors: cohorts.reduce((sum, c) => sum + c.size, 0),
    windows: windowFigures(cohorts, today).map((figure) => ({
      ...figure,
      label: RETURN_WINDOWS.find((w) => w.key === figure.window)!.label,
      ...(figure.base > 0 ? { rate: figure.returned / figure.base } : {}),
    })),
  });
  return {
    days: byDay
      .slice(-COHORT_DAYS_SHOWN)
      .reverse()
      .map((cohort) =>
        row(cohort.dayKey, formatShanghai(new Date(`${cohort.dayKey}T12:00:00+08:00`), 'M月D日'), [
          cohort,
        ]),
      ),
    channels: channels
      .map(({ code, name }) =>
        row(
          code,
          name,
          days.map((day) => cohortOf(counters, day, [code])),
        ),
      )
      .filter((r) => r.visitors > 0),
    all: row('all', '全部', byDay),
  };
}

const figures = (redeemers: number, repeatRedeemers: number): RepurchaseFigures => ({
  redeemers,
  repeatRedeemers,
  ...(redeemers > 0 ? { rate: repeatRedeemers / redeemers } : {}),
});

export function repurchaseView(
  campaign: Pick<Campaign, 'repurchase' | 'couponTemplates'>,
  counters: Counters,
  channels: readonly NamedChannel[],
): Overview['repurchase'] {
  const count = (path: string) => Math.max(0, counters.get(path) ?? 0);
  const templateId = campaign.repurchase?.couponTemplateId;
  const template = campaign.couponTemplates.find((t) => t.id === templateId);
  return {
    ...figures(count('redeemers'), count('repeatRedeemers')),
    channels: channels
      .map(({ code, name }) => ({
        code,
        name,
        ...figures(count(`channels.${code}.redeemers`), count(`channels.${code}.repeatRedeemers`)),
      }))
      .filter((c) => c.redeemers > 0),
    ...(template ? { coupon: { templateId: template.id, title: template.title } } : {}),
    redeemedValue: count('redeemedValue'),
  };
}
