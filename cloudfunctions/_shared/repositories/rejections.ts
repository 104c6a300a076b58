/**
 * Invites refused for *returning* visitors (SELF_INVITE, NOT_NEW_USER, UNKNOWN_CODE), kept for
 * the admin. A new visitor's refused invite is kept on their participant document instead.
 * One record per (campaign, visitor, reason, Shanghai day): reopening links, or a visitor
 * typing made-up codes, does not inflate the figures.
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import { command, countWhere, insert, many } from '../db';
import type { InviteRejection } from '../domain/invite';

export interface RejectionDoc {
  _id: string;
  campaignId: string;
  invitee: string;
  inviteCode: string;
  reason: InviteRejection;
  dayKey: string;
  at: Date;
}

/** Rule: a visitor's refusals count once per reason and day. True when this one is new. */
export function recordRejection(fields: Omit<RejectionDoc, '_id'>): Promise<boolean> {
  return insert(COLLECTIONS.inviteRejections, {
    _id: `${fields.campaignId}:${fields.invitee}:${fields.reason}:${fields.dayKey}`,
    ...fields,
  } satisfies RejectionDoc);
}

/** Recorded refusals of a campaign by reason (the reconciler's truth). */
export async function countRejections(
  campaignId: string,
  reasons: readonly InviteRejection[],
): Promise<Map<InviteRejection, number>> {
  const counts = await Promise.all(
    reasons.map((reason) =>
      countWhere(COLLECTIONS.inviteRejections, { campaignId, reason: command().eq(reason) }),
    ),
  );
  return new Map(reasons.map((reason, i) => [reason, counts[i]]));
}

// People console (issue 13) ---------------------------------------------------------------------

/** Returning visitors refused when they opened one member's link, newest first. */
export function findRejectionsOfCode(
  campaignId: string,
  inviteCode: string,
  limit: number,
): Promise<RejectionDoc[]> {
  return many<RejectionDoc>(
    db()
      .collection(COLLECTIONS.inviteRejections)
      .where({ campaignId, inviteCode })
      .orderBy('at', 'desc')
      .limit(limit),
  );
}

/** A campaign's refusals of returning visitors, a page at a time in `_id` order (exports). */
export function pageRejections(
  campaignId: string,
  afterId: string | null,
  limit: number,
): Promise<RejectionDoc[]> {
  const _ = command();
  return many<RejectionDoc>(
    db()
      .collection(COLLECTIONS.inviteRejections)
      .where({ campaignId, ...(afterId ? { _id: _.gt(afterId) } : {}) })
      .orderBy('_id', 'asc')
      .limit(limit),
  );
}

/** How many refusals of returning visitors a campaign recorded (an export's total). */
export function countCampaignRejections(campaignId: string): Promise<number> {
  return countWhere(COLLECTIONS.inviteRejections, { campaignId });
}
