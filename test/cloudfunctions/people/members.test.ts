/**
 * People console (issue 13): finding a member and reading their page — exactly what a scenario
 * did to them — and the member list a page at a time; never an openid in any answer; owners only.
 */
import {
  OWNER,
  STAFF,
  data,
  enter,
  errorCode,
  requestId,
  useBackend,
} from '../../support/emulator';
import { favour, friendClaims, memberPage, redeemFirstCoupon, spin } from './support';

const backend = useBackend();

const MINUTE = 60 * 1000;

describe('the member page', () => {
  it('shows exactly what the scenario did to the member', async () => {
    await favour(backend, 'cash-50-10');
    const t0 = (await backend.emulator.freezeClock()).getTime();
    let minutes = 0;
    /** The clock one minute on: each act below happens at its own minute. */
    const next = async () => {
      minutes++;
      await backend.emulator.setClock(new Date(t0 + minutes * MINUTE));
      return new Date(t0 + minutes * MINUTE).toISOString();
    };
    const at: Record<string, string> = {};

    at.inviter = await next();
    const inviter = data(await backend.api('oid-inviter', 'session.enter', { channel: 'poster' }));
    data(await backend.api('oid-inviter', 'magnet.claim', { requestId: 'claim-oid-inviter' }));
    at.returning = await next();
    const returning = await enter(backend, 'oid-returning');

    backend.emulator.sdk.setRiskRank('oid-member', 2);
    at.arrived = await next();
    const m = await enter(backend, 'oid-member', inviter.inviteCode);
    at.claimed = await next();
    data(await backend.api('oid-member', 'magnet.claim', { requestId: 'claim-oid-member' }));
    at.spun = await next();
    const won = await spin(backend, 'oid-member');

    at.f1 = await next();
    const f1 = await friendClaims(backend, 'oid-f1', m.inviteCode);
    at.f2 = await next();
    const f2 = await enter(backend, 'oid-f2', m.inviteCode);
    at.g = await next();
    const g = await friendClaims(backend, 'oid-g', f1.inviteCode);
    at.refused = await next();
    expect((await enter(backend, 'oid-returning', m.inviteCode)).invite).toEqual({
      status: 'rejected',
      reason: 'NOT_NEW_USER',
    });

    at.group = await next();
    const group = data(await backend.api('oid-member', 'group.get'));
    at.joined = await next();
    data(await backend.api('oid-member', 'group.confirmJoined'));
    at.promoted = await next();
    data(
      await backend.admin(OWNER, 'users.promote', {
        userRef: m.inviteCode,
        level: 1,
        reason: '社群活跃',
      }),
    );
    at.redeemed = await next();
    expect((await redeemFirstCoupon(backend, 'oid-member')).ok).toBe(true);
    at.tagged = await next();
    data(
      await backend.admin(OWNER, 'users.setTag', {
        userRef: m.inviteCode,
        growthTag: 'A',
        reason: '先观察复购',
      }),
    );
    const now = await next();

    const page = await memberPage(backend, m.inviteCode.toLowerCase());
    const coupons = page.coupons;
    const magnetCoupon = coupons.find((c) => c.source === 'magnet')!;
    const wheelCoupon = coupons.find((c) => c.source === 'lottery')!;
    expect(page).toEqual({
      member: {
        userRef: m.inviteCode,
        nickname: null,
        tag: 'A',
        tagManual: true,
        blocked: false,
        leader: 1,
        channel: 'share',
        channelName: '好友分享',
        enteredAt: at.arrived,
        claimed: true,
        verified: 1,
        createdAt: at.arrived,
        firstTouch: { channel: 'share', channelName: '好友分享', at: at.arrived },
        riskRank: 2,
      },
      campaign: { id: 'demo-opening', title: '山野茶事 · 新店开业 会员招募季' },
      claim: { at: at.claimed, coupon: '5元无门槛券', riskRank: 2 },
      spins: [{ at: at.spun, prize: '满50减10', kind: 'coupon', coupon: '满50减10' }],
      // newest first; staff redeemed the one from the wheel, which earned the repurchase coupon
      // (issue 15), issued as of the redemption
      coupons: [
        expect.objectContaining({
          title: '老顾客回馈 满30减6',
          status: 'available',
          issuedAt: at.redeemed,
        }),
        expect.objectContaining({
          id: wheelCoupon.id,
          title: '满50减10',
          status: 'redeemed',
          redeemedAt: at.redeemed,
        }),
        expect.objectContaining({ id: magnetCoupon.id, title: '5元无门槛券', status: 'available' }),
      ],
      invitedBy: {
        userRef: inviter.inviteCode,
        nickname: null,
        tag: 'A',
        status: 'verified',
        at: at.arrived,
        verifiedAt: at.claimed,
        riskRank: 2,
      },
      invitees: [
        {
          userRef: f2.inviteCode,
          nickname: null,
          tag: 'C',
          status: 'pending',
          at: at.f2,
          invitees: [],
        },
        {
          userRef: f1.inviteCode,
          nickname: null,
          tag: 'A',
          status: 'verified',
          at: at.f1,
          verifiedAt: at.f1,
          invitees: [
            {
              userRef: g.inviteCode,
              nickname: null,
              tag: 'B',
              status: 'verified',
              at: at.g,
              verifiedAt: at.g,
            },
          ],
        },
      ],
      refusals: [{ userRef: returning.inviteCode, reason: 'NOT_NEW_USER', at: at.refused }],
      progress: { verified: 1, pending: 1, held: 0, bonusBalance: 1 },
      group: { name: group.name, at: at.group, joinedAt: at.joined },
      leaderFigures: { members: 0, claims: 0, redemptions: 0 },
      audit: [
        {
          id: expect.any(String),
          at: at.tagged,
          action: 'tag',
          by: '演示运营',
          userRef: m.inviteCode,
          reason: '先观察复购',
          detail: '标签 自动 → A',
        },
        {
          id: expect.any(String),
          at: at.promoted,
          action: 'promote',
          by: '演示运营',
          userRef: m.inviteCode,
          reason: '社群活跃',
          detail: '设为小当家',
        },
      ],
      serverNow: now,
    });
    expect(won.coupon?.id).toBe(wheelCoupon.id);
    // never an openid on the page
    expect(JSON.stringify(page)).not.toMatch(/oid-/);
  });
});

describe('users.find', () => {
  it('finds a member by invite code in any case, or by the QR of one of their coupons', async () => {
    const m = await enter(backend, 'oid-member');
    data(await backend.api('oid-member', 'magnet.claim', { requestId: 'claim-oid-member' }));
    const byCode = data(
      await backend.admin(OWNER, 'users.find', { code: ` ${m.inviteCode.toLowerCase()} ` }),
    );
    expect(byCode).toMatchObject({
      via: 'inviteCode',
      member: { userRef: m.inviteCode, tag: 'B' },
    });

    const coupon = data(await backend.api('oid-member', 'wallet.list', {})).coupons[0];
    const { token } = data(
      await backend.api('oid-member', 'coupon.token', { couponId: coupon.id }),
    );
    const byQr = data(await backend.admin(OWNER, 'users.find', { code: token }));
    expect(byQr).toMatchObject({ via: 'coupon', member: { userRef: m.inviteCode } });
    // a QR whose minute passed still names its coupon for a lookup
    await backend.emulator.advanceClock(5 * MINUTE);
    expect(data(await backend.admin(OWNER, 'users.find', { code: token })).member.userRef).toBe(
      m.inviteCode,
    );
    // a forged one does not
    const [payload] = token.split('.');
    expect(
      errorCode(await backend.admin(OWNER, 'users.find', { code: `${payload}.${'A'.repeat(22)}` })),
    ).toBe('BAD_TOKEN');
    expect(errorCode(await backend.admin(OWNER, 'users.find', { code: 'NOBODY99' }))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await backend.admin(OWNER, 'users.find', { code: 'not a code at all' }))).toBe(
      'NOT_FOUND',
    );
  });
});

describe('users.list', () => {
  it('pages through 250 members, 100 at a time, newest first, each once; and filters by tag', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 250; i++) {
      codes.push((await enter(backend, `oid-${i}`)).inviteCode);
      if (i % 5 === 0) {
        data(await backend.api(`oid-${i}`, 'magnet.claim', { requestId: requestId('claim') }));
      }
      await backend.emulator.advanceClock(i % 3 === 0 ? 0 : 1000); // some arrive together
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = data(
        await backend.admin(OWNER, 'users.list', { limit: 100, ...(cursor ? { cursor } : {}) }),
      );
      expect(JSON.stringify(page)).not.toMatch(/oid-/);
      seen.push(...page.members.map((m) => m.userRef));
      cursor = page.next;
      pages++;
      if (pages === 1)
        expect(page.tags).toEqual([
          { tag: 'S', count: 0 },
          { tag: 'A', count: 0 },
          { tag: 'B', count: 50 },
          { tag: 'C', count: 200 },
        ]);
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen[0]).toBe(codes[249]);

    const claimed = data(await backend.admin(OWNER, 'users.list', { tag: 'B', limit: 100 }));
    expect(claimed.members).toHaveLength(50);
    expect(claimed.members.every((m) => m.tag === 'B' && m.claimed)).toBe(true);
    expect(errorCode(await backend.admin(OWNER, 'users.list', { cursor: 'oid-1' }))).toBe(
      'BAD_REQUEST',
    );
  });

  it('lists the blocked members', async () => {
    const a = await enter(backend, 'oid-a');
    await enter(backend, 'oid-b');
    data(await backend.admin(OWNER, 'users.block', { userRef: a.inviteCode, reason: '刷单' }));
    const blocked = data(await backend.admin(OWNER, 'users.list', { blocked: true }));
    expect(blocked.members.map((m) => [m.userRef, m.blocked])).toEqual([[a.inviteCode, true]]);
    expect(data(await backend.admin(OWNER, 'users.list', { blocked: false })).members).toHaveLength(
      1,
    );
  });
});

it('pages through the audit log, newest first', async () => {
  const m = await enter(backend, 'oid-member');
  for (const tag of ['S', 'A', 'B'] as const) {
    data(await backend.admin(OWNER, 'users.setTag', { userRef: m.inviteCode, growthTag: tag }));
    await backend.emulator.advanceClock(1000);
  }
  const first = data(await backend.admin(OWNER, 'audit.list', { limit: 2 }));
  const second = data(await backend.admin(OWNER, 'audit.list', { limit: 2, cursor: first.next }));
  expect([...first.entries, ...second.entries].map((e) => e.detail)).toEqual([
    '标签 A → B',
    '标签 S → A',
    '标签 自动 → S',
  ]);
  expect(second.next).toBeUndefined();
  expect(JSON.stringify([first, second])).not.toMatch(/oid-|demo-admin/);
});

describe('who may use the console', () => {
  const actions: Array<[string, Record<string, unknown>]> = [
    ['users.find', { code: 'ABCDEFGH' }],
    ['users.get', { userRef: 'ABCDEFGH' }],
    ['users.list', {}],
    ['users.block', { userRef: 'ABCDEFGH', reason: 'x' }],
    ['users.unblock', { userRef: 'ABCDEFGH', reason: 'x' }],
    ['users.promote', { userRef: 'ABCDEFGH', level: 1 }],
    ['holds.list', {}],
    ['holds.approve', { userRef: 'ABCDEFGH' }],
    ['holds.reject', { userRef: 'ABCDEFGH', reason: 'x' }],
    ['koc.list', {}],
    ['koc.grant', { userRef: 'ABCDEFGH', requestId: 'grant-000001', templateId: 'cash-5-free' }],
    ['export.create', { kind: 'members' }],
    ['export.get', { jobId: 'ex_0' }],
    ['export.list', {}],
    ['audit.list', {}],
  ];

  it.each(actions)(
    'owners only: %s is refused to staff and visitors, writing nothing',
    async (action, params) => {
      await enter(backend, 'oid-visitor');
      const before = backend.snapshot();
      for (const openid of [STAFF, 'oid-visitor']) {
        const { result } = await backend.emulator.invoke(
          'admin',
          { action, ...params },
          { openid },
        );
        expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      }
      expect(backend.snapshot()).toEqual(before);
    },
  );
});
