/** The `admin` function: roles, the dashboard from counters, campaign edits, tags. */
import {
  OWNER,
  STAFF,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  errorCode,
  requestId,
  useBackend,
} from '../support/emulator';
import { newParticipant, newUser } from '../../cloudfunctions/_shared/user';
import { toJsonSafe } from '../../emulator/store';

const backend = useBackend();

const funnelOf = async () =>
  Object.fromEntries(
    data(await backend.admin(OWNER, 'stats.overview')).funnel.map((s) => [s.key, s.count]),
  );

/** Adds `count` visitors of the demo campaign straight into the store (no function calls). */
function seedUsers(count: number) {
  const snapshot = backend.emulator.store.exportSnapshot();
  const now = new Date(backend.emulator.clock.now());
  const users = (snapshot.collections.users ?? []) as unknown[];
  const participants = (snapshot.collections.participants ?? []) as unknown[];
  for (let i = 0; i < count; i++) {
    const user = newUser({
      openid: `seeded-${i}`,
      inviteCode: `S${i.toString(36).toUpperCase().padStart(7, '0')}`,
      campaignId: 'demo-opening',
      channel: 'poster',
      scene: null,
      now,
      invite: null,
    });
    const participant = newParticipant({
      id: `demo-opening:${user._id}`,
      campaignId: 'demo-opening',
      user,
      channel: 'poster',
      isNewUser: true,
      invite: null,
      now,
      entered: true,
    });
    participant.progress.verified = i % 97 === 0 ? 1 : 0; // some inviters for the top list
    users.push(toJsonSafe(user));
    participants.push(toJsonSafe(participant));
  }
  snapshot.collections.users = users;
  snapshot.collections.participants = participants;
  return backend.emulator.importSnapshot(snapshot);
}

describe('stats.overview', () => {
  it('shows exactly what the scenario did', async () => {
    const { session: a } = await enterAndClaim(backend, 'user-a');
    await enter(backend, 'walk-in');
    data(await backend.api('walk-in', 'session.enter', { channel: 'store' }));
    for (const friend of ['b', 'c', 'd']) await enterAndClaim(backend, friend, a.inviteCode);
    await enter(backend, 'e', a.inviteCode); // pending, never claims
    data(await backend.api('user-a', 'lottery.spin', { requestId: requestId() }));
    data(await backend.api('b', 'lottery.spin', { requestId: requestId() }));
    data(await backend.api('user-a', 'group.get'));
    // b's gift coupon (b's spin may have won a shipped prize, which has no code to scan)
    const coupon = data(await backend.api('b', 'wallet.list', {})).coupons.find(
      (c) => c.source === 'magnet',
    )!;
    const { token } = data(await backend.api('b', 'coupon.token', { couponId: coupon.id }));
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));

    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    const funnel = Object.fromEntries(stats.funnel.map((s) => [s.key, s.count]));
    expect(funnel).toMatchObject({
      visitors: 6,
      claims: 4,
      spinners: 2,
      inviters: 1,
      invitesVerified: 3,
      cardsUnlocked: 1,
      groupHandouts: 1,
      couponsRedeemed: 1,
    });
    // 4 magnet coupons, plus whatever the two spins won
    const spinCoupons = (
      backend.snapshot().collections.coupons as Array<{ source: string }>
    ).filter((c) => c.source === 'lottery').length;
    // (and the repurchase coupon b's redemption earned, issue 15)
    expect(funnel.couponsIssued).toBe(4 + spinCoupons + 1);
    expect(stats.prizes.reduce((n, p) => n + p.issued, 0)).toBe(2);
    expect(stats.topInviters).toEqual([{ userRef: a.inviteCode, verified: 3 }]);
    const channels = Object.fromEntries(stats.channels.map((c) => [c.code, c]));
    // the friends came by A's share, and count as members A's channel brought (A came direct)
    expect(channels.share).toMatchObject({ visitors: 4, verified: 0 });
    expect(channels.store).toMatchObject({ visitors: 0 }); // walk-in entered first without a channel
    expect(channels.direct).toMatchObject({ visitors: 2, verified: 3 });
    // never an openid in the operator's view either
    expect(JSON.stringify(stats)).not.toMatch(/user-a|walk-in/);
  });

  it('costs the same number of database calls at 100 and at 10,000 users', async () => {
    const callsAt = async (users: number) => {
      await backend.emulator.reset();
      await seedUsers(users);
      const { result, dbCalls } = await backend.emulator.invoke(
        'admin',
        { action: 'stats.overview' },
        { openid: OWNER },
      );
      expect((result as { ok: boolean }).ok).toBe(true);
      return dbCalls;
    };
    const small = await callsAt(100);
    const large = await callsAt(10_000);
    expect(small).toBe(large);
    expect(large).toBeLessThanOrEqual(12);
  });
});

describe('roles', () => {
  const adminEvents: Array<[string, Record<string, unknown>]> = [
    ['admin.whoami', {}],
    ['stats.overview', {}],
    ['coupon.redeem', { token: 'x.y' }],
    ['users.setTag', { userRef: 'ABCDEFGH', growthTag: 'S' }],
    [
      'groups.upsert',
      {
        name: 'g',
        qrUrl: 'https://example.com/g.png',
        expiresAt: new Date(Date.now() + 3600e3).toISOString(),
      },
    ],
    ['campaign.get', {}],
    ['campaign.put', { config: {} }],
  ];

  it.each(adminEvents)(
    'refuses %s to a visitor and to an empty openid, writing nothing',
    async (action, params) => {
      await enter(backend, 'visitor');
      const before = backend.snapshot();
      const visitor = await backend.emulator.invoke(
        'admin',
        { action, ...params },
        { openid: 'visitor' },
      );
      expect(visitor.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      const anonymous = await backend.emulator.invoke(
        'admin',
        { action, ...params },
        { openid: '' },
      );
      expect(anonymous.result).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      expect(backend.snapshot()).toEqual(before);
    },
  );

  it('lets staff see who they are and redeem, and nothing else', async () => {
    expect(data(await backend.admin(STAFF, 'admin.whoami'))).toEqual({
      role: 'staff',
      name: '演示店员',
      store: '山野茶事 · 万象城店',
    });
    for (const [action, params] of adminEvents) {
      if (action === 'admin.whoami' || action === 'coupon.redeem') continue;
      const { result } = await backend.emulator.invoke(
        'admin',
        { action, ...params },
        { openid: STAFF },
      );
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    // redeem is allowed: a bad token is judged as a token, not refused as a role
    expect(errorCode(await backend.admin(STAFF, 'coupon.redeem', { token: 'x.y' }))).toBe(
      'BAD_TOKEN',
    );
  });
});

describe('campaign.put', () => {
  it('rejects an invalid config with readable problems and keeps the old one active', async () => {
    const before = backend.snapshot();
    const current = data(await backend.admin(OWNER, 'campaign.get')).config as Record<string, any>;
    const broken = JSON.parse(JSON.stringify(current));
    broken.lottery.prizes = broken.lottery.prizes.map((p: Record<string, unknown>) => ({
      ...p,
      fallback: false,
    }));
    broken.lottery.prizes[1].stock = -3;
    const answer = await backend.admin(OWNER, 'campaign.put', { config: broken });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('BAD_REQUEST');
    const paths = (answer.error.issues ?? []).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['config.lottery.prizes', 'config.lottery.prizes.1.stock']),
    );
    expect(answer.error.message).toMatch(/兜底奖品/);
    expect(backend.snapshot()).toEqual(before);
  });

  it('applies a valid edit, keeps rights current on the black card, and keeps issued stock', async () => {
    await editCampaign(backend, (config) => {
      config.blackCard.rights.push({ id: 'new-right', title: '新权益', description: '刚刚上线' });
      for (const prize of config.lottery.prizes) if (prize.id === 'tumbler') prize.stock = 7;
    });
    await enter(backend, 'visitor');
    const rights = data(await backend.api('visitor', 'blackcard.get')).rights.map((r) => r.id);
    expect(rights).toContain('new-right');
    const stock = data(await backend.admin(OWNER, 'stats.overview')).prizes.find(
      (p) => p.id === 'tumbler',
    );
    expect(stock?.stock).toBe(7);
  });

  it('activates a campaign with a new id and keeps the old one for history', async () => {
    await editCampaign(backend, (config) => {
      config.id = 'summer-2';
      config.title = '夏季第二期';
    });
    await enter(backend, 'visitor');
    expect(data(await backend.api('visitor', 'campaign.get')).title).toBe('夏季第二期');
    const campaigns = backend.snapshot().collections.campaigns as Array<{
      _id: string;
      active: boolean;
    }>;
    expect(campaigns.filter((c) => c.active).map((c) => c._id)).toEqual(['summer-2']);
    expect(campaigns).toHaveLength(2);
  });
});

describe('users.setTag', () => {
  it('tags a user by invite code, case-insensitively, again and again, and says when nobody has the code', async () => {
    const { inviteCode } = await enter(backend, 'visitor');
    expect(
      data(
        await backend.admin(OWNER, 'users.setTag', {
          userRef: inviteCode.toLowerCase(),
          growthTag: 'A',
        }),
      ),
    ).toEqual({
      userRef: inviteCode,
      growthTag: 'A',
      // People console (issue 13): the rules never undo a tag set by hand
      manual: true,
    });
    const user = (
      backend.snapshot().collections.users as Array<{ _id: string; growthTag: string }>
    ).find((u) => u._id === 'visitor');
    expect(user?.growthTag).toBe('A');
    // the same tag again is not "nobody"
    expect(
      (await backend.admin(OWNER, 'users.setTag', { userRef: inviteCode, growthTag: 'A' })).ok,
    ).toBe(true);
    expect(
      errorCode(
        await backend.admin(OWNER, 'users.setTag', { userRef: 'ZZZZZZZZ', growthTag: 'B' }),
      ),
    ).toBe('NOT_FOUND');
  });
});

describe('funnel bookkeeping', () => {
  it('counts a visitor once however often they come back', async () => {
    await enter(backend, 'visitor');
    await enter(backend, 'visitor');
    await Promise.all(Array.from({ length: 5 }, () => backend.api('visitor', 'session.enter', {})));
    expect((await funnelOf()).visitors).toBe(1);
  });
});
