/**
 * What one user may see of another: never a whole openid (SPEC §3), only a masked reference
 * such as `oAbc…9xYz`, or the nickname the invitee chose to share.
 */

/** Keeps at most 4 characters at each end and always hides at least half of the openid. */
export function maskOpenid(openid: string): string {
  const keep = Math.min(4, Math.floor(openid.length / 4));
  if (keep === 0) return '…';
  return `${openid.slice(0, keep)}…${openid.slice(-keep)}`;
}

const MAX_NICKNAME = 12;

/** How an inviter sees an invitee: the nickname if there is one, else a masked reference. */
export function inviteeLabel(nickname: string | null | undefined, openid: string): string {
  const name = nickname?.trim() ?? '';
  if (!name) return `微信用户 ${maskOpenid(openid)}`;
  const chars = Array.from(name); // count characters, not UTF-16 units (emoji in nicknames)
  return chars.length > MAX_NICKNAME ? `${chars.slice(0, MAX_NICKNAME).join('')}…` : name;
}

/**
 * Distribution (issue 10): how a stranger is named in public (the wheel's recent wins): the first
 * character of their nickname and two stars, `微信用户 张**`; without a nickname, `微信用户 ***`.
 */
export function publicName(nickname: string | null | undefined): string {
  const first = Array.from(nickname?.trim() ?? '')[0];
  return first ? `微信用户 ${first}**` : '微信用户 ***';
}

/**
 * People console (issue 13): a name on the public leaderboard — the first character of the
 * nickname and stars, or `会员 AB**` from the invite code — so members see who leads without
 * seeing who exactly.
 */
export function maskName(nickname: string | null | undefined, inviteCode: string): string {
  const chars = Array.from(nickname?.trim() ?? '');
  if (chars.length > 0) return `${chars[0]}${'*'.repeat(chars.length > 2 ? 2 : 1)}`;
  return `会员 ${inviteCode.slice(0, 2)}**`;
}
