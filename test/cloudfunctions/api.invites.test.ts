/** SPEC §3 Invites, through the real functions against the emulator. */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  errorCode,
  useBackend,
} from '../support/emulator';

const backend = useBackend();

const card = async (openid: string) => data(await backend.api(openid, 'blackcard.get'));

describe('invites', () => {
  it('A invites B, C and D; each claims; the card unlocks at 3 with exactly 3 verified', async () => {
    const a = await enterAndClaim(backend, 'user-a');
    const code = a.session.inviteCode;
    expect(await card('user-a')).toMatchObject({
      required: 3,
      verified: 0,
      pending: 0,
      unlocked: false,
    });

    for (const friend of ['user-b', 'user-c', 'user-d']) {
      const session = await enter(backend, friend, code);
      expect(session).toMatchObject({ isNew: true, invite: { status: 'pending' } });
    }
    // A share alone earns nothing: three pending, none verified yet.
    expect(await card('user-a')).toMatchObject({ verified: 0, pending: 3, unlocked: false });

    data(await backend.api('user-b', 'magnet.claim', { requestId: 'claim-b-0001' }));
    data(await backend.api('user-c', 'magnet.claim', { requestId: 'claim-c-0001' }));
    expect(await card('user-a')).toMatchObject({ verified: 2, pending: 1, unlocked: false });

    data(await backend.api('user-d', 'magnet.claim', { requestId: 'claim-d-0001' }));
    const unlocked = await card('user-a');
    expect(unlocked).toMatchObject({ verified: 3, pending: 0, unlocked: true });
    expect(unlocked.unlockedAt).toBeDefined();
    expect(unlocked.invitees).toHaveLength(3);
    expect(unlocked.invitees.every((i) => i.status === 'verified')).toBe(true);
    // Another user's openid never reaches a visitor: labels are masked.
    expect(JSON.stringify(unlocked)).not.toMatch(/user-b|user-c|user-d/);

    // The invitee sees their own invite as verified on the next visit.
    expect((await enter(backend, 'user-b')).invite).toEqual({ status: 'verified' });
    // Bonus spins: 1 free + 3 earned (spinsPerVerifiedInvite 1, well under the daily cap of 5).
    expect(data(await backend.api('user-a', 'lottery.status'))).toEqual({
      spinsLeft: 4,
      freeSpinsLeft: 1,
      bonusSpinsLeft: 3,
    });
  });

  it('verifies exactly once when B claims twice, or many times at once', async () => {
    const { session } = await enterAndClaim(backend, 'user-a');
    await enter(backend, 'user-b', session.inviteCode);
    backend.emulator.faults.latencyMs = 1;
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        backend.api('user-b', 'magnet.claim', {
          requestId: `claim-b-${i.toString().padStart(4, '0')}`,
        }),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    const answers = claims.map(data);
    expect(answers.filter((a) => !a.alreadyClaimed)).toHaveLength(1);
    // Every answer carries the same reward.
    expect(new Set(answers.map((a) => JSON.stringify(a.reward))).size).toBe(1);
    expect(await card('user-a')).toMatchObject({ verified: 1, pending: 0 });
    expect(data(await backend.api('user-a', 'lottery.status')).bonusSpinsLeft).toBe(1);
  });

  it('credits an inviter exactly once per invitee when many invitees claim, each many times, at the same moment', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    const friends = Array.from({ length: 12 }, (_, i) => `friend-${i}`);
    for (const friend of friends) await enter(backend, friend, session.inviteCode);
    backend.emulator.faults.latencyMs = 2; // interleave the read-modify-write of the inviter
    // Every friend's claim is sent four times at once (a flaky network's retries): each retry
    // finishes the claim, so each one tries to credit the inviter.
    await Promise.all(
      friends.flatMap((friend) =>
        Array.from({ length: 4 }, (_, n) =>
          backend.api(friend, 'magnet.claim', { requestId: `claim-${friend}-${n}` }).then(data),
        ),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    const progress = await card('inviter');
    expect(progress).toMatchObject({ verified: 12, pending: 0, unlocked: true });
    // maxBonusSpinsPerDay (5) caps what 12 verified invites earn in one day.
    expect(data(await backend.api('inviter', 'lottery.status')).bonusSpinsLeft).toBe(5);
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.funnel.find((s) => s.key === 'invitesVerified')?.count).toBe(12);
    expect(stats.funnel.find((s) => s.key === 'cardsUnlocked')?.count).toBe(1);
  });

  it('enforces the daily cap when friends qualify, even if they all arrived before any claimed', async () => {
    await editCampaign(backend, (config) => {
      config.invite.maxVerifiedPerInviterPerDay = 5;
    });
    const { session } = await enterAndClaim(backend, 'inviter');
    const friends = Array.from({ length: 12 }, (_, i) => `friend-${i}`);
    // All arrive first: under the cap at arrival, every invite is pending.
    for (const friend of friends) {
      expect((await enter(backend, friend, session.inviteCode)).invite.status).toBe('pending');
    }
    backend.emulator.faults.latencyMs = 1;
    await Promise.all(
      friends.map((friend) =>
        backend.api(friend, 'magnet.claim', { requestId: `claim-${friend}-x` }).then(data),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    expect(await card('inviter')).toMatchObject({ verified: 5, pending: 0 });
    const verdicts = await Promise.all(friends.map((friend) => enter(backend, friend)));
    expect(verdicts.filter((v) => v.invite.status === 'verified')).toHaveLength(5);
    expect(
      verdicts.filter(
        (v) => v.invite.status === 'rejected' && v.invite.reason === 'INVITER_DAILY_CAP',
      ),
    ).toHaveLength(7);
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.funnel.find((s) => s.key === 'invitesVerified')?.count).toBe(5);
    expect(stats.rejectedInvites).toContainEqual({ reason: 'INVITER_DAILY_CAP', count: 7 });
  });

  it('refuses each bad invite with its reason, kept for the admin', async () => {
    const { session: a } = await enterAndClaim(backend, 'user-a');

    // SELF_INVITE: A opens their own link.
    expect((await enter(backend, 'user-a', a.inviteCode)).invite).toEqual({
      status: 'rejected',
      reason: 'SELF_INVITE',
    });
    // NOT_NEW_USER: an existing user arrives with A's code.
    await enter(backend, 'user-old');
    expect((await enter(backend, 'user-old', a.inviteCode)).invite).toEqual({
      status: 'rejected',
      reason: 'NOT_NEW_USER',
    });
    // UNKNOWN_CODE: nobody holds this code.
    expect((await enter(backend, 'user-new-1', 'ZZZZZZZZ')).invite).toEqual({
      status: 'rejected',
      reason: 'UNKNOWN_CODE',
    });
    // RISK: a high-risk invitee (rank ≥ riskRankDowngrade) never counts.
    await backend.emulator.sdk.setRiskRank('user-risky', 3);
    expect((await enter(backend, 'user-risky', a.inviteCode)).invite).toEqual({
      status: 'rejected',
      reason: 'RISK',
    });
    expect(await card('user-a')).toMatchObject({ verified: 0, pending: 0 });

    // INVITER_DAILY_CAP: with a cap of 1, the second friend of the day is refused.
    await editCampaign(backend, (config) => {
      config.invite.maxVerifiedPerInviterPerDay = 1;
    });
    await enterAndClaim(backend, 'friend-1', a.inviteCode);
    expect((await enter(backend, 'friend-2', a.inviteCode)).invite).toEqual({
      status: 'rejected',
      reason: 'INVITER_DAILY_CAP',
    });
    expect(await card('user-a')).toMatchObject({ verified: 1 });

    // Reopening the same link again is not counted twice.
    await enter(backend, 'user-old', a.inviteCode);

    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(Object.fromEntries(stats.rejectedInvites.map((r) => [r.reason, r.count]))).toEqual({
      SELF_INVITE: 1,
      NOT_NEW_USER: 1,
      UNKNOWN_CODE: 1,
      RISK: 1,
      INVITER_DAILY_CAP: 1,
    });
  });

  it('does not count an invitee who turns out risky when claiming', async () => {
    const { session } = await enterAndClaim(backend, 'user-a');
    await enter(backend, 'user-b', session.inviteCode);
    await backend.emulator.sdk.setRiskRank('user-b', 3); // downgrade: may claim, invite void
    data(await backend.api('user-b', 'magnet.claim', { requestId: 'claim-b-0001' }));
    expect(await card('user-a')).toMatchObject({ verified: 0, pending: 0 });
    expect((await enter(backend, 'user-b')).invite).toEqual({ status: 'rejected', reason: 'RISK' });

    await backend.emulator.sdk.setRiskRank('user-c', 4); // block: refused outright
    await enter(backend, 'user-c');
    expect(
      errorCode(await backend.api('user-c', 'magnet.claim', { requestId: 'claim-c-0001' })),
    ).toBe('RISK_BLOCKED');
  });

  it('keeps one inviter per invitee, forever', async () => {
    const { session: a } = await enterAndClaim(backend, 'user-a');
    const { session: x } = await enterAndClaim(backend, 'user-x');
    await enter(backend, 'user-b', a.inviteCode);
    expect((await enter(backend, 'user-b', x.inviteCode)).invite.reason).toBe('NOT_NEW_USER');
    data(await backend.api('user-b', 'magnet.claim', { requestId: 'claim-b-0001' }));
    expect((await card('user-a')).verified).toBe(1);
    expect((await card('user-x')).verified).toBe(0);
  });
});
