/**
 * Retention (issue 15): what the dashboard shows of `stats.overview`'s trend, cohorts and
 * repurchase, and of `campaign.list` for the comparison with the previous campaign. Pure: the
 * page keeps the answers and the operator's choices, and renders these views.
 */
import type {
  AdminResults,
  CampaignSummary,
  CohortRow,
  CohortWindow,
  RepurchaseFigures,
  TrendSeries,
} from '../../../cloudfunctions/_shared/contracts';
import type { BarItem } from '../../components/bar-chart/index';
import { formatCount, formatFen } from '../../utils/format';

type Overview = AdminResults['stats.overview'];
type Trend = Overview['trend'];

/** A series' value as it reads: `12`, `¥56.5`. */
export function seriesValue(series: Pick<TrendSeries, 'unit'>, value: number): string {
  return series.unit === '分' ? formatFen(value) : formatCount(value);
}

/** 'YYYY-MM-DD' → `3/5` */
export function shortDay(dayKey: string): string {
  const [, month, day] = dayKey.split('-').map(Number);
  return `${month}/${day}`;
}

// ---- today vs yesterday ----------------------------------------------------------------------

/** The figures the 今日 card compares with yesterday. */
export const TODAY_KEYS = [
  'visitors',
  'claims',
  'invitesVerified',
  'couponsRedeemed',
  'redeemedValue',
];

export interface TodayTile {
  key: string;
  label: string;
  value: string;
  /** `昨日 3`; empty when the campaign has no yesterday yet */
  yesterday: string;
  /** `↑2`, `↓1`, `持平` */
  change: string;
  direction: 'up' | 'down' | 'flat';
}

/**
 * Today's figures against yesterday's, by the server's day (`trend.today`); empty once the
 * campaign ended (its last day is not today).
 */
export function todayView(trend: Trend): TodayTile[] {
  const last = trend.days.length - 1;
  if (last < 0 || trend.days[last] !== trend.today) return [];
  return TODAY_KEYS.flatMap((key) => {
    const series = trend.series.find((s) => s.key === key);
    if (!series) return [];
    const today = series.values[last] ?? 0;
    const before = last > 0 ? series.values[last - 1] : null;
    const delta = before === null ? 0 : today - before;
    return [
      {
        key,
        label: series.label,
        value: seriesValue(series, today),
        yesterday: before === null ? '' : `昨日 ${seriesValue(series, before)}`,
        change:
          before === null
            ? ''
            : delta === 0
              ? '持平'
              : `${delta > 0 ? '↑' : '↓'}${seriesValue(series, Math.abs(delta))}`,
        direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat',
      },
    ];
  });
}

// ---- the chart -------------------------------------------------------------------------------

export type TrendRange = 'week' | 'all';

export interface TrendChoice {
  /** a series' key */
  figure: string;
  range: TrendRange;
  /** '' for the whole campaign, else a channel's code */
  channel: string;
}

export const DEFAULT_CHOICE: TrendChoice = { figure: 'visitors', range: 'week', channel: '' };

/** The figures one can chart: the campaign's, or a channel's (the keys they share by name). */
const CHART_FIGURES = ['visitors', 'claims', 'invitesVerified', 'couponsRedeemed', 'redeemedValue'];
/** A channel names its verified friends `verified`. */
const CHANNEL_KEY: Record<string, string> = { invitesVerified: 'verified' };

export interface ChartView {
  figures: Array<{ key: string; label: string; on: boolean }>;
  ranges: Array<{ key: TrendRange; label: string; on: boolean }>;
  channels: Array<{ code: string; name: string }>;
  channelIndex: number;
  columns: BarItem[];
  /** `近 7 天共 12 人` */
  total: string;
}

export function chartView(trend: Trend, choice: TrendChoice): ChartView {
  const channel = trend.channels.find((c) => c.code === choice.channel);
  const pool = channel ? channel.series : trend.series;
  const key = channel ? (CHANNEL_KEY[choice.figure] ?? choice.figure) : choice.figure;
  const series = pool.find((s) => s.key === key) ?? pool[0];
  const count = choice.range === 'week' ? Math.min(7, trend.days.length) : trend.days.length;
  const days = trend.days.slice(trend.days.length - count);
  const values = series ? series.values.slice(series.values.length - count) : [];
  // a label under every column of a week, else under about seven of them
  const every = Math.max(1, Math.ceil(days.length / 7));
  const total = values.reduce((sum, v) => sum + v, 0);
  const campaignSeries = new Map(trend.series.map((s) => [s.key, s]));
  return {
    figures: CHART_FIGURES.map((k) => ({
      key: k,
      label: campaignSeries.get(k)?.label ?? k,
      on: k === choice.figure,
    })),
    ranges: [
      { key: 'week', label: '近 7 天', on: choice.range === 'week' },
      { key: 'all', label: '活动全程', on: choice.range === 'all' },
    ],
    channels: [
      { code: '', name: '全部渠道' },
      ...trend.channels.map((c) => ({ code: c.code, name: c.name })),
    ],
    channelIndex: channel ? trend.channels.indexOf(channel) + 1 : 0,
    columns: days.map((day, i) => ({
      label: i % every === 0 || i === days.length - 1 ? shortDay(day) : '',
      value: values[i] ?? 0,
      text: series ? seriesValue(series, values[i] ?? 0) : '',
      highlight: day === trend.today,
    })),
    total: series
      ? `${choice.range === 'week' ? `近 ${count} 天` : `全程 ${count} 天`}共 ${
          series.unit === '分'
            ? formatFen(total)
            : `${formatCount(total)} ${series.unit === '人' ? '人' : series.unit}`
        }`
      : '',
  };
}

// ---- cohorts ---------------------------------------------------------------------------------

export interface CohortCell {
  /** `50%`, or `—` while no cohort's window has opened */
  rate: string;
  /** `2/4` */
  detail: string;
  /** still open: the rate may rise */
  open: boolean;
}

export interface CohortLine {
  key: string;
  label: string;
  visitors: string;
  cells: CohortCell[];
}

function cell(w: CohortWindow): CohortCell {
  if (w.rate === undefined) return { rate: '—', detail: '', open: false };
  return {
    rate: `${Math.round(w.rate * 100)}%`,
    detail: `${formatCount(w.returned)}/${formatCount(w.base)}`,
    open: w.open,
  };
}

const line = (row: CohortRow): CohortLine => ({
  key: row.key,
  label: row.label,
  visitors: formatCount(row.visitors),
  cells: row.windows.map(cell),
});

export function cohortsView(cohorts: Overview['cohorts']) {
  return {
    heads: cohorts.all.windows.map((w) => w.label),
    days: cohorts.days.map(line),
    all: line(cohorts.all),
    channels: cohorts.channels.map(line),
    // anything still counting: the footnote says what the mark means
    open: [cohorts.all, ...cohorts.channels].some((row) => row.windows.some((w) => w.open)),
  };
}

// ---- repurchase ------------------------------------------------------------------------------

const rateText = (f: RepurchaseFigures) =>
  f.rate === undefined ? '—' : `${Math.round(f.rate * 100)}%`;

export function repurchaseView(repurchase: Overview['repurchase']) {
  return {
    rate: rateText(repurchase),
    // 核销过 2 人，其中 1 人核销 2 次以上
    detail:
      repurchase.redeemers > 0
        ? `核销过的 ${formatCount(repurchase.redeemers)} 人中，${formatCount(repurchase.repeatRedeemers)} 人核销 2 次以上`
        : '还没有会员核销过',
    value: formatFen(repurchase.redeemedValue),
    coupon: repurchase.coupon ? `复购券：${repurchase.coupon.title}` : '未设置复购券',
    channels: repurchase.channels.map((c) => ({
      code: c.code,
      name: c.name,
      redeemers: formatCount(c.redeemers),
      repeat: formatCount(c.repeatRedeemers),
      rate: rateText(c),
    })),
  };
}

// ---- this campaign against the previous one ----------------------------------------------------

type Figures = CampaignSummary['figures'];

/** The previous campaign: the latest one that started before this one and ran. */
export function previousCampaign(
  campaigns: readonly CampaignSummary[],
  current: string,
): CampaignSummary | null {
  const me = campaigns.find((c) => c.id === current);
  if (!me) return null;
  const earlier = campaigns.filter(
    (c) =>
      c.id !== me.id &&
      c.status !== 'draft' &&
      c.status !== 'scheduled' &&
      Date.parse(c.startAt) < Date.parse(me.startAt),
  );
  earlier.sort((a, b) => Date.parse(b.startAt) - Date.parse(a.startAt));
  return earlier[0] ?? null;
}

const DAY_MS = 24 * 3600 * 1000;

/** Days a campaign has run by `now`, to its end or an operator's 结束 (at least 1). */
function daysRun(c: CampaignSummary, now: number): number {
  const end = Math.min(now, Date.parse(c.endedAt ?? c.endAt));
  return Math.max(1, Math.ceil((end - Date.parse(c.startAt)) / DAY_MS));
}

const percentOf = (part: number, whole: number) =>
  whole > 0 ? `${Math.round((part / whole) * 100)}%` : '—';

const COMPARED: Array<{ label: string; read: (f: Figures, days: number) => string }> = [
  { label: '访客', read: (f) => formatCount(f.visitors) },
  { label: '日均新访客', read: (f, days) => String(Math.round((f.visitors / days) * 10) / 10) },
  { label: '领取率', read: (f) => percentOf(f.claims, f.visitors) },
  { label: '有效邀请', read: (f) => formatCount(f.invitesVerified) },
  { label: '解锁黑卡', read: (f) => formatCount(f.cardsUnlocked) },
  { label: '核销', read: (f) => `${formatCount(f.couponsRedeemed)} 张` },
  { label: '核销面值', read: (f) => formatFen(f.redeemedValue) },
  { label: '复购率', read: (f) => percentOf(f.repeatRedeemers, f.redeemers) },
];

export function historyView(
  campaigns: readonly CampaignSummary[],
  current: string,
  serverNow: string,
) {
  const me = campaigns.find((c) => c.id === current);
  const previous = previousCampaign(campaigns, current);
  if (!me || !previous) return { shown: Boolean(me), previousTitle: '', rows: [] };
  const now = Date.parse(serverNow);
  const [mine, theirs] = [me, previous].map((c) => ({ figures: c.figures, days: daysRun(c, now) }));
  return {
    shown: true,
    previousTitle: previous.title,
    rows: COMPARED.map(({ label, read }) => ({
      label,
      current: read(mine.figures, mine.days),
      previous: read(theirs.figures, theirs.days),
    })),
  };
}
