/**
 * Bind code documents (`bind_codes`), pure: the admin function, the emulator's seed and the deploy
 * step (`npm run deploy` prints the first owner's setup code) build them the same way.
 *
 * The document's `_id` is a hash of the code, so a code cannot be read back out of the database
 * (a leaked export binds nobody); whoever has the code finds its document by hashing it.
 *
 * For the deploy step:
 * ```ts
 * const { code, doc } = setupCode(new Date());
 * await db.collection(COLLECTIONS.bindCodes).doc(doc._id).set({ data: withoutId(doc) });
 * console.log(`owner setup code: ${formatBindCode(code)} (scan … or type it on 管理 → 绑定)`);
 * ```
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AdminRole } from './contracts';
import { newBindCode } from './domain/bind-code';
import { BIND_CODE_TTL_MS } from './limits';

export { formatBindCode } from './domain/bind-code';

export interface BindCodeDoc {
  /** `bc_` + a hash of the code */
  _id: string;
  role: AdminRole;
  /** the name the new admin is listed under */
  name: string;
  /** the owner who made it, or `deploy` for the setup code */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedBy: string | null;
  usedAt: Date | null;
}

/** Where a code's document lives. */
export function bindCodeId(code: string): string {
  return `bc_${createHash('sha256').update(`bind-code\n${code}`).digest('base64url').slice(0, 32)}`;
}

export function newBindCodeDoc(fields: {
  code: string;
  role: AdminRole;
  name: string;
  createdBy: string;
  now: Date;
  ttlMs?: number;
}): BindCodeDoc {
  return {
    _id: bindCodeId(fields.code),
    role: fields.role,
    name: fields.name,
    createdBy: fields.createdBy,
    createdAt: fields.now,
    expiresAt: new Date(fields.now.getTime() + (fields.ttlMs ?? BIND_CODE_TTL_MS)),
    usedBy: null,
    usedAt: null,
  };
}

/** Who made the first owner's code: no person did. */
export const SETUP_CREATOR = 'deploy';

/**
 * The first owner's setup code, for a fresh environment: valid for `ttlMs` (default 10 minutes;
 * the deploy step may give it longer, since its reader must first open the Mini Program).
 */
export function setupCode(now: Date, ttlMs?: number): { code: string; doc: BindCodeDoc } {
  const code = newBindCode((n) => randomBytes(n));
  return {
    code,
    doc: newBindCodeDoc({
      code,
      role: 'owner',
      name: '负责人',
      createdBy: SETUP_CREATOR,
      now,
      ttlMs,
    }),
  };
}
