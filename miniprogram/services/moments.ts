/**
 * Distribution (issue 10): a page opened from Moments (朋友圈单页模式, scene 1154) runs without a
 * login: no cloud call may be made (WeChat refuses them), no page may be opened, no button with
 * an open-type works. The campaign comes from a public snapshot instead: a JSON file the
 * functions keep in cloud storage (public/moments.json), read with a plain HTTPS request from the
 * address the app is configured with (app.ts MOMENTS_SNAPSHOT_URL). Without one, the page shows
 * its own words and the way into the Mini Program.
 */
import type { PublicCampaign } from '../../cloudfunctions/_shared/contracts';
import { MOMENTS_SINGLE_PAGE_SCENE } from '../utils/scene';

/** Whether this page was opened from Moments, in single-page mode. */
export function isSinglePageMode(): boolean {
  try {
    const enter = wx.getEnterOptionsSync?.() ?? wx.getLaunchOptionsSync();
    return Number(enter?.scene) === MOMENTS_SINGLE_PAGE_SCENE;
  } catch {
    return false;
  }
}

/** The campaign as the functions last published it, or null (no address, offline, malformed). */
export function readMomentsSnapshot(): Promise<PublicCampaign | null> {
  const url = getApp<IAppOption>().globalData.momentsSnapshotUrl;
  if (!url) return Promise.resolve(null);
  return new Promise((resolve) => {
    wx.request({
      url,
      method: 'GET',
      dataType: 'json',
      success: (res) => {
        const data = res.data as PublicCampaign | undefined;
        const valid =
          res.statusCode === 200 &&
          typeof data === 'object' &&
          data !== null &&
          typeof data.title === 'string' &&
          typeof data.magnet?.title === 'string';
        resolve(valid ? data : null);
      },
      fail: () => resolve(null),
    });
  });
}
