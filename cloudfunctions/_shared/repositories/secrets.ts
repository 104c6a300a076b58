/**
 * Server-side secrets, generated once per environment and never sent to a client: the HMAC key
 * of the coupon redemption tokens. Kept per warm container after the first read.
 */
import { randomBytes } from 'node:crypto';
import { COLLECTIONS } from '../collections';
import { byId, insert } from '../db';

interface SecretDoc {
  _id: string;
  value: string;
  createdAt: Date;
}

/** The HMAC key of coupon redemption tokens: `api` signs with it, `admin` verifies. */
export const REDEEM_TOKEN_SECRET = 'redeem-token';

const cache = new Map<string, string>();

export async function secret(name: string, now: Date): Promise<string> {
  const known = cache.get(name);
  if (known) return known;
  let doc = await byId<SecretDoc>(COLLECTIONS.secrets, name);
  if (!doc) {
    // The first caller in the environment creates it; a concurrent first caller reads theirs.
    const created = { _id: name, value: randomBytes(32).toString('base64url'), createdAt: now };
    doc = (await insert(COLLECTIONS.secrets, created))
      ? created
      : await byId<SecretDoc>(COLLECTIONS.secrets, name);
  }
  if (!doc) throw new Error(`secret ${name} could not be created`);
  cache.set(name, doc.value);
  return doc.value;
}
