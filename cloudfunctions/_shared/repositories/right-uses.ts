/**
 * 权益核销 (Rewards, issue 12): the uses of a black-card right by one member in one period, one
 * document per (participant, right, period) — `_id` derived from the three. A use is recorded in
 * the write that counts it, under its key (from the staff member's request), so a retried
 * request finds it and a quota is never overdrawn, however many scans arrive at once.
 *
 * | operation        | rule                                                                       |
 * | ---------------- | -------------------------------------------------------------------------- |
 * | useRight         | a use is counted once per key, and only while `used < quota` (if limited) |
 * | giveBackRightUse | a reversed use comes back once                                              |
 */
import { COLLECTIONS } from '../collections';
import { byIds, command, insert, updateWhere } from '../db';
import { pageById } from '../paging';

export interface RightUseEntry {
  at: Date;
  /** the right as it read when used (the ledger shows what was used, whatever changes later) */
  title: string;
  label: string;
  staff: string;
  staffName: string;
  store: string;
  reversedAt: Date | null;
}

export interface RightUseDoc {
  /** `rightUseIdFor(participantId, rightId, periodKey)` */
  _id: string;
  campaignId: string;
  participantId: string;
  owner: string;
  /** the member's invite code: how operators see them */
  ownerCode: string;
  rightId: string;
  periodKey: string;
  /** uses counted in this period (reversed ones given back) */
  used: number;
  lastUsedAt: Date;
  /** `rightUseKeyFor(staff, requestId)` → the use */
  uses: Record<string, RightUseEntry>;
}

export function findRightUses(ids: readonly string[]): Promise<RightUseDoc[]> {
  return byIds<RightUseDoc>(COLLECTIONS.rightUses, ids);
}

/**
 * Rule: one use per key, within the quota (null: unlimited). The period's document is made by
 * its first use. Answers true when this call counted the use; false when it did not (the quota
 * is used up, or this key was counted before): the caller reads the document to tell which.
 */
export async function useRight(
  doc: Omit<RightUseDoc, 'used' | 'lastUsedAt' | 'uses'>,
  key: string,
  entry: RightUseEntry,
  quota: number | null,
): Promise<boolean> {
  const _ = command();
  const path = `uses.${key}`;
  const count = async () =>
    (await updateWhere(
      COLLECTIONS.rightUses,
      { _id: doc._id, [path]: _.exists(false), ...(quota === null ? {} : { used: _.lt(quota) }) },
      { used: _.inc(1), lastUsedAt: entry.at, [path]: _.set(entry) },
    )) === 1;
  if (await count()) return true;
  // The period's first use makes its document; a concurrent first use may have made it already.
  const first = { ...doc, used: 1, lastUsedAt: entry.at, uses: { [key]: entry } };
  if (await insert(COLLECTIONS.rightUses, first)) return true;
  return count();
}

/** Rule: a reversed use comes back once. */
export async function giveBackRightUse(docId: string, key: string, at: Date): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.rightUses,
    { _id: docId, [`uses.${key}`]: _.exists(true), [`uses.${key}.reversedAt`]: _.eq(null) },
    { used: _.inc(-1), [`uses.${key}.reversedAt`]: at },
  );
  return changed === 1;
}

/** Documents of a campaign with a use since `since`, one page (index: campaignId + lastUsedAt). */
export function findRightUsesSince(
  campaignId: string,
  since: Date,
  afterId: string | null,
  limit: number,
): Promise<RightUseDoc[]> {
  return pageById<RightUseDoc>(
    COLLECTIONS.rightUses,
    { campaignId, lastUsedAt: command().gte(since) },
    afterId,
    limit,
  );
}
