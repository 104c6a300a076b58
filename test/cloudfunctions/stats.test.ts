/**
 * `stats.overview` as operators read it: each funnel step against the step it is a subset of (or
 * the people it averages over), every counted figure present in the answer, and the server's
 * clock for "updated at".
 */
import type { AdminResults } from '../../cloudfunctions/_shared/contracts';
import { CHANNEL_FIGURES } from '../../cloudfunctions/_shared/domain/channels';
import {
  OWNER,
  STAFF,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  requestId,
  useBackend,
} from '../support/emulator';

const backend = useBackend();

type Overview = AdminResults['stats.overview'];

const overview = async () => data(await backend.admin(OWNER, 'stats.overview'));

const stepsOf = (stats: Overview) => Object.fromEntries(stats.funnel.map((s) => [s.key, s]));

/** Every spin lands on 谢谢参与: no coupon from the wheel, so the coupon figures are exact. */
async function onlyThanks() {
  await editCampaign(backend, (config) => {
    for (const prize of config.lottery.prizes) prize.weight = prize.fallback ? 1 : 0;
  });
}

/**
 * A (poster) claims; B, C, D claim through A's code, E arrives with it and never claims; a
 * walk-in without a channel only looks. A spins twice, B once; A and B are handed a group and
 * A says they joined; B's gift coupon is redeemed (and earns B the demo's repurchase coupon).
 */
async function scenario() {
  await onlyThanks();
  const a = data(await backend.api('user-a', 'session.enter', { channel: 'poster' }));
  data(await backend.api('user-a', 'magnet.claim', { requestId: requestId() }));
  for (const friend of ['b', 'c', 'd']) {
    data(
      await backend.api(friend, 'session.enter', { inviteCode: a.inviteCode, channel: 'share' }),
    );
    data(await backend.api(friend, 'magnet.claim', { requestId: requestId() }));
  }
  await enter(backend, 'e', a.inviteCode);
  await enter(backend, 'walk-in');
  for (const who of ['user-a', 'user-a', 'b']) {
    data(await backend.api(who, 'lottery.spin', { requestId: requestId() }));
  }
  for (const who of ['user-a', 'b']) data(await backend.api(who, 'group.get'));
  data(await backend.api('user-a', 'group.confirmJoined'));
  const coupon = data(await backend.api('b', 'wallet.list', {})).coupons[0];
  const { token } = data(await backend.api('b', 'coupon.token', { couponId: coupon.id }));
  data(await backend.admin(STAFF, 'coupon.redeem', { token }));
  return a.inviteCode;
}

describe('the funnel', () => {
  it('reads every step against the step it is a subset of, labelled for operators', async () => {
    await scenario();
    const stats = await overview();
    // [count, unit, the step it is read against, how]
    const steps = Object.fromEntries(
      stats.funnel.map((s) => [s.key, [s.count, s.unit, s.baseKey ?? '', s.rateLabel ?? '']]),
    );
    expect(steps).toEqual({
      visitors: [6, '人', '', ''],
      claims: [4, '人', 'visitors', '占访客 67%'],
      // spinning needs no claim: spinners are a share of the visitors, not of the claimers
      spinners: [2, '人', 'visitors', '占访客 33%'],
      spins: [3, '次', 'spinners', '人均 1.5 次'],
      inviters: [1, '人', 'visitors', '占访客 17%'],
      // verified invites are friends brought, averaged over the inviters, never "300 %"
      invitesVerified: [3, '人', 'inviters', '人均邀请 3 位'],
      cardsUnlocked: [1, '人', 'inviters', '占邀请人 100%'],
      groupHandouts: [2, '人', 'claims', '占领取人数 50%'],
      groupJoins: [1, '人', 'groupHandouts', '占领到群码的 50%'],
      // four gift coupons, and the repurchase coupon B's redemption earned (issue 15)
      couponsIssued: [5, '张', '', ''],
      couponsRedeemed: [1, '张', 'couponsIssued', '核销率 20%'],
    });
    // in the funnel's order
    expect(Object.keys(steps)).toEqual(stats.funnel.map((s) => s.key));
  });

  it('never takes a share of a step that is not a superset: no people step exceeds its base', async () => {
    await scenario();
    const stats = await overview();
    const steps = stepsOf(stats);
    for (const step of stats.funnel) {
      if (!step.baseKey) continue;
      const base = steps[step.baseKey];
      // the base comes earlier in the funnel, so the page reads top to bottom
      expect(stats.funnel.indexOf(base)).toBeLessThan(stats.funnel.indexOf(step));
      if (step.rateLabel?.startsWith('占')) {
        expect(base.unit).toBe(step.unit);
        expect(step.count).toBeLessThanOrEqual(base.count);
      }
    }
  });

  it('says nothing about a rate while its base is still zero', async () => {
    const stats = await overview();
    expect(stats.funnel.map((s) => s.count)).toEqual(stats.funnel.map(() => 0));
    expect(stats.funnel.filter((s) => s.rateLabel)).toEqual([]);
    expect(stepsOf(stats).claims.baseKey).toBe('visitors');
  });

  it('compares group hand-outs with unlocked cards when the group comes after the black card', async () => {
    await editCampaign(backend, (config) => {
      config.groups.after = 'blackcard';
    });
    const { session: a } = await enterAndClaim(backend, 'inviter');
    for (const friend of ['f1', 'f2', 'f3']) await enterAndClaim(backend, friend, a.inviteCode);
    data(await backend.api('inviter', 'group.get'));
    const handouts = stepsOf(await overview()).groupHandouts;
    expect(handouts).toMatchObject({
      count: 1,
      baseKey: 'cardsUnlocked',
      rateLabel: '占黑卡会员 100%',
    });
  });
});

describe('every counted figure is in the answer', () => {
  /** The counter paths (`channels.share.claims`…) summed over the shards, as stored. */
  function storedCounters(): Map<string, number> {
    const totals = new Map<string, number>();
    const add = (prefix: string, value: unknown) => {
      if (typeof value === 'number') totals.set(prefix, (totals.get(prefix) ?? 0) + value);
      else if (value && typeof value === 'object') {
        for (const [key, inner] of Object.entries(value))
          add(prefix ? `${prefix}.${key}` : key, inner);
      }
    };
    const shards = backend.snapshot().collections.counters as Array<Record<string, unknown>>;
    for (const { _id: _shard, campaignId: _campaign, ...metrics } of shards) add('', metrics);
    return totals;
  }

  /** The same paths read back from the answer. */
  function answered(stats: Overview): Map<string, number> {
    const figures = new Map<string, number>();
    for (const step of stats.funnel) figures.set(step.key, step.count);
    for (const c of stats.channels) {
      for (const figure of CHANNEL_FIGURES) figures.set(`channels.${c.code}.${figure}`, c[figure]);
    }
    for (const p of stats.prizes) figures.set(`prizes.${p.id}.issued`, p.issued);
    for (const r of stats.rejectedInvites) figures.set(`rejected.${r.reason}`, r.count);
    // People console (issue 13)
    for (const t of stats.tags ?? []) figures.set(`tags.${t.tag}`, t.count);
    figures.set('invitesHeld', stats.heldInvites ?? 0);
    // Retention (issue 15): every day of every figure, 复购, the face value, the risk checks
    const { days } = stats.trend;
    const byDay = (prefix: string, series: Overview['trend']['series']) => {
      for (const { key, values } of series) {
        values.forEach((value, i) => figures.set(`days.${days[i]}.${prefix}${key}`, value));
      }
    };
    byDay('', stats.trend.series);
    for (const c of stats.trend.channels) byDay(`channels.${c.code}.`, c.series);
    const { repurchase } = stats;
    figures.set('redeemers', repurchase.redeemers);
    figures.set('repeatRedeemers', repurchase.repeatRedeemers);
    for (const c of repurchase.channels) {
      figures.set(`channels.${c.code}.redeemers`, c.redeemers);
      figures.set(`channels.${c.code}.repeatRedeemers`, c.repeatRedeemers);
    }
    figures.set('redeemedValue', repurchase.redeemedValue);
    figures.set('riskChecksFailed', stats.riskChecksFailed);
    return figures;
  }

  it('shows every counter the functions keep, with its value', async () => {
    const code = await scenario();
    await enter(backend, 'stranger', 'ZZZZ9999'); // a rejected invite too
    await enter(backend, 'user-a', code); // and a returning user with a code (SELF_INVITE)
    const stored = storedCounters();
    expect(stored.size).toBeGreaterThan(15);
    const shown = answered(await overview());
    for (const [path, value] of stored) {
      if (value === 0) continue;
      expect([path, shown.get(path)]).toEqual([path, value]);
    }
  });

  it('counts claims per channel, what each claim cost, and the members each channel brought', async () => {
    await scenario();
    const channels = Object.fromEntries((await overview()).channels.map((c) => [c.code, c]));
    // the demo's posters cost ¥300: one visitor claimed through them and brought three friends
    // (issue 10: the friends count for the poster, the channel that brought their inviter)
    expect(channels.poster).toMatchObject({ visitors: 1, claims: 1, verified: 3, cost: 30_000 });
    expect(channels.poster).toMatchObject({ costPerClaim: 30_000, kFactor: 3 });
    // ¥300 for four members: the claimer and the three friends
    expect(channels.poster.costPerVerified).toBe(7_500);
    expect(channels.store).toMatchObject({ visitors: 0, claims: 0, cost: 5_000 });
    expect(channels.store.costPerClaim).toBeUndefined();
    expect(channels.share).toMatchObject({ visitors: 4, claims: 3, verified: 0 });
    expect(channels.direct).toMatchObject({ visitors: 1, claims: 0 });
  });

  it('says which prize is the unlimited fallback and what kind each prize is', async () => {
    await scenario();
    const prizes = Object.fromEntries((await overview()).prizes.map((p) => [p.id, p]));
    expect(prizes.thanks).toEqual({
      id: 'thanks',
      name: '谢谢参与',
      kind: 'none',
      fallback: true,
      stock: null,
      issued: 3,
    });
    expect(prizes.tumbler).toMatchObject({ kind: 'physical', fallback: false, stock: 20 });
  });
});

it("answers the server's time, so the dashboard does not trust the phone's clock", async () => {
  const at = new Date(backend.emulator.clock.now() + 3 * 60 * 60 * 1000);
  await backend.emulator.setClock(at);
  const before = backend.emulator.clock.now();
  const { serverNow } = await overview();
  const after = backend.emulator.clock.now();
  expect(Date.parse(serverNow)).toBeGreaterThanOrEqual(before);
  expect(Date.parse(serverNow)).toBeLessThanOrEqual(after);
});
