/**
 * Invites refused when a *returning* user arrives with a code (SELF_INVITE, NOT_NEW_USER), kept
 * for the admin. A new user's refused invite is kept on their own user document instead.
 * One record per (invitee, code): reopening the same link does not inflate the figures.
 */
import { COLLECTIONS } from '../collections';
import { insert } from '../db';
import type { InviteRejection } from '../domain/invite';

export function recordRejection(fields: {
  invitee: string;
  inviteCode: string;
  reason: InviteRejection;
  now: Date;
}): Promise<boolean> {
  return insert(COLLECTIONS.inviteRejections, {
    _id: `${fields.invitee}:${fields.inviteCode}`,
    invitee: fields.invitee,
    inviteCode: fields.inviteCode,
    reason: fields.reason,
    at: fields.now,
  });
}
