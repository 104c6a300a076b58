/**
 * The wallet's tabs: one `wallet.list` answer split by status, each tab in the order a visitor
 * wants to read it.
 */
import type { Coupon, CouponStatus } from '../../cloudfunctions/_shared/contracts';

export const WALLET_TABS: ReadonlyArray<{ status: CouponStatus; title: string }> = [
  { status: 'available', title: '可使用' },
  { status: 'redeemed', title: '已使用' },
  { status: 'expired', title: '已过期' },
];

export type WalletGroups = Record<CouponStatus, Coupon[]>;

const time = (iso: string | undefined): number => {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? ms : 0;
};

/**
 * Available: the one expiring soonest first (use it before it goes). Used: the latest use
 * first. Expired: the latest expiry first. Ties keep the server's order.
 */
export function groupWallet(coupons: readonly Coupon[]): WalletGroups {
  const groups: WalletGroups = { available: [], redeemed: [], expired: [] };
  for (const coupon of coupons) groups[coupon.status]?.push(coupon);
  groups.available.sort((a, b) => time(a.expiresAt) - time(b.expiresAt));
  groups.redeemed.sort((a, b) => time(b.redeemedAt) - time(a.redeemedAt));
  groups.expired.sort((a, b) => time(b.expiresAt) - time(a.expiresAt));
  return groups;
}
