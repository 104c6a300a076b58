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

/** Operator studio (issue 9): how the owner's admin list names an admin, never by openid. */
export function adminRefFor(openid: string): string {
  return `adm_${shortHash(`admin\n${openid}`)}`;
}

// Rewards (issue 12) ---------------------------------------------------------------------------

/** One redemption (ledger record) for its cause: `coupon:<id>:<n>` or `right:<use doc>:<use>`. */
export function redemptionIdFor(cause: string): string {
  return `rd_${shortHash(cause)}`;
}

/** Redemption number `seq` of a coupon or prize voucher (its ledger record's id). */
export function couponRedemptionId(couponId: string, seq: number): string {
  return redemptionIdFor(`coupon:${couponId}:${seq}`);
}

/** The uses of one right by one participant in one period (`right_uses`). */
export function rightUseIdFor(participantId: string, rightId: string, periodKey: string): string {
  return `ru_${shortHash(`${participantId}\n${rightId}\n${periodKey}`)}`;
}

/** One use of a right, from the staff member's request (a retried request finds it). */
export function rightUseKeyFor(staff: string, requestId: string): string {
  return `u_${shortHash(`${staff}\n${requestId}`)}`;
}

/** One reminder for its cause (`progress:<inviter>:<invitee>`…): sent at most once. */
export function messageIdFor(cause: string): string {
  return `msg_${shortHash(cause)}`;
}

/** A short digest of some content (the black card's rights: told once per change). */
export function contentDigest(text: string): string {
  return shortHash(text);
}

// People console (issue 13) ---------------------------------------------------------------------

/** An audit entry of an operator's act, derived from the act: a retried act records it once. */
export function auditIdFor(cause: string): string {
  return `au_${shortHash(cause)}`;
}
