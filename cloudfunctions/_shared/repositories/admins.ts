import type { AdminRole } from '../contracts';
import { COLLECTIONS } from '../collections';
import { byId, many } from '../db';
import { db } from '../cloud';

export interface AdminDoc {
  /** the operator's openid */
  _id: string;
  role: AdminRole;
  name: string;
  /** Rewards (issue 12): the store this binding redeems for (the ledger records it) */
  store?: string;
}

export function findAdmin(openid: string): Promise<AdminDoc | null> {
  return byId<AdminDoc>(COLLECTIONS.admins, openid);
}

/** Rewards (issue 12): the owners (pool alerts go to those who subscribed). */
export function findOwners(): Promise<AdminDoc[]> {
  return many<AdminDoc>(db().collection(COLLECTIONS.admins).where({ role: 'owner' }).limit(100));
}
