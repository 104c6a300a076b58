/** `users.setTag`: the operator's growth tag (成长标签 S/A/B/C) on a person, by invite code. */
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { fail } from '../../_shared/errors';
import { findUserByInviteCode, setGrowthTag } from '../../_shared/repositories/users';

export async function setTag(
  { userRef, growthTag }: { userRef: string; growthTag: 'S' | 'A' | 'B' | 'C' },
  _context: ActionContext,
): Promise<AdminResults['users.setTag']> {
  // The dashboard shows people by invite code (never by openid), so that is the reference.
  const inviteCode = userRef.trim().toUpperCase();
  const user = await findUserByInviteCode(inviteCode);
  if (!user) return fail('NOT_FOUND', `找不到用户 ${userRef}`);
  await setGrowthTag(user._id, growthTag);
  return { userRef: inviteCode, growthTag };
}
