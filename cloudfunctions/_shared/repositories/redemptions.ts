/**
 * 核销记录 (Rewards, issue 12): the redemption ledger. One record per redemption of a coupon, a
 * prize voucher or a black-card right, with who redeemed it, for which store, and when. Its id
 * derives from the redemption itself (the coupon's redemption number, the right's use), so the
 * call that redeemed, its retry and the reconciler all write the same record, once. A reversal is
 * recorded on the record (never deleted), and happens once.
 *
 * | operation          | rule                                                                |
 * | ------------------ | ------------------------------------------------------------------- |
 * | recordRedemption   | one ledger record per redemption (derived `_id`)                   |
 * | reverseRedemption  | a redemption is reversed once, and only within the reversal window |
 */
import { COLLECTIONS } from '../collections';
import type { RedemptionKind } from '../contracts';
import { byId, byIds, command, countWhere, insert, updateWhere } from '../db';
import { keysetPage, pageById, type KeyCursor } from '../paging';

export interface Reversal {
  at: Date;
  by: string;
  byName: string;
  reason: string;
}

export interface RedemptionDoc {
  /** `redemptionIdFor(<cause>)` */
  _id: string;
  campaignId: string;
  kind: RedemptionKind;
  /** the coupon or voucher id, or the right's id */
  itemId: string;
  /** a coupon's redemption number (the reversal gives back that one only) */
  seq: number | null;
  /** a right's use: its `right_uses` document and key */
  use: { docId: string; key: string } | null;
  /** the customer (openid) and how operators see them (invite code) */
  owner: string;
  memberRef: string;
  title: string;
  label: string;
  staff: string;
  staffName: string;
  store: string;
  at: Date;
  /** the Shanghai day of `at` ("今日已核销") */
  dayKey: string;
  reversedAt: Date | null;
  reversal: Reversal | null;
}

/** Rule: one ledger record per redemption; true when this call wrote it. */
export function recordRedemption(doc: RedemptionDoc): Promise<boolean> {
  return insert(COLLECTIONS.redemptions, doc);
}

export function findRedemption(id: string): Promise<RedemptionDoc | null> {
  return byId<RedemptionDoc>(COLLECTIONS.redemptions, id);
}

export function findRedemptionsByIds(ids: readonly string[]): Promise<RedemptionDoc[]> {
  return byIds<RedemptionDoc>(COLLECTIONS.redemptions, ids);
}

/**
 * Rule: a redemption is reversed once, and only while it is younger than the window (its time
 * at or after `windowStart`). True when this call reversed it.
 */
export async function reverseRedemption(
  id: string,
  reversal: Reversal,
  windowStart: Date,
): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.redemptions,
    { _id: id, reversedAt: _.eq(null), at: _.gte(windowStart) },
    { reversedAt: reversal.at, reversal: _.set(reversal) },
  );
  return changed === 1;
}

/** What a staff member redeemed on a Shanghai day, reversals not counted (index: staff + dayKey). */
export function countStaffDay(staff: string, dayKey: string): Promise<number> {
  return countWhere(COLLECTIONS.redemptions, { staff, dayKey, reversedAt: null });
}

/**
 * One page of the ledger, newest first, after `cursor` (`value`: a time): a staff member's own
 * (index: staff + at) or a campaign's (index: campaignId + at).
 */
export function pageRedemptions(
  scope: { staff: string } | { campaignId: string },
  cursor: KeyCursor | null,
  limit: number,
): Promise<RedemptionDoc[]> {
  return keysetPage<RedemptionDoc>(
    COLLECTIONS.redemptions,
    scope,
    { field: 'at', order: 'desc' },
    cursor,
    limit,
  );
}

/** Reversals since `since`, one page after `afterId` (index: campaignId + reversedAt). */
export function findReversedSince(
  campaignId: string,
  since: Date,
  afterId: string | null,
  limit: number,
): Promise<RedemptionDoc[]> {
  return pageById<RedemptionDoc>(
    COLLECTIONS.redemptions,
    { campaignId, reversedAt: command().gte(since) },
    afterId,
    limit,
  );
}
