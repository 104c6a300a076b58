/**
 * Crediting an inviter once their invitee qualifies (claims the magnet): +1 verified and bonus
 * spins within today's caps, the black card at `invitesRequired`, or a refusal when the inviter's
 * daily cap is full. Used by `magnet.claim`, by its retries and by the reconciler: every step is
 * keyed by the invitee, so running it again finishes what an interrupted run started and never
 * counts twice.
 */
import type { Campaign } from '../campaign';
import { participantId } from '../collections';
import { verifyInvite } from '../domain/invite';
import { fail } from '../errors';
import {
  createParticipant,
  creditInvitee,
  findParticipantById,
  newParticipant,
  settleCappedInvite,
  unlockCard,
  type ParticipantDoc,
} from '../repositories/participants';
import { grantMilestones, rewardInviter } from './milestones';

/** Concurrent credits of one inviter only collide at a day change or at a cap; then re-read. */
const MAX_ATTEMPTS = 5;

export interface CreditOutcome {
  /** this run judged the invitee (false: an earlier run had) */
  judgedNow: boolean;
  counted: boolean;
  /** this run unlocked the inviter's black card */
  unlockedNow: boolean;
}

export async function creditInviter(
  invitee: Pick<ParticipantDoc, '_id' | 'campaignId' | 'inviteCode' | 'invite'>,
  campaign: Campaign,
  now: Date,
): Promise<CreditOutcome> {
  const invite = invitee.invite;
  if (!invite?.inviterId) throw new Error(`${invitee._id} has no inviter to credit`);
  const inviterPid = participantId(invitee.campaignId, invite.inviterId);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const inviter = await inviterDocument(inviterPid, invitee, now);
    const earlier = inviter.progress.credits[invitee.inviteCode];
    if (earlier) {
      // Judged before: finish what that run may not have (the refusal noted on the invitee, the
      // unlock on the inviter).
      if (!earlier.counted) await settleCappedInvite(invitee._id);
      const unlockedNow = earlier.counted && (await unlockIfDue(inviter, campaign, now));
      // Rewards (issue 12): ladder steps the interrupted run may not have granted
      if (earlier.counted) await grantMilestones(inviter, campaign, now);
      return { judgedNow: false, counted: earlier.counted, unlockedNow };
    }
    const decision = verifyInvite({ progress: inviter.progress, campaign, now });
    if (!(await creditInvitee(inviterPid, invitee.inviteCode, decision, now))) continue;
    if (!decision.counts) {
      await settleCappedInvite(invitee._id);
      return { judgedNow: true, counted: false, unlockedNow: false };
    }
    const unlockedNow = await unlockIfDue(inviter, campaign, now);
    // Rewards (issue 12): the ladder's steps (阶梯奖励) and the inviter's reminder
    await rewardInviter(inviter, invitee.inviteCode, campaign, now, unlockedNow);
    return { judgedNow: true, counted: true, unlockedNow };
  }
  return fail('CONFLICT', '邀请记录繁忙，请稍后重试');
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
  return unlockCard(inviter._id, campaign.blackCard.invitesRequired, now);
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
