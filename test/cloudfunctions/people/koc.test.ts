/**
 * People console (issue 13): the KOC leaderboard and its grants, leaders (小当家 / 大当家) and the
 * figures of the community their invite tree brought, and the public leaderboard.
 */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  errorCode,
  runCron,
  useBackend,
} from '../../support/emulator';
import { docs, friendClaims, redeemFirstCoupon, rewrite } from './support';

const backend = useBackend();

const DAY = 24 * 60 * 60 * 1000;

async function nickname(openid: string, name: string) {
  // issue 10 puts the nickname a member chose on their person document's profile
  await rewrite(backend, 'users', (all) =>
    all.map((u) => (u._id === openid ? { ...u, profile: { nickname: name } } : u)),
  );
}

describe('koc.list', () => {
  it('ranks the inviters with nickname, tag, verified friends and conversion, also per channel', async () => {
    const a = data(await backend.api('oid-a', 'session.enter', { channel: 'poster' }));
    data(await backend.api('oid-a', 'magnet.claim', { requestId: 'claim-oid-a' }));
    const b = data(await backend.api('oid-b', 'session.enter', { channel: 'kol' }));
    for (let i = 0; i < 3; i++) await friendClaims(backend, `oid-a-${i}`, a.inviteCode);
    await enter(backend, 'oid-a-3', a.inviteCode); // arrived, never claimed
    await friendClaims(backend, 'oid-b-0', b.inviteCode);
    await enter(backend, 'oid-b-1', b.inviteCode);
    await nickname('oid-a', '茶友小林');

    const board = data(await backend.admin(OWNER, 'koc.list', {}));
    expect(board.entries).toEqual([
      {
        rank: 1,
        userRef: a.inviteCode,
        nickname: '茶友小林',
        tag: 'A',
        verified: 3,
        arrivals: 4,
        conversion: 0.75,
        channel: 'poster',
        blocked: false,
      },
      {
        rank: 2,
        userRef: b.inviteCode,
        nickname: null,
        tag: 'A',
        verified: 1,
        arrivals: 2,
        conversion: 0.5,
        channel: 'kol',
        blocked: false,
      },
    ]);
    const kol = data(await backend.admin(OWNER, 'koc.list', { channel: 'kol' }));
    expect(kol.entries.map((e) => e.userRef)).toEqual([b.inviteCode]);
    expect(board.rewards.map((r) => r.id)).toContain('cash-50-10');
    expect(JSON.stringify(board)).not.toMatch(/oid-/);
  });
});

describe('koc.grant', () => {
  it('grants a reward exactly once per grant, however often the tap is repeated', async () => {
    const { session: koc } = await enterAndClaim(backend, 'oid-koc');
    const grant = {
      userRef: koc.inviteCode,
      requestId: 'grant-koc-0001',
      templateId: 'cash-50-10',
    };
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        backend.admin(OWNER, 'koc.grant', { ...grant, reason: '带来 30 位好友' }),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    const granted = answers.map(data);
    expect(new Set(granted.map((g) => g.couponId)).size).toBe(1);
    expect(granted.filter((g) => !g.alreadyGranted)).toHaveLength(1);
    expect(data(await backend.admin(OWNER, 'koc.grant', grant)).alreadyGranted).toBe(true);

    // a second grant is a new requestId
    data(await backend.admin(OWNER, 'koc.grant', { ...grant, requestId: 'grant-koc-0002' }));
    const wallet = data(await backend.api('oid-koc', 'wallet.list', {})).coupons;
    expect(wallet.filter((c) => c.source === 'grant').map((c) => c.title)).toEqual([
      '满50减10',
      '满50减10',
    ]);
    // a physical prize is recorded for staff to hand over
    const tumbler = data(
      await backend.admin(OWNER, 'koc.grant', {
        userRef: koc.inviteCode,
        requestId: 'grant-koc-0003',
        prizeId: 'tumbler',
      }),
    );
    expect(tumbler).toMatchObject({ title: '定制保温杯', label: '实物奖品' });
    expect(tumbler.couponId).toBeUndefined();

    const page = data(await backend.admin(OWNER, 'users.get', { userRef: koc.inviteCode }));
    expect(page.audit.filter((a) => a.action === 'grant').map((a) => a.detail)).toEqual([
      '奖励：定制保温杯（实物奖品）',
      '奖励：满50减10',
      '奖励：满50减10',
    ]);
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled?.countersCorrected).toEqual({});
  });

  it('refuses a requestId already used for someone else, and an unknown reward, writing nothing', async () => {
    const { session: a } = await enterAndClaim(backend, 'oid-a');
    const { session: b } = await enterAndClaim(backend, 'oid-b');
    data(
      await backend.admin(OWNER, 'koc.grant', {
        userRef: a.inviteCode,
        requestId: 'grant-shared-1',
        templateId: 'cash-5-free',
      }),
    );
    const before = backend.snapshot();
    expect(
      errorCode(
        await backend.admin(OWNER, 'koc.grant', {
          userRef: b.inviteCode,
          requestId: 'grant-shared-1',
          templateId: 'cash-5-free',
        }),
      ),
    ).toBe('CONFLICT');
    expect(
      errorCode(
        await backend.admin(OWNER, 'koc.grant', {
          userRef: b.inviteCode,
          requestId: 'grant-other-1',
          templateId: 'no-such-template',
        }),
      ),
    ).toBe('BAD_REQUEST');
    expect(backend.snapshot()).toEqual(before);
  });

  it('issues the coupon of a grant whose call died after recording it, once', async () => {
    const { session: koc } = await enterAndClaim(backend, 'oid-koc');
    const grant = data(
      await backend.admin(OWNER, 'koc.grant', {
        userRef: koc.inviteCode,
        requestId: 'grant-killed-1',
        templateId: 'discount-80',
      }),
    );
    await rewrite(backend, 'coupons', (all) => all.filter((c) => c._id !== grant.couponId));
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled?.people).toMatchObject({ grantsIssued: 1 });
    expect(docs(backend, 'coupons').filter((c) => c._id === grant.couponId)).toHaveLength(1);
    const again = await runCron(backend);
    expect(again.ok && again.data.reconciled?.people).toMatchObject({ grantsIssued: 0 });
  });
});

describe('leaders (团长)', () => {
  it('shows a leader what their tree brought, this week against last, and the ladder', async () => {
    // P (大当家) invited L (小当家), who invited F, who invited G
    const { session: p } = await enterAndClaim(backend, 'oid-p');
    const l = await friendClaims(backend, 'oid-l', p.inviteCode);
    data(await backend.admin(OWNER, 'users.promote', { userRef: p.inviteCode, level: 2 }));
    data(await backend.admin(OWNER, 'users.promote', { userRef: l.inviteCode, level: 1 }));
    expect(data(await backend.api('oid-l', 'session.enter', {})).leader).toBe(1);

    const f = await friendClaims(backend, 'oid-f', l.inviteCode);
    await friendClaims(backend, 'oid-g', f.inviteCode);
    await enter(backend, 'oid-h', f.inviteCode); // arrives, does not claim
    expect((await redeemFirstCoupon(backend, 'oid-f')).ok).toBe(true);

    const small = data(await backend.api('oid-l', 'leader.get'));
    expect(small).toMatchObject({
      level: 1,
      title: '小当家',
      figures: {
        members: { total: 3, thisWeek: 3, lastWeek: 0 },
        claims: { total: 2, thisWeek: 2, lastWeek: 0 },
        redemptions: { total: 1, thisWeek: 1, lastWeek: 0 },
      },
      ladder: { metric: 'claims' },
      next: { title: '铜牌当家', remaining: 8 },
    });
    expect(small.ladder.steps.map((s) => [s.title, s.reached])).toEqual([
      ['铜牌当家', false],
      ['银牌当家', false],
      ['金牌当家', false],
    ]);
    // the 大当家 above sees the same three (L joined before P was promoted: not counted)
    const big = data(await backend.api('oid-p', 'leader.get'));
    expect(big).toMatchObject({ level: 2, title: '大当家' });
    expect(big.figures.members.total).toBe(3);
    expect(JSON.stringify([small, big])).not.toMatch(/oid-/);

    // a week later, these are last week's
    await backend.emulator.advanceClock(7 * DAY);
    expect(data(await backend.api('oid-l', 'leader.get')).figures.claims).toEqual({
      total: 2,
      thisWeek: 0,
      lastWeek: 2,
    });
    // the recount agrees with what was counted as it happened
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled?.people).toMatchObject({ leadersCorrected: 1 });
    // (P's tree also holds L, who arrived before P was promoted: the recount adds L)
    expect(data(await backend.api('oid-p', 'leader.get')).figures.members.total).toBe(4);
    const again = await runCron(backend);
    expect(again.ok && again.data.reconciled?.people).toMatchObject({ leadersCorrected: 0 });

    expect(errorCode(await backend.api('oid-f', 'leader.get'))).toBe('FORBIDDEN');
  });

  it('counts the tree a member brought before their promotion, after the next hourly run', async () => {
    const { session: q } = await enterAndClaim(backend, 'oid-q');
    for (let i = 0; i < 3; i++) await friendClaims(backend, `oid-q-${i}`, q.inviteCode);
    data(await backend.admin(OWNER, 'users.promote', { userRef: q.inviteCode, level: 1 }));
    expect(data(await backend.api('oid-q', 'leader.get')).figures.members.total).toBe(0);
    await runCron(backend);
    expect(data(await backend.api('oid-q', 'leader.get')).figures).toMatchObject({
      members: { total: 3 },
      claims: { total: 3 },
    });
    // stepping down: no community page any more
    data(await backend.admin(OWNER, 'users.promote', { userRef: q.inviteCode, level: 0 }));
    expect(errorCode(await backend.api('oid-q', 'leader.get'))).toBe('FORBIDDEN');
  });
});

describe('the public leaderboard', () => {
  it('shows the top inviters with masked names, the caller as 我, never the blocked', async () => {
    const { session: a } = await enterAndClaim(backend, 'oid-a');
    const { session: b } = await enterAndClaim(backend, 'oid-b');
    const { session: c } = await enterAndClaim(backend, 'oid-c');
    for (let i = 0; i < 2; i++) await friendClaims(backend, `oid-a-${i}`, a.inviteCode);
    await friendClaims(backend, 'oid-b-0', b.inviteCode);
    await friendClaims(backend, 'oid-c-0', c.inviteCode);
    await nickname('oid-a', '茶友小林');
    data(await backend.admin(OWNER, 'users.block', { userRef: c.inviteCode, reason: '刷单' }));

    expect(data(await backend.api('oid-b', 'campaign.get')).leaderboard).toBe(true);
    const board = data(await backend.api('oid-b', 'leaderboard.get'));
    expect(board.entries).toEqual([
      { rank: 1, name: '茶**', verified: 2, me: false },
      { rank: 2, name: '我', verified: 1, me: true },
    ]);
    expect(JSON.stringify(board)).not.toMatch(/oid-|小林/);

    await editCampaign(backend, (config) => {
      config.leaderboard.public = false;
    });
    expect(errorCode(await backend.api('oid-b', 'leaderboard.get'))).toBe('NOT_FOUND');
  });
});
