/**
 * Database round trips per action (issue targets), counted by the emulator for each invocation.
 * Measured on a warm container (the campaign is cached, as it is on CloudBase between calls);
 * a cold container adds one read of the campaign.
 */
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

it('lottery.spin: at most 6, even for a limited coupon prize', async () => {
  await editCampaign(backend, (config) => {
    for (const prize of config.lottery.prizes) {
      if (prize.id === 'off-20') Object.assign(prize, { weight: 1_000_000, stock: 50 });
    }
  });
  await enter(backend, 'spinner');
  const calls = await roundTrips('api', 'spinner', {
    action: 'lottery.spin',
    requestId: requestId(),
  });
  expect(calls).toBeLessThanOrEqual(6);
  const coupons = data(await backend.api('spinner', 'wallet.list', {})).coupons;
  expect(coupons).toHaveLength(1); // the limited coupon prize was really won
});

it('magnet.claim with invite verification: at most 8, also on the first credit of a day', async () => {
  const { session } = await enterAndClaim(backend, 'inviter');
  await enter(backend, 'friend', session.inviteCode);
  const calls = await roundTrips('api', 'friend', {
    action: 'magnet.claim',
    requestId: requestId('claim'),
  });
  expect(calls).toBeLessThanOrEqual(8);
  expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(1);
});

it('wallet.list: at most 2', async () => {
  await enterAndClaim(backend, 'holder');
  expect(await roundTrips('api', 'holder', { action: 'wallet.list' })).toBeLessThanOrEqual(2);
});

// People console (issue 13)
it('leader.get and leaderboard.get: at most 2 each', async () => {
  const { session } = await enterAndClaim(backend, 'leader');
  await enterAndClaim(backend, 'friend', session.inviteCode);
  data(await backend.admin(OWNER, 'users.promote', { userRef: session.inviteCode, level: 1 }));
  expect(await roundTrips('api', 'leader', { action: 'leader.get' })).toBeLessThanOrEqual(2);
  expect(await roundTrips('api', 'friend', { action: 'leaderboard.get' })).toBeLessThanOrEqual(2);
});

it('stats.overview: at most 12', async () => {
  await enterAndClaim(backend, 'someone');
  expect(await roundTrips('admin', OWNER, { action: 'stats.overview' })).toBeLessThanOrEqual(12);
});
