/**
 * What follows a claim (引流抓手): the magnet coupon, and the inviter's credit for the invite the
 * claim verified. The claim itself (`claimOnce`) is the record written first; these steps are
 * keyed by it (the coupon's id derives from the participant, the credit from the invitee), so
 * `magnet.claim`, its retries and the reconciler can all run them and they happen once.
 */
import type { Campaign, CouponTemplate } from '../campaign';
import { couponIdFor } from '../ids';
import type { CampaignDoc } from '../repositories/campaigns';
import {
  couponFromTemplate,
  findCoupon,
  issueCoupon,
  type CouponDoc,
} from '../repositories/coupons';
import type { ParticipantClaim, ParticipantDoc } from '../repositories/participants';
import { creditInviter, type CreditOutcome } from './credit';

export function magnetTemplate(campaign: Campaign): CouponTemplate | undefined {
  return campaign.couponTemplates.find((t) => t.id === campaign.magnet.reward.couponTemplateId);
}

/**
 * People console (issue 13): the template the claim recorded (a growth tag's variant of the
 * magnet's, domain/tags), as decided when it was made; an older claim recorded none.
 */
function claimTemplate(claim: ParticipantClaim, campaign: Campaign): CouponTemplate | undefined {
  if (!claim.couponTemplateId) return magnetTemplate(campaign);
  return campaign.couponTemplates.find((t) => t.id === claim.couponTemplateId);
}

export function magnetCouponId(participantId: string): string {
  return couponIdFor(`magnet:${participantId}`);
}

export interface ClaimEffects {
  coupon: CouponDoc | null;
  /** this run issued the coupon (false: it existed) */
  issuedNow: boolean;
  credit: CreditOutcome | null;
}

export async function finishClaim(
  participant: ParticipantDoc & { claim: ParticipantClaim },
  campaignDoc: CampaignDoc,
  now: Date,
): Promise<ClaimEffects> {
  const { claim } = participant;
  let coupon: CouponDoc | null = null;
  let issuedNow = false;
  const template = claimTemplate(claim, campaignDoc.config);
  if (claim.couponId && template) {
    // Issued as of the claim, whenever this step runs.
    coupon = couponFromTemplate({
      id: claim.couponId,
      owner: participant.openid,
      ownerCode: participant.inviteCode,
      campaignId: participant.campaignId,
      template,
      source: 'magnet',
      now: claim.at,
      channel: participant.channel,
    });
    issuedNow = await issueCoupon(coupon);
    if (!issuedNow) coupon = await findCoupon(claim.couponId);
  } else if (claim.couponId) {
    coupon = await findCoupon(claim.couponId);
  }
  const credit =
    participant.invite?.status === 'verified'
      ? // Judged when this runs: the inviter's daily figures only ever move forward in time.
        await creditInviter(participant, campaignDoc.config, now)
      : null;
  return { coupon, issuedNow, credit };
}
