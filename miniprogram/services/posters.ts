/**
 * Distribution (issue 10): the posters a page composes from the backend's answers. The layouts
 * are utils/poster; this fetches what goes on them (the inviter's own Mini Program code and
 * profile) and the sheet (components/poster-sheet) draws and saves them.
 */
import type { PublicCampaign } from '../../cloudfunctions/_shared/contracts';
import { inviterPoster, offerOf, shareCard, type PosterSpec } from '../utils/poster';
import { callApi, friendlyMessage } from './api';

/** The sheet's methods a page calls (`this.selectComponent('#poster')`). */
export interface PosterSheet {
  show(spec: PosterSpec, text: { title: string; note?: string }): Promise<boolean>;
  render(spec: PosterSpec): Promise<string | null>;
}

export const INVITER_POSTER_TEXT = {
  title: '我的邀请海报',
  note: '保存到相册后发朋友圈或群聊，好友扫码领取福利后，你的黑卡进度 +1',
};

/** The visitor's own poster: their code (scene `<inviteCode>.share`), avatar and nickname. */
export async function inviterPosterSpec(
  campaign: PublicCampaign,
): Promise<{ ok: true; spec: PosterSpec } | { ok: false; message: string }> {
  const answer = await callApi('invite.poster', {});
  if (!answer.ok) return { ok: false, message: friendlyMessage(answer.error) };
  const { code, profile, inviteCode } = answer.data;
  return {
    ok: true,
    spec: inviterPoster({
      offer: offerOf(campaign),
      nickname: profile.nickname,
      inviteCode,
      // fileIDs: the sheet downloads them (no download domain to whitelist)
      qr: code.fileID,
      avatar: profile.avatarFileId,
      art: campaign.magnet.image || null,
    }),
  };
}

/** The picture of a shared card, drawn once per page (null: WeChat shows a screenshot). */
export async function shareCardImage(
  sheet: PosterSheet | null,
  campaign: PublicCampaign,
): Promise<string | null> {
  if (!sheet) return null;
  return sheet.render(shareCard(offerOf(campaign)));
}
