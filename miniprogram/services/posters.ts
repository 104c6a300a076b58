/**
 * Distribution (issue 10): the posters a page composes from the backend's answers. The layouts
 * are utils/poster; this fetches what goes on them (the inviter's own Mini Program code and
 * profile) and the sheet (components/poster-sheet) draws and saves them.
 */
import type { PublicCampaign } from '../../cloudfunctions/_shared/contracts';
import { instanceState } from '../utils/instance-state';
import { inviterPoster, offerOf, shareCard, type PosterSpec } from '../utils/poster';
import { callApi, friendlyMessage } from './api';
import { toast } from './ui';

/** The sheet's methods a page calls (`this.selectComponent('#poster')`). */
export interface PosterSheet {
  show(spec: PosterSpec, text: { title: string; note?: string }): Promise<boolean>;
  render(spec: PosterSpec): Promise<string | null>;
}

const INVITER_POSTER_TEXT = {
  title: '我的邀请海报',
  note: '保存到相册后发朋友圈或群聊，好友扫码领取福利后，你的黑卡进度 +1',
};

/** The visitor's own poster: their code (scene `<inviteCode>.share`), avatar and nickname. */
async function inviterPosterSpec(
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

/** A page with a `<poster-sheet id="poster" />`. */
interface PosterPage {
  selectComponent(selector: string): unknown;
}

// Per page instance, beside it (not in its data): the drawn share card, a poster in the making.
const posterStateOf = instanceState<{ shareImage?: string; making: boolean }>(() => ({
  making: false,
}));

function sheetOf(page: PosterPage): PosterSheet | null {
  return page.selectComponent('#poster') as PosterSheet | null;
}

/** Draws the page's share card once (the offer, rather than a screenshot of the page). */
export async function drawShareCard(page: PosterPage, campaign: PublicCampaign): Promise<void> {
  const state = posterStateOf(page);
  if (state.shareImage) return;
  const sheet = sheetOf(page);
  const image = sheet ? await sheet.render(shareCard(offerOf(campaign))) : null;
  if (image) state.shareImage = image;
}

/** The share card's picture, once drawn (onShareAppMessage's imageUrl). */
export function shareImageOf(page: PosterPage): { imageUrl: string } | Record<string, never> {
  const image = posterStateOf(page).shareImage;
  return image ? { imageUrl: image } : {};
}

/** 生成邀请海报: the visitor's poster, drawn and shown in the sheet to save (one at a time). */
export async function openInviterPoster(page: PosterPage, campaign: PublicCampaign): Promise<void> {
  const state = posterStateOf(page);
  if (state.making) return;
  state.making = true;
  try {
    const poster = await inviterPosterSpec(campaign);
    if (!poster.ok) {
      toast(poster.message);
      return;
    }
    await sheetOf(page)?.show(poster.spec, INVITER_POSTER_TEXT);
  } finally {
    state.making = false;
  }
}
