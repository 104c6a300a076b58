/**
 * The Mini Program's page routes, stated once (operator studio, issue 9). Pages written before
 * this module still name their few neighbours themselves; new code takes routes from here.
 */
export const ROUTES = {
  landing: '/pages/landing/index',
  wheel: '/pages/wheel/index',
  wallet: '/pages/wallet/index',
  coupon: '/pages/coupon/index',
  blackcard: '/pages/blackcard/index',
  group: '/pages/group/index',
  rules: '/pages/rules/index',
  dashboard: '/admin/pages/dashboard/index',
  redeem: '/admin/pages/redeem/index',
  groups: '/admin/pages/groups/index',
  campaigns: '/admin/pages/campaigns/index',
  editor: '/admin/pages/editor/index',
  admins: '/admin/pages/admins/index',
  bind: '/admin/pages/bind/index',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

/** Opens a page on top; a failure (a page stack of 10, a race with another tap) is ignored. */
export function openPage(route: Route, query: Record<string, string> = {}): void {
  const search = Object.entries(query)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  wx.navigateTo({ url: search ? `${route}?${search}` : route }).catch(() => undefined);
}
