/**
 * The app shell. It only connects to CloudBase: pages read their own query (`inv`, `ch`,
 * `scene`) and talk to the backend through services/api.ts.
 */

/**
 * The CloudBase environment id. Empty means the environment selected in WeChat DevTools
 * (the first one created), which is what a fresh checkout should use.
 */
const CLOUD_ENV = '';

App<IAppOption>({
  globalData: {
    env: CLOUD_ENV,
  },

  onLaunch() {
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
