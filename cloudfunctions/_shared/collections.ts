/**
 * Collection names, in one place. cloudbaserc.json declares the same collections with their
 * indexes and security rules (test/cloudfunctions/cloudbaserc.test.ts keeps the two in step).
 */
import { splitStock } from './domain/stock';
import { COUNTER_SHARDS, STOCK_SHARDS } from './limits';

export const COLLECTIONS = {
  /** one document per person, `_id` = openid: identity, invite code, how they first arrived */
  users: 'users',
  /**
   * one document per person and campaign, `_id` = `<campaignId>:<openid>`: everything the
   * visitor does in that campaign (claim, spins and their results, invites, group)
   */
  participants: 'participants',
  /** operators and staff, `_id` = openid */
  admins: 'admins',
  /** campaign configs; exactly one has `active: true` */
  campaigns: 'campaigns',
  /** remaining stock of limited prizes, sharded: `_id` = `<campaignId>:<prizeId>:<shard>` */
  stock: 'stock',
  /** 群活码: the pool of group QR codes handed out in turn */
  groups: 'groups',
  /** sharded funnel counters, `_id` = `<campaignId>:<shard>` */
  counters: 'counters',
  /** issued coupons; `_id` derived from what issued them */
  coupons: 'coupons',
  /** invites refused for returning visitors, one per (visitor, reason, day) */
  inviteRejections: 'invite_rejections',
  /** operator alerts raised by cron and by failing checks */
  alerts: 'alerts',
  /** server-side secrets (the redemption token key) */
  secrets: 'secrets',
  /** state of background jobs (the reconciler's last run), and which campaign holds the visitor slot */
  jobs: 'jobs',
  // Distribution (issue 10)
  /** 渠道: where visitors come from, `_id` = code; kept across campaigns (printed codes) */
  channels: 'channels',
  // Operator studio (issue 9)
  /** one-time codes that make their user staff or owner, `_id` = a hash of the code */
  bindCodes: 'bind_codes',
  // Rewards (issue 12)
  /** 核销记录: one per redemption (coupon, voucher, right), `_id` derived from its cause */
  redemptions: 'redemptions',
  /** uses of a black-card right per member and period, `_id` derived from the three */
  rightUses: 'right_uses',
  /** one-time subscribe-message acceptances per user, `_id` = openid */
  subscriptions: 'subscriptions',
  /** subscribe messages sent (or that failed), `_id` derived from their cause */
  messages: 'messages',
  // People console (issue 13)
  /** what operators did to members: who, what, when, why (`_id` derived from the act) */
  audit: 'audit_log',
  /** CSV exports: a job with a cursor, advanced page by page until its file is written */
  exports: 'exports',
  /** a leader's (团长) community figures per campaign, `_id` = `<campaignId>:<openid>` */
  leaderStats: 'leader_stats',
} as const;

export type CollectionName = (typeof COLLECTIONS)[keyof typeof COLLECTIONS];

/** The document of one counter shard of a campaign (see repositories/counters). */
export function counterShardId(campaignId: string, shard: number): string {
  return `${campaignId}:${shard}`;
}

/** The empty shards of a new campaign, so that every later increment is one round trip. */
export function emptyCounterShards(campaignId: string): Array<{ _id: string; campaignId: string }> {
  return Array.from({ length: COUNTER_SHARDS }, (_, shard) => ({
    _id: counterShardId(campaignId, shard),
    campaignId,
  }));
}

/** A person's document in one campaign. */
export function participantId(campaignId: string, openid: string): string {
  return `${campaignId}:${openid}`;
}

/** People console (issue 13): a leader's community figures in one campaign. */
export function leaderStatsId(campaignId: string, openid: string): string {
  return `${campaignId}:${openid}`;
}

/** One stock shard of a limited prize. */
export function stockShardId(campaignId: string, prizeId: string, shard: number): string {
  return `${campaignId}:${prizeId}:${shard}`;
}

/**
 * The stock shards of a new campaign: each limited prize's configured stock split over
 * STOCK_SHARDS documents (repositories/stock keeps them; writers spread over them).
 */
export function initialStockShards(
  campaignId: string,
  prizes: ReadonlyArray<{ id: string; stock: number | null }>,
): Array<{
  _id: string;
  campaignId: string;
  prizeId: string;
  shard: number;
  configured: number;
  left: number;
  holders: Record<string, never>;
}> {
  return prizes.flatMap((prize) =>
    prize.stock === null
      ? []
      : splitStock(prize.stock, STOCK_SHARDS).map((units, shard) => ({
          _id: stockShardId(campaignId, prize.id, shard),
          campaignId,
          prizeId: prize.id,
          shard,
          configured: units,
          left: units,
          holders: {},
        })),
  );
}
