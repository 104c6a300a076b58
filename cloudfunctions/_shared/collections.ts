/**
 * Collection names, in one place. cloudbaserc.json declares the same collections with their
 * indexes and security rules (test/cloudfunctions/cloudbaserc.test.ts keeps the two in step).
 */
import { COUNTER_SHARDS } from './limits';

export const COLLECTIONS = {
  /** one document per visitor, `_id` = openid */
  users: 'users',
  /** operators and staff, `_id` = openid */
  admins: 'admins',
  /** campaign configs; exactly one has `active: true` */
  campaigns: 'campaigns',
  /** 群活码: the pool of group QR codes handed out in turn */
  groups: 'groups',
  /** sharded funnel counters, `_id` = `<campaignId>:<shard>` */
  counters: 'counters',
  /** issued coupons; `_id` derived from what issued them */
  coupons: 'coupons',
  /** spin results, `_id` derived from (openid, requestId) */
  spins: 'spins',
  /** invites refused for returning users, one per (invitee, code) */
  inviteRejections: 'invite_rejections',
  /** operator alerts raised by cron */
  alerts: 'alerts',
  /** server-side secrets (the redemption token key) */
  secrets: 'secrets',
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
