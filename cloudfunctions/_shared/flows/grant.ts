/**
 * What follows a grant (People console, issue 13): an owner's reward to a KOC. The grant's audit
 * entry is the record — its id derives from the owner's request, so a retried tap grants once —
 * and holds what was decided (which template or prize, the coupon's id). The coupon follows it,
 * its id derived from the grant, so `koc.grant`, its retries and the reconciler issue it once.
 * A physical or resource prize is recorded only: staff hand it over.
 */
import type { Campaign } from '../campaign';
import {
  couponFromTemplate,
  findCoupon,
  issueCoupon,
  type CouponDoc,
} from '../repositories/coupons';
import type { AuditDoc } from '../repositories/audit';

export async function finishGrant(
  entry: AuditDoc,
  campaign: Campaign,
): Promise<{ coupon: CouponDoc | null; issuedNow: boolean }> {
  const grant = entry.grant;
  if (!grant?.couponId || !entry.target || !entry.campaignId) {
    return { coupon: null, issuedNow: false };
  }
  const template = campaign.couponTemplates.find((t) => t.id === grant.templateId);
  if (!template) return { coupon: await findCoupon(grant.couponId), issuedNow: false };
  const coupon = couponFromTemplate({
    id: grant.couponId,
    owner: entry.target,
    campaignId: entry.campaignId,
    template,
    source: 'grant',
    now: entry.at,
  });
  if (await issueCoupon(coupon)) return { coupon, issuedNow: true };
  return { coupon: await findCoupon(grant.couponId), issuedNow: false };
}
