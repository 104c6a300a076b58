/**
 * What follows a counted credit for the inviter (Rewards, issue 12): the ladder's steps
 * (阶梯奖励) the count has reached, and the reminder that a friend claimed. Called from the credit
 * flow (flows/credit), so `magnet.claim`, its retries and the reconciler all run it.
 *
 * A step is granted by its mark (`markMilestone`: the record, on the stored count) and then its
 * reward is issued with an id derived from the mark; a run that died in between is finished by
 * the reconciler (`issueMilestoneReward` again: the derived id makes it once).
 */
import type { Campaign } from '../campaign';
import { participantId } from '../collections';
import { PAGES } from '../../../miniprogram/utils/routes';
import {
  dueMilestones,
  milestoneTitle,
  pendingMilestones,
  type MilestoneGrant,
} from '../domain/milestones';
import { couponIdFor } from '../ids';
import { withDays } from '../domain/trends';
import { bumpCounters } from '../repositories/counters';
import { couponFromTemplate, issueCoupon, voucherFromPrize } from '../repositories/coupons';
import {
  findParticipantById,
  markMilestone,
  type ParticipantDoc,
} from '../repositories/participants';
import { sendReminder } from './reminders';

type Inviter = Pick<ParticipantDoc, '_id' | 'campaignId' | 'openid' | 'inviteCode' | 'progress'>;

/**
 * After the credit of `inviteeCode` was counted for `inviter` (as read before it): grant the
 * steps the stored count reached, and remind the inviter. When steps are left to grant the
 * inviter is read again: friends who qualify together each read a count below a step the stored
 * count reached, and the last credit's read after its own write sees it. A credit applied only
 * below the next step (`stepDue` false: the credit's own condition, flows/credit) skips that.
 */
export async function rewardInviter(
  inviter: Inviter,
  inviteeCode: string,
  campaign: Campaign,
  now: Date,
  unlockedNow: boolean,
  stepDue = true,
): Promise<void> {
  let current: Inviter = {
    ...inviter,
    progress: { ...inviter.progress, verified: inviter.progress.verified + 1 },
  };
  if (stepDue && pendingMilestones(campaign, inviter.progress.milestones).length > 0) {
    current = (await findParticipantById(inviter._id)) ?? current;
    await grantMilestones(current, campaign, now);
  }
  await remindInviter(current, inviteeCode, campaign, now, unlockedNow);
}

/** Grants the steps `participant`'s count reached (each once); answers how many this call did. */
export async function grantMilestones(
  participant: Inviter,
  campaign: Campaign,
  now: Date,
): Promise<number> {
  let issued = 0;
  let granted = 0;
  for (const milestone of dueMilestones(campaign, participant.progress)) {
    const grant: MilestoneGrant = {
      at: now,
      invites: milestone.invites,
      title: milestoneTitle(campaign, milestone),
      couponId: couponIdFor(`milestone:${participant._id}:${milestone.invites}`),
      couponTemplateId: milestone.couponTemplateId ?? null,
      prizeId: milestone.prizeId ?? null,
    };
    // Another run granted it first: that run issues the reward (or the reconciler does).
    if (!(await markMilestone(participant._id, grant))) continue;
    granted++;
    if (await issueMilestoneReward(participant, grant, campaign)) issued++;
  }
  if (issued > 0) {
    await bumpCounters(participant.campaignId, withDays({ couponsIssued: issued }, now));
  }
  return granted;
}

/**
 * The reward of a granted step: a coupon from its template, or a physical prize's voucher. Its id
 * derives from the grant, so it is issued once however often this runs. True when this call did.
 */
export async function issueMilestoneReward(
  owner: Pick<ParticipantDoc, 'openid' | 'campaignId' | 'inviteCode'>,
  grant: MilestoneGrant,
  campaign: Campaign,
): Promise<boolean> {
  const common = {
    id: grant.couponId,
    owner: owner.openid,
    ownerCode: owner.inviteCode,
    campaignId: owner.campaignId,
    source: 'milestone' as const,
    now: grant.at,
  };
  if (grant.prizeId) {
    // as configured now; a prize since removed from the wheel keeps the name it was granted with
    const prize = campaign.lottery.prizes.find((p) => p.id === grant.prizeId) ?? {
      id: grant.prizeId,
      name: grant.title,
    };
    return issueCoupon(voucherFromPrize({ ...common, prize }));
  }
  const template = campaign.couponTemplates.find((t) => t.id === grant.couponTemplateId);
  // a template removed since the grant: nothing can be issued from it
  if (!template) return false;
  return issueCoupon(couponFromTemplate({ ...common, template }));
}

/**
 * One reminder per counted friend: the card unlocked (and, when the group follows the card, the
 * group is ready), one friend away from it, or the progress so far.
 */
async function remindInviter(
  inviter: Inviter,
  inviteeCode: string,
  campaign: Campaign,
  now: Date,
  unlockedNow: boolean,
): Promise<void> {
  const required = campaign.blackCard.invitesRequired;
  const verified = inviter.progress.verified;
  const cause = `credit:${participantId(inviter.campaignId, inviter.openid)}:${inviteeCode}`;
  const vars = { verified, required, left: Math.max(0, required - verified) };
  const event =
    unlockedNow && campaign.groups.after === 'blackcard' && campaign.reminders.groupReady
      ? 'groupReady'
      : verified === required - 1 && campaign.reminders.unlockNear
        ? 'unlockNear'
        : 'inviteProgress';
  await sendReminder(
    {
      event,
      to: inviter.openid,
      cause,
      page: event === 'groupReady' ? PAGES.group : PAGES.blackcard,
      vars: event === 'groupReady' ? { ...vars, group: '会员群', expiresAt: '' } : vars,
    },
    campaign,
    now,
  );
}
