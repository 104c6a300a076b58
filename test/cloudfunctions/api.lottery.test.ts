/** SPEC §3 Lottery: the server draws, stock never goes negative, a requestId pays once. */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  errorCode,
  requestId,
  useBackend,
} from '../support/emulator';

const backend = useBackend();

type Config = Record<string, any>;

/** Makes the tumbler (a physical prize) the overwhelming favourite with `stock` units left. */
function scarceFavourite(stock: number) {
  return (config: Config) => {
    for (const prize of config.lottery.prizes) {
      if (prize.id === 'tumbler') {
        prize.weight = 1_000_000;
        prize.stock = stock;
      }
    }
  };
}

describe('lottery.spin', () => {
  it('issues exactly the stock of a prize when 200 users spin at once', async () => {
    await editCampaign(backend, scarceFavourite(5));
    const users = Array.from({ length: 200 }, (_, i) => `spinner-${i}`);
    for (const user of users) await enter(backend, user);

    backend.emulator.faults.latencyMs = 1; // let the stock decrements interleave
    const spins = await Promise.all(
      users.map((user) => backend.api(user, 'lottery.spin', { requestId: requestId('spin') })),
    );
    backend.emulator.faults.latencyMs = 0;

    const prizes = spins.map((s) => data(s).prize.id);
    expect(prizes.filter((id) => id === 'tumbler')).toHaveLength(5);
    // Every other spin got another prize or the fallback: nobody was left without an answer.
    expect(prizes).toHaveLength(200);
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    const tumbler = stats.prizes.find((p) => p.id === 'tumbler');
    expect(tumbler).toMatchObject({ id: 'tumbler', stock: 0, issued: 5 });
    expect(stats.funnel.find((s) => s.key === 'spinners')?.count).toBe(200);
    const issuedTotal = stats.prizes.reduce((sum, p) => sum + p.issued, 0);
    expect(issuedTotal).toBe(200);
  });

  it('answers the same requestId sent 20 times at once identically, consuming one spin of several', async () => {
    // Four spins to spend (1 free + 3 earned): a guard that let duplicates through would spend more.
    const { session } = await enterAndClaim(backend, 'visitor');
    for (const friend of ['f1', 'f2', 'f3'])
      await enterAndClaim(backend, friend, session.inviteCode);
    expect(data(await backend.api('visitor', 'lottery.status')).spinsLeft).toBe(4);
    const id = requestId('same');
    backend.emulator.faults.latencyMs = 1;
    const answers = (
      await Promise.all(
        Array.from({ length: 20 }, () => backend.api('visitor', 'lottery.spin', { requestId: id })),
      )
    ).map(data);
    backend.emulator.faults.latencyMs = 0;
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0].spinsLeft).toBe(3);
    expect(data(await backend.api('visitor', 'lottery.status')).spinsLeft).toBe(3);
    // …and a retry later still gets the recorded answer.
    expect(data(await backend.api('visitor', 'lottery.spin', { requestId: id }))).toEqual(
      answers[0],
    );
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.funnel.find((s) => s.key === 'spinners')?.count).toBe(1);
    expect(stats.prizes.reduce((sum, p) => sum + p.issued, 0)).toBe(1);
  });

  it('never holds more than one stock unit for one spin, however often its requestId is sent', async () => {
    await editCampaign(backend, scarceFavourite(10));
    await enter(backend, 'visitor');
    const id = requestId('held');
    backend.emulator.faults.latencyMs = 1;
    const answers = (
      await Promise.all(
        Array.from({ length: 10 }, () => backend.api('visitor', 'lottery.spin', { requestId: id })),
      )
    ).map(data);
    backend.emulator.faults.latencyMs = 0;
    expect(new Set(answers.map((a) => a.prize.id))).toEqual(new Set(['tumbler']));
    const tumbler = data(await backend.admin(OWNER, 'stats.overview')).prizes.find(
      (p) => p.id === 'tumbler',
    );
    expect(tumbler?.stock).toBe(9);
  });

  it('lands on the sector of the prize it returns, and puts won coupons in the wallet', async () => {
    const campaign = data(await backend.api('visitor', 'campaign.get'));
    await enter(backend, 'visitor');
    // Enough spins to see several outcomes: bonus spins from invitees.
    const { session } = await enterAndClaim(backend, 'inviter');
    for (const friend of ['f1', 'f2', 'f3'])
      await enterAndClaim(backend, friend, session.inviteCode);
    let coupons = 0;
    for (let i = 0; i < 4; i++) {
      const spin = data(await backend.api('inviter', 'lottery.spin', { requestId: requestId() }));
      expect(campaign.wheel.sectors[spin.sectorIndex].id).toBe(spin.prize.id);
      expect(spin.spinsLeft).toBe(3 - i);
      // a physical prize is a voucher in the wallet too (Rewards, issue 12)
      if (spin.prize.kind === 'coupon' || spin.prize.kind === 'physical') {
        coupons++;
        expect(spin.coupon?.status).toBe('available');
      } else {
        expect(spin.coupon).toBeUndefined();
      }
    }
    const wallet = data(await backend.api('inviter', 'wallet.list', {}));
    // the magnet's coupon plus the ones won
    expect(wallet.coupons.filter((c) => c.source === 'lottery')).toHaveLength(coupons);
  });

  it('resets the free spins at midnight Shanghai time, not before', async () => {
    await enter(backend, 'visitor');
    // 23:59:30 Shanghai = 15:59:30Z
    const now = new Date(backend.emulator.clock.now());
    const beforeMidnight = new Date(
      Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 15, 59, 30),
    );
    if (beforeMidnight.getTime() < now.getTime())
      beforeMidnight.setUTCDate(beforeMidnight.getUTCDate() + 1);
    await backend.emulator.setClock(beforeMidnight);

    data(await backend.api('visitor', 'lottery.spin', { requestId: requestId() }));
    expect(
      errorCode(await backend.api('visitor', 'lottery.spin', { requestId: requestId() })),
    ).toBe('NO_SPINS_LEFT');
    await backend.emulator.advanceClock(20_000); // 23:59:50: still the same day
    expect(data(await backend.api('visitor', 'lottery.status')).freeSpinsLeft).toBe(0);
    await backend.emulator.advanceClock(20_000); // 00:00:10: a new day
    expect(data(await backend.api('visitor', 'lottery.status'))).toEqual({
      spinsLeft: 1,
      freeSpinsLeft: 1,
      bonusSpinsLeft: 0,
    });
    data(await backend.api('visitor', 'lottery.spin', { requestId: requestId() }));
    expect(data(await backend.api('visitor', 'lottery.status')).spinsLeft).toBe(0);
  });

  it('caps the bonus spins earned per day, and keeps unspent ones across midnight', async () => {
    await editCampaign(backend, (config) => {
      config.lottery.maxBonusSpinsPerDay = 2;
      config.blackCard.invitesRequired = 10;
    });
    const { session } = await enterAndClaim(backend, 'inviter');
    for (const friend of ['f1', 'f2', 'f3', 'f4'])
      await enterAndClaim(backend, friend, session.inviteCode);
    expect(data(await backend.api('inviter', 'lottery.status')).bonusSpinsLeft).toBe(2);
    expect(data(await backend.api('inviter', 'blackcard.get')).verified).toBe(4);

    await backend.emulator.advanceClock(24 * 60 * 60 * 1000);
    // unspent bonus spins carry over; the daily cap starts again
    await enterAndClaim(backend, 'f5', session.inviteCode);
    expect(data(await backend.api('inviter', 'lottery.status'))).toEqual({
      spinsLeft: 4,
      freeSpinsLeft: 1,
      bonusSpinsLeft: 3,
    });
  });

  it('gives a risky user only the fallback, and blocks a blocked one', async () => {
    await editCampaign(backend, scarceFavourite(100));
    await enter(backend, 'risky');
    await backend.emulator.sdk.setRiskRank('risky', 3);
    const spin = data(await backend.api('risky', 'lottery.spin', { requestId: requestId() }));
    expect(spin.prize.id).toBe('thanks');

    await enter(backend, 'blocked');
    await backend.emulator.sdk.setRiskRank('blocked', 4);
    const before = backend.snapshot();
    expect(
      errorCode(await backend.api('blocked', 'lottery.spin', { requestId: requestId() })),
    ).toBe('RISK_BLOCKED');
    expect(backend.snapshot()).toEqual(before);
  });

  it('refuses to spin outside the campaign', async () => {
    await enter(backend, 'visitor');
    await backend.emulator.advanceClock(60 * 24 * 60 * 60 * 1000);
    expect(
      errorCode(await backend.api('visitor', 'lottery.spin', { requestId: requestId() })),
    ).toBe('CAMPAIGN_NOT_ACTIVE');
  });
});
