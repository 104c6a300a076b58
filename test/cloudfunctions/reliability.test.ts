/**
 * Partial failure and abuse: what a chaos tester and an attacker tried, each with the answer the
 * product must give. The broken states a killed call leaves behind are made here by removing
 * what its last write would have written; test/chaos/** makes them with real injected faults.
 */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  errorCode,
  requestId,
  runCron,
  timerEvent,
  useBackend,
} from '../support/emulator';

const backend = useBackend();

type Config = Record<string, any>;
type Doc = Record<string, any>;

const HOUR = 60 * 60 * 1000;

function docs(collection: string): Doc[] {
  return (backend.snapshot().collections[collection] ?? []) as Doc[];
}

/** Replaces stored documents, as a call killed before its last write would have left them. */
async function rewrite(collection: string, edit: (docs: Doc[]) => Doc[]): Promise<void> {
  const snapshot = backend.snapshot();
  snapshot.collections[collection] = edit((snapshot.collections[collection] ?? []) as Doc[]);
  await backend.emulator.importSnapshot(snapshot);
}

const funnel = async () =>
  Object.fromEntries(
    data(await backend.admin(OWNER, 'stats.overview')).funnel.map((s) => [s.key, s.count]),
  );

describe('stock edits are deltas', () => {
  const favour = (stock: number) => (config: Config) => {
    for (const prize of config.lottery.prizes) {
      if (prize.id === 'tumbler') Object.assign(prize, { weight: 1_000_000, stock });
    }
  };

  it('never oversells while an unchanged config is saved again and again during a burst of spins', async () => {
    await editCampaign(backend, favour(30));
    const users = Array.from({ length: 120 }, (_, i) => `spinner-${i}`);
    for (const user of users) await enter(backend, user);
    const config = data(await backend.admin(OWNER, 'campaign.get')).config as Config;

    backend.emulator.faults.latencyMs = 1;
    let saving = true;
    const saves = (async () => {
      let n = 0;
      while (saving) {
        data(await backend.admin(OWNER, 'campaign.put', { config }));
        n++;
      }
      return n;
    })();
    const spins = await Promise.all(
      users.map((user) => backend.api(user, 'lottery.spin', { requestId: requestId() })),
    );
    saving = false;
    expect(await saves).toBeGreaterThan(0);
    backend.emulator.faults.latencyMs = 0;

    expect(spins.map(data).filter((s) => s.prize.id === 'tumbler')).toHaveLength(30);
    const tumbler = data(await backend.admin(OWNER, 'stats.overview')).prizes.find(
      (p) => p.id === 'tumbler',
    );
    expect(tumbler).toMatchObject({ stock: 0, issued: 30 });
  });

  it('raises and cuts the remaining stock by the difference, never below what was won', async () => {
    await editCampaign(backend, favour(5));
    for (const user of ['a', 'b', 'c']) {
      await enter(backend, user);
      expect(
        data(await backend.api(user, 'lottery.spin', { requestId: requestId() })).prize.id,
      ).toBe('tumbler');
    }
    const remaining = async () =>
      data(await backend.admin(OWNER, 'stats.overview')).prizes.find((p) => p.id === 'tumbler')
        ?.stock;
    expect(await remaining()).toBe(2);
    await editCampaign(backend, favour(10)); // +5
    expect(await remaining()).toBe(7);
    await editCampaign(backend, favour(4)); // −6
    expect(await remaining()).toBe(1);

    // 3 were won: a stock of 2 is refused beside its field, and nothing is written.
    const config = data(await backend.admin(OWNER, 'campaign.get')).config as Config;
    favour(2)(config);
    const before = backend.snapshot();
    const answer = await backend.admin(OWNER, 'campaign.put', { config });
    expect(errorCode(answer)).toBe('BAD_REQUEST');
    if (answer.ok) throw new Error('unreachable');
    expect(answer.error.message).toMatch(/已发出 3 件/);
    expect(answer.error.issues?.[0].path).toBe('config.lottery.prizes.0.stock');
    expect(backend.snapshot()).toEqual(before);
  });
});

describe('abuse', () => {
  it('runs cron only for its timer trigger; a visitor calling it is refused and changes nothing', async () => {
    const before = backend.snapshot();
    const asVisitor = await backend.emulator.invoke('cron', timerEvent(), { openid: 'visitor' });
    expect(errorCode(asVisitor.result as never)).toBe('FORBIDDEN');
    const noTimer = await backend.emulator.invoke('cron', { action: 'run' }, { openid: '' });
    expect(errorCode(noTimer.result as never)).toBe('FORBIDDEN');
    expect(backend.snapshot()).toEqual(before);
    expect((await runCron(backend)).ok).toBe(true);
  });

  it('counts a returning visitor’s refused invites once per reason and day, and stops made-up codes', async () => {
    const { session } = await enterAndClaim(backend, 'someone');
    await enter(backend, 'returning');
    const codes = Array.from({ length: 10 }, (_, i) => `ZZZZ${i.toString().padStart(4, '2')}`);
    for (const code of codes) {
      const answer = data(await backend.api('returning', 'session.enter', { inviteCode: code }));
      expect(answer.invite).toEqual({ status: 'rejected', reason: 'UNKNOWN_CODE' });
    }
    // The same code again is not a new attempt.
    expect(
      data(await backend.api('returning', 'session.enter', { inviteCode: codes[0] })).invite,
    ).toEqual({ status: 'rejected', reason: 'UNKNOWN_CODE' });
    // An 11th distinct code today: refused, and nothing is written.
    const before = backend.snapshot();
    const limited = await backend.api('returning', 'session.enter', {
      inviteCode: session.inviteCode,
    });
    expect(errorCode(limited)).toBe('RATE_LIMITED');
    expect(backend.snapshot()).toEqual(before);

    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.rejectedInvites).toEqual([{ reason: 'UNKNOWN_CODE', count: 1 }]);
    // Tomorrow the allowance starts again, and the refusal counts once more.
    await backend.emulator.advanceClock(24 * HOUR);
    expect(
      data(await backend.api('returning', 'session.enter', { inviteCode: session.inviteCode }))
        .invite,
    ).toEqual({ status: 'rejected', reason: 'NOT_NEW_USER' });
  });
});

describe('the reconciler', () => {
  it('issues the coupons of claims and spins whose call died before issuing them', async () => {
    await enterAndClaim(backend, 'visitor');
    data(await backend.api('visitor', 'lottery.spin', { requestId: requestId() }));
    const issued = docs('coupons').length;
    expect(issued).toBeGreaterThan(0);
    const before = await funnel();
    await rewrite('coupons', () => []);

    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ couponsIssued: issued });
    expect(docs('coupons')).toHaveLength(issued);
    expect(await funnel()).toEqual(before);
    // A second run finds nothing to do.
    const again = await runCron(backend);
    expect(again.ok && again.data.reconciled).toMatchObject({
      couponsIssued: 0,
      countersCorrected: {},
    });
  });

  it('credits the inviter of a claim whose call died before crediting, and unlocks the card', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    for (const friend of ['f1', 'f2', 'f3'])
      await enterAndClaim(backend, friend, session.inviteCode);
    // The inviter's document as it was before the last friend's credit landed.
    await rewrite('participants', (all) =>
      all.map((p) =>
        p.openid !== 'inviter'
          ? p
          : {
              ...p,
              progress: {
                ...p.progress,
                verified: 2,
                verifiedToday: 2,
                bonusEarnedToday: 2,
                bonusBalance: 2,
                unlockedAt: null,
                credits: Object.fromEntries(Object.entries(p.progress.credits as Doc).slice(0, 2)),
              },
            },
      ),
    );
    expect(data(await backend.api('inviter', 'blackcard.get'))).toMatchObject({
      verified: 2,
      unlocked: false,
    });
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ invitesJudged: 1, cardsUnlocked: 1 });
    expect(data(await backend.api('inviter', 'blackcard.get'))).toMatchObject({
      verified: 3,
      unlocked: true,
    });
    expect(data(await backend.api('inviter', 'lottery.status')).bonusSpinsLeft).toBe(3);
  });

  it('gives back a stock unit held for a spin that was never recorded, once it is abandoned', async () => {
    await editCampaign(backend, (config) => {
      for (const prize of config.lottery.prizes) {
        if (prize.id === 'tumbler') Object.assign(prize, { weight: 1_000_000, stock: 3 });
      }
    });
    await enter(backend, 'visitor');
    data(await backend.api('visitor', 'lottery.spin', { requestId: requestId() }));
    // The spin's record never landed: the participant is as before the spin.
    await rewrite('participants', (all) =>
      all.map((p) =>
        p.openid === 'visitor'
          ? { ...p, spins: { dayKey: null, freeUsed: 0, total: 0, lastAt: null, log: {} } }
          : p,
      ),
    );
    await rewrite('coupons', (all) => all.filter((c) => c.source !== 'lottery'));
    const stock = async () =>
      data(await backend.admin(OWNER, 'stats.overview')).prizes.find((p) => p.id === 'tumbler')
        ?.stock;
    expect(await stock()).toBe(2);
    // A call could still be running: nothing is given back yet.
    await runCron(backend);
    expect(await stock()).toBe(2);
    await backend.emulator.advanceClock(HOUR);
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ stockReleased: 1 });
    expect(await stock()).toBe(3);
    const tumbler = data(await backend.admin(OWNER, 'stats.overview')).prizes.find(
      (p) => p.id === 'tumbler',
    );
    expect(tumbler?.issued).toBe(0);
  });

  it('gives back a group seat counted for nobody, and corrects drifted counters', async () => {
    await enterAndClaim(backend, 'member');
    data(await backend.api('member', 'group.get'));
    await rewrite('participants', (all) =>
      all.map((p) => (p.openid === 'member' ? { ...p, group: null } : p)),
    );
    await rewrite('counters', (all) =>
      all.map((shard, i) => (i === 0 ? { ...shard, visitors: 40, claims: -3 } : shard)),
    );
    await backend.emulator.advanceClock(HOUR);
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ seatsReleased: 1 });
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.groups.reduce((sum, g) => sum + g.handedOut, 0)).toBe(0);
    expect(await funnel()).toMatchObject({ visitors: 1, claims: 1, groupHandouts: 0 });
  });
});

describe('risk checks that are seen', () => {
  const withoutRiskPermission = useBackend({
    // `api`'s config.json as an operator who forgot the permission would deploy it
    functionConfigs: { api: { permissions: { openapi: ['wxacode.getUnlimited'] } } },
  });

  it('lets visitors through when the risk call fails for a missing permission, counts it and alerts the operators once a day', async () => {
    const b = withoutRiskPermission;
    await b.emulator.sdk.setRiskRank('risky', 4); // would be blocked if the check worked
    await enterAndClaim(b, 'risky');
    data(await b.api('risky', 'lottery.spin', { requestId: requestId() }));
    await enterAndClaim(b, 'another');

    const stats = data(await b.admin(OWNER, 'stats.overview'));
    const alerts = stats.alerts.filter((a) => a.kind === 'RISK_CHECK_FAILING');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].message).toMatch(/风控检查调用失败（错误码 -604101）/);
    const stored = (b.snapshot().collections.counters as Doc[]).reduce(
      (sum, shard) => sum + (shard.riskChecksFailed ?? 0),
      0,
    );
    expect(stored).toBe(3); // two claims and a spin asked, and each failed
  });

  it('blocks as configured when the permission is declared', async () => {
    await backend.emulator.sdk.setRiskRank('risky', 4);
    await enter(backend, 'risky');
    expect(errorCode(await backend.api('risky', 'magnet.claim', { requestId: requestId() }))).toBe(
      'RISK_BLOCKED',
    );
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.alerts.filter((a) => a.kind === 'RISK_CHECK_FAILING')).toEqual([]);
  });
});
