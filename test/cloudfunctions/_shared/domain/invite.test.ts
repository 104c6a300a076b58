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
    // Fraud shows as fraud even when the inviter is also at the cap.
    expect(attempt({ inviteeRisk: 'block', inviterVerifiedToday: 50 })).toEqual({
      status: 'rejected',
      reason: 'RISK',
    });
  });
});

describe('verifyInvite (the invitee claims the magnet)', () => {
  const base: InviteVerification = {
    progress: { verified: 0, bonusEarnedToday: 0, bonusDayKey: null, unlockedAt: null },
    campaign,
    now: NOW,
    inviteeRisk: 'allow',
  };
  const verify = (
    progress: Partial<InviteVerification['progress']>,
    change: Partial<InviteVerification> = {},
  ) => verifyInvite({ ...base, ...change, progress: { ...base.progress, ...progress } });

  it('counts the first invite with a bonus spin', () => {
    expect(verify({})).toEqual({
      counts: true,
      bonusSpins: 1,
      verifiedAfter: 1,
      unlocksNow: false,
      dayKey: '2025-03-10',
      bonusEarnedTodayAfter: 1,
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
    const capped = verify({ verified: 7, bonusEarnedToday: 5, bonusDayKey: '2025-03-10' });
    expect(capped).toMatchObject({
      counts: true,
      bonusSpins: 0,
      verifiedAfter: 8,
      bonusEarnedTodayAfter: 5,
    });
  });

  it('gives only the room left under the daily maximum', () => {
    const generous = { ...campaign, lottery: { ...campaign.lottery, spinsPerVerifiedInvite: 3 } };
    expect(
      verify({ bonusEarnedToday: 4, bonusDayKey: '2025-03-10' }, { campaign: generous }),
    ).toMatchObject({ bonusSpins: 1, bonusEarnedTodayAfter: 5 });
  });

  it('starts a fresh daily allowance on the next Shanghai day', () => {
    const progress = { verified: 7, bonusEarnedToday: 5, bonusDayKey: '2025-03-10' };
    // 23:59:59.999 Shanghai is still the same day…
    expect(verify(progress, { now: new Date('2025-03-10T15:59:59.999Z') })).toMatchObject({
      bonusSpins: 0,
    });
    // …and at Shanghai midnight the cap resets.
    expect(verify(progress, { now: new Date('2025-03-10T16:00:00.000Z') })).toMatchObject({
      bonusSpins: 1,
      dayKey: '2025-03-11',
      bonusEarnedTodayAfter: 1,
    });
  });

  it('does not count a downgraded or blocked invitee', () => {
    expect(verify({}, { inviteeRisk: 'downgrade' })).toEqual({ counts: false, reason: 'RISK' });
    expect(verify({}, { inviteeRisk: 'block' })).toEqual({ counts: false, reason: 'RISK' });
  });

  it('does not count after the campaign ended', () => {
    expect(verify({}, { now: new Date(Date.parse(campaign.endAt)) })).toEqual({
      counts: false,
      reason: 'CAMPAIGN_ENDED',
    });
  });
});
