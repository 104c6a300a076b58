/**
 * People console (issue 13): stopping 羊毛党 — blocking a member (and what it voids), the velocity
 * rule that holds fast runs of invites, the owner's review of the holds, vesting — through the
 * real functions, with retries, concurrency and the reconciler.
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
import {
  docs,
  favour,
  friendClaims,
  funnel,
  memberPage,
  participantOf,
  redeemFirstCoupon,
  rewrite,
  spin,
  velocityRule,
} from './support';

const backend = useBackend();

const MINUTE = 60 * 1000;

const card = async (openid: string) => data(await backend.api(openid, 'blackcard.get'));
const reconciledCleanly = async () => {
  const run = await runCron(backend);
  expect(run.ok && run.data.reconciled?.countersCorrected).toEqual({});
};

describe('users.block', () => {
  it('stops a blocked member claiming, spinning and redeeming, and corrects their inviter’s pending count', async () => {
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    // M arrives through the inviter's link, spins and wins a coupon, but has not claimed yet
    await favour(backend, 'cash-50-10');
    const m = await enter(backend, 'member-m', inviter.inviteCode);
    expect((await spin(backend, 'member-m')).coupon).toBeDefined();
    expect((await card('inviter')).pending).toBe(1);
    const later = () => backend.emulator.advanceClock(1000);

    const blocked = data(
      await backend.admin(OWNER, 'users.block', {
        userRef: m.inviteCode,
        reason: '同一设备批量注册',
      }),
    );
    expect(blocked).toEqual({ userRef: m.inviteCode, blocked: true, voided: 1, revoked: 0 });
    // the inviter's pending friend is gone: M's invite was refused
    expect(await card('inviter')).toMatchObject({ pending: 0, verified: 0 });
    expect(participantOf(backend, 'member-m').invite).toMatchObject({
      status: 'rejected',
      reason: 'BLOCKED',
    });

    const before = backend.snapshot();
    expect(
      errorCode(await backend.api('member-m', 'magnet.claim', { requestId: 'claim-m-1' })),
    ).toBe('RISK_BLOCKED');
    expect(
      errorCode(await backend.api('member-m', 'lottery.spin', { requestId: 'spin-m-00002' })),
    ).toBe('RISK_BLOCKED');
    const coupon = data(await backend.api('member-m', 'wallet.list', {})).coupons[0];
    expect(errorCode(await backend.api('member-m', 'coupon.token', { couponId: coupon.id }))).toBe(
      'RISK_BLOCKED',
    );
    expect(backend.snapshot()).toEqual(before);

    // a token shown before the block is refused at the till too
    await later();
    data(await backend.admin(OWNER, 'users.unblock', { userRef: m.inviteCode, reason: '核实' }));
    const { token } = data(await backend.api('member-m', 'coupon.token', { couponId: coupon.id }));
    await later();
    data(await backend.admin(OWNER, 'users.block', { userRef: m.inviteCode, reason: '再次停用' }));
    expect(errorCode(await backend.admin('demo-staff', 'coupon.redeem', { token }))).toBe(
      'RISK_BLOCKED',
    );

    const funnelNow = await funnel(backend);
    expect(funnelNow).toMatchObject({ invitesVerified: 0 });
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.rejectedInvites).toContainEqual({ reason: 'BLOCKED', count: 1 });
    await reconciledCleanly();

    // unblocked, M may claim again; what was refused stays refused
    await later();
    data(
      await backend.admin(OWNER, 'users.unblock', { userRef: m.inviteCode, reason: '申诉通过' }),
    );
    const claim = data(await backend.api('member-m', 'magnet.claim', { requestId: 'claim-m-2' }));
    expect(claim.alreadyClaimed).toBe(false);
    expect(await card('inviter')).toMatchObject({ pending: 0, verified: 0 });

    // every act is in M's audit, newest first, with who and why
    const page = await memberPage(backend, m.inviteCode);
    expect(page.audit.map((a) => [a.action, a.by, a.reason])).toEqual([
      ['unblock', '演示运营', '申诉通过'],
      ['block', '演示运营', '再次停用'],
      ['unblock', '演示运营', '核实'],
      ['block', '演示运营', '同一设备批量注册'],
    ]);
    await reconciledCleanly();
  });

  it('takes back the credit a blocked member earned their inviter, once, however often it is repeated', async () => {
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    const m = await friendClaims(backend, 'member-m', inviter.inviteCode);
    await friendClaims(backend, 'friend-2', inviter.inviteCode);
    expect(await card('inviter')).toMatchObject({ verified: 2 });
    expect(participantOf(backend, 'inviter').progress.bonusBalance).toBe(2);

    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        backend.admin(OWNER, 'users.block', { userRef: m.inviteCode, reason: '刷单' }),
      ),
    );
    expect(answers.map(data).reduce((n, a) => n + a.revoked, 0)).toBe(1);
    expect(await card('inviter')).toMatchObject({ verified: 1 });
    expect(participantOf(backend, 'inviter').progress.bonusBalance).toBe(1);
    expect(await funnel(backend)).toMatchObject({ invitesVerified: 1 });
    // one block, one audit line
    expect((await memberPage(backend, m.inviteCode)).audit).toHaveLength(1);
    await reconciledCleanly();
  });

  it('refuses what a blocked inviter’s links would bring: new friends, and friends still pending', async () => {
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    await enter(backend, 'pending-friend', inviter.inviteCode);
    data(
      await backend.admin(OWNER, 'users.block', { userRef: inviter.inviteCode, reason: '羊毛党' }),
    );
    expect(participantOf(backend, 'pending-friend').invite).toMatchObject({
      status: 'rejected',
      reason: 'BLOCKED',
    });
    const late = await enter(backend, 'late-friend', inviter.inviteCode);
    expect(late.invite).toEqual({ status: 'rejected', reason: 'BLOCKED' });
    // the friends themselves may still claim their gift
    data(await backend.api('late-friend', 'magnet.claim', { requestId: 'claim-late-friend' }));
    data(
      await backend.api('pending-friend', 'magnet.claim', { requestId: 'claim-pending-friend' }),
    );
    expect(await card('inviter')).toMatchObject({ verified: 0, pending: 0 });
    await reconciledCleanly();
  });

  it('finishes a block whose call died after the record: the reconciler mirrors it and voids the invite', async () => {
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    const m = await enter(backend, 'member-m', inviter.inviteCode);
    data(await backend.admin(OWNER, 'users.block', { userRef: m.inviteCode, reason: '测试' }));
    // as if the call had died right after writing the person's block
    await rewrite(backend, 'participants', (all) =>
      all.map((p) =>
        p.openid === 'member-m'
          ? { ...p, blocked: null, invite: { ...p.invite, status: 'pending', reason: undefined } }
          : p,
      ),
    );
    expect((await card('inviter')).pending).toBe(1);
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled?.people).toMatchObject({ blocksFinished: 1 });
    expect((await card('inviter')).pending).toBe(0);
    expect(
      errorCode(await backend.api('member-m', 'magnet.claim', { requestId: 'claim-m-x' })),
    ).toBe('RISK_BLOCKED');
    await reconciledCleanly();
  });
});

describe('the velocity rule', () => {
  it('with 3 in 10 minutes, credits 3 of 6 fast invites and holds 3; the 7th, later, counts', async () => {
    await velocityRule(backend, 3, 10);
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    for (let i = 1; i <= 6; i++) {
      await friendClaims(backend, `fast-${i}`, inviter.inviteCode);
      await backend.emulator.advanceClock(30 * 1000);
    }
    const after = await card('inviter');
    expect(after).toMatchObject({ verified: 3, unlocked: true });
    expect(after.invitees.map((i) => i.status).sort()).toEqual([
      'held',
      'held',
      'held',
      'verified',
      'verified',
      'verified',
    ]);
    // bonus spins only for the credited three
    expect(participantOf(backend, 'inviter').progress.bonusBalance).toBe(3);
    expect(await funnel(backend)).toMatchObject({ invitesVerified: 3, heldInvites: 3 });

    await backend.emulator.advanceClock(10 * MINUTE);
    await friendClaims(backend, 'later', inviter.inviteCode);
    expect((await card('inviter')).verified).toBe(4);
    await reconciledCleanly();
  });

  it('holds exactly the invites beyond the rule when six friends claim at the same moment', async () => {
    await velocityRule(backend, 3, 10);
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    const friends = Array.from({ length: 6 }, (_, i) => `burst-${i}`);
    for (const friend of friends) await enter(backend, friend, inviter.inviteCode);
    backend.emulator.faults.latencyMs = 1;
    const claims = await Promise.all(
      friends.map((f) => backend.api(f, 'magnet.claim', { requestId: `claim-${f}` })),
    );
    backend.emulator.faults.latencyMs = 0;
    // some may be told to retry (the inviter's credits collided); their retry finishes them
    for (const [i, answer] of claims.entries()) {
      if (!answer.ok) {
        expect(answer.error.code).toBe('CONFLICT');
        data(await backend.api(friends[i], 'magnet.claim', { requestId: `claim-${friends[i]}` }));
      }
    }
    const statuses = friends.map((f) => participantOf(backend, f).invite.status);
    expect(statuses.filter((s) => s === 'verified')).toHaveLength(3);
    expect(statuses.filter((s) => s === 'held')).toHaveLength(3);
    expect((await card('inviter')).verified).toBe(3);
    // a retried claim does not count again: the reconciler counts what the first call could not
    await runCron(backend);
    await reconciledCleanly();
  });
});

describe('the review queue', () => {
  // openids no answer may contain
  const INVITER = 'oid-inviter';
  const fast = (i: number) => `oid-fast-${i}`;

  async function sixFastInvites() {
    await velocityRule(backend, 3, 10);
    // room for bonus spins all day: only the credit's own condition keeps a credit single
    await editCampaign(backend, (config) => {
      config.lottery.maxBonusSpinsPerDay = 20;
    });
    const { session: inviter } = await enterAndClaim(backend, INVITER);
    const codes: string[] = [];
    for (let i = 1; i <= 6; i++) {
      codes.push((await friendClaims(backend, fast(i), inviter.inviteCode)).inviteCode);
    }
    const held = codes.filter(
      (_, i) => participantOf(backend, fast(i + 1)).invite.status === 'held',
    );
    expect(held).toHaveLength(3);
    return { inviter, held };
  }

  it('lists the holds with their evidence: timings, risk ranks and the invite tree', async () => {
    await backend.emulator.freezeClock();
    const { inviter, held } = await sixFastInvites();
    const queue = data(await backend.admin(OWNER, 'holds.list', {}));
    expect(queue.total).toBe(3);
    expect(queue.holds.map((h) => h.invitee.userRef).sort()).toEqual([...held].sort());
    const first = queue.holds[0];
    expect(first.invitee.secondsToClaim).toBe(0);
    expect(first.invitee.riskRanks).toEqual({ arrival: 0, claim: 0 });
    expect(first.inviter).toMatchObject({
      userRef: inviter.inviteCode,
      tag: 'A',
      verified: 3,
      blocked: false,
    });
    expect(first.inviter.recentCredits).toHaveLength(3);
    expect(first.siblings).toMatchObject({ total: 5, verified: 3, held: 2, pending: 0 });
    expect(JSON.stringify(queue)).not.toMatch(/oid-/);
    // a page at a time
    const one = data(await backend.admin(OWNER, 'holds.list', { limit: 2 }));
    const two = data(await backend.admin(OWNER, 'holds.list', { limit: 2, cursor: one.next }));
    expect([...one.holds, ...two.holds].map((h) => h.invitee.userRef)).toEqual(
      queue.holds.map((h) => h.invitee.userRef),
    );
    expect(two.next).toBeUndefined();
  });

  it('approving a hold credits once, also when it is approved twice at once', async () => {
    const { held } = await sixFastInvites();
    const before = await funnel(backend);
    // two owners tap 通过 at the same moment, each twice (a double tap)
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        backend.admin(OWNER, 'holds.approve', { userRef: held[0], reason: '真实好友' }),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    for (const answer of answers) expect(data(answer)).toMatchObject({ status: 'verified' });
    expect((await card(INVITER)).verified).toBe(4);
    expect(participantOf(backend, INVITER).progress.bonusBalance).toBe(4);
    expect(await funnel(backend)).toEqual({
      ...before,
      invitesVerified: before.invitesVerified + 1,
      heldInvites: 2,
    });
    // and again, later: nothing more
    data(await backend.admin(OWNER, 'holds.approve', { userRef: held[0] }));
    expect((await card(INVITER)).verified).toBe(4);
    const audit = (await memberPage(backend, held[0])).audit;
    expect(audit.map((a) => [a.action, a.reason])).toEqual([['approve', '真实好友']]);
    await reconciledCleanly();

    // An approval whose call died between its record and the credit, finished by four calls and
    // the reconciler at once: all of them reach the credit together, and it happens once.
    data(await backend.admin(OWNER, 'holds.approve', { userRef: held[1] }));
    await unCredit(held[1]);
    expect((await card(INVITER)).verified).toBe(4);
    backend.emulator.faults.latencyMs = 1;
    const finishing = await Promise.all([
      ...Array.from({ length: 4 }, () =>
        backend.admin(OWNER, 'holds.approve', { userRef: held[1] }),
      ),
      runCron(backend),
    ]);
    backend.emulator.faults.latencyMs = 0;
    for (const answer of finishing) expect(answer.ok).toBe(true);
    expect((await card(INVITER)).verified).toBe(5);
    expect(participantOf(backend, INVITER).progress.bonusBalance).toBe(5);
    await runCron(backend);
    await reconciledCleanly();
  });

  it('rejecting a hold credits nothing, and it cannot be approved afterwards', async () => {
    const { held } = await sixFastInvites();
    data(await backend.admin(OWNER, 'holds.reject', { userRef: held[1], reason: '同一设备' }));
    expect(participantOf(backend, participantOwner(held[1])).invite).toMatchObject({
      status: 'rejected',
      reason: 'REVIEW_REJECTED',
    });
    expect(errorCode(await backend.admin(OWNER, 'holds.approve', { userRef: held[1] }))).toBe(
      'CONFLICT',
    );
    expect((await card(INVITER)).verified).toBe(3);
    expect(await funnel(backend)).toMatchObject({ heldInvites: 2, invitesVerified: 3 });
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.rejectedInvites).toContainEqual({ reason: 'REVIEW_REJECTED', count: 1 });
    await reconciledCleanly();
  });

  /** As if the approval's call had died after its record (the invitee) and before the credit. */
  async function unCredit(code: string) {
    await rewrite(backend, 'participants', (all) =>
      all.map((p) => {
        if (p.openid !== INVITER) return p;
        const credits = { ...p.progress.credits };
        credits[code] = { at: credits[code].at, counted: false, held: true };
        return {
          ...p,
          progress: {
            ...p.progress,
            credits,
            verified: p.progress.verified - 1,
            verifiedToday: p.progress.verifiedToday - 1,
            bonusBalance: p.progress.bonusBalance - 1,
            bonusEarnedToday: p.progress.bonusEarnedToday - 1,
          },
        };
      }),
    );
  }

  it('finishes an approval whose call died before the credit: the reconciler credits once', async () => {
    const { held } = await sixFastInvites();
    data(await backend.admin(OWNER, 'holds.approve', { userRef: held[2] }));
    const owner = participantOwner(held[2]);
    await unCredit(held[2]);
    expect(participantOf(backend, owner).invite.status).toBe('verified');
    expect((await card(INVITER)).verified).toBe(3);
    await runCron(backend);
    expect((await card(INVITER)).verified).toBe(4);
    await runCron(backend);
    expect((await card(INVITER)).verified).toBe(4);
    await reconciledCleanly();
  });

  it('notes a hold on the invitee when the claim died right after holding the credit', async () => {
    const { held } = await sixFastInvites();
    const owner = participantOwner(held[0]);
    await rewrite(backend, 'participants', (all) =>
      all.map((p) =>
        p.openid === owner ? { ...p, invite: { ...p.invite, status: 'verified' } } : p,
      ),
    );
    await runCron(backend);
    expect(participantOf(backend, owner).invite.status).toBe('held');
    expect((await card(INVITER)).verified).toBe(3);
    await reconciledCleanly();
  });

  function participantOwner(code: string): string {
    return docs(backend, 'participants').find((p) => p.inviteCode === code)!.openid;
  }
});

describe('vesting', () => {
  it('makes an invite’s bonus spin spendable only after the configured hours', async () => {
    await editCampaign(backend, (config) => {
      config.invite.vestingHours = 2;
      config.lottery.dailyFreeSpins = 0;
    });
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    await friendClaims(backend, 'friend', inviter.inviteCode);
    expect(await card('inviter')).toMatchObject({ verified: 1 });
    expect(data(await backend.api('inviter', 'lottery.status'))).toEqual({
      spinsLeft: 0,
      freeSpinsLeft: 0,
      bonusSpinsLeft: 0,
    });
    expect(
      errorCode(await backend.api('inviter', 'lottery.spin', { requestId: 'spin-too-early' })),
    ).toBe('NO_SPINS_LEFT');
    await backend.emulator.advanceClock(2 * 60 * MINUTE);
    expect(data(await backend.api('inviter', 'lottery.status')).bonusSpinsLeft).toBe(1);
    data(await backend.api('inviter', 'lottery.spin', { requestId: 'spin-when-vested' }));
    expect(participantOf(backend, 'inviter').progress).toMatchObject({
      bonusBalance: 0,
      vestingBalance: 0,
    });
    await reconciledCleanly();
  });

  it('takes back an unvested bonus when the friend who earned it is blocked', async () => {
    await editCampaign(backend, (config) => {
      config.invite.vestingHours = 24;
    });
    const { session: inviter } = await enterAndClaim(backend, 'inviter');
    const friend = await friendClaims(backend, 'friend', inviter.inviteCode);
    expect(participantOf(backend, 'inviter').progress.vestingBalance).toBe(1);
    data(await backend.admin(OWNER, 'users.block', { userRef: friend.inviteCode, reason: '刷单' }));
    expect(participantOf(backend, 'inviter').progress).toMatchObject({
      vestingBalance: 0,
      bonusBalance: 0,
      verified: 0,
    });
    await backend.emulator.advanceClock(25 * 60 * MINUTE);
    expect(data(await backend.api('inviter', 'lottery.status')).bonusSpinsLeft).toBe(0);
    await reconciledCleanly();
  });
});

it('redeeming still works for everyone else (the guard only stops the blocked)', async () => {
  await enterAndClaim(backend, 'visitor');
  expect((await redeemFirstCoupon(backend, 'visitor')).ok).toBe(true);
});
