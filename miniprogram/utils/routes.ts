/**
 * The Mini Program's page routes, stated once. Pages written before this module may still name
 * a neighbour themselves; new code takes routes from here.
 */
export const ROUTES = {
  landing: '/pages/landing/index',
  wheel: '/pages/wheel/index',
  wallet: '/pages/wallet/index',
  coupon: '/pages/coupon/index',
  blackcard: '/pages/blackcard/index',
  group: '/pages/group/index',
  rules: '/pages/rules/index',
  leader: '/pages/leader/index',
  leaderboard: '/pages/leaderboard/index',
  dashboard: '/admin/pages/dashboard/index',
  redeem: '/admin/pages/redeem/index',
  groups: '/admin/pages/groups/index',
  channels: '/admin/pages/channels/index',
  campaigns: '/admin/pages/campaigns/index',
  editor: '/admin/pages/editor/index',
  admins: '/admin/pages/admins/index',
  bind: '/admin/pages/bind/index',
  ledger: '/admin/pages/ledger/index',
  winners: '/admin/pages/winners/index',
  members: '/admin/pages/members/index',
  member: '/admin/pages/member/index',
  review: '/admin/pages/review/index',
  koc: '/admin/pages/koc/index',
  exports: '/admin/pages/export/index',
} as const;

export type Route = (typeof ROUTES)[keyof typeof ROUTES];

/** Opens a page on top; a failure (a page stack of 10, a race with another tap) is ignored. */
export function openPage(route: Route, query: Record<string, string> = {}): void {
  const search = Object.entries(query)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');
  wx.navigateTo({ url: search ? `${route}?${search}` : route }).catch(() => undefined);
}

/** A member's page, by their reference (the invite code). */
export function memberRoute(userRef: string): string {
  return `${ROUTES.member}?ref=${encodeURIComponent(userRef)}`;
}

/** The member list, optionally filtered by growth tag. */
export function membersRoute(tag?: string): string {
  return tag ? `${ROUTES.members}?tag=${tag}` : ROUTES.members;
}
