/**
 * Database round trips per action (issue targets), counted by the emulator for each invocation.
 * Measured on a warm container (the campaign is cached, as it is on CloudBase between calls);
 * a cold container adds one read of the campaign.
 *
 * The visitor actions' figures live in `cloudfunctions/_shared/round-trips.ts`, which the
 * simulator reads to project a campaign's database load: each is asserted exactly on the
 * costliest path walked here, so the projection's figures are the code's.
 */
import { ROUND_TRIPS, type MeasuredAction } from '../../cloudfunctions/_shared/round-trips';
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  requestId,
  useBackend,
} from '../support/emulator';

const backend = useBackend();

async function roundTrips(fn: 'api' | 'admin', openid: string, event: Record<string, unknown>) {
  const { result, dbCalls } = await backend.emulator.invoke(fn, event, { openid });
  expect(result).toMatchObject({ ok: true });
  return dbCalls;
}

const visitor = (openid: string, action: MeasuredAction, params: Record<string, unknown> = {}) =>
  roundTrips('api', openid, { action, ...params });

it('lottery.spin: a limited coupon prize within the figure, and the prize really won', async () => {
  await editCampaign(backend, (config) => {
    for (const prize of config.lottery.prizes) {
      if (prize.id === 'off-20') Object.assign(prize, { weight: 1_000_000, stock: 50 });
    }
  });
  await enter(backend, 'spinner');
  const calls = await visitor('spinner', 'lottery.spin', { requestId: requestId() });
  expect(calls).toBeLessThanOrEqual(ROUND_TRIPS['lottery.spin']);
  expect(calls).toBe(6);
  const coupons = data(await backend.api('spinner', 'wallet.list', {})).coupons;
  expect(coupons).toHaveLength(1); // the limited coupon prize was really won
});

it('lottery.spin: a first spin that verifies an invite after the claim window (the figure)', async () => {
  const { session } = await enterAndClaim(backend, 'inviter');
  await editCampaign(backend, (config) => {
    config.magnet.claimWindow.endAt = new Date(Date.parse(config.startAt) + 3600e3).toISOString();
    // the costliest prize: a limited coupon (a unit held, a coupon issued)
    for (const prize of config.lottery.prizes) {
      if (prize.id === 'off-20') Object.assign(prize, { weight: 1_000_000, stock: 50 });
    }
  });
  await enter(backend, 'late-friend', session.inviteCode);
  expect(await visitor('late-friend', 'lottery.spin', { requestId: requestId() })).toBe(
    ROUND_TRIPS['lottery.spin'],
  );
  expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(1);
});

it('magnet.claim with invite verification, the first credit of a day (the figure)', async () => {
  const { session } = await enterAndClaim(backend, 'inviter');
  await enter(backend, 'friend', session.inviteCode);
  expect(await visitor('friend', 'magnet.claim', { requestId: requestId('claim') })).toBe(
    ROUND_TRIPS['magnet.claim'],
  );
  expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(1);
});

it('session.enter of a new visitor with an invite, and what a visit reads (the figures)', async () => {
  const { session } = await enterAndClaim(backend, 'inviter');
  expect(await visitor('friend', 'session.enter', { inviteCode: session.inviteCode })).toBe(
    ROUND_TRIPS['session.enter'],
  );
  expect(await visitor('friend', 'campaign.get')).toBe(ROUND_TRIPS['campaign.get']);
  data(await backend.api('friend', 'magnet.claim', { requestId: requestId('claim') }));
  expect(await visitor('friend', 'lottery.status')).toBe(ROUND_TRIPS['lottery.status']);
  expect(await visitor('friend', 'wallet.list')).toBe(ROUND_TRIPS['wallet.list']);
  expect(await visitor('inviter', 'blackcard.get')).toBe(ROUND_TRIPS['blackcard.get']);
  expect(await visitor('friend', 'group.get')).toBe(ROUND_TRIPS['group.get']);
  // a group already held is answered in fewer
  expect(await visitor('friend', 'group.get')).toBeLessThan(ROUND_TRIPS['group.get']);
});

// People console (issue 13)
it('leader.get and leaderboard.get: at most 2 each', async () => {
  const { session } = await enterAndClaim(backend, 'leader');
  await enterAndClaim(backend, 'friend', session.inviteCode);
  data(await backend.admin(OWNER, 'users.promote', { userRef: session.inviteCode, level: 1 }));
  expect(await roundTrips('api', 'leader', { action: 'leader.get' })).toBeLessThanOrEqual(2);
  expect(await roundTrips('api', 'friend', { action: 'leaderboard.get' })).toBeLessThanOrEqual(2);
});

it('stats.overview: at most 8 (trends, cohorts and repurchase come from the same counters)', async () => {
  await enterAndClaim(backend, 'someone');
  expect(await roundTrips('admin', OWNER, { action: 'stats.overview' })).toBeLessThanOrEqual(8);
});

// Retention (issue 15)
it('session.enter of a member back on a later day: 2 more once (the return, its cohort), then none', async () => {
  await enterAndClaim(backend, 'member');
  const sameDay = await visitor('member', 'session.enter');
  await backend.emulator.advanceClock(24 * 3600e3);
  await visitor('member', 'lottery.status'); // the campaign cached again, as on a warm container
  expect(await visitor('member', 'session.enter')).toBe(sameDay + 2);
  expect(await visitor('member', 'session.enter')).toBe(sameDay);
});

it('campaign.list: the same at 1 and at 20 campaigns (one query for their figures)', async () => {
  const listCalls = () => roundTrips('admin', OWNER, { action: 'campaign.list' });
  const one = await listCalls();
  for (let i = 0; i < 19; i++) {
    data(await backend.admin(OWNER, 'campaign.create', { cloneOf: 'demo-opening' }));
  }
  expect(await listCalls()).toBe(one);
  expect(one).toBeLessThanOrEqual(3); // the caller's role, the campaigns, their counters
});

// Rewards (issue 12) ----------------------------------------------------------------------------

it('rewards: member.code ≤ 3, blackcard.get with the rights in use, member.useRight ≤ 7, coupon.redeem with its ledger, the owner’s tag and the repurchase coupon ≤ 9', async () => {
  const { session } = await enterAndClaim(backend, 'member');
  for (const friend of ['f1', 'f2', 'f3']) await enterAndClaim(backend, friend, session.inviteCode);
  data(await backend.api('member', 'group.get'));
  data(await backend.api('member', 'group.confirmJoined'));
  expect(await roundTrips('api', 'member', { action: 'member.code' })).toBeLessThanOrEqual(3);
  expect(await roundTrips('api', 'member', { action: 'blackcard.get' })).toBeLessThanOrEqual(
    ROUND_TRIPS['blackcard.get'],
  );

  const { code } = data(await backend.api('member', 'member.code'));
  const { ticket } = data(await backend.admin('demo-staff', 'member.lookup', { code }));
  const use = { action: 'member.useRight', ticket, rightId: 'tasting', requestId: requestId() };
  expect(await roundTrips('admin', 'demo-staff', use)).toBeLessThanOrEqual(7);

  const coupon = data(await backend.api('f1', 'wallet.list', {})).coupons[0];
  const { token } = data(await backend.api('f1', 'coupon.token', { couponId: coupon.id }));
  const redeem = { action: 'coupon.redeem', token };
  // the staff member, the coupon, its owner (a block) and their participant, the redemption, its
  // ledger record, the owner's participant counting it (growth tag, issue 13), the repurchase
  // coupon it earns (issue 15), the counters
  expect(await roundTrips('admin', 'demo-staff', redeem)).toBeLessThanOrEqual(9);
  // Retention (issue 15): a reversal also takes the redemption off its member and withdraws the
  // repurchase coupon it earned (the member read, their mark, the coupon withdrawn and read)
  const [line] = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
  const reverse = { action: 'redemptions.reverse', redemptionId: line.id, reason: '误扫' };
  expect(await roundTrips('admin', OWNER, reverse)).toBeLessThanOrEqual(9);
});
