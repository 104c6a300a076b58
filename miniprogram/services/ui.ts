/**
 * The wx UI calls pages make the same way. Their promises are not worth a failure (a toast that
 * cannot show, a share menu in an old client), so each one's rejection is dropped here.
 */

/** A short message without an icon: a refusal, a failed refresh, a hint. */
export function toast(title: string): void {
  wx.showToast({ title, icon: 'none' }).catch(() => undefined);
}

/** Lets the visitor share the page to a chat and to Moments (朋友圈). */
export function enableSharing(): void {
  wx.showShareMenu({ menus: ['shareAppMessage', 'shareTimeline'] }).catch(() => undefined);
}

/** A pull-down refresh: `load`, then the spinner stops whatever happened. */
export async function refreshOnPullDown(load: () => Promise<void>): Promise<void> {
  try {
    await load();
  } finally {
    wx.stopPullDownRefresh().catch(() => undefined);
  }
}
