/** `wallet.list` and `coupon.token`: the visitor's coupons and the QR a staff member scans. */
import type { ApiResults, CouponStatus } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { couponStatus } from '../../_shared/domain/coupon';
import { REDEEM_TOKEN_TTL_MS, signRedeemToken } from '../../_shared/domain/redeem-token';
import { fail } from '../../_shared/errors';
import { refuseBlocked } from '../../_shared/guards';
import { findCoupon, findCouponsOf, toCoupon } from '../../_shared/repositories/coupons';
import { findUser } from '../../_shared/repositories/users';
import { REDEEM_TOKEN_SECRET, secret } from '../../_shared/repositories/secrets';

export async function listWallet(
  { status }: { status?: CouponStatus },
  { caller, now }: ActionContext,
): Promise<ApiResults['wallet.list']> {
  const coupons = (await findCouponsOf(caller.openid)).map((doc) => toCoupon(doc, now));
  return { coupons: status ? coupons.filter((c) => c.status === status) : coupons };
}

/**
 * A signed token for the redemption QR, valid REDEEM_TOKEN_TTL_MS (the page refreshes it). The
 * token carries no owner: whoever shows the QR is presenting the coupon, as with paper.
 */
export async function couponToken(
  { couponId }: { couponId: string },
  { caller, now }: ActionContext,
): Promise<ApiResults['coupon.token']> {
  const [coupon, person] = await Promise.all([findCoupon(couponId), findUser(caller.openid)]);
  // Someone else's coupon is reported as missing: ids are not a way to probe other wallets.
  if (!coupon || coupon.owner !== caller.openid) return fail('NOT_FOUND', '优惠券不存在');
  // People console (issue 13): a blocked member's coupons show no redemption QR
  refuseBlocked(person);
  const status = couponStatus(coupon, now);
  if (status === 'redeemed') return fail('COUPON_ALREADY_REDEEMED', '这张券已经使用过了');
  if (status === 'expired') return fail('COUPON_EXPIRED', '这张券已过期');
  // Rewards (issue 12): a shipped prize is sent, not shown at the counter
  if (coupon.fulfilment === 'shipping') return fail('CONFLICT', '这件奖品将快递寄送，无需到店核销');
  // Never valid beyond the coupon itself.
  const expiresAt = new Date(
    Math.min(now.getTime() + REDEEM_TOKEN_TTL_MS, coupon.expiresAt.getTime()),
  );
  const token = signRedeemToken({ couponId, expiresAt }, await secret(REDEEM_TOKEN_SECRET, now));
  return { token, expiresAt: expiresAt.toISOString() };
}
