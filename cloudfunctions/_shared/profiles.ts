/**
 * Distribution (issue 10): what people show of themselves to others. A profile is the nickname
 * and avatar a person chose (profile.update), never their openid; the avatar is answered as a
 * temporary URL the phone can show, with its fileID for drawing it on a poster.
 */
import { displayUrls } from './cloud';
import type { PublicProfile } from './contracts';
import type { UserDoc } from './user';

export const NO_PROFILE: PublicProfile = { nickname: null, avatarUrl: null, avatarFileId: null };

/** The public profiles of `people`, in order, with one storage call for all their avatars. */
export async function publicProfiles(
  people: ReadonlyArray<Pick<UserDoc, 'profile'> | null | undefined>,
): Promise<PublicProfile[]> {
  const avatars = people.flatMap((p) => (p?.profile?.avatarFileId ? [p.profile.avatarFileId] : []));
  const urls = avatars.length ? await displayUrls(avatars) : new Map<string, string>();
  return people.map((person) => {
    const profile = person?.profile;
    if (!profile) return NO_PROFILE;
    const fileId = profile.avatarFileId;
    const url = fileId ? urls.get(fileId) : undefined;
    return {
      nickname: profile.nickname,
      // a file that is gone reads as no avatar, not as a broken image
      avatarUrl: url && url !== fileId ? url : null,
      avatarFileId: url && url !== fileId ? fileId : null,
    };
  });
}
