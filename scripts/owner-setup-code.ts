/**
 * Operator studio (issue 9): the first owner's setup code, for the deploy step (`npm run deploy`)
 * to call once the database exists. A fresh environment has no owner: this writes a one-time bind
 * code (its hash, in `bind_codes`) and answers the code for the deploy step to print; the person
 * who will run the shop opens the Mini Program's bind page (管理 → 绑定, `PAGES.bind`)
 * and types it, and becomes the owner. With an owner already there it writes nothing (null).
 *
 * Wiring, in the deploy step's database part (after the collections, before the Mini Program):
 * ```ts
 * const issued = await issueOwnerSetupCode(connection().database());
 * if (issued) out.log(`  owner setup code: ${issued.printed}`);
 * ```
 * `db` is wx-server-sdk's database (initialised with the API key, as the deploy step has it).
 */
import { setupCode } from '../cloudfunctions/_shared/bind-codes';
import { COLLECTIONS } from '../cloudfunctions/_shared/collections';
import { formatBindCode } from '../cloudfunctions/_shared/domain/bind-code';
import { PAGES } from '../miniprogram/utils/routes';

/** The part of wx-server-sdk's database this needs. */
export interface SetupDatabase {
  collection(name: string): {
    where(query: object): { count(): Promise<unknown> };
    doc(id: string): { set(options: { data: object }): Promise<unknown> };
  };
}

/** A day: the code is read off a deploy log, and the Mini Program may still be in review. */
export const SETUP_CODE_TTL_MS = 24 * 60 * 60 * 1000;

export async function issueOwnerSetupCode(
  db: SetupDatabase,
  now = new Date(),
  ttlMs = SETUP_CODE_TTL_MS,
): Promise<{ code: string; printed: string; expiresAt: Date } | null> {
  const owners = (await db.collection(COLLECTIONS.admins).where({ role: 'owner' }).count()) as {
    total?: number;
  };
  if ((owners.total ?? 0) > 0) return null;
  const { code, doc } = setupCode(now, ttlMs);
  const { _id, ...data } = doc;
  await db.collection(COLLECTIONS.bindCodes).doc(_id).set({ data });
  const shown = formatBindCode(code);
  return {
    code,
    expiresAt: doc.expiresAt,
    printed: `${shown} — the first owner opens the Mini Program's bind page (${PAGES.bind}) and types it; it works once, until ${doc.expiresAt.toISOString()}`,
  };
}
