/**
 * `magnet.claim`: the lead magnet (引流抓手) within its claim window, once per user, and the
 * qualifying action that verifies the invite the user arrived with.
 */
import type { Campaign, CouponTemplate } from '../../_shared/campaign';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { claimWindowPhase } from '../../_shared/domain/schedule';
import { requireCampaign, requireUser, riskOf } from '../../_shared/context';
import { fail } from '../../_shared/errors';
import { command } from '../../_shared/db';
import type { CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCounters, type CounterIncrements } from '../../_shared/repositories/counters';
import {
  couponFromTemplate,
  couponIdFor,
  type CouponDoc,
  findCoupon,
  issueCoupon,
  toCoupon,
} from '../../_shared/repositories/coupons';
import {
  findUser,
  updateUserIf,
  type UserClaim,
  type UserDoc,
} from '../../_shared/repositories/users';
import { creditInviter } from './credit';

type Answer = ApiResults['magnet.claim'];

export async function claimMagnet(
  { requestId }: { requestId: string },
  { caller, now }: ActionContext,
): Promise<Answer> {
  const campaignDoc = await requireCampaign(now, { running: true });
  const campaign = campaignDoc.config;
  const user = await requireUser(caller.openid);
  if (user.claim) return alreadyClaimed(user, campaignDoc, now);

  const window = claimWindowPhase(campaign, now);
  if (window === 'upcoming') return fail('CLAIM_WINDOW_CLOSED', '领取还没开始，请稍后再来');
  if (window === 'over') return fail('CLAIM_WINDOW_CLOSED', '领取时间已过，下次早点来哦');
  const risk = await riskOf(caller, campaign);

  const template = magnetTemplate(campaign);
  const claim: UserClaim = {
    at: now,
    requestId,
    couponId: template ? couponIdFor(`magnet:${campaignDoc._id}:${caller.openid}`) : null,
    resourceUrl: campaign.magnet.reward.resourceUrl ?? null,
  };
  // The pending invite changes in the same write as the claim: verified, or refused for risk.
  const invite = user.invite?.status === 'pending' ? user.invite : null;
  const inviteUpdate = !invite
    ? {}
    : risk === 'allow'
      ? { 'invite.status': 'verified', 'invite.verifiedAt': now }
      : { 'invite.status': 'rejected', 'invite.reason': 'RISK' };
  const _ = command();
  // `_.set`: an object value in an update is otherwise merged field by field (dot paths).
  const won = await updateUserIf(
    caller.openid,
    { claim: _.eq(null) },
    { claim: _.set(claim), ...inviteUpdate },
  );
  if (!won) {
    // A concurrent claim of the same user got there first: answer what it claimed.
    const winner = await findUser(caller.openid);
    if (winner?.claim) return alreadyClaimed(winner, campaignDoc, now);
    return fail('CONFLICT', '领取冲突，请重试');
  }

  const increments: CounterIncrements = { claims: 1, [`channels.${user.channel}.claims`]: 1 };
  let coupon;
  if (template && claim.couponId) {
    const doc = magnetCoupon(claim.couponId, caller.openid, campaignDoc, template, now);
    await issueCoupon(doc);
    coupon = toCoupon(doc, now);
    increments.couponsIssued = 1;
  }
  if (invite && risk === 'allow') {
    const credit = await creditInviter(user, invite.inviterId, campaign, now);
    if (credit.credited) {
      increments.invitesVerified = 1;
      increments[`channels.${user.channel}.verified`] = 1;
      if (credit.unlocksNow) increments.cardsUnlocked = 1;
    }
  } else if (invite) {
    increments['rejected.RISK'] = 1;
    await updateUserIf(invite.inviterId, {}, { 'progress.pending': _.inc(-1) });
  }
  await bumpCounters(campaignDoc._id, increments);
  return { reward: rewardOf(claim, coupon), alreadyClaimed: false };
}

/**
 * The same reward again. If the first call died between verifying the invite and crediting the
 * inviter, or before issuing the coupon, this finishes the job (both are idempotent).
 */
async function alreadyClaimed(user: UserDoc, campaignDoc: CampaignDoc, now: Date): Promise<Answer> {
  const claim = user.claim as UserClaim;
  if (user.invite?.status === 'verified') {
    await creditInviter(user, user.invite.inviterId, campaignDoc.config, now);
  }
  let doc = claim.couponId ? await findCoupon(claim.couponId) : null;
  if (claim.couponId && !doc) {
    // The first call died between the claim and the coupon: issue it now, as it was meant.
    const template = magnetTemplate(campaignDoc.config);
    if (template) {
      doc = magnetCoupon(claim.couponId, user._id, campaignDoc, template, claim.at);
      await issueCoupon(doc);
    }
  }
  return { reward: rewardOf(claim, doc ? toCoupon(doc, now) : undefined), alreadyClaimed: true };
}

function magnetTemplate(campaign: Campaign): CouponTemplate | undefined {
  return campaign.couponTemplates.find((t) => t.id === campaign.magnet.reward.couponTemplateId);
}

function magnetCoupon(
  id: string,
  owner: string,
  campaignDoc: CampaignDoc,
  template: CouponTemplate,
  issuedAt: Date,
): CouponDoc {
  return couponFromTemplate({
    id,
    owner,
    campaignId: campaignDoc._id,
    template,
    source: 'magnet',
    now: issuedAt,
  });
}

function rewardOf(
  claim: UserClaim,
  coupon: ReturnType<typeof toCoupon> | undefined,
): Answer['reward'] {
  return {
    ...(claim.resourceUrl ? { resourceUrl: claim.resourceUrl } : {}),
    ...(coupon ? { coupon } : {}),
  };
}
