/**
 * Spin results, `_id` derived from (openid, requestId): the answer a retry of the same request
 * gets. The spin itself is consumed on the user document, in the same write that records the
 * requestId, so the unique `_id` here is a second line of defence, not the first.
 */
import { createHash } from 'node:crypto';
import { COLLECTIONS } from '../collections';
import type { ApiResults } from '../contracts';
import { byId, insert } from '../db';

export interface SpinDoc {
  _id: string;
  owner: string;
  requestId: string;
  campaignId: string;
  prizeId: string;
  at: Date;
  answer: ApiResults['lottery.spin'];
}

export function spinIdFor(openid: string, requestId: string): string {
  return `sp_${createHash('sha256').update(`${openid}\n${requestId}`).digest('base64url').slice(0, 22)}`;
}

export function recordSpin(spin: SpinDoc): Promise<boolean> {
  return insert(COLLECTIONS.spins, spin);
}

export function findSpin(id: string): Promise<SpinDoc | null> {
  return byId<SpinDoc>(COLLECTIONS.spins, id);
}
