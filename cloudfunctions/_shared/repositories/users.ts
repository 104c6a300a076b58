/**
 * People (`users`, `_id` = openid): identity, the invite code, how they first arrived. Written
 * at the first ever visit; afterwards only the operator's tag and the returning visitor's
 * invite-code allowance change.
 */
import { COLLECTIONS } from '../collections';
import { byId, command, first, insert, updateWhere } from '../db';
import type { UserDoc } from '../user';

export type { ArrivalInvite, UserDoc } from '../user';
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
