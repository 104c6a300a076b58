/**
 * Collection names, in one place. cloudbaserc.json declares the same collections with their
 * indexes and security rules (test/cloudfunctions/cloudbaserc.test.ts keeps the two in step).
 */
import { COUNTER_SHARDS } from './limits';

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
  /** state of background jobs (the reconciler's last run) */
  jobs: 'jobs',
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
