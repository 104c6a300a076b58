import type { AdminRole } from '../contracts';
import { COLLECTIONS } from '../collections';
import { byId, byIds } from '../db';

export interface AdminDoc {
  /** the operator's openid */
  _id: string;
  role: AdminRole;
  name: string;
}

export function findAdmin(openid: string): Promise<AdminDoc | null> {
  return byId<AdminDoc>(COLLECTIONS.admins, openid);
}

/** People console (issue 13): operators by openid, to show their names (never their openids). */
export function findAdminsByIds(openids: readonly string[]): Promise<AdminDoc[]> {
  return byIds<AdminDoc>(COLLECTIONS.admins, [...new Set(openids)]);
}
