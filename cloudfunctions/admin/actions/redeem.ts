/**
 * `coupon.redeem` (核销): staff scan the customer's QR; each coupon is redeemed exactly once.
 * The cashier who redeemed it is told so again however often they rescan (a reply lost to a bad
 * connection must not read as "already redeemed" to the person who did it); anyone else is told
 * it was used.
 */
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { couponStatus, type CouponStatus } from '../../_shared/domain/coupon';
import { verifyRedeemToken } from '../../_shared/domain/redeem-token';
import { DEFAULT_TAG_RULES } from '../../_shared/campaign';
import { tagCounterMoves } from '../../_shared/domain/tags';
import { fail } from '../../_shared/errors';
import { finishRedemption } from '../../_shared/flows/redeem';
import { findCampaign } from '../../_shared/repositories/campaigns';
import { bumpCommunity } from '../../_shared/repositories/community';
import { bumpCounters } from '../../_shared/repositories/counters';
import { findCoupon, redeemCoupon, type CouponDoc } from '../../_shared/repositories/coupons';
import { findParticipant } from '../../_shared/repositories/participants';
import { REDEEM_TOKEN_SECRET, secret } from '../../_shared/repositories/secrets';
import { findUser } from '../../_shared/repositories/users';

const TOKEN_PROBLEMS = {
  malformed: '这不是有效的核销码',
  forged: '核销码无效（签名不符）',
  stale: '核销码已过期，请让顾客刷新页面后重新出示',
} as const;

export async function redeem(
  { token }: { token: string },
  { caller, now }: ActionContext,
): Promise<AdminResults['coupon.redeem']> {
  const check = verifyRedeemToken(token, await secret(REDEEM_TOKEN_SECRET, now), now);
  if (!check.ok) return fail('BAD_TOKEN', TOKEN_PROBLEMS[check.reason]);
  const coupon = await findCoupon(check.couponId);
  if (!coupon) return fail('NOT_FOUND', '优惠券不存在');
  const answer = (redeemedAt: Date) => ({
    couponId: coupon._id,
    title: coupon.title,
    label: coupon.label,
    redeemedAt: redeemedAt.toISOString(),
  });
  const refuse = (status: CouponStatus): never => {
    if (status === 'redeemed') return fail('COUPON_ALREADY_REDEEMED', '这张券已经核销过了');
    if (status === 'expired') return fail('COUPON_EXPIRED', '这张券已过期');
    return fail('CONFLICT', '核销冲突，请重试');
  };
  const mine = (doc: CouponDoc) => doc.redeemedAt !== null && doc.redeemedBy === caller.openid;
  // People console (issue 13): the owner, their participant (tag, leaders) and the tag rules
  const [owner, holder, campaignDoc] = await Promise.all([
    findUser(coupon.owner),
    findParticipant(coupon.campaignId, coupon.owner),
    findCampaign(coupon.campaignId),
  ]);
  const rules = campaignDoc?.config.growthTags.rules ?? DEFAULT_TAG_RULES;
  if (mine(coupon)) {
    // a retry finishes what the redeeming call may not have (counted once, keyed by the coupon)
    await finishRedemption(coupon, holder, rules);
    return answer(coupon.redeemedAt as Date);
  }
  const before = couponStatus(coupon, now);
  if (before !== 'available') return refuse(before);
  // People console (issue 13): a blocked member's coupons are not redeemed
  if (owner?.blocked) return fail('RISK_BLOCKED', '这位会员已被停用，券暂不能核销');
  if (!(await redeemCoupon(coupon._id, caller.openid, now))) {
    // Another scan won the race (or this one's reply was lost): say what happened to it.
    const after = await findCoupon(coupon._id);
    if (after && mine(after)) return answer(after.redeemedAt as Date);
    return refuse(after ? couponStatus(after, now) : 'available');
  }
  const effects = await finishRedemption({ ...coupon, redeemedAt: now }, holder, rules);
  await bumpCounters(coupon.campaignId, {
    couponsRedeemed: 1,
    ...(effects.tag ? tagCounterMoves(effects.tag.from, effects.tag.to) : {}),
  });
  if (effects.markedNow) {
    await bumpCommunity(coupon.campaignId, holder?.invite?.leaders ?? [], 'redemptions', now);
  }
  return answer(now);
}
