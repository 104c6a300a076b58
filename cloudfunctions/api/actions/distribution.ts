/**
 * Distribution (issue 10), the visitor's side:
 * - `invite.poster`: the inviter's own Mini Program code (scene `<inviteCode>.share`, opening the
 *   landing page), made once per person and kept (`users.posterCode`); the page composes the
 *   poster around it. Cost: 1 read, and the first time a code, an upload and 1 write.
 * - `profile.update`: the nickname (checked by WeChat's security.msgSecCheck: a refused one is a
 *   clear BAD_REQUEST and nothing is stored) and the avatar (a file the Mini Program uploaded
 *   under `avatars/`) others see: friends' landing pages, the inviter's list, recent wins.
 *   Cost: 1 read, 1–2 writes. Never required by anything.
 * - `lottery.recentWins`: who won what lately, by masked nickname (social-proof.ts).
 */
import { displayUrls, checkText, makeMiniProgramCode } from '../../_shared/cloud';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { fail } from '../../_shared/errors';
import { requireCampaign } from '../../_shared/guards';
import { publicProfiles } from '../../_shared/profiles';
import { recentWins } from '../../_shared/social-proof';
import {
  findUser,
  keepPosterCode,
  updateProfile as saveProfile,
  type StoredCodeDoc,
  type UserDoc,
} from '../../_shared/repositories/users';
import { PAGES } from '../../../miniprogram/utils/routes';
import { SHARE_CHANNEL, sceneOf } from '../../../miniprogram/utils/scene';

async function requirePerson(openid: string): Promise<UserDoc> {
  return (await findUser(openid)) ?? fail('NOT_FOUND', '请先进入活动页面');
}

export async function invitePoster(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['invite.poster']> {
  const user = await requirePerson(caller.openid);
  let code = user.posterCode ?? null;
  if (!code) {
    const scene = sceneOf({ inviteCode: user.inviteCode, channel: SHARE_CHANNEL });
    // the path is the person's: a second, concurrent first request writes the same image
    const fileID = await makeMiniProgramCode(
      scene,
      PAGES.landing,
      `codes/invite/${user.inviteCode}.png`,
    );
    const made: StoredCodeDoc = { scene, page: PAGES.landing, fileID, at: now };
    code = (await keepPosterCode(user._id, made))
      ? made
      : ((await findUser(user._id))?.posterCode ?? made);
  }
  const [urls, [profile]] = await Promise.all([displayUrls([code.fileID]), publicProfiles([user])]);
  return {
    inviteCode: user.inviteCode,
    code: {
      scene: code.scene,
      page: code.page,
      fileID: code.fileID,
      url: urls.get(code.fileID) ?? code.fileID,
    },
    profile,
  };
}

const NICKNAME_REFUSED = '这个昵称无法使用，请换一个';

export async function updateProfile(
  params: { nickname?: string; avatarFileId?: string },
  { caller, now }: ActionContext,
): Promise<ApiResults['profile.update']> {
  const user = await requirePerson(caller.openid);
  if (params.nickname !== undefined) {
    const verdict = await checkText(caller.openid, params.nickname);
    if (verdict === 'refused') {
      return fail('BAD_REQUEST', NICKNAME_REFUSED, {
        issues: [{ path: 'nickname', message: NICKNAME_REFUSED }],
      });
    }
    // nothing unchecked is shown to others
    if (verdict === 'unchecked') return fail('INTERNAL', '昵称暂时无法审核，请稍后再试');
  }
  const fields = {
    ...(params.nickname !== undefined ? { nickname: params.nickname } : {}),
    ...(params.avatarFileId !== undefined ? { avatarFileId: params.avatarFileId } : {}),
  };
  if (!(await saveProfile(user._id, fields, now))) return fail('NOT_FOUND', '请先进入活动页面');
  const saved = {
    nickname: user.profile?.nickname ?? null,
    avatarFileId: user.profile?.avatarFileId ?? null,
    ...fields,
    updatedAt: now,
  };
  const [profile] = await publicProfiles([{ profile: saved }]);
  return profile;
}

export async function listRecentWins(
  _params: object,
  { now }: ActionContext,
): Promise<ApiResults['lottery.recentWins']> {
  const campaignDoc = await requireCampaign(now, { running: false });
  return { wins: await recentWins(campaignDoc._id, campaignDoc.config, now) };
}
