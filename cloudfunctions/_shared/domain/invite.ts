/**
 * 邀请: recording an invite when a new user arrives with a code (`evaluateInvite`), and counting
 * it once the invitee performs the qualifying action, claiming the magnet (`verifyInvite`).
 * A share alone earns nothing: WeChat forbids rewarding the share itself.
 *
 * Decisions:
 * - The daily cap on verified invites (`maxVerifiedPerInviterPerDay`) is checked when the invite
 *   is recorded, against the inviter's verified count today; an invite recorded under the cap
 *   still counts when it verifies later.
 * - Bonus spins are a balance that carries over days; at most `maxBonusSpinsPerDay` can be
 *   *earned* per Shanghai day. An invite verified after today's bonus is used up still counts
 *   for the black card, it just earns no spin.
 * - Once unlocked, the black card stays unlocked, even if an operator later raises
 *   `invitesRequired`.
 * - "Exactly once" is the repository's job (a conditional pending → verified update); these
 *   functions only decide what that update writes.
 */
import type { Campaign } from '../campaign';
import type { RiskDecision } from './risk';
import { campaignPhase } from './schedule';
import { shanghaiDayKey } from './time';

export type InviteRejection =
  'SELF_INVITE' | 'NOT_NEW_USER' | 'UNKNOWN_CODE' | 'INVITER_DAILY_CAP' | 'RISK' | 'CAMPAIGN_ENDED';

export type InviteStatus = 'pending' | 'verified' | 'rejected';

export interface InviteAttempt {
  invitee: { openid: string; isNew: boolean };
  /** The owner of the code, or null when no user holds it. */
  inviter: { openid: string } | null;
  campaign: Pick<Campaign, 'startAt' | 'endAt' | 'invite'>;
  now: Date;
  /** Invites of this inviter verified so far today (Shanghai day). */
  inviterVerifiedToday: number;
  /** The invitee's risk decision at entry (`riskDecision`; 'allow' when the service is down). */
  inviteeRisk: RiskDecision;
}

export type InviteEvaluation =
  { status: 'pending' } | { status: 'rejected'; reason: InviteRejection };

/**
 * Decides what a `session.enter` with an invite code records. Checks run in this order, so the
 * reason the admin sees is the most basic fact that rules the invite out:
 * 1. UNKNOWN_CODE: nobody holds the code, nothing else can be judged.
 * 2. SELF_INVITE: before NOT_NEW_USER, because someone opening their own link is never new and
 *    "self invite" says more.
 * 3. NOT_NEW_USER: invites only count for a first-ever visit.
 * 4. CAMPAIGN_ENDED: outside [startAt, endAt) (a campaign that has not started yet gives the
 *    same reason: in both cases the campaign is not running).
 * 5. RISK: a blocked or downgraded invitee never counts; before the cap so fraud shows as fraud.
 * 6. INVITER_DAILY_CAP: the inviter already has `maxVerifiedPerInviterPerDay` verified today.
 */
export function evaluateInvite(input: InviteAttempt): InviteEvaluation {
  const { invitee, inviter, campaign, now } = input;
  const reject = (reason: InviteRejection): InviteEvaluation => ({ status: 'rejected', reason });
  if (inviter === null) return reject('UNKNOWN_CODE');
  if (inviter.openid === invitee.openid) return reject('SELF_INVITE');
  if (!invitee.isNew) return reject('NOT_NEW_USER');
  if (campaignPhase(campaign, now) !== 'open') return reject('CAMPAIGN_ENDED');
  if (input.inviteeRisk !== 'allow') return reject('RISK');
  if (input.inviterVerifiedToday >= campaign.invite.maxVerifiedPerInviterPerDay) {
    return reject('INVITER_DAILY_CAP');
  }
  return { status: 'pending' };
}

/** The inviter's black-card progress as stored. */
export interface InviterProgress {
  verified: number;
  /** Bonus spins earned on `bonusDayKey`; earlier days do not limit today. */
  bonusEarnedToday: number;
  bonusDayKey: string | null;
  unlockedAt: Date | null;
}

export interface InviteVerification {
  progress: InviterProgress;
  campaign: Pick<Campaign, 'startAt' | 'endAt' | 'lottery' | 'blackCard'>;
  now: Date;
  /** The invitee's risk decision at claim time. */
  inviteeRisk: RiskDecision;
}

export type VerifyOutcome =
  | { counts: false; reason: Extract<InviteRejection, 'RISK' | 'CAMPAIGN_ENDED'> }
  | {
      counts: true;
      /** Spins to add to the inviter's balance now (0 once today's cap is reached). */
      bonusSpins: number;
      verifiedAfter: number;
      /** The card was locked and this verification brings the count to `invitesRequired`. */
      unlocksNow: boolean;
      /** What to store as the inviter's `bonusDayKey` / `bonusEarnedToday`. */
      dayKey: string;
      bonusEarnedTodayAfter: number;
    };

/** Decides what a pending invite becomes when its invitee claims the magnet. */
export function verifyInvite(input: InviteVerification): VerifyOutcome {
  const { progress, campaign, now } = input;
  // A downgraded or blocked invitee does not count (SPEC §3, Risk).
  if (input.inviteeRisk !== 'allow') return { counts: false, reason: 'RISK' };
  if (campaignPhase(campaign, now) !== 'open') return { counts: false, reason: 'CAMPAIGN_ENDED' };

  const dayKey = shanghaiDayKey(now);
  const earnedToday = progress.bonusDayKey === dayKey ? progress.bonusEarnedToday : 0;
  const room = Math.max(0, campaign.lottery.maxBonusSpinsPerDay - earnedToday);
  const bonusSpins = Math.min(campaign.lottery.spinsPerVerifiedInvite, room);
  const verifiedAfter = progress.verified + 1;
  return {
    counts: true,
    bonusSpins,
    verifiedAfter,
    unlocksNow: progress.unlockedAt === null && verifiedAfter >= campaign.blackCard.invitesRequired,
    dayKey,
    bonusEarnedTodayAfter: earnedToday + bonusSpins,
  };
}
