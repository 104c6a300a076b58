/**
 * 优惠券: expiry, status and the label a customer reads.
 *
 * Expiry decision: `validDays: n` lasts until the end of the Shanghai day n days after issue,
 * 23:59:59.999 Shanghai (issued Monday 15:00 with validDays 1 → valid through Tuesday), which is
 * how customers read "valid for n days" and matches the shop's opening days; validDays 0 means
 * the issue day only. `validUntil` is that instant, whenever the coupon was issued.
 * `expiresAt` is the last valid instant: the coupon is expired strictly after it.
 */
import type { CouponTemplate } from '../campaign';
import { endOfShanghaiDay } from './time';

export type CouponStatus = 'available' | 'redeemed' | 'expired';

export function couponExpiry(
  template: Pick<CouponTemplate, 'validDays' | 'validUntil'>,
  issuedAt: Date,
): Date {
  if (template.validUntil !== undefined) return new Date(template.validUntil);
  if (template.validDays !== undefined) return endOfShanghaiDay(issuedAt, template.validDays);
  // The schema requires exactly one of them.
  throw new Error('coupon template has neither validDays nor validUntil');
}

/**
 * A redeemed coupon stays redeemed after its expiry: that is what happened to it. A shipped
 * prize's voucher whose address was given in time waits for the owner to send it, whatever the
 * deadline (Rewards, issue 12).
 */
export function couponStatus(
  coupon: { redeemedAt?: Date | null; expiresAt: Date; address?: object | null },
  now: Date,
): CouponStatus {
  if (coupon.redeemedAt) return 'redeemed';
  if (coupon.address) return 'available';
  return now.getTime() > coupon.expiresAt.getTime() ? 'expired' : 'available';
}

/** Fen → yuan without trailing zeros: 1000 → '10', 1050 → '10.5', 5 → '0.05'. */
export function formatYuan(fen: number): string {
  return (fen / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** 0.8 → '8', 0.85 → '8.5', 0.885 → '8.85' (the 折 figure is tenths of the price). */
function formatZhe(rate: number): string {
  return (Math.round(rate * 1000) / 100).toFixed(2).replace(/\.?0+$/, '');
}

/** The short Chinese label: `8折`, `满100享8折`, `满50减10`, `5元无门槛`. */
export function describeCouponTemplate(
  t: Pick<CouponTemplate, 'kind' | 'rate' | 'threshold' | 'amount'>,
): string {
  const threshold = t.threshold ?? 0;
  if (t.kind === 'discount') {
    const zhe = `${formatZhe(t.rate ?? 1)}折`;
    return threshold > 0 ? `满${formatYuan(threshold)}享${zhe}` : zhe;
  }
  const amount = formatYuan(t.amount ?? 0);
  return threshold > 0 ? `满${formatYuan(threshold)}减${amount}` : `${amount}元无门槛`;
}

/**
 * Distribution (issue 10): what a redeemed coupon gave away, in fen. A cash coupon its amount; a
 * discount coupon the share of the basket estimate it took off (basket × (1 − rate)), 0 without
 * an estimate.
 */
export function couponFaceValue(coupon: {
  /** a prize voucher (issue 12) has no face value here: its cost is the prize's */
  kind: 'discount' | 'cash' | 'prize';
  amount?: number | null;
  rate?: number | null;
  basket?: number | null;
}): number {
  if (coupon.kind === 'cash') return coupon.amount ?? 0;
  if (coupon.kind === 'prize') return 0;
  return coupon.basket && coupon.rate ? Math.round(coupon.basket * (1 - coupon.rate)) : 0;
}
