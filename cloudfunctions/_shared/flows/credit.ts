/**
 * Crediting an inviter once their invitee qualifies (claims the magnet): +1 verified and bonus
 * spins within today's caps, the black card at `invitesRequired`, or a refusal when the inviter's
 * daily cap is full. Used by `magnet.claim`, by its retries and by the reconciler: every step is
 * keyed by the invitee, so running it again finishes what an interrupted run started and never
 * counts twice.
 *
 * People console (issue 13): before crediting, `screenBeforeCredit` refuses a blocked inviter
 * and puts a fast run of invites on hold (domain/fraud); an owner's approval of a held invite
 * runs this same flow (`approving`), crediting the held entry exactly once.
 */
import type { Campaign } from '../campaign';
import { participantId } from '../collections';
import { screenCredit, vestsAt, type CreditScreen } from '../domain/fraud';
import { nextLadderCount } from '../domain/milestones';
import { verifyInvite } from '../domain/invite';
import { rankAfter, rankForFact } from '../domain/tags';
import { fail } from '../errors';
import {
  createParticipant,
  creditInvitee,
  findParticipantById,
  holdCredit,
  newParticipant,
  refuseCredit,
  settleCappedInvite,
  settleHeldInvite,
  settleRefusedInvite,
  unlockCard,
  type ParticipantDoc,
} from '../repositories/participants';
import { grantMilestones, rewardInviter } from './milestones';
import type { Credit } from '../user';

/** Concurrent credits of one inviter only collide at a day change or at a cap; then re-read. */
const MAX_ATTEMPTS = 5;

export interface CreditOutcome {
  /** this run judged the invitee (false: an earlier run had) */
  judgedNow: boolean;
  counted: boolean;
  /** this run unlocked the inviter's black card */
  unlockedNow: boolean;
  // People console (issue 13)
  /** held for the owner's review (velocity rule) */
  held?: boolean;
  /** refused because the inviter is blocked */
  blocked?: boolean;
  /** the tag of an inviter who is a member moved from → to (for the counters) */
  inviterTag?: { from: number | undefined; to: number };
}

export async function creditInviter(
  invitee: Pick<ParticipantDoc, '_id' | 'campaignId' | 'inviteCode' | 'invite'>,
  campaign: Campaign,
  now: Date,
): Promise<CreditOutcome> {
  const invite = invitee.invite;
  if (!invite?.inviterId) throw new Error(`${invitee._id} has no inviter to credit`);
  const inviterPid = participantId(invitee.campaignId, invite.inviterId);
  // an owner approved this held invite: its held credit is applied (People console, issue 13)
  const approving = invite.review?.decision === 'approved';
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const inviter = await inviterDocument(inviterPid, invitee, now);
    const earlier = ownCredit(inviter.progress.credits, invitee.inviteCode);
    if (earlier && !(earlier.held && approving)) {
      return settleEarlier(earlier, inviter, invitee, campaign, now);
    }
    const fromHeld = Boolean(earlier?.held);
    const screen = screenBeforeCredit(inviter, campaign, now, approving);
    if (screen.outcome === 'refuse') {
      if (!(await refuseCredit(inviterPid, invitee.inviteCode, screen.reason, now, fromHeld))) {
        continue;
      }
      await settleRefusedInvite(invitee._id, screen.reason);
      return { judgedNow: true, counted: false, unlockedNow: false, blocked: true };
    }
    if (screen.outcome === 'hold') {
      if (!(await holdCredit(inviterPid, invitee.inviteCode, screen.window, now))) continue;
      await settleHeldInvite(invitee._id);
      return { judgedNow: true, counted: false, unlockedNow: false, held: true };
    }
    const decision = verifyInvite({ progress: inviter.progress, campaign, now });
    const tagRank = rankForFact('verified', campaign.growthTags.rules);
    // A credit the read shows below the next ladder step (the card, a reward) says so in its
    // condition: then neither the unlock nor the ladder can be due, and they cost nothing.
    const next = nextLadderCount(campaign, inviter.progress);
    const below = next !== null && inviter.progress.verified + 1 < next ? next - 1 : undefined;
    const credited = await creditInvitee(inviterPid, invitee.inviteCode, decision, now, {
      window: screen.window,
      keep: screen.keep,
      fromHeld,
      tagRank,
      vestsAt: vestsAt(now, campaign.invite.vestingHours ?? 0),
      below,
    });
    if (!credited) continue;
    if (!decision.counts) {
      await settleCappedInvite(invitee._id);
      return { judgedNow: true, counted: false, unlockedNow: false };
    }
    const stepDue = below === undefined;
    const unlockedNow = stepDue && (await unlockIfDue(inviter, campaign, now));
    // Rewards (issue 12): the ladder's steps (阶梯奖励) and the inviter's reminder
    await rewardInviter(inviter, invitee.inviteCode, campaign, now, unlockedNow, stepDue);
    const unlockRank = unlockedNow ? rankForFact('cardUnlocked', campaign.growthTags.rules) : null;
    const to = rankAfter(rankAfter(inviter.tagRank, tagRank), unlockRank);
    return {
      judgedNow: true,
      counted: true,
      unlockedNow,
      ...(inviter.enteredAt ? { inviterTag: { from: inviter.tagRank, to } } : {}),
    };
  }
  return fail('CONFLICT', '邀请记录繁忙，请稍后重试');
}

/**
 * People console (issue 13): the checks before an inviter is credited (domain/fraud): a blocked
 * inviter is refused; beyond the velocity rule the invite is held for the owner's review.
 */
function screenBeforeCredit(
  inviter: ParticipantDoc,
  campaign: Campaign,
  now: Date,
  approving: boolean,
): CreditScreen {
  return screenCredit({
    inviterBlocked: Boolean(inviter.blocked),
    recentCredits: inviter.progress.recentCredits ?? [],
    velocity: campaign.invite.velocity,
    now,
    approving,
  });
}

/**
 * Judged before: finish what that run may not have (the refusal or the hold noted on the invitee,
 * the unlock on the inviter).
 */
async function settleEarlier(
  earlier: Credit,
  inviter: ParticipantDoc,
  invitee: Pick<ParticipantDoc, '_id'>,
  campaign: Campaign,
  now: Date,
): Promise<CreditOutcome> {
  if (earlier.held) {
    await settleHeldInvite(invitee._id);
    return { judgedNow: false, counted: false, unlockedNow: false, held: true };
  }
  if (!earlier.counted) {
    if (earlier.reason === 'BLOCKED') await settleRefusedInvite(invitee._id, 'BLOCKED');
    else await settleCappedInvite(invitee._id);
    return { judgedNow: false, counted: false, unlockedNow: false };
  }
  const unlockedNow = await unlockIfDue(inviter, campaign, now);
  // Rewards (issue 12): ladder steps the interrupted run may not have granted
  await grantMilestones(inviter, campaign, now);
  return { judgedNow: false, counted: true, unlockedNow };
}

function ownCredit(credits: Record<string, Credit>, code: string): Credit | undefined {
  return Object.prototype.hasOwnProperty.call(credits, code) ? credits[code] : undefined;
}

/**
 * Unlock on the stored count, not on what this run read: when invitees qualify together, each
 * may have read a count below `invitesRequired` while the stored one reached it, so every credit
 * of a still-locked card tries (a conditional write that only the count can pass).
 */
async function unlockIfDue(
  inviter: ParticipantDoc,
  campaign: Campaign,
  now: Date,
): Promise<boolean> {
  if (inviter.progress.unlockedAt !== null) return false;
  const tagRank = rankForFact('cardUnlocked', campaign.growthTags.rules);
  return unlockCard(inviter._id, campaign.blackCard.invitesRequired, now, tagRank);
}

/**
 * The inviter in this campaign. Made at the invitee's entry; if that call died before making
 * it, made now (known only as an inviter until they visit).
 */
async function inviterDocument(
  id: string,
  invitee: Pick<ParticipantDoc, 'campaignId' | 'invite'>,
  now: Date,
): Promise<ParticipantDoc> {
  const found = await findParticipantById(id);
  if (found) return found;
  const invite = invitee.invite!;
  const doc = newParticipant({
    id,
    campaignId: invitee.campaignId,
    user: { _id: invite.inviterId, inviteCode: invite.inviterCode },
    channel: 'direct',
    isNewUser: false,
    invite: null,
    now,
    entered: false,
  });
  if (await createParticipant(doc)) return doc;
  return (await findParticipantById(id)) ?? fail('CONFLICT', '邀请记录繁忙，请稍后重试');
}
