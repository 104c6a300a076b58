/**
 * Distribution (issue 10): what a channel (渠道) is worth. From its counted figures and its spend,
 * the derived ones the dashboard shows: cost per claim, per member and per redemption, the
 * K-factor, and an estimate of takings, profit and ROI. Pure: the counters come in.
 *
 * Definitions (money in fen):
 * - members = claims + verified, where `verified` are the friends the channel's claimers brought
 *   (their invites verified): the real cost of a member is spend ÷ members;
 * - K-factor = verified ÷ claims (each claimer brought this many members);
 * - revenue (收入, estimated) = the basket estimate of every redeemed coupon;
 * - direct cost (直接成本) = spend + the face value of the redeemed coupons;
 * - profit (营收) = revenue − direct cost; ROI = profit ÷ direct cost. Both only once there is an
 *   estimate to speak of (revenue > 0).
 */

export interface ChannelCounts {
  visitors: number;
  claims: number;
  spinners: number;
  verified: number;
  couponsIssued: number;
  couponsRedeemed: number;
  redeemedValue: number;
  revenue: number;
}

export const CHANNEL_FIGURES: ReadonlyArray<keyof ChannelCounts> = [
  'visitors',
  'claims',
  'spinners',
  'verified',
  'couponsIssued',
  'couponsRedeemed',
  'redeemedValue',
  'revenue',
];

export interface ChannelEconomics {
  kFactor?: number;
  costPerClaim?: number;
  costPerVerified?: number;
  costPerRedemption?: number;
  profit?: number;
  roi?: number;
}

const twoDecimals = (n: number) => Math.round(n * 100) / 100;

export function channelEconomics(counts: ChannelCounts, cost?: number): ChannelEconomics {
  const per = (n: number) => (cost !== undefined && n > 0 ? Math.round(cost / n) : undefined);
  const directCost = (cost ?? 0) + counts.redeemedValue;
  const profit = counts.revenue > 0 ? counts.revenue - directCost : undefined;
  const economics: ChannelEconomics = {
    kFactor: counts.claims > 0 ? twoDecimals(counts.verified / counts.claims) : undefined,
    costPerClaim: per(counts.claims),
    costPerVerified: per(counts.claims + counts.verified),
    costPerRedemption: per(counts.couponsRedeemed),
    profit,
    roi: profit !== undefined && directCost > 0 ? twoDecimals(profit / directCost) : undefined,
  };
  // absent rather than undefined: the answer is JSON
  return Object.fromEntries(
    Object.entries(economics).filter(([, value]) => value !== undefined),
  ) as ChannelEconomics;
}

/** Channel codes the dashboard files visits under when no known channel fits. */
export const UNLISTED_CHANNELS = [
  { code: 'direct', name: '直接访问' },
  { code: 'other', name: '其他' },
] as const;

/** Codes an operator may not register: the share channel and the dashboard's own buckets. */
export const RESERVED_CHANNEL_CODES: readonly string[] = ['share', 'direct', 'other'];
