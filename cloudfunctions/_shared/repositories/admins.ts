import type { AdminRole } from '../contracts';
import { COLLECTIONS } from '../collections';
import { byId } from '../db';

export interface AdminDoc {
  /** the operator's openid */
  _id: string;
  role: AdminRole;
  name: string;
}

export function findAdmin(openid: string): Promise<AdminDoc | null> {
  return byId<AdminDoc>(COLLECTIONS.admins, openid);
}
