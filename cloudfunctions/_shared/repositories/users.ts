/**
 * People (`users`, `_id` = openid): identity, the invite code, how they first arrived. Written
 * at the first ever visit; afterwards only the operator's tag, the returning visitor's
 * invite-code allowance, their profile and their poster's code change.
 *
 * | operation        | rule                                                                 |
 * | ---------------- | -------------------------------------------------------------------- |
 * | createUser       | one person per openid (unique `_id`), one per invite code (unique)   |
 * | noteInviteCode   | at most `limit` distinct invite codes a returning visitor opens a day |
 * | updateProfile    | the person's own nickname/avatar, only what was checked              |
 * | keepPosterCode   | an inviter's poster code is made once: recorded only while none is   |
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import { byId, byIds, command, first, insert, many, updateWhere } from '../db';
import type { StoredCodeDoc, UserDoc, UserProfile } from '../user';

export type { ArrivalInvite, StoredCodeDoc, UserDoc, UserProfile } from '../user';
export { newUser } from '../user';

export function findUser(openid: string): Promise<UserDoc | null> {
  return byId<UserDoc>(COLLECTIONS.users, openid);
}

export function findUserByInviteCode(inviteCode: string): Promise<UserDoc | null> {
  return first<UserDoc>(COLLECTIONS.users, { inviteCode });
}

export type CreateUserResult = 'created' | 'exists' | 'code-taken';

/**
 * Inserts the person. The unique indexes decide races: `_id` (a concurrent first visit of the
 * same openid) and `inviteCode` (a code collision, which the caller retries with a new code).
 */
export async function createUser(user: UserDoc): Promise<CreateUserResult> {
  if (await insert(COLLECTIONS.users, user)) return 'created';
  return (await findUser(user._id)) ? 'exists' : 'code-taken';
}

export type CodeAttempt = 'counted' | 'seen' | 'limited';

/**
 * Rule: a returning visitor may open at most `limit` distinct invite codes per Shanghai day
 * (made-up codes must not flood the operator's figures). `seen`: this code was already opened
 * today (nothing to count again); `counted`: it is new today and within the limit; `limited`:
 * beyond it. The condition holds the facts read: today's list still lacks the code and has room.
 */
export async function noteInviteCode(
  user: UserDoc,
  code: string,
  dayKey: string,
  limit: number,
): Promise<CodeAttempt> {
  const _ = command();
  let attempts = user.codeAttempts;
  for (let attempt = 0; attempt < 3; attempt++) {
    const today = attempts.dayKey === dayKey ? attempts.codes : [];
    if (today.includes(code)) return 'seen';
    if (today.length >= limit) return 'limited';
    const applied =
      attempts.dayKey === dayKey
        ? await updateWhere(
            COLLECTIONS.users,
            {
              _id: user._id,
              'codeAttempts.dayKey': dayKey,
              'codeAttempts.codes': _.neq(code),
              [`codeAttempts.codes.${limit - 1}`]: _.exists(false),
            },
            { 'codeAttempts.codes': _.push([code]) },
          )
        : await updateWhere(
            COLLECTIONS.users,
            { _id: user._id, 'codeAttempts.dayKey': attempts.dayKey },
            { codeAttempts: _.set({ dayKey, codes: [code] }) },
          );
    if (applied === 1) return 'counted';
    const fresh = await findUser(user._id);
    if (!fresh) return 'limited';
    attempts = fresh.codeAttempts;
  }
  return 'limited';
}

export async function setGrowthTag(openid: string, growthTag: UserDoc['growthTag']): Promise<void> {
  await updateWhere(COLLECTIONS.users, { _id: openid }, { growthTag });
}

// Distribution (issue 10) ----------------------------------------------------------------------

/** People by openid (≤ 1000 in one round trip), for labels: profile fields only. */
export function findProfiles(
  openids: readonly string[],
): Promise<Array<Pick<UserDoc, '_id' | 'profile'>>> {
  return byIds<Pick<UserDoc, '_id' | 'profile'>>(COLLECTIONS.users, [...new Set(openids)]);
}

/**
 * The person's own profile: the fields given replace theirs, the others stay (a nickname saved
 * while the avatar uploads keeps the avatar). Each field was checked before it came here.
 */
export async function updateProfile(
  openid: string,
  fields: Partial<Pick<UserProfile, 'nickname' | 'avatarFileId'>>,
  now: Date,
): Promise<boolean> {
  const _ = command();
  const first: UserProfile = { nickname: null, avatarFileId: null, ...fields, updatedAt: now };
  // The first profile is a whole object (a field path cannot go through a null); later ones
  // change their own fields only.
  if (
    await updateWhere(
      COLLECTIONS.users,
      { _id: openid, profile: _.eq(null) },
      { profile: _.set(first) },
    )
  ) {
    return true;
  }
  const paths = Object.fromEntries(
    Object.entries({ ...fields, updatedAt: now }).map(([key, value]) => [`profile.${key}`, value]),
  );
  return (await updateWhere(COLLECTIONS.users, { _id: openid }, paths)) === 1;
}

/**
 * Rule: an inviter's poster code is made once. Recorded only while the person has none, so two
 * concurrent first requests keep one (the loser reads the winner's); false when one was there.
 */
export async function keepPosterCode(openid: string, code: StoredCodeDoc): Promise<boolean> {
  const _ = command();
  const kept = await updateWhere(
    COLLECTIONS.users,
    { _id: openid, posterCode: _.eq(null) },
    { posterCode: _.set(code) },
  );
  return kept === 1;
}

// People console (issue 13) ---------------------------------------------------------------------
//
// | operation      | rule                                                                      |
// | -------------- | ------------------------------------------------------------------------- |
// | blockUser      | a person is blocked once per block (the record a block's steps follow)    |
// | unblockUser    | lifts exactly the block it was decided on                                 |
// | setManualTag   | an operator's tag (or its removal) replaces exactly the one it was read as |
// | carryTagRank   | the person keeps the highest rank the rules gave in any campaign          |
// | setLeader      | an operator's promotion replaces exactly the level it was read as         |

type Block = NonNullable<UserDoc['blocked']>;

/** Rule: a person is blocked once (until unblocked): the record a block's steps follow. */
export async function blockUser(openid: string, block: Block): Promise<boolean> {
  const _ = command();
  const n = await updateWhere(
    COLLECTIONS.users,
    { _id: openid, 'blocked.at': _.exists(false) },
    { blocked: _.set(block) },
  );
  return n === 1;
}

/** Rule: lifts exactly the block that was read (not one made meanwhile). */
export async function unblockUser(openid: string, blockedAt: Date): Promise<boolean> {
  const n = await updateWhere(
    COLLECTIONS.users,
    { _id: openid, 'blocked.at': blockedAt },
    { blocked: null },
  );
  return n === 1;
}

/** Rule: an operator's tag replaces exactly the one it was read as (null: the rules decide). */
export async function setManualTag(
  openid: string,
  from: UserDoc['growthTag'],
  to: UserDoc['growthTag'],
  mark: NonNullable<UserDoc['tagSetBy']>,
): Promise<boolean> {
  const n = await updateWhere(
    COLLECTIONS.users,
    { _id: openid, growthTag: from === null ? command().in([null]) : from },
    { growthTag: to, tagSetBy: command().set(mark) },
  );
  return n === 1;
}

/** The person keeps the highest rank the rules gave in any campaign (raised, never lowered). */
export async function carryTagRank(openid: string, rank: number): Promise<boolean> {
  const n = await updateWhere(COLLECTIONS.users, { _id: openid }, { tagRank: command().max(rank) });
  return n === 1;
}

/** Rule: a promotion replaces exactly the level it was read as (null: not a leader). */
export async function setLeader(
  openid: string,
  from: number | null,
  to: NonNullable<UserDoc['leader']> | null,
): Promise<boolean> {
  const _ = command();
  const n = await updateWhere(
    COLLECTIONS.users,
    { _id: openid, 'leader.level': from === null ? _.exists(false) : from },
    { leader: to ? _.set(to) : null },
  );
  return n === 1;
}

export function findUsersByIds(openids: readonly string[]): Promise<UserDoc[]> {
  return byIds<UserDoc>(COLLECTIONS.users, [...new Set(openids)]);
}

/** People blocked now, a page at a time in `_id` order (the reconciler repairs their steps). */
export function pageBlockedUsers(after: string | null, limit: number): Promise<UserDoc[]> {
  const _ = command();
  return many<UserDoc>(
    db()
      .collection(COLLECTIONS.users)
      .where({ 'blocked.at': _.exists(true), ...(after ? { _id: _.gt(after) } : {}) })
      .orderBy('_id', 'asc')
      .limit(limit),
  );
}

/** Every leader (团长): few by nature; at most `limit` (≤ 1000) are read. */
export function findLeaders(limit: number): Promise<UserDoc[]> {
  return many<UserDoc>(
    db()
      .collection(COLLECTIONS.users)
      .where({ 'leader.level': command().gte(1) })
      .limit(limit),
  );
}
