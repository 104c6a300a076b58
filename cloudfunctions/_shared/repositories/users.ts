/**
 * One document per visitor (`_id` = openid). It carries everything that must change atomically
 * with the visitor's own actions, so each rule is one conditional single-document update:
 * - `claim` is set once (`claim: null` in the condition): one claim per user, whatever the
 *   concurrency, and the invite it verifies changes in the same write;
 * - `spins.requests.<requestId>` is set in the same write that consumes a spin: one spin per
 *   requestId;
 * - `progress` (the inviter side) changes by increments under conditions, never by overwriting
 *   what was read, and `progress.credits` records which invitees were already counted, so
 *   crediting an invite is idempotent and many invitees of one inviter can qualify at once.
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import { byId, command, first, insert, many, updateWhere } from '../db';
import type { UserDoc } from '../user';

export type { InviterProgressDoc, UserClaim, UserDoc, UserInvite, UserSpins } from '../user';
export { newUser } from '../user';

export function findUser(openid: string): Promise<UserDoc | null> {
  return byId<UserDoc>(COLLECTIONS.users, openid);
}

export function findUserByInviteCode(inviteCode: string): Promise<UserDoc | null> {
  return first<UserDoc>(COLLECTIONS.users, { inviteCode });
}

export type CreateUserResult = 'created' | 'exists' | 'code-taken';

/**
 * Inserts the user. The unique indexes decide races: `_id` (a concurrent first visit of the same
 * openid) and `inviteCode` (a code collision, which the caller retries with a new code).
 */
export async function createUser(user: UserDoc): Promise<CreateUserResult> {
  if (await insert(COLLECTIONS.users, user)) return 'created';
  return (await findUser(user._id)) ? 'exists' : 'code-taken';
}

/** Applies `data` to the user only if `condition` still holds; true when it did. */
export async function updateUserIf(
  openid: string,
  condition: object,
  data: object,
): Promise<boolean> {
  return (await updateWhere(COLLECTIONS.users, { _id: openid, ...condition }, data)) === 1;
}

/** The invitees of one inviter, newest first (index: invite.inviterId + createdAt). */
export function findInvitees(inviterId: string, limit: number): Promise<UserDoc[]> {
  return many<UserDoc>(
    usersOf()
      .where({ 'invite.inviterId': inviterId })
      .orderBy('createdAt', 'desc')
      .limit(limit)
      .field({ _id: true, invite: true, createdAt: true }),
  );
}

/** The inviters with the most verified invites (index: progress.verified). */
export function findTopInviters(limit: number): Promise<UserDoc[]> {
  return many<UserDoc>(
    usersOf()
      .where({ 'progress.verified': command().gt(0) })
      .orderBy('progress.verified', 'desc')
      .limit(limit)
      .field({ _id: true, inviteCode: true, 'progress.verified': true }),
  );
}

function usersOf() {
  return db().collection(COLLECTIONS.users);
}
