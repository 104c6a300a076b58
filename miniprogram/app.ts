/**
 * The app shell. It only connects to CloudBase: pages read their own query (`inv`, `ch`,
 * `scene`) and talk to the backend through services/api.ts.
 */
import { MOMENTS_SINGLE_PAGE_SCENE } from './utils/scene';

/**
 * The CloudBase environment id. Empty means the environment selected in WeChat DevTools
 * (the first one created), which is what a fresh checkout should use.
 */
const CLOUD_ENV = '';

/**
 * Distribution (issue 10): the public HTTPS address of the campaign snapshot the functions keep
 * in cloud storage (`public/moments.json`), which a page opened from Moments reads (it may make no
 * cloud call). Copy it from the CloudBase console (存储 → public/moments.json → 下载地址) and add
 * its domain to the Mini Program's request domains. Empty: such a page shows its own words.
 */
const MOMENTS_SNAPSHOT_URL = '';

App<IAppOption>({
  globalData: {
    env: CLOUD_ENV,
    momentsSnapshotUrl: MOMENTS_SNAPSHOT_URL,
  },

  onLaunch(options) {
    // Moments' single-page mode has no login: cloud resources are refused there (issue 10)
    if (options?.scene === MOMENTS_SINGLE_PAGE_SCENE) return;
    // wx.cloud exists from base library 2.2.3 on; without it nothing works, so say so plainly
    if (!wx.cloud) {
      console.error('当前微信版本过低，无法使用云开发能力，请升级微信后重试');
      return;
    }
    // traceUser records visits per user in the CloudBase console (用户访问统计)
    wx.cloud.init(
      this.globalData.env ? { env: this.globalData.env, traceUser: true } : { traceUser: true },
    );
  },
});
