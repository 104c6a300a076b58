/**
 * Ids derived from what caused a record, so that a retried step finds its earlier result
 * instead of making a second one (a coupon issued for a spin, a stock unit held for it).
 * Hashes keep them short and make them safe as document field names.
 */
import { createHash } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function shortHash(text: string): string {
  return digest(text).toString('base64url').slice(0, 22);
}

/** A short, stable id for a coupon issued because of `cause` (e.g. `magnet:<participant>`). */
export function couponIdFor(cause: string): string {
  return `cp_${shortHash(cause)}`;
}

/** One spin of one participant, across the environment. */
export function spinIdFor(participantId: string, requestId: string): string {
  return `sp_${shortHash(`${participantId}\n${requestId}`)}`;
}

/** The key a participant's seat has in a group's `members` (never an openid in the clear). */
export function seatKeyFor(participantId: string): string {
  return `m_${shortHash(participantId)}`;
}

/** A number derived from an id, to spread concurrent writers over shards deterministically. */
export function seedOf(id: string): number {
  return digest(id).readUInt32BE(0);
}

// People console (issue 13) ---------------------------------------------------------------------

/** An audit entry of an operator's act, derived from the act: a retried act records it once. */
export function auditIdFor(cause: string): string {
  return `au_${shortHash(cause)}`;
}
