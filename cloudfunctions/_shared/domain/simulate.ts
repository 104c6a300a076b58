/**
 * 活动推演 (what-if simulator), operator studio (issue 9): given a campaign config and traffic
 * assumptions, projects the campaign day by day before anyone spends money on it: visitors,
 * claims, verified invites, cards unlocked, spins, each prize's issues and the day its stock runs
 * out, coupons issued and redeemed, group seats against the pool, the cost and the cost per new
 * member, and the database load of the busiest hour against CloudBase's plans. Expected values;
 * on request also a seeded Monte-Carlo band (p10/p50/p90). Pure: no clock, no randomness of its
 * own (the band's generator is seeded by its caller).
 *
 * The model (each line an assumption an operator can change, `TrafficAssumptions`):
 * - Channel visitors arrive at `visitorsPerDay[channel]`, pro rata on the campaign's first and last
 *   (partial) days. `claimRate` of them take part: they claim the gift while it can be claimed,
 *   and just spin after (spinning needs no claim).
 * - `shareRate` of those who take part share, on the day they take part; each reaches
 *   `friendsPerSharer` friends, who arrive the next day. `friendClaimRate` of the friends do the
 *   qualifying action (the claim, or the first spin once the claim window closed, if the config
 *   says so: domain/qualify.ts); those are verified invites, within the inviter's daily cap.
 *   Friends take part like visitors and share in turn.
 * - A sharer's verified friends are Poisson-distributed around their mean: that decides how many
 *   reach `invitesRequired` (cards) and how many bonus spins the daily cap takes away.
 * - Everyone who takes part uses `spinsUsed` of their free spins on that day and of the bonus spins
 *   their friends earn them. Draws follow the weights over the prizes with stock left: when one
 *   runs out, the others share its weight, as the server draws (domain/lottery.ts).
 * - `redemptionRate` of coupons are redeemed; a cash coupon costs its amount, a discount coupon
 *   `averageOrderFen × (1 − rate)`; a prize costs its configured unit cost; channels cost their
 *   configured spend.
 * - Everyone handed a group takes a seat (an upper bound): claimers, or card holders when the
 *   group comes with the black card.
 * - Database load: the day's projected calls of each visitor action × its measured round trips
 *   (round-trips.ts); the busiest hour carries `peakHourShare` of the busiest day.
 */
import type { Campaign, CouponTemplate, Prize } from '../campaign';
import type {
  CampaignWarning,
  Projection,
  ProjectionBand,
  ProjectionDay,
  TrafficAssumptionsInput,
} from '../contracts';
import { ROUND_TRIPS, type MeasuredAction } from '../round-trips';
import { oddsPercent } from './odds';
import { DAY_MS, shanghaiDayKey, shanghaiDayStart } from './time';
import { campaignDayOf, configWarnings, dayLabel, warningAt } from './warnings';

export type TrafficAssumptions = Projection['assumptions'];

export const DEFAULT_RATES: Omit<TrafficAssumptions, 'visitorsPerDay'> = {
  claimRate: 0.6,
  shareRate: 0.3,
  friendsPerSharer: 2,
  friendClaimRate: 0.5,
  spinsUsed: 0.9,
  redemptionRate: 0.35,
  averageOrderFen: 3_500,
  peakHourShare: 0.15,
};
/** Visitors a day a channel brings when the assumptions do not say. */
export const DEFAULT_VISITORS_PER_CHANNEL = 30;
/** Friends arrive through the share channel: it is projected, never assumed. */
const SHARE_CHANNEL = 'share';

/** The assumptions with every default filled in, for this campaign's channels. */
export function resolveAssumptions(
  campaign: Pick<Campaign, 'channels'>,
  input: TrafficAssumptionsInput = {},
): TrafficAssumptions {
  const visitorsPerDay: Record<string, number> = {};
  for (const channel of campaign.channels) {
    if (channel.code === SHARE_CHANNEL) continue;
    visitorsPerDay[channel.code] =
      input.visitorsPerDay?.[channel.code] ?? DEFAULT_VISITORS_PER_CHANNEL;
  }
  const rates = Object.fromEntries(
    Object.entries(DEFAULT_RATES).map(([key, value]) => [
      key,
      (input as Record<string, unknown>)[key] ?? value,
    ]),
  ) as Omit<TrafficAssumptions, 'visitorsPerDay'>;
  return { ...rates, visitorsPerDay };
}

/**
 * CloudBase plans' database capacity, in operations per second. Sources: the Mini Program cloud
 * development quota page (developers.weixin.qq.com → 云开发 → 配额; also published in English as
 * "Resource Quota": 基础版 1 — database QPS 30, 20 concurrent connections) and its per-plan table
 * of concurrent connections (同时连接数: 基础版 1 20, 基础版 2 50, 专业版 1 100, 专业版 2 200,
 * 专业版 3 300, 旗舰版 1 400, 旗舰版 2 500). Only 基础版 1's QPS is published; the others are
 * estimated at the same 1.5 operations per second per connection. An estimate to choose a plan
 * by, not a promise: check the console's current figures before a big launch.
 */
export const CLOUDBASE_PLANS: ReadonlyArray<{ name: string; opsPerSecond: number }> = [
  { name: '基础版 1', opsPerSecond: 30 },
  { name: '基础版 2', opsPerSecond: 75 },
  { name: '专业版 1', opsPerSecond: 150 },
  { name: '专业版 2', opsPerSecond: 300 },
  { name: '专业版 3', opsPerSecond: 450 },
  { name: '旗舰版 1', opsPerSecond: 600 },
  { name: '旗舰版 2', opsPerSecond: 750 },
];
export const PLANS_SOURCE =
  '微信云开发配额（基础版 1：数据库 QPS 30；各套餐同时连接数 20–500，其余套餐按每连接 1.5 次/秒估算）';

export interface SimulationInput {
  campaign: Campaign;
  assumptions?: TrafficAssumptionsInput;
  /** seats left in the group pool now, and the capacity a new group QR adds */
  pool: { room: number };
}

// ---------------------------------------------------------------------------------------------
// The days of a campaign

interface CampaignDay {
  day: number;
  date: string;
  /** hours of this day inside the campaign (≤ 24) */
  hours: number;
  /** of those hours, the share during which the gift can be claimed */
  claimShare: number;
}

function overlapMs(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

function campaignDays(campaign: Campaign): CampaignDay[] {
  const start = Date.parse(campaign.startAt);
  const end = Date.parse(campaign.endAt);
  const claimStart = Date.parse(campaign.magnet.claimWindow.startAt);
  const claimEnd = Date.parse(campaign.magnet.claimWindow.endAt);
  const days: CampaignDay[] = [];
  for (let at = shanghaiDayStart(new Date(start)).getTime(); at < end; at += DAY_MS) {
    const inside = overlapMs(at, at + DAY_MS, start, end);
    const claimable = overlapMs(
      Math.max(at, start),
      Math.min(at + DAY_MS, end),
      claimStart,
      claimEnd,
    );
    days.push({
      day: days.length + 1,
      date: shanghaiDayKey(new Date(at)),
      hours: inside / 3_600_000,
      claimShare: inside > 0 ? claimable / inside : 0,
    });
  }
  return days;
}

// ---------------------------------------------------------------------------------------------
// Poisson facts of one sharer's verified friends

function poissonPmf(lambda: number, max: number): number[] {
  const pmf = [Math.exp(-lambda)];
  for (let k = 1; k <= max; k++) pmf.push((pmf[k - 1] * lambda) / k);
  return pmf;
}

interface SharerOutcome {
  /** expected verified invites per sharer, after the inviter's daily cap */
  verified: number;
  /** probability the sharer's card unlocks */
  unlock: number;
  /** expected bonus spins earned, after the daily bonus cap */
  bonus: number;
  /** expected bonus spins the daily cap took away */
  bonusLost: number;
}

/** One sharer whose friends qualify Poisson(λ): capped by the invite cap and the bonus cap. */
function sharerOutcome(lambda: number, campaign: Campaign): SharerOutcome {
  const cap = campaign.invite.maxVerifiedPerInviterPerDay;
  const required = campaign.blackCard.invitesRequired;
  const { spinsPerVerifiedInvite: perInvite, maxBonusSpinsPerDay: maxBonus } = campaign.lottery;
  if (lambda <= 0) return { verified: 0, unlock: 0, bonus: 0, bonusLost: 0 };
  const max = Math.ceil(lambda + 12 * Math.sqrt(lambda) + 20);
  const pmf = poissonPmf(lambda, max);
  let verified = 0;
  let unlock = 0;
  let bonus = 0;
  let uncapped = 0;
  pmf.forEach((p, k) => {
    const counted = Math.min(k, cap);
    verified += p * counted;
    if (counted >= required) unlock += p;
    bonus += p * Math.min(perInvite * counted, maxBonus);
    uncapped += p * perInvite * counted;
  });
  return { verified, unlock, bonus, bonusLost: Math.max(0, uncapped - bonus) };
}

// ---------------------------------------------------------------------------------------------
// The draw, in expectation or by sampling

type Draw = (spins: number, prizes: readonly DrawPrize[]) => number[];

interface DrawPrize {
  weight: number;
  /** units left, null = unlimited */
  left: number | null;
  fallback: boolean;
}

/** Draws nothing is left to take go to the fallback, as the server's draw does. */
function toFallback(issued: number[], prizes: readonly DrawPrize[], remaining: number): void {
  const fallback = prizes.findIndex((p) => p.fallback);
  if (fallback >= 0 && remaining > 0) issued[fallback] += remaining;
}

/**
 * Expected issues of each prize for `spins` draws: by weight among prizes with stock; a prize
 * whose share exceeds what is left gives out what is left, and the rest is drawn among the others.
 */
const expectedDraw: Draw = (spins, prizes) => {
  const issued = prizes.map(() => 0);
  let remaining = spins;
  const open = new Set(prizes.flatMap((p, i) => (p.weight > 0 && p.left !== 0 ? [i] : [])));
  while (remaining > 1e-9 && open.size > 0) {
    const total = [...open].reduce((sum, i) => sum + prizes[i].weight, 0);
    const capped = [...open].filter((i) => {
      const left = prizes[i].left;
      return left !== null && (remaining * prizes[i].weight) / total >= left - issued[i];
    });
    if (capped.length === 0) {
      for (const i of open) issued[i] += (remaining * prizes[i].weight) / total;
      remaining = 0;
      break;
    }
    for (const i of capped) {
      const rest = (prizes[i].left as number) - issued[i];
      issued[i] += rest;
      remaining -= rest;
      open.delete(i);
    }
  }
  toFallback(issued, prizes, remaining);
  return issued;
};

/** A sampled draw: sequential binomials over the prizes with stock, excess drawn again. */
function sampledDraw(random: Random): Draw {
  return (spins, prizes) => {
    const issued = prizes.map(() => 0);
    let remaining = Math.round(spins);
    const open = new Set(prizes.flatMap((p, i) => (p.weight > 0 && p.left !== 0 ? [i] : [])));
    while (remaining > 0 && open.size > 0) {
      let pool = [...open].reduce((sum, i) => sum + prizes[i].weight, 0);
      let excess = 0;
      for (const i of [...open]) {
        const n = pool > 0 ? binomial(random, remaining, prizes[i].weight / pool) : 0;
        pool -= prizes[i].weight;
        remaining -= n;
        const left = prizes[i].left;
        const take = left === null ? n : Math.min(n, left - issued[i]);
        issued[i] += take;
        excess += n - take;
        if (left !== null && issued[i] >= left) open.delete(i);
      }
      remaining += excess;
      if (excess === 0) break;
    }
    if (open.size === 0) toFallback(issued, prizes, remaining);
    return issued;
  };
}

// ---------------------------------------------------------------------------------------------
// Randomness for the band: seeded, so a band is the same every time it is asked for

export type Random = () => number;

/** mulberry32: a small, fast, seeded generator (uniform in [0, 1)). */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function normal(random: Random): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

function poisson(random: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  if (lambda > 40) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * normal(random)));
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}

function binomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n < 60) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random() < p) k++;
    return k;
  }
  const mean = n * p;
  const sd = Math.sqrt(n * p * (1 - p));
  return Math.min(n, Math.max(0, Math.round(mean + sd * normal(random))));
}

// ---------------------------------------------------------------------------------------------
// One run of the campaign (expected values, or one sampled run)

interface Sampler {
  draw: Draw;
  /** a count with this mean (visitors, friends) */
  count(mean: number): number;
  /** of `n`, how many with probability `p` */
  share(n: number, p: number): number;
}

const EXPECTED: Sampler = {
  draw: expectedDraw,
  count: (mean) => mean,
  share: (n, p) => n * p,
};

function sampler(random: Random): Sampler {
  return {
    draw: sampledDraw(random),
    count: (mean) => poisson(random, mean),
    share: (n, p) => binomial(random, Math.round(n), Math.min(1, Math.max(0, p))),
  };
}

interface Run {
  days: ProjectionDay[];
  issued: number[];
  stockOutDay: Array<number | null>;
  bonusSpins: number;
  bonusLost: number;
  bonusPotential: number;
  newMembers: number;
  prizeCost: number;
  couponCost: number;
  calls: Array<Record<MeasuredAction, number>>;
}

function couponCost(template: CouponTemplate | undefined, averageOrderFen: number): number {
  if (!template) return 0;
  if (template.kind === 'cash') return template.amount ?? 0;
  return Math.round(averageOrderFen * (1 - (template.rate ?? 1)));
}

function runCampaign(campaign: Campaign, a: TrafficAssumptions, s: Sampler): Run {
  const prizes = campaign.lottery.prizes;
  const templates = new Map(campaign.couponTemplates.map((t) => [t.id, t]));
  const magnetTemplate = templates.get(campaign.magnet.reward.couponTemplateId ?? '');
  const prizeTemplate = (p: Prize) =>
    p.kind === 'coupon' ? templates.get(p.couponTemplateId ?? '') : undefined;
  const left = prizes.map((p) => p.stock);
  const issued = prizes.map(() => 0);
  const stockOutDay: Array<number | null> = prizes.map(() => null);
  const channelRate = Object.values(a.visitorsPerDay).reduce((sum, n) => sum + n, 0);
  const spinQualifies = campaign.invite.whenClaimClosed === 'spin';
  const days: ProjectionDay[] = [];
  const calls: Run['calls'] = [];
  let sharersBefore = 0;
  let reachedBefore = 0;
  let bonusSpins = 0;
  let bonusLost = 0;
  let bonusPotential = 0;
  let newMembers = 0;
  let prizeCost = 0;
  let couponCostTotal = 0;

  for (const day of campaignDays(campaign)) {
    const fraction = day.hours / 24;
    const visitors = s.count(channelRate * fraction);
    const friends = s.count(reachedBefore * Math.min(1, fraction));
    const engagedVisitors = s.share(visitors, a.claimRate);
    const engagedFriends = s.share(friends, a.friendClaimRate);
    const engaged = engagedVisitors + engagedFriends;
    const claims = s.share(engaged, day.claimShare);
    // The friends' qualifying action: the claim while it can be made, else (if so configured) the
    // first spin. Per sharer, Poisson around the mean, within the caps.
    const qualifyShare = day.claimShare + (spinQualifies ? 1 - day.claimShare : 0);
    const lambda =
      sharersBefore > 0 ? (friends / sharersBefore) * a.friendClaimRate * qualifyShare : 0;
    const outcome = sharerOutcome(lambda, campaign);
    const verified = Math.min(engagedFriends, s.share(sharersBefore, 1) * outcome.verified);
    const cardsUnlocked = s.share(sharersBefore, outcome.unlock);
    const bonus = sharersBefore * outcome.bonus;
    bonusSpins += bonus;
    bonusLost += sharersBefore * outcome.bonusLost;
    bonusPotential += sharersBefore * (outcome.bonus + outcome.bonusLost);

    const spins = s.share(engaged * campaign.lottery.dailyFreeSpins + bonus, a.spinsUsed);
    const drawn = s.draw(
      spins,
      prizes.map((p, i) => ({ weight: p.weight, left: left[i], fallback: p.fallback })),
    );
    let couponsIssued = magnetTemplate ? claims : 0;
    let dayCouponCost = magnetTemplate
      ? claims * a.redemptionRate * couponCost(magnetTemplate, a.averageOrderFen)
      : 0;
    let dayPrizeCost = 0;
    drawn.forEach((n, i) => {
      issued[i] += n;
      const stock = left[i];
      if (stock !== null) {
        left[i] = Math.max(0, stock - n);
        if (stockOutDay[i] === null && (left[i] as number) < 0.5) stockOutDay[i] = day.day;
      }
      const template = prizeTemplate(prizes[i]);
      if (template) {
        couponsIssued += n;
        dayCouponCost += n * a.redemptionRate * couponCost(template, a.averageOrderFen);
      }
      dayPrizeCost += n * (prizes[i].cost ?? 0);
    });
    const seats = campaign.groups.after === 'claim' ? claims : cardsUnlocked;
    const sharers = s.share(engaged, a.shareRate);
    sharersBefore = sharers;
    reachedBefore = sharers * a.friendsPerSharer;
    newMembers += engaged;
    prizeCost += dayPrizeCost;
    couponCostTotal += dayCouponCost;
    days.push({
      day: day.day,
      date: day.date,
      visitors: visitors + friends,
      friends,
      claims,
      verified,
      cardsUnlocked,
      spins,
      couponsIssued,
      couponsRedeemed: couponsIssued * a.redemptionRate,
      seats,
      cost: dayPrizeCost + dayCouponCost,
    });
    calls.push({
      'session.enter': visitors + friends,
      'campaign.get': 2 * (visitors + friends),
      'wallet.list': visitors + friends,
      'magnet.claim': claims,
      'lottery.status': engaged,
      'lottery.spin': spins,
      'blackcard.get': sharers,
      'group.get': seats,
    });
  }
  return {
    days,
    issued,
    stockOutDay,
    bonusSpins,
    bonusLost,
    bonusPotential,
    newMembers,
    prizeCost,
    couponCost: couponCostTotal,
    calls,
  };
}

// ---------------------------------------------------------------------------------------------
// The projection

const sum = (values: number[]) => values.reduce((total, n) => total + n, 0);
/** Whole people and coupons: expected values are rounded once, where they are shown. */
const whole = (n: number) => Math.round(n);

export function simulate(input: SimulationInput): Projection {
  const { campaign } = input;
  const assumptions = resolveAssumptions(campaign, input.assumptions);
  const run = runCampaign(campaign, assumptions, EXPECTED);
  const days = wholeDays(run.days);
  const total = (key: keyof ProjectionDay) => sum(days.map((d) => d[key] as number));
  const prizeWeight = sum(campaign.lottery.prizes.map((p) => p.weight));
  const issued = apportion(run.issued, total('spins'));
  const prizes = campaign.lottery.prizes.map((p, i) => ({
    id: p.id,
    name: p.name,
    stock: p.stock,
    odds: oddsPercent(p.weight, prizeWeight),
    issued: issued[i],
    stockOutDay: run.stockOutDay[i],
  }));
  const channels = sum(campaign.channels.map((c) => c.cost ?? 0));
  // the days' costs (prizes and redeemed coupons) add up to these two
  const prizeCost = Math.min(whole(run.prizeCost), total('cost'));
  const cost = {
    channels,
    prizes: prizeCost,
    coupons: total('cost') - prizeCost,
    total: channels + total('cost'),
  };
  const newMembers = whole(run.newMembers);
  const seats = total('seats');
  const pool = poolProjection(days, input.pool.room, campaign.groups.defaultCapacity);
  const database = databaseLoad(run.calls, assumptions.peakHourShare);
  const totals: Projection['totals'] = {
    visitors: total('visitors'),
    friends: total('friends'),
    claims: total('claims'),
    verified: total('verified'),
    cardsUnlocked: total('cardsUnlocked'),
    spins: total('spins'),
    bonusSpins: whole(run.bonusSpins),
    couponsIssued: total('couponsIssued'),
    couponsRedeemed: total('couponsRedeemed'),
    seats,
    newMembers,
    cost,
    costPerMember: newMembers > 0 ? Math.round(cost.total / newMembers) : null,
  };
  const projection: Projection = {
    days,
    prizes,
    totals,
    pool,
    database,
    warnings: [],
    assumptions,
  };
  projection.warnings = [
    ...configWarnings(campaign),
    ...trafficWarnings(campaign, projection, run),
  ];
  return projection;
}

const COUNTED: ReadonlyArray<Exclude<keyof ProjectionDay, 'day' | 'date'>> = [
  'visitors',
  'friends',
  'claims',
  'verified',
  'cardsUnlocked',
  'spins',
  'couponsIssued',
  'couponsRedeemed',
  'seats',
  'cost',
];

/**
 * Whole numbers per day whose sums are the rounded totals: each day gets what the running total
 * gained once rounded, so the days always add up to the totals shown.
 */
function wholeDays(days: ProjectionDay[]): ProjectionDay[] {
  const running = Object.fromEntries(COUNTED.map((key) => [key, 0])) as Record<string, number>;
  return days.map((day) => {
    const out = { ...day };
    for (const key of COUNTED) {
      const before = whole(running[key]);
      running[key] += day[key];
      out[key] = whole(running[key]) - before;
    }
    return out;
  });
}

/** Whole numbers in proportion to `shares` that add up to `target` (largest remainders). */
function apportion(shares: number[], target: number): number[] {
  const totalShare = sum(shares);
  if (totalShare <= 0) return shares.map(() => 0);
  const exact = shares.map((share) => (share / totalShare) * target);
  const out = exact.map(Math.floor);
  const order = exact
    .map((value, i) => ({ i, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest);
  const missing = target - sum(out);
  for (let k = 0; k < missing; k++) out[order[k % order.length].i] += 1;
  return out;
}

function poolProjection(days: ProjectionDay[], room: number, capacity: number): Projection['pool'] {
  let taken = 0;
  let fillsOnDay: number | null = null;
  for (const day of days) {
    taken += day.seats;
    if (fillsOnDay === null && taken > room) fillsOnDay = day.day;
  }
  return {
    room,
    seatsNeeded: taken,
    fillsOnDay,
    moreQrCodes: taken > room ? Math.ceil((taken - room) / capacity) : 0,
  };
}

function databaseLoad(calls: Run['calls'], peakHourShare: number): Projection['database'] {
  let peakDay = 0;
  let peakOps = 0;
  let peakCalls = 0;
  calls.forEach((day, index) => {
    let ops = 0;
    let count = 0;
    for (const [action, n] of Object.entries(day) as Array<[MeasuredAction, number]>) {
      ops += n * ROUND_TRIPS[action];
      count += n;
    }
    if (ops > peakOps) {
      peakOps = ops;
      peakCalls = count;
      peakDay = index + 1;
    }
  });
  const perSecond = Math.round(((peakOps * peakHourShare) / 3600) * 100) / 100;
  const plans = CLOUDBASE_PLANS.map((plan) => ({ ...plan, fits: perSecond <= plan.opsPerSecond }));
  return {
    peakDay,
    peakHourCalls: whole(peakCalls * peakHourShare),
    peakOpsPerSecond: perSecond,
    plan: plans.find((p) => p.fits)?.name ?? null,
    plans,
    source: PLANS_SOURCE,
  };
}

function trafficWarnings(campaign: Campaign, projection: Projection, run: Run): CampaignWarning[] {
  const warnings: CampaignWarning[] = [];
  const dateOf = (day: number) =>
    new Date(shanghaiDayStart(new Date(campaign.startAt)).getTime() + (day - 1) * DAY_MS);
  const label = (day: number) => dayLabel(campaign, dateOf(day));
  const prizes = campaign.lottery.prizes;
  projection.prizes.forEach((prize, index) => {
    if (prize.stockOutDay === null) return;
    warnings.push(
      warningAt(
        'PRIZE_STOCK_OUT',
        'warn',
        ['lottery', 'prizes', index, 'stock'],
        `「${prize.name}」预计${label(prize.stockOutDay)}抽完（库存 ${prize.stock}）：之后它不再抽出，其余奖品按权重分它的概率`,
        prize.stockOutDay,
      ),
    );
  });
  // The day from which only the fallback can come out: every other drawable prize is gone.
  const others = prizes.flatMap((p, i) => (!p.fallback && p.weight > 0 ? [i] : []));
  if (others.length > 0 && others.every((i) => run.stockOutDay[i] !== null)) {
    const day = Math.max(...others.map((i) => run.stockOutDay[i] as number));
    const fallback = prizes.find((p) => p.fallback)?.name ?? '兜底奖品';
    if (day < projection.days.length) {
      warnings.push(
        warningAt(
          'FALLBACK_ONLY',
          'warn',
          ['lottery', 'prizes'],
          `${label(day + 1)}起转盘只剩「${fallback}」：请加库存或加奖品`,
          day + 1,
        ),
      );
    }
  }
  if (run.bonusPotential > 0 && run.bonusLost / run.bonusPotential > 0.05) {
    const share = Math.round((run.bonusLost / run.bonusPotential) * 100);
    warnings.push(
      warningAt(
        'BONUS_CAP_BINDS',
        'warn',
        ['lottery', 'maxBonusSpinsPerDay'],
        `每日奖励次数上限会限制邀请积极的人：约 ${share}% 应得的奖励次数拿不到（约 ${Math.round(run.bonusLost)} 次）`,
      ),
    );
  }
  const { pool } = projection;
  if (pool.fillsOnDay !== null) {
    warnings.push(
      warningAt(
        'POOL_FILLS',
        'warn',
        ['groups', 'defaultCapacity'],
        `群池预计${label(pool.fillsOnDay)}满员（现有空位 ${pool.room}，需要 ${pool.seatsNeeded}）：还需约 ${pool.moreQrCodes} 个群二维码`,
        pool.fillsOnDay,
      ),
    );
  }
  const { database } = projection;
  const basic = CLOUDBASE_PLANS[0];
  if (database.peakOpsPerSecond > basic.opsPerSecond) {
    warnings.push(
      warningAt(
        'PLAN_NEEDED',
        database.plan ? 'info' : 'warn',
        [],
        database.plan
          ? `最忙的一小时约每秒 ${database.peakOpsPerSecond} 次数据库操作，超过${basic.name}（${basic.opsPerSecond} 次/秒）：需要云开发${database.plan}或以上`
          : `最忙的一小时约每秒 ${database.peakOpsPerSecond} 次数据库操作，超过所列的所有套餐：请联系云开发扩容`,
        database.peakDay,
      ),
    );
  }
  return warnings;
}

// ---------------------------------------------------------------------------------------------
// The band: seeded runs, p10/p50/p90

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))));
  return sorted[index];
}

function band(values: number[]): ProjectionBand {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    p10: Math.round(percentile(sorted, 0.1)),
    p50: Math.round(percentile(sorted, 0.5)),
    p90: Math.round(percentile(sorted, 0.9)),
  };
}

export function simulateBands(
  input: SimulationInput,
  options: { runs: number; seed: number },
): NonNullable<Projection['bands']> {
  const { campaign } = input;
  const assumptions = resolveAssumptions(campaign, input.assumptions);
  const random = seededRandom(options.seed);
  const runs = Array.from({ length: options.runs }, () =>
    runCampaign(campaign, assumptions, sampler(random)),
  );
  const totalOf = (run: Run, key: keyof ProjectionDay) =>
    sum(run.days.map((d) => d[key] as number));
  const channels = sum(campaign.channels.map((c) => c.cost ?? 0));
  const stockOutDay: NonNullable<Projection['bands']>['stockOutDay'] = {};
  campaign.lottery.prizes.forEach((prize, i) => {
    if (prize.stock === null) return;
    // a run where it never runs out sorts after every day
    const days = runs.map((r) => r.stockOutDay[i] ?? Infinity).sort((a, b) => a - b);
    const at = (p: number) => {
      const day = percentile(days, p);
      return Number.isFinite(day) ? day : null;
    };
    stockOutDay[prize.id] = { p10: at(0.1), p90: at(0.9) };
  });
  return {
    runs: options.runs,
    seed: options.seed,
    totals: {
      visitors: band(runs.map((r) => totalOf(r, 'visitors'))),
      claims: band(runs.map((r) => totalOf(r, 'claims'))),
      verified: band(runs.map((r) => totalOf(r, 'verified'))),
      cardsUnlocked: band(runs.map((r) => totalOf(r, 'cardsUnlocked'))),
      spins: band(runs.map((r) => totalOf(r, 'spins'))),
      seats: band(runs.map((r) => totalOf(r, 'seats'))),
    },
    cost: band(runs.map((r) => channels + r.prizeCost + r.couponCost)),
    stockOutDay,
  };
}

/** The campaign day an instant falls on (1-based), for callers placing a date on the chart. */
export { campaignDayOf };
