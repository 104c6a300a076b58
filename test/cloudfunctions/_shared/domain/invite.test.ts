import { demoCampaign } from '../../../../cloudfunctions/_shared/demo-campaign';
import { evaluateInvite, verifyInvite } from '../../../../cloudfunctions/_shared/domain/invite';
import type {
  InviteAttempt,
  InviteVerification,
} from '../../../../cloudfunctions/_shared/domain/invite';

const NOW = new Date('2025-03-10T04:00:00Z'); // 2025-03-10, noon in Shanghai
const campaign = demoCampaign(NOW); // 3 invites unlock; 1 bonus spin per invite, ≤ 5 a day

describe('evaluateInvite (session.enter with an invite code)', () => {
  const valid: InviteAttempt = {
    invitee: { openid: 'o-new', isNew: true },
    inviter: { openid: 'o-inviter' },
    campaign,
    now: NOW,
    inviterVerifiedToday: 0,
    inviteeRisk: 'allow',
  };
  const attempt = (change: Partial<InviteAttempt>) => evaluateInvite({ ...valid, ...change });

  it('records a new user arriving with a valid code as pending', () => {
    expect(evaluateInvite(valid)).toEqual({ status: 'pending' });
  });

  it.each<[string, Partial<InviteAttempt>, string]>([
    ['nobody holds the code', { inviter: null }, 'UNKNOWN_CODE'],
    ['the inviter opens their own link', { inviter: { openid: 'o-new' } }, 'SELF_INVITE'],
    [
      'the invitee has visited before',
      { invitee: { openid: 'o-new', isNew: false } },
      'NOT_NEW_USER',
    ],
    ['the campaign is over', { now: new Date(Date.parse(campaign.endAt)) }, 'CAMPAIGN_ENDED'],
    [
      'the campaign has not started',
      { now: new Date(Date.parse(campaign.startAt) - 1) },
      'CAMPAIGN_ENDED',
    ],
    ['an operator blocked the inviter', { inviterBlocked: true }, 'BLOCKED'],
    ['the invitee is blocked by risk control', { inviteeRisk: 'block' }, 'RISK'],
    ['the invitee is downgraded by risk control', { inviteeRisk: 'downgrade' }, 'RISK'],
    ['the inviter reached today’s cap', { inviterVerifiedToday: 50 }, 'INVITER_DAILY_CAP'],
  ])('rejects when %s', (_case, change, reason) => {
    expect(attempt(change)).toEqual({ status: 'rejected', reason });
  });

  it('admits the invite just under the daily cap', () => {
    expect(attempt({ inviterVerifiedToday: 49 })).toEqual({ status: 'pending' });
  });

  it('reports the most basic reason first', () => {
    // A returning user opening their own link after the campaign, flagged as risky: self invite.
    expect(
      attempt({
        inviter: { openid: 'o-new' },
        invitee: { openid: 'o-new', isNew: false },
        now: new Date(Date.parse(campaign.endAt) + 1),
        inviteeRisk: 'block',
        inviterVerifiedToday: 999,
      }),
    ).toEqual({ status: 'rejected', reason: 'SELF_INVITE' });
    expect(attempt({ invitee: { openid: 'o-new', isNew: false }, inviteeRisk: 'block' })).toEqual({
      status: 'rejected',
      reason: 'NOT_NEW_USER',
    });
    // A blocked inviter's link brings nothing, whatever the invitee's risk.
    expect(attempt({ inviterBlocked: true, inviteeRisk: 'block' })).toEqual({
      status: 'rejected',
      reason: 'BLOCKED',
    });
    // Fraud shows as fraud even when the inviter is also at the cap.
    expect(attempt({ inviteeRisk: 'block', inviterVerifiedToday: 50 })).toEqual({
      status: 'rejected',
      reason: 'RISK',
    });
  });
});

describe('verifyInvite (the invitee claims the magnet)', () => {
  const base: InviteVerification = {
    progress: {
      verified: 0,
      dayKey: null,
      verifiedToday: 0,
      bonusEarnedToday: 0,
      unlockedAt: null,
    },
    campaign,
    now: NOW,
  };
  const today = '2025-03-10';
  const verify = (
    progress: Partial<InviteVerification['progress']>,
    change: Partial<InviteVerification> = {},
  ) => verifyInvite({ ...base, ...change, progress: { ...base.progress, ...progress } });
  const withLottery = (lottery: Partial<typeof campaign.lottery>) => ({
    campaign: { ...campaign, lottery: { ...campaign.lottery, ...lottery } },
  });

  it('counts the first invite with a bonus spin, relying on nothing stored for today', () => {
    expect(verify({})).toEqual({
      counts: true,
      bonusSpins: 1,
      verifiedAfter: 1,
      unlocksNow: false,
      dayKey: today,
      sameDay: false,
      requires: {},
    });
  });

  it('relies on exactly the daily figures it read on the same day', () => {
    expect(verify({ dayKey: today, verifiedToday: 2, bonusEarnedToday: 2 })).toMatchObject({
      counts: true,
      sameDay: true,
      bonusSpins: 1,
      // room under the cap (50) and room for the whole bonus (5 − 1)
      requires: { verifiedToday: { max: 49 }, bonusEarnedToday: { max: 4 } },
    });
  });

  it('unlocks the black card on the third verified invite, and only then', () => {
    expect(verify({ verified: 1 })).toMatchObject({ verifiedAfter: 2, unlocksNow: false });
    expect(verify({ verified: 2 })).toMatchObject({ verifiedAfter: 3, unlocksNow: true });
    expect(verify({ verified: 3, unlockedAt: new Date('2025-03-09T00:00:00Z') })).toMatchObject({
      counts: true,
      verifiedAfter: 4,
      unlocksNow: false,
    });
  });

  it('stops earning bonus spins at the daily maximum but still counts the invite', () => {
    const capped = verify({ verified: 7, dayKey: today, verifiedToday: 7, bonusEarnedToday: 5 });
    expect(capped).toMatchObject({
      counts: true,
      bonusSpins: 0,
      verifiedAfter: 8,
      requires: { bonusEarnedToday: { min: 5 } },
    });
  });

  it('gives only the room left under the daily maximum, and relies on exactly that room', () => {
    expect(
      verify({ dayKey: today, bonusEarnedToday: 4 }, withLottery({ spinsPerVerifiedInvite: 3 })),
    ).toMatchObject({ bonusSpins: 1, requires: { bonusEarnedToday: { min: 4, max: 4 } } });
  });

  it('earns no spins when invites are worth none, whatever was earned today', () => {
    const decision = verify(
      { dayKey: today, bonusEarnedToday: 0 },
      withLottery({ spinsPerVerifiedInvite: 0 }),
    );
    expect(decision).toMatchObject({ counts: true, bonusSpins: 0 });
    expect(decision.requires.bonusEarnedToday).toEqual({});
  });

  it('refuses the invite once the inviter has the daily cap of verified invites today', () => {
    const cap = campaign.invite.maxVerifiedPerInviterPerDay;
    expect(verify({ dayKey: today, verifiedToday: cap - 1 })).toMatchObject({ counts: true });
    expect(verify({ dayKey: today, verifiedToday: cap })).toEqual({
      counts: false,
      reason: 'INVITER_DAILY_CAP',
      dayKey: today,
      sameDay: true,
      requires: { verifiedToday: { min: cap } },
    });
  });

  it('starts a fresh daily allowance and cap on the next Shanghai day', () => {
    const cap = campaign.invite.maxVerifiedPerInviterPerDay;
    const progress = { verified: 60, dayKey: today, verifiedToday: cap, bonusEarnedToday: 5 };
    // 23:59:59.999 Shanghai is still the same day…
    expect(verify(progress, { now: new Date('2025-03-10T15:59:59.999Z') })).toMatchObject({
      counts: false,
    });
    // …and at Shanghai midnight the caps reset.
    expect(verify(progress, { now: new Date('2025-03-10T16:00:00.000Z') })).toMatchObject({
      counts: true,
      bonusSpins: 1,
      dayKey: '2025-03-11',
      sameDay: false,
    });
  });
});
