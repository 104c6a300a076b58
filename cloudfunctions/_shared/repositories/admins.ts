/**
 * Operators and staff (`admins`, `_id` = openid).
 *
 * Operator studio (issue 9):
 *
 * | operation   | rule                                                                          |
 * | ----------- | ----------------------------------------------------------------------------- |
 * | grantRole   | a role is given once, or raised from staff to owner; never lowered            |
 * | removeAdmin | the last owner is never removed: removing an owner writes another owner (the  |
 * |             | witness) in the same transaction, so two removals that would leave none       |
 * |             | conflict and one of them loses                                                |
 */
import { db } from '../cloud';
import type { AdminRole } from '../contracts';
import { COLLECTIONS } from '../collections';
import {
  byId,
  byIds,
  insert,
  many,
  readInTransaction,
  updateWhere,
  type TransactionLike,
} from '../db';
import { isTransactionConflict } from '../errors';
import { ADMINS_LISTED } from '../limits';

export interface AdminDoc {
  /** the operator's openid */
  _id: string;
  role: AdminRole;
  name: string;
  /** Operator studio (issue 9): when they got their role (absent on seeded admins) */
  since?: Date;
  /** Rewards (issue 12): the store this binding redeems for (the ledger records it) */
  store?: string;
}

export function findAdmin(openid: string): Promise<AdminDoc | null> {
  return byId<AdminDoc>(COLLECTIONS.admins, openid);
}

// Operator studio (issue 9) ------------------------------------------------------------------

export function listAdmins(): Promise<AdminDoc[]> {
  return many<AdminDoc>(db().collection(COLLECTIONS.admins).limit(ADMINS_LISTED));
}

/**
 * Rule: `openid` gets `role` under `name`: as a new admin, or raised from staff to owner. An
 * owner is never made staff. Answers whether the stored role is now `role`.
 */
export async function grantRole(
  openid: string,
  role: AdminRole,
  name: string,
  now: Date,
): Promise<boolean> {
  const doc: AdminDoc = { _id: openid, role, name, since: now };
  if (await insert(COLLECTIONS.admins, doc)) return true;
  if (role === 'owner') {
    await updateWhere(
      COLLECTIONS.admins,
      { _id: openid, role: 'staff' },
      { role, name, since: now },
    );
  }
  return (await findAdmin(openid))?.role === role;
}

export type Removal = 'removed' | 'gone' | 'last-owner' | 'conflict';

/**
 * Rule: removes `targetId`; an owner only while `witnessId` (another owner, as the caller read
 * it) still is one. The witness is written in the same transaction, so a concurrent removal of
 * the witness (which writes it too) conflicts with this one.
 */
export async function removeAdmin(
  targetId: string,
  witnessId: string | null,
  now: Date,
): Promise<Removal> {
  try {
    return await db().runTransaction(async (transaction: TransactionLike) => {
      const admins = transaction.collection(COLLECTIONS.admins);
      const read = (id: string) => readInTransaction<AdminDoc>(transaction, COLLECTIONS.admins, id);
      const target = await read(targetId);
      if (!target) return 'gone';
      if (target.role === 'owner') {
        const witness = witnessId && witnessId !== targetId ? witnessId : null;
        const other = witness ? await read(witness) : null;
        if (!other || other.role !== 'owner') return 'last-owner';
        await admins.doc(other._id).update({ data: { witnessedAt: now } });
      }
      await admins.doc(targetId).remove();
      return 'removed' as const;
    });
  } catch (error) {
    if (isTransactionConflict(error)) return 'conflict';
    throw error;
  }
}

/** Rewards (issue 12): the owners (pool alerts go to those who subscribed). */
export function findOwners(): Promise<AdminDoc[]> {
  return many<AdminDoc>(db().collection(COLLECTIONS.admins).where({ role: 'owner' }).limit(100));
}

/** People console (issue 13): operators by openid, to show their names (never their openids). */
export function findAdminsByIds(openids: readonly string[]): Promise<AdminDoc[]> {
  return byIds<AdminDoc>(COLLECTIONS.admins, [...new Set(openids)]);
}
