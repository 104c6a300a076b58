/**
 * 邀请: recording an invite when a new user arrives with a code (`evaluateInvite`), and counting
 * it once the invitee performs the qualifying action, claiming the magnet (`verifyInvite`).
 * A share alone earns nothing: WeChat forbids rewarding the share itself.
 *
 * Decisions:
 * - The daily cap on verified invites (`maxVerifiedPerInviterPerDay`) is checked twice: when a
 *   friend arrives (an early, cheap refusal), and again when the friend qualifies, because that
 *   is when the invite would count: friends who all arrive before any of them claims cannot push
 *   the inviter past it. Beyond it the invite is refused INVITER_DAILY_CAP.
 * - Bonus spins are a balance that carries over days; at most `maxBonusSpinsPerDay` can be
 *   *earned* per Shanghai day. An invite verified after today's bonus is used up still counts
 *   for the black card, it just earns no spin.
 * - Once unlocked, the black card stays unlocked, even if an operator later raises
 *   `invitesRequired`.
 * - "Exactly once" is the repository's job (`creditInvitee`: a conditional update keyed by the
 *   invitee); these functions decide what that update writes and which stored facts it needs.
 */
import type { Campaign } from '../campaign';
import type { InviteRejectionReason } from '../contracts';
import type { RiskDecision } from './risk';
import { campaignPhase } from './schedule';
import { shanghaiDayKey } from './time';

// `held`: People console (issue 13), see domain/fraud
/** Why an invite does not count (the contract's list, SPEC §3, plus the People console's). */
export type InviteRejection = InviteRejectionReason;

export type InviteStatus = 'pending' | 'verified' | 'rejected' | 'held';

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
  /** People console (issue 13): an operator blocked the inviter */
  inviterBlocked?: boolean;
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
 * 4b. BLOCKED (People console, issue 13): an operator blocked the inviter; their links bring
 *    them nothing.
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
  if (input.inviterBlocked) return reject('BLOCKED');
  if (input.inviteeRisk !== 'allow') return reject('RISK');
  if (input.inviterVerifiedToday >= campaign.invite.maxVerifiedPerInviterPerDay) {
    return reject('INVITER_DAILY_CAP');
  }
  return { status: 'pending' };
}

/** The inviter's figures as stored (their participant document's `progress`). */
export interface InviterProgress {
  verified: number;
  /** The Shanghai day the two daily figures belong to; other days do not limit today. */
  dayKey: string | null;
  verifiedToday: number;
  bonusEarnedToday: number;
  unlockedAt: Date | null;
}

export interface InviteVerification {
  progress: InviterProgress;
  campaign: Pick<Campaign, 'lottery' | 'blackCard' | 'invite'>;
  now: Date;
}

/** An inclusive range a stored figure must lie in for a decision to stand. */
export interface FigureRange {
  min?: number;
  max?: number;
}

/**
 * What crediting one invitee does to the inviter, and the facts it relied on. The repository
 * applies it as one conditional update whose condition is exactly `requires`: if a concurrent
 * credit moved a figure out of its range meanwhile, the update does not apply and the caller
 * decides again from a fresh read.
 */
export type CreditDecision = {
  dayKey: string;
  /** the stored day is `dayKey` (figures as read) or another day (today starts from zero) */
  sameDay: boolean;
  requires: { verifiedToday?: FigureRange; bonusEarnedToday?: FigureRange };
} & (
  | {
      counts: true;
      /** Spins to add to the inviter's balance now (0 once today's bonus is used up). */
      bonusSpins: number;
      verifiedAfter: number;
      /** The card was locked and this verification brings the count to `invitesRequired`. */
      unlocksNow: boolean;
    }
  | { counts: false; reason: Extract<InviteRejection, 'INVITER_DAILY_CAP'> }
);

/**
 * Decides what an invitee's qualifying action (claiming the magnet) does for their inviter:
 * +1 verified and bonus spins within today's cap, or, when the inviter already has
 * `maxVerifiedPerInviterPerDay` verified invites today, nothing (INVITER_DAILY_CAP). The cap is
 * enforced here, when the invite is verified, so friends who all arrive before any of them
 * claims cannot push an inviter past it. Risk was judged at the claim: only allowed invitees get
 * here.
 */
export function verifyInvite(input: InviteVerification): CreditDecision {
  const { progress, campaign, now } = input;
  const dayKey = shanghaiDayKey(now);
  const sameDay = progress.dayKey === dayKey;
  const verifiedToday = sameDay ? progress.verifiedToday : 0;
  const earnedToday = sameDay ? progress.bonusEarnedToday : 0;
  const cap = campaign.invite.maxVerifiedPerInviterPerDay;
  if (verifiedToday >= cap) {
    return {
      counts: false,
      reason: 'INVITER_DAILY_CAP',
      dayKey,
      sameDay,
      requires: sameDay ? { verifiedToday: { min: cap } } : {},
    };
  }
  const { spinsPerVerifiedInvite: perInvite, maxBonusSpinsPerDay: maxBonus } = campaign.lottery;
  const bonusSpins = Math.max(0, Math.min(perInvite, maxBonus - earnedToday));
  const verifiedAfter = progress.verified + 1;
  return {
    counts: true,
    bonusSpins,
    verifiedAfter,
    unlocksNow: progress.unlockedAt === null && verifiedAfter >= campaign.blackCard.invitesRequired,
    dayKey,
    sameDay,
    requires: sameDay
      ? {
          verifiedToday: { max: cap - 1 },
          bonusEarnedToday: earnedRangeFor(bonusSpins, perInvite, maxBonus),
        }
      : {},
  };
}

/** The values of today's earned bonus that give exactly `bonus` spins for one more invite. */
function earnedRangeFor(bonus: number, perInvite: number, maxBonus: number): FigureRange {
  if (perInvite === 0) return {}; // invites never earn spins: any figure gives 0
  if (bonus === perInvite) return { max: maxBonus - perInvite }; // full room
  if (bonus === 0) return { min: maxBonus }; // no room left
  return { min: maxBonus - bonus, max: maxBonus - bonus }; // exactly this much room
}
