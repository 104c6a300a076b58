/**
 * 推演结果 as the editor shows it (operator studio, issue 9): a day-by-day column chart of
 * visitors, claims and verified invites, the headline totals, each limited prize's stock-out day,
 * the group pool, the plan the database needs, and the warnings — the ones to act on first.
 */
import type { Projection } from '../../../cloudfunctions/_shared/contracts';
import { formatCount, formatFen } from '../../utils/format';

export interface ChartColumn {
  day: number;
  /** percentages of the chart's height */
  visitors: number;
  claims: number;
  verified: number;
  /** a warning happens on this day */
  flagged: boolean;
  /** a short date label under every 5th column */
  label: string;
}

const percent = (n: number, max: number) => (max > 0 ? Math.round((n / max) * 1000) / 10 : 0);

export function projectionView(p: Projection) {
  const max = Math.max(1, ...p.days.map((d) => d.visitors));
  const flaggedDays = new Set(
    p.warnings.filter((w) => w.level === 'warn' && w.day).map((w) => w.day),
  );
  const columns: ChartColumn[] = p.days.map((d) => ({
    day: d.day,
    visitors: percent(d.visitors, max),
    claims: percent(d.claims, max),
    verified: percent(d.verified, max),
    flagged: flaggedDays.has(d.day),
    label:
      d.day === 1 || d.day % 5 === 0
        ? `${Number(d.date.slice(5, 7))}/${Number(d.date.slice(8))}`
        : '',
  }));
  const t = p.totals;
  const band = p.bands?.totals;
  const range = (key: keyof NonNullable<typeof band>) =>
    band ? `${formatCount(band[key].p10)}–${formatCount(band[key].p90)}` : '';
  return {
    chartMax: formatCount(max),
    columns,
    totals: [
      { key: 'visitors', label: '访客', value: formatCount(t.visitors), range: range('visitors') },
      { key: 'claims', label: '领取福利', value: formatCount(t.claims), range: range('claims') },
      {
        key: 'verified',
        label: '有效邀请',
        value: formatCount(t.verified),
        range: range('verified'),
      },
      {
        key: 'cards',
        label: '点亮黑卡',
        value: formatCount(t.cardsUnlocked),
        range: range('cardsUnlocked'),
      },
      { key: 'spins', label: '抽奖次数', value: formatCount(t.spins), range: range('spins') },
      {
        key: 'redeemed',
        label: '核销券',
        value: formatCount(t.couponsRedeemed),
        range: `共发 ${formatCount(t.couponsIssued)} 张`,
      },
    ],
    cost: {
      total: formatFen(t.cost.total),
      parts: `渠道 ${formatFen(t.cost.channels)} · 奖品 ${formatFen(t.cost.prizes)} · 优惠券 ${formatFen(t.cost.coupons)}`,
      perMember: t.costPerMember === null ? '—' : formatFen(t.costPerMember),
      members: formatCount(t.newMembers),
      range: p.bands ? `${formatFen(p.bands.cost.p10)}–${formatFen(p.bands.cost.p90)}` : '',
    },
    prizes: p.prizes
      .filter((prize) => prize.stock !== null)
      .map((prize) => ({
        id: prize.id,
        name: prize.name,
        text:
          prize.stockOutDay === null
            ? `剩 ${formatCount((prize.stock ?? 0) - prize.issued)} / ${formatCount(prize.stock ?? 0)}`
            : `第 ${prize.stockOutDay} 天抽完`,
        out: prize.stockOutDay !== null,
      })),
    pool:
      p.pool.fillsOnDay === null
        ? `群池够用：需要 ${formatCount(p.pool.seatsNeeded)} 个位置，现有 ${formatCount(p.pool.room)}`
        : `群池第 ${p.pool.fillsOnDay} 天满，还需约 ${p.pool.moreQrCodes} 个群二维码`,
    poolFull: p.pool.fillsOnDay !== null,
    database: `最忙时每秒约 ${p.database.peakOpsPerSecond} 次数据库操作：${p.database.plan ? `云开发${p.database.plan}即可` : '超过所列套餐'}`,
    warnings: [...p.warnings]
      .sort((a, b) =>
        a.level === b.level ? (a.day ?? 0) - (b.day ?? 0) : a.level === 'warn' ? -1 : 1,
      )
      .map((w, index) => ({ key: `${w.code}-${index}`, level: w.level, message: w.message })),
    banded: Boolean(p.bands),
  };
}

export type ProjectionView = ReturnType<typeof projectionView>;
