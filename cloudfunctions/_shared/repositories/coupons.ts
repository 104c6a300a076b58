/**
 * Issued coupons (优惠券). Ids are derived from what issued them (the claim, the spin), so a
 * retried issue finds the coupon already there instead of issuing a second one.
 */
import type { CouponTemplate } from '../campaign';
import { COLLECTIONS } from '../collections';
import type { Coupon } from '../contracts';
import { byId, byIds, command, countWhere, insert, many, updateWhere } from '../db';
import { couponExpiry, couponStatus, describeCouponTemplate } from '../domain/coupon';
import { db } from '../cloud';
import { WALLET_LIMIT } from '../limits';

export interface CouponDoc {
  _id: string;
  owner: string;
  campaignId: string;
  templateId: string;
  title: string;
  label: string;
  kind: 'discount' | 'cash';
  rate: number | null;
  threshold: number | null;
  amount: number | null;
  /** `grant`: the owner's reward to a KOC (People console, issue 13) */
  source: 'magnet' | 'lottery' | 'grant';
  /** stored status: `available` until redeemed or until the hourly job marks it expired */
  status: 'available' | 'redeemed' | 'expired';
  issuedAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
  redeemedBy: string | null;
}

export { couponIdFor } from '../ids';

export function couponFromTemplate(fields: {
  id: string;
  owner: string;
  campaignId: string;
  template: CouponTemplate;
  source: CouponDoc['source'];
  now: Date;
}): CouponDoc {
  const { template } = fields;
  return {
    _id: fields.id,
    owner: fields.owner,
    campaignId: fields.campaignId,
    templateId: template.id,
    title: template.title,
    label: describeCouponTemplate(template),
    kind: template.kind,
    rate: template.rate ?? null,
    threshold: template.threshold ?? null,
    amount: template.amount ?? null,
    source: fields.source,
    status: 'available',
    issuedAt: fields.now,
    expiresAt: couponExpiry(template, fields.now),
    redeemedAt: null,
    redeemedBy: null,
  };
}

/**
 * Rule: one coupon per cause. The id is derived from what issued it (the claim, the spin), so a
 * retried issue finds it already there instead of issuing a second one; either way it exists
 * afterwards. True when this call issued it.
 */
export function issueCoupon(coupon: CouponDoc): Promise<boolean> {
  return insert(COLLECTIONS.coupons, coupon);
}

export function findCouponsByIds(ids: readonly string[]): Promise<CouponDoc[]> {
  return byIds<CouponDoc>(COLLECTIONS.coupons, ids);
}

/** Coupons a campaign issued, and how many of them were redeemed (index: campaignId). */
export async function countCampaignCoupons(
  campaignId: string,
): Promise<{ issued: number; redeemed: number }> {
  const [issued, redeemed] = await Promise.all([
    countWhere(COLLECTIONS.coupons, { campaignId }),
    countWhere(COLLECTIONS.coupons, { campaignId, redeemedAt: command().neq(null) }),
  ]);
  return { issued, redeemed };
}

export function findCoupon(id: string): Promise<CouponDoc | null> {
  return byId<CouponDoc>(COLLECTIONS.coupons, id);
}

/** A user's coupons, newest first (index: owner + issuedAt). */
export function findCouponsOf(owner: string): Promise<CouponDoc[]> {
  return many<CouponDoc>(
    db()
      .collection(COLLECTIONS.coupons)
      .where({ owner })
      .orderBy('issuedAt', 'desc')
      .limit(WALLET_LIMIT),
  );
}

/**
 * Rule: one redemption per coupon. Marks it redeemed only if it is still unredeemed and
 * unexpired; true when this call did.
 */
export async function redeemCoupon(id: string, staff: string, now: Date): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.coupons,
    { _id: id, redeemedAt: _.eq(null), expiresAt: _.gte(now) },
    { redeemedAt: now, redeemedBy: staff, status: 'redeemed' },
  );
  return changed === 1;
}

/** The hourly job: stored status follows expiry (reads never depend on it, see toCoupon). */
export function markExpiredCoupons(now: Date): Promise<number> {
  return updateWhere(
    COLLECTIONS.coupons,
    { status: 'available', expiresAt: command().lt(now) },
    { status: 'expired' },
  );
}

/** What the owner sees; the status is computed from `now`, so it is right between cron runs. */
export function toCoupon(doc: CouponDoc, now: Date): Coupon {
  return {
    id: doc._id,
    templateId: doc.templateId,
    title: doc.title,
    label: doc.label,
    kind: doc.kind,
    ...(doc.rate !== null ? { rate: doc.rate } : {}),
    ...(doc.threshold !== null ? { threshold: doc.threshold } : {}),
    ...(doc.amount !== null ? { amount: doc.amount } : {}),
    status: couponStatus({ redeemedAt: doc.redeemedAt, expiresAt: doc.expiresAt }, now),
    source: doc.source,
    issuedAt: doc.issuedAt.toISOString(),
    expiresAt: doc.expiresAt.toISOString(),
    ...(doc.redeemedAt ? { redeemedAt: doc.redeemedAt.toISOString() } : {}),
  };
}

// People console (issue 13) ---------------------------------------------------------------------

/** A campaign's coupons (optionally only redeemed ones), a page at a time in `_id` order. */
export function pageCampaignCoupons(
  campaignId: string,
  afterId: string | null,
  limit: number,
  onlyRedeemed = false,
): Promise<CouponDoc[]> {
  const _ = command();
  return many<CouponDoc>(
    db()
      .collection(COLLECTIONS.coupons)
      .where({
        campaignId,
        ...(onlyRedeemed ? { redeemedAt: _.neq(null) } : {}),
        ...(afterId ? { _id: _.gt(afterId) } : {}),
      })
      .orderBy('_id', 'asc')
      .limit(limit),
  );
}
