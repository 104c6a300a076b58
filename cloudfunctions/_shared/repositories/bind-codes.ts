/**
 * Operator studio (issue 9): one-time bind codes (`bind_codes`, see bind-codes.ts and
 * domain/bind-code.ts).
 *
 * | operation       | rule                                                                    |
 * | --------------- | ----------------------------------------------------------------------- |
 * | storeBindCode   | one document per code (its hash is the `_id`)                            |
 * | consumeBindCode | a code is used once, before it expires, and never by its creator        |
 */
import type { BindCodeDoc } from '../bind-codes';
import { COLLECTIONS } from '../collections';
import { byId, command, insert, updateWhere } from '../db';

export function findBindCode(id: string): Promise<BindCodeDoc | null> {
  return byId<BindCodeDoc>(COLLECTIONS.bindCodes, id);
}

/** False when a code with the same hash exists (a repeated random draw: make another). */
export function storeBindCode(doc: BindCodeDoc): Promise<boolean> {
  return insert(COLLECTIONS.bindCodes, doc);
}

/**
 * Rule: the code goes to `openid` only while nobody used it, it has not expired, and `openid`
 * did not make it. Concurrent scans of one code: exactly one write applies.
 */
export async function consumeBindCode(id: string, openid: string, now: Date): Promise<boolean> {
  const _ = command();
  const used = await updateWhere(
    COLLECTIONS.bindCodes,
    { _id: id, usedBy: _.eq(null), expiresAt: _.gt(now), createdBy: _.neq(openid) },
    { usedBy: openid, usedAt: now },
  );
  return used === 1;
}
