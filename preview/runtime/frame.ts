/**
 * The phone the preview draws: an iPhone X-sized screen in logical px, as WeChat reports it to a
 * Mini Program (`wx.getWindowInfo`), and as rpx are scaled (750rpx = the window width).
 */
export const SCREEN_WIDTH = 375;
export const SCREEN_HEIGHT = 812;
/** the status bar (time, battery) */
export const STATUS_BAR_HEIGHT = 44;
/** WeChat's navigation bar under it (back button, title, the capsule) */
export const NAVIGATION_BAR_HEIGHT = 44;
/** the home indicator: env(safe-area-inset-bottom) */
export const SAFE_AREA_BOTTOM = 34;
/** what a page gets: the screen below the two bars */
export const WINDOW_WIDTH = SCREEN_WIDTH;
export const WINDOW_HEIGHT = SCREEN_HEIGHT - STATUS_BAR_HEIGHT - NAVIGATION_BAR_HEIGHT;

export function pixelRatio(): number {
  return typeof window === 'undefined' ? 2 : window.devicePixelRatio || 1;
}
