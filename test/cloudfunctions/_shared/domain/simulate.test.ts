/**
 * The what-if simulator (operator studio, issue 9): the demo's projection and its warnings, a
 * prize with little stock at high odds running out on a day, totals that add up, the band, and
 * each warning the issue lists.
 */
import fc from 'fast-check';
import type { Campaign } from '../../../../cloudfunctions/_shared/campaign';
import { parseCampaign } from '../../../../cloudfunctions/_shared/campaign';
import type { Projection } from '../../../../cloudfunctions/_shared/contracts';
import { DEMO_ASSUMPTIONS } from '../../../../cloudfunctions/_shared/demo-assumptions';
import { demoCampaign } from '../../../../cloudfunctions/_shared/demo-campaign';
import {
  CLOUDBASE_PLANS,
  resolveAssumptions,
  seededRandom,
  simulate,
  simulateBands,
} from '../../../../cloudfunctions/_shared/domain/simulate';
import { ROUND_TRIPS } from '../../../../cloudfunctions/_shared/round-trips';

const NOW = new Date('2025-03-05T10:00:00+08:00');
const POOL = { room: 540 };

function demo(edit?: (c: Campaign) => void): Campaign {
  const campaign = structuredClone(demoCampaign(NOW));
  edit?.(campaign);
  const parsed = parseCampaign(campaign);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.campaign;
}

const codes = (p: Projection) => p.warnings.map((w) => w.code);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function expectTotalsAddUp(p: Projection, campaign: Campaign) {
  const days = (key: keyof Projection['days'][number]) => sum(p.days.map((d) => d[key] as number));
  for (const key of [
    'visitors',
    'friends',
    'claims',
    'verified',
    'cardsUnlocked',
    'spins',
    'couponsIssued',
    'couponsRedeemed',
    'seats',
  ] as const) {
    expect([key, days(key)]).toEqual([key, p.totals[key]]);
  }
  // every spin drew exactly one prize
  expect(sum(p.prizes.map((prize) => prize.issued))).toBe(p.totals.spins);
  // no prize beyond its stock
  for (const prize of p.prizes) {
    if (prize.stock !== null) expect(prize.issued).toBeLessThanOrEqual(prize.stock);
  }
  // the money: channels + prizes + coupons, and the days' spend is the prizes and coupons
  const { cost } = p.totals;
  expect(cost.total).toBe(cost.channels + cost.prizes + cost.coupons);
  expect(days('cost')).toBe(cost.prizes + cost.coupons);
  expect(cost.channels).toBe(sum(campaign.channels.map((c) => c.cost ?? 0)));
  // friends are visitors; only those who take part claim; a friend verified is one who arrived
  expect(p.totals.friends).toBeLessThanOrEqual(p.totals.visitors);
  expect(p.totals.claims).toBeLessThanOrEqual(p.totals.visitors);
  expect(p.totals.verified).toBeLessThanOrEqual(p.totals.friends);
  // coupons: the magnet's per claim (the demo's has one) and the coupon prizes won
  const couponPrizes = campaign.lottery.prizes
    .map((prize, i) => (prize.kind === 'coupon' ? p.prizes[i].issued : 0))
    .reduce((a, b) => a + b, 0);
  const magnet = campaign.magnet.reward.couponTemplateId ? p.totals.claims : 0;
  expect(Math.abs(p.totals.couponsIssued - (magnet + couponPrizes))).toBeLessThanOrEqual(2);
  expect(p.pool.seatsNeeded).toBe(p.totals.seats);
}

describe('the demo campaign with the demo assumptions', () => {
  const campaign = demo();
  const projection = simulate({ campaign, assumptions: DEMO_ASSUMPTIONS, pool: POOL });

  it('projects every day of the campaign, and the totals add up', () => {
    expect(projection.days).toHaveLength(30);
    expect(projection.days[0].date).toBe('2025-03-04');
    expectTotalsAddUp(projection, campaign);
  });

  it('no longer stops invites when the magnet window closes on day 9: the first spin counts', () => {
    expect(codes(projection)).not.toContain('INVITES_STOP');
    const closes = projection.warnings.find((w) => w.code === 'CLAIM_WINDOW_CLOSES');
    expect(closes).toMatchObject({ level: 'info', day: 9, field: 'magnet.claimWindow.endAt' });
    expect(closes?.message).toBe(
      '领取福利第 9 天（3月12日）截止，比活动早结束：之后新访客不能再领福利，好友首次抽奖即算有效邀请',
    );
    const after = projection.days.filter((d) => d.day > 9);
    expect(after.every((d) => d.claims === 0 && d.verified > 0)).toBe(true);
  });

  it('warns that the magnet window closes before the campaign ends when nothing else counts', () => {
    const gap = demo((c) => (c.invite.whenClaimClosed = 'none'));
    const p = simulate({ campaign: gap, assumptions: DEMO_ASSUMPTIONS, pool: POOL });
    const stop = p.warnings.find((w) => w.code === 'INVITES_STOP');
    expect(stop).toMatchObject({ level: 'warn', day: 9, field: 'invite.whenClaimClosed' });
    expect(stop?.message).toContain('第 9 天（3月12日）截止，之后好友的邀请无法认定');
    // and the projection shows it: nothing verified, no card, no bonus after day 9
    const after = p.days.filter((d) => d.day > 10);
    expect(after.every((d) => d.verified === 0 && d.cardsUnlocked === 0)).toBe(true);
    expect(p.totals.verified).toBeLessThan(projection.totals.verified / 2);
    expectTotalsAddUp(p, gap);
  });

  it('says when the group pool fills and how many more QR codes it takes', () => {
    expect(projection.pool.room).toBe(540);
    const fills = projection.warnings.find((w) => w.code === 'POOL_FILLS');
    expect(fills?.day).toBe(projection.pool.fillsOnDay);
    const taken = projection.days
      .filter((d) => d.day <= projection.pool.fillsOnDay!)
      .reduce((n, d) => n + d.seats, 0);
    expect(taken).toBeGreaterThan(540);
    expect(taken - projection.days[projection.pool.fillsOnDay! - 1].seats).toBeLessThanOrEqual(540);
    expect(projection.pool.moreQrCodes).toBe(
      Math.ceil((projection.totals.seats - 540) / campaign.groups.defaultCapacity),
    );
  });

  it("reads the database load from each action's measured round trips", () => {
    const { database } = projection;
    const peak = projection.days[database.peakDay - 1];
    // the busiest day's spins alone, at their measured cost, in its busiest hour
    const spinOps = (peak.spins * ROUND_TRIPS['lottery.spin'] * 0.15) / 3600;
    expect(database.peakOpsPerSecond).toBeGreaterThan(spinOps);
    expect(database.plan).toBe('基础版 1');
    expect(database.plans.map((p) => p.name)).toEqual(CLOUDBASE_PLANS.map((p) => p.name));
  });
});

describe('warnings', () => {
  it('gives a prize with stock 20 at high odds the day it runs out, and the others share its odds', () => {
    const campaign = demo((c) => (c.lottery.prizes[0].weight = 400));
    const p = simulate({ campaign, assumptions: DEMO_ASSUMPTIONS, pool: POOL });
    const tumbler = p.prizes[0];
    expect(tumbler).toMatchObject({ id: 'tumbler', stock: 20, issued: 20 });
    expect(tumbler.stockOutDay).toBe(1);
    expect(p.warnings.find((w) => w.code === 'PRIZE_STOCK_OUT')).toMatchObject({
      level: 'warn',
      day: 1,
      field: 'lottery.prizes.0.stock',
      message:
        '「定制保温杯」预计第 1 天（3月4日）抽完（库存 20）：之后它不再抽出，其余奖品按权重分它的概率',
    });
    expectTotalsAddUp(p, campaign);
  });

  it('names the day from which only the fallback is left', () => {
    const campaign = demo((c) => {
      for (const prize of c.lottery.prizes) if (!prize.fallback) prize.stock = 30;
    });
    const p = simulate({ campaign, assumptions: DEMO_ASSUMPTIONS, pool: POOL });
    const only = p.warnings.find((w) => w.code === 'FALLBACK_ONLY');
    const last = Math.max(...p.prizes.filter((x) => x.stock !== null).map((x) => x.stockOutDay!));
    expect(only).toMatchObject({ day: last + 1 });
    expect(only?.message).toContain('起转盘只剩「谢谢参与」');
    expect(p.days.slice(last).every((d) => d.couponsIssued === d.claims)).toBe(true);
    expectTotalsAddUp(p, campaign);
  });

  it('flags a prize whose odds round to 0%', () => {
    const campaign = demo((c) => (c.lottery.prizes[0].weight = 1));
    campaign.lottery.prizes[7].weight = 20_000;
    const p = simulate({ campaign, assumptions: DEMO_ASSUMPTIONS, pool: POOL });
    expect(p.warnings.find((w) => w.code === 'ODDS_ROUND_TO_ZERO')).toMatchObject({
      field: 'lottery.prizes.0.weight',
    });
    expect(p.prizes[0].odds).toBe(0);
  });

  it('says when the daily bonus cap binds', () => {
    const loose = simulate({ campaign: demo(), assumptions: DEMO_ASSUMPTIONS, pool: POOL });
    expect(codes(loose)).not.toContain('BONUS_CAP_BINDS');
    const campaign = demo((c) => {
      c.lottery.spinsPerVerifiedInvite = 3;
      c.lottery.maxBonusSpinsPerDay = 3;
    });
    const p = simulate({
      campaign,
      assumptions: { ...DEMO_ASSUMPTIONS, friendsPerSharer: 6, friendClaimRate: 0.8 },
      pool: POOL,
    });
    expect(p.warnings.find((w) => w.code === 'BONUS_CAP_BINDS')?.field).toBe(
      'lottery.maxBonusSpinsPerDay',
    );
  });

  it('names the plan a busy campaign needs', () => {
    const busy = simulate({
      campaign: demo(),
      assumptions: { ...DEMO_ASSUMPTIONS, visitorsPerDay: { moments: 200_000 } },
      pool: POOL,
    });
    expect(busy.database.peakOpsPerSecond).toBeGreaterThan(CLOUDBASE_PLANS[0].opsPerSecond);
    const needed = busy.warnings.find((w) => w.code === 'PLAN_NEEDED');
    expect(needed?.message).toContain(busy.database.plan ?? '所有套餐');
    const fits = CLOUDBASE_PLANS.find((plan) => plan.name === busy.database.plan);
    if (fits) expect(busy.database.peakOpsPerSecond).toBeLessThanOrEqual(fits.opsPerSecond);
  });

  it('asks for the organiser the rules page needs', () => {
    const campaign = demo((c) => delete c.organizer);
    const p = simulate({ campaign, assumptions: DEMO_ASSUMPTIONS, pool: POOL });
    expect(p.warnings.find((w) => w.code === 'RULES_INCOMPLETE')?.field).toBe('organizer');
  });
});

describe('assumptions', () => {
  it('fills what is not said with defaults for the campaign’s own channels', () => {
    const a = resolveAssumptions(demo(), { claimRate: 0.2, visitorsPerDay: { poster: 5 } });
    expect(a.claimRate).toBe(0.2);
    expect(a.visitorsPerDay).toEqual({ poster: 5, store: 30, moments: 30, kol: 30 });
  });

  it('adds up for any traffic (property)', () => {
    const rate = fc.double({ min: 0, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({
          visitorsPerDay: fc.record({ poster: fc.nat(500), moments: fc.nat(500) }),
          claimRate: rate,
          shareRate: rate,
          friendsPerSharer: fc.double({ min: 0, max: 8, noNaN: true }),
          friendClaimRate: rate,
          spinsUsed: rate,
          redemptionRate: rate,
        }),
        fc.boolean(),
        (assumptions, spinQualifies) => {
          const campaign = demo(
            (c) => (c.invite.whenClaimClosed = spinQualifies ? 'spin' : 'none'),
          );
          expectTotalsAddUp(simulate({ campaign, assumptions, pool: POOL }), campaign);
        },
      ),
      { numRuns: 40, seed: 9 },
    );
  });
});

describe('the Monte-Carlo band', () => {
  const input = { campaign: demo(), assumptions: DEMO_ASSUMPTIONS, pool: POOL };

  it('is the same for the same seed, and brackets the expected values', () => {
    const a = simulateBands(input, { runs: 60, seed: 42 });
    expect(simulateBands(input, { runs: 60, seed: 42 })).toEqual(a);
    expect(simulateBands(input, { runs: 60, seed: 43 })).not.toEqual(a);
    const expected = simulate(input).totals;
    for (const key of ['visitors', 'claims', 'spins', 'seats'] as const) {
      const band = a.totals[key];
      expect(band.p10).toBeLessThanOrEqual(band.p50);
      expect(band.p50).toBeLessThanOrEqual(band.p90);
      expect(expected[key]).toBeGreaterThanOrEqual(band.p10 * 0.97);
      expect(expected[key]).toBeLessThanOrEqual(band.p90 * 1.03);
    }
  });

  it('spreads the stock-out day of a prize that runs out', () => {
    const tight = { ...input, campaign: demo((c) => (c.lottery.prizes[0].weight = 60)) };
    const band = simulateBands(tight, { runs: 80, seed: 1 });
    const { p10, p90 } = band.stockOutDay.tumbler;
    expect(p10).not.toBeNull();
    expect(p10!).toBeLessThanOrEqual(p90 ?? Infinity);
    const expectedDay = simulate(tight).prizes[0].stockOutDay!;
    expect(expectedDay).toBeGreaterThanOrEqual(p10! - 1);
    expect(expectedDay).toBeLessThanOrEqual((p90 ?? 99) + 1);
  });

  it('draws from a seeded generator in [0, 1)', () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 1000 }, random);
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(Math.abs(sum(draws) / 1000 - 0.5)).toBeLessThan(0.05);
  });
});
