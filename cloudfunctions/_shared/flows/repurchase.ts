/**
 * Retention (issue 15): the repurchase coupon (复购券: 老用户回馈, 会员日). When the campaign names
 * one (`repurchase.couponTemplateId`), each redemption of a coupon issues its member one coupon of
 * that template, for their next visit.
 *
 * The redemption (`redeemCoupon`: the coupon marked redeemed, numbered) is the record; the
 * repurchase coupon follows it with an id derived from the redemption, so `coupon.redeem`, a
 * rescan by the same cashier and the reconciler (cron/reconcile-rewards) all run this step and it
 * happens once per redemption. Decisions:
 * - a purchase earns it: a coupon's redemption does, a prize voucher's (picked up or shipped: no
 *   purchase) does not; a repurchase coupon's own redemption earns the next (the loop it is for);
 * - it is issued as of the redemption (its validity counts from then) from the template as
 *   configured when the step runs; a template removed since issues nothing;
 * - a reversal of the redemption (a mistaken scan) withdraws it while unused: it expires at the
 *   reversal and stays in the wallet as expired. One already used stays used — that was a real
 *   purchase — and a new redemption of the coupon earns its own.
 */
import type { Campaign, CouponTemplate } from '../campaign';
import { couponIdFor, couponRedemptionId } from '../ids';
import {
  couponFromTemplate,
  issueCoupon,
  withdrawCoupon,
  type CouponDoc,
} from '../repositories/coupons';
import type { RedemptionDoc } from '../repositories/redemptions';

/** The repurchase coupon of redemption number `seq` of `couponId`. */
export function repurchaseCouponId(couponId: string, seq: number): string {
  return couponIdFor(`repurchase:${couponRedemptionId(couponId, seq)}`);
}

/** The template a redemption of `coupon` earns, if any. */
export function repurchaseTemplate(
  coupon: Pick<CouponDoc, 'kind'>,
  campaign: Pick<Campaign, 'repurchase' | 'couponTemplates'>,
): CouponTemplate | undefined {
  const templateId = campaign.repurchase?.couponTemplateId;
  if (!templateId || coupon.kind === 'prize') return undefined;
  return campaign.couponTemplates.find((t) => t.id === templateId);
}

/** The repurchase coupon a redeemed coupon's current redemption earns (null: none). */
export function repurchaseCouponOf(
  redeemed: CouponDoc,
  campaign: Pick<Campaign, 'repurchase' | 'couponTemplates'>,
): CouponDoc | null {
  const template = repurchaseTemplate(redeemed, campaign);
  if (!template || !redeemed.redeemedAt) return null;
  const seq = redeemed.redemptions ?? 1;
  return couponFromTemplate({
    id: repurchaseCouponId(redeemed._id, seq),
    owner: redeemed.owner,
    ...(redeemed.ownerCode ? { ownerCode: redeemed.ownerCode } : {}),
    campaignId: redeemed.campaignId,
    template,
    source: 'repurchase',
    now: redeemed.redeemedAt,
    repurchaseOf: couponRedemptionId(redeemed._id, seq),
  });
}

/** Issues the repurchase coupon of a redemption, once; answers it when this call issued it. */
export async function issueRepurchase(
  redeemed: CouponDoc,
  campaign: Pick<Campaign, 'repurchase' | 'couponTemplates'>,
): Promise<CouponDoc | null> {
  const coupon = repurchaseCouponOf(redeemed, campaign);
  return coupon && (await issueCoupon(coupon)) ? coupon : null;
}

/** A reversed redemption's repurchase coupon is withdrawn while unused; true when this call did. */
export function withdrawRepurchase(record: RedemptionDoc): Promise<boolean> {
  if (record.kind !== 'coupon' || record.seq === null || !record.reversedAt) {
    return Promise.resolve(false);
  }
  return withdrawCoupon(repurchaseCouponId(record.itemId, record.seq), record.reversedAt);
}
