/**
 * What follows a redemption (People console, issue 13). The coupon's redemption
 * (`redeemCoupon`) is the record; its owner's participant then counts it — the tag the rules
 * give a redemption (S by default) and their leaders' figures — keyed by the coupon, so
 * `coupon.redeem`, its retries and the reconciler can all run it and it happens once.
 */
import type { TagRules } from '../campaign';
import { participantId } from '../collections';
import { rankAfter, rankForFact } from '../domain/tags';
import type { CouponDoc } from '../repositories/coupons';
import { markRedeemed, type ParticipantDoc } from '../repositories/participants';

export interface RedemptionEffects {
  /** this run counted it */
  markedNow: boolean;
  /** the owner's tag moved from → to (a member's; for the counters) */
  tag?: { from: number | undefined; to: number };
}

export async function finishRedemption(
  coupon: Pick<CouponDoc, '_id' | 'owner' | 'campaignId' | 'redeemedAt'>,
  owner: Pick<ParticipantDoc, 'tagRank' | 'enteredAt'> | null,
  rules: TagRules,
): Promise<RedemptionEffects> {
  if (!coupon.redeemedAt) return { markedNow: false };
  const tagRank = rankForFact('redeemed', rules);
  const id = participantId(coupon.campaignId, coupon.owner);
  const markedNow = await markRedeemed(id, coupon._id, coupon.redeemedAt, tagRank);
  if (!markedNow || !owner?.enteredAt) return { markedNow };
  return { markedNow, tag: { from: owner.tagRank, to: rankAfter(owner.tagRank, tagRank) } };
}
