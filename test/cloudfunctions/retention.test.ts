/**
 * Retention (issue 15) through the real functions: a scenario over three emulated Shanghai days
 * read back from `stats.overview` — the funnel day by day (today vs yesterday), the cohorts' D1 and
 * D7 returns, repurchase (复购) per channel and the face value redeemed each day — equal to what
 * the scenario did, exact from the counters and again after the reconciler rebuilt them from the
 * records; and the same number of round trips to read it at 1,000 and at 100,000 members.
 */
import type { AdminResults } from '../../cloudfunctions/_shared/contracts';
import { DAY_MS, shanghaiDayKey, shanghaiDayStart } from '../../cloudfunctions/_shared/domain/time';
import { tallyParticipant, type Tally } from '../../cloudfunctions/_shared/domain/tally';
import { COUNTER_SHARDS } from '../../cloudfunctions/_shared/limits';
import { newParticipant, newUser, type ParticipantDoc } from '../../cloudfunctions/_shared/user';
import { toJsonSafe } from '../../emulator/store';
import { violations } from '../chaos/invariants';
import {
  OWNER,
  STAFF,
  data,
  editCampaign,
  requestId,
  runCron,
  useBackend,
} from '../support/emulator';
import { rewrite } from './people/support';

const backend = useBackend();

type Overview = AdminResults['stats.overview'];

const HOUR = 3600e3;
const overview = async () => data(await backend.admin(OWNER, 'stats.overview'));

/** 10:00 (Shanghai) on the day the demo was seeded: the scenario's day 1. */
async function morningOfDay1(): Promise<Date> {
  const at = new Date(
    shanghaiDayStart(new Date(backend.emulator.clock.now())).getTime() + 10 * HOUR,
  );
  await backend.emulator.setClock(at);
  return at;
}

const nextDay = () => backend.emulator.advanceClock(DAY_MS);

/** Every spin lands on 谢谢参与: the coupon figures are the gift's and the repurchase coupons'. */
async function onlyThanks() {
  await editCampaign(backend, (config) => {
    for (const prize of config.lottery.prizes) prize.weight = prize.fallback ? 1 : 0;
  });
}

const visit = async (openid: string, params: Record<string, string> = {}) =>
  data(await backend.api(openid, 'session.enter', params));
const claim = async (openid: string) =>
  data(await backend.api(openid, 'magnet.claim', { requestId: `claim-${openid}-request` }));

/** The visitor's available coupon of `source`, scanned by the demo's staff. */
async function redeem(openid: string, source: string) {
  const wallet = data(await backend.api(openid, 'wallet.list', { status: 'available' }));
  const coupon = wallet.coupons.find((c) => c.source === source)!;
  const { token } = data(await backend.api(openid, 'coupon.token', { couponId: coupon.id }));
  return data(await backend.admin(STAFF, 'coupon.redeem', { token }));
}

/**
 * Day 1: A (poster) claims and spins, B and C claim through A's link, D (store counter) only
 * looks; A's gift coupon (¥5) is redeemed. Day 2: A and B come back; E (KOL) arrives and claims;
 * A uses the repurchase coupon (¥6). Day 3: C comes back (day 2 of their cohort), A again, E
 * (day 1 of theirs); F arrives directly; B's gift coupon (¥5) is redeemed.
 */
async function threeDays(): Promise<string[]> {
  await onlyThanks();
  const day1 = shanghaiDayKey(await morningOfDay1());
  const a = await visit('a', { channel: 'poster' });
  await claim('a');
  data(await backend.api('a', 'lottery.spin', { requestId: requestId() }));
  for (const friend of ['b', 'c']) {
    await visit(friend, { inviteCode: a.inviteCode });
    await claim(friend);
  }
  await visit('d', { channel: 'store' });
  await redeem('a', 'magnet');

  const day2 = shanghaiDayKey(await nextDay());
  await visit('a');
  await visit('b');
  await visit('e', { channel: 'kol' });
  await claim('e');
  await redeem('a', 'repurchase');

  const day3 = shanghaiDayKey(await nextDay());
  await visit('c');
  await visit('a');
  await visit('e');
  await visit('f');
  await redeem('b', 'magnet');
  return [day1, day2, day3];
}

const seriesOf = (stats: Overview, key: string) =>
  stats.trend.series.find((s) => s.key === key)!.values;
const channelSeries = (stats: Overview, code: string, key: string) =>
  stats.trend.channels.find((c) => c.code === code)!.series.find((s) => s.key === key)!.values;
/** A cohort row's windows as `[returned, base, open]`. */
const windowsOf = (row: Overview['cohorts']['all']) =>
  Object.fromEntries(row.windows.map((w) => [w.window, [w.returned, w.base, w.open]]));

/** What the scenario did, as the dashboard must show it. */
function expectScenario(stats: Overview, [day1, day2, day3]: string[]) {
  // the demo started the day before day 1
  expect(stats.trend.days.slice(-3)).toEqual([day1, day2, day3]);
  expect(stats.trend.today).toBe(day3);
  const last3 = (values: number[]) => values.slice(-3);
  expect(last3(seriesOf(stats, 'visitors'))).toEqual([4, 1, 1]);
  expect(last3(seriesOf(stats, 'claims'))).toEqual([3, 1, 0]);
  expect(last3(seriesOf(stats, 'spinners'))).toEqual([1, 0, 0]);
  expect(last3(seriesOf(stats, 'invitesVerified'))).toEqual([2, 0, 0]);
  // the gifts (A, B, C; E), and a repurchase coupon after each redemption
  expect(last3(seriesOf(stats, 'couponsIssued'))).toEqual([4, 2, 1]);
  expect(last3(seriesOf(stats, 'couponsRedeemed'))).toEqual([1, 1, 1]);
  expect(last3(seriesOf(stats, 'redeemedValue'))).toEqual([500, 600, 500]);
  expect(last3(channelSeries(stats, 'share', 'claims'))).toEqual([2, 0, 0]);
  expect(last3(channelSeries(stats, 'kol', 'visitors'))).toEqual([0, 1, 0]);
  // the poster's A brought B and C (verified for the poster), and used the gift on day 1
  expect(last3(channelSeries(stats, 'poster', 'verified'))).toEqual([2, 0, 0]);
  expect(last3(channelSeries(stats, 'poster', 'redeemedValue'))).toEqual([500, 0, 0]);
  // the days add up to the all-time figures
  for (const step of stats.funnel) {
    const series = stats.trend.series.find((s) => s.key === step.key);
    if (series)
      expect([step.key, series.values.reduce((a, b) => a + b, 0)]).toEqual([step.key, step.count]);
  }

  // Cohorts: day 1's four — A and B back on day 1 (D1), C on day 2 (D7 only), D never
  const [third, second, first] = stats.cohorts.days;
  expect([first.key, first.visitors]).toEqual([day1, 4]);
  expect(windowsOf(first)).toEqual({ d1: [2, 4, false], d7: [3, 4, true], d30: [3, 4, true] });
  expect(first.windows[0]).toMatchObject({ label: '次日', rate: 0.5 });
  expect(first.windows[1]).toMatchObject({ label: '7日内', rate: 0.75 });
  // day 2's E came back the next day; day 3's F has no window open yet
  expect([second.key, second.visitors]).toEqual([day2, 1]);
  expect(windowsOf(second)).toEqual({ d1: [1, 1, true], d7: [1, 1, true], d30: [1, 1, true] });
  expect([third.key, third.visitors]).toEqual([day3, 1]);
  expect(windowsOf(third)).toEqual({ d1: [0, 0, false], d7: [0, 0, false], d30: [0, 0, false] });
  expect(third.windows.every((w) => w.rate === undefined)).toBe(true);
  expect(windowsOf(stats.cohorts.all)).toEqual({
    d1: [3, 5, true],
    d7: [4, 5, true],
    d30: [4, 5, true],
  });
  const byChannel = Object.fromEntries(stats.cohorts.channels.map((c) => [c.key, c]));
  expect(Object.keys(byChannel).sort()).toEqual(['direct', 'kol', 'poster', 'share', 'store']);
  expect(windowsOf(byChannel.share)).toMatchObject({ d1: [1, 2, false], d7: [2, 2, true] });
  expect(windowsOf(byChannel.store)).toMatchObject({ d1: [0, 1, false], d7: [0, 1, true] });

  // 复购: A redeemed twice, B once
  expect(stats.repurchase).toMatchObject({
    redeemers: 2,
    repeatRedeemers: 1,
    rate: 0.5,
    redeemedValue: 1600,
    coupon: { templateId: 'loyal-30-6', title: '老顾客回馈 满30减6' },
  });
  expect(stats.repurchase.channels).toEqual([
    { code: 'poster', name: '门店海报', redeemers: 1, repeatRedeemers: 1, rate: 1 },
    { code: 'share', name: '好友分享', redeemers: 1, repeatRedeemers: 0, rate: 0 },
  ]);
}

describe('a campaign over three days', () => {
  it('shows day by day, by cohort and for repurchase exactly what the scenario did', async () => {
    const days = await threeDays();
    expectScenario(await overview(), days);
    // the counters were exact: the reconciler finds nothing to correct
    const run = data(await runCron(backend));
    expect(run.reconciled).toMatchObject({ countersCorrected: {} });
    expectScenario(await overview(), days);
    expect(violations(backend.snapshot(), facts())).toEqual([]);
  });

  it('rebuilds every daily, cohort and repurchase figure from the records when counters are lost', async () => {
    const days = await threeDays();
    const before = await overview();
    await rewrite(backend, 'counters', (shards) =>
      shards.map(({ _id, campaignId }) => ({ _id, campaignId })),
    );
    expect(seriesOf(await overview(), 'visitors').every((n) => n === 0)).toBe(true);
    expect((await runCron(backend)).ok).toBe(true);
    const after = await overview();
    expectScenario(after, days);
    expect({ ...after, serverNow: '' }).toEqual({ ...before, serverNow: '' });
  });

  it('counts a return once, however often the member comes back that day or later', async () => {
    await morningOfDay1();
    await visit('m', { channel: 'poster' });
    await nextDay();
    backend.emulator.faults.latencyMs = 1;
    await Promise.all(Array.from({ length: 6 }, () => visit('m')));
    backend.emulator.faults.latencyMs = 0;
    await nextDay();
    await visit('m');
    const { cohorts } = await overview();
    expect(windowsOf(cohorts.all)).toMatchObject({ d1: [1, 1, false], d7: [1, 1, true] });
    expect(data(await runCron(backend)).reconciled).toMatchObject({ countersCorrected: {} });
  });

  it('answers no day before the campaign and none after its end', async () => {
    const day1 = await morningOfDay1();
    let { trend } = await overview();
    // the demo started at the beginning of yesterday: two days so far
    expect(trend.days).toEqual([shanghaiDayKey(new Date(day1.getTime() - DAY_MS)), trend.today]);
    expect(trend.series.every((s) => s.values.length === 2)).toBe(true);
    // it runs 30 days: long after, its 30 days and not one more
    await backend.emulator.advanceClock(40 * DAY_MS);
    ({ trend } = await overview());
    expect(trend.days).toHaveLength(30);
    expect(trend.days[29]).toBe(shanghaiDayKey(new Date(day1.getTime() + 28 * DAY_MS)));
  });
});

/** The chaos invariants' facts of the demo as it stands. */
function facts() {
  return {
    campaignId: 'demo-opening',
    stock: { tumbler: 20, 'off-20': 2000, 'cash-50-10': 1000, 'cash-5': 500, tote: 100 },
    invitesRequired: 3,
    repurchase: true,
  };
}

// ------------------------------------------------------------------------------------------------

/**
 * Members put straight into the store (1,000 or 100,000 of them, over three days and five
 * channels, with returns and redemptions), and their counters as the reconciler would keep them.
 */
async function seedMembers(count: number): Promise<void> {
  const snapshot = backend.emulator.store.exportSnapshot();
  // the demo started at the beginning of yesterday: members of yesterday and today
  const start = new Date(
    shanghaiDayStart(new Date(backend.emulator.clock.now())).getTime() - DAY_MS,
  );
  const channels = ['poster', 'store', 'moments', 'kol', 'share'];
  const tally: Tally = new Map();
  const users = (snapshot.collections.users ?? []) as unknown[];
  const participants = (snapshot.collections.participants ?? []) as unknown[];
  for (let i = 0; i < count; i++) {
    const enteredAt = new Date(start.getTime() + (i % 2) * DAY_MS + 9 * HOUR);
    const channel = channels[i % channels.length];
    const user = newUser({
      openid: `seeded-${i}`,
      inviteCode: `S${i.toString(36).toUpperCase().padStart(7, '0')}`,
      campaignId: 'demo-opening',
      channel,
      scene: null,
      now: enteredAt,
      invite: null,
    });
    const member: ParticipantDoc = newParticipant({
      id: `demo-opening:${user._id}`,
      campaignId: 'demo-opening',
      user,
      channel,
      isNewUser: true,
      invite: null,
      now: enteredAt,
      entered: true,
    });
    if (i % 4 === 0) member.returnedAt = new Date(enteredAt.getTime() + ((i % 8) + 1) * DAY_MS);
    const redeemed = i % 10;
    member.redeemed = Object.fromEntries(
      Array.from({ length: redeemed < 3 ? redeemed : 0 }, (_, n) => [`cp_${i}_${n}`, enteredAt]),
    );
    member.redemptions = Object.keys(member.redeemed).length;
    tallyParticipant(tally, member);
    users.push(toJsonSafe(user));
    participants.push(toJsonSafe(member));
  }
  // the counters, spread over the shards as writes spread them
  const shards = Array.from({ length: COUNTER_SHARDS }, (_, n) => ({
    _id: `demo-opening:${n}`,
    campaignId: 'demo-opening',
  })) as Array<Record<string, unknown>>;
  [...tally].forEach(([path, value], n) => {
    let node = shards[n % COUNTER_SHARDS];
    const keys = path.split('.');
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1]] = value;
  });
  snapshot.collections.users = users;
  snapshot.collections.participants = participants;
  snapshot.collections.counters = shards;
  await backend.emulator.importSnapshot(snapshot);
}

describe('reading the dashboard', () => {
  it('costs the same round trips at 1,000 and at 100,000 members, at most 8', async () => {
    const readAt = async (members: number) => {
      await backend.emulator.reset();
      await seedMembers(members);
      const { result, dbCalls } = await backend.emulator.invoke(
        'admin',
        { action: 'stats.overview' },
        { openid: OWNER },
      );
      const stats = data(result as never) as Overview;
      // the figures are the members' (the trend, the cohorts, repurchase), not an empty read
      expect(stats.cohorts.all.visitors).toBe(members);
      expect(stats.repurchase.redeemers).toBe(members / 5);
      return dbCalls;
    };
    const small = await readAt(1_000);
    const large = await readAt(100_000);
    expect(large).toBe(small);
    expect(large).toBeLessThanOrEqual(8);
  }, 120_000);
});
