/**
 * Page routes, stated once. People console (issue 13) started this module; the pages that came
 * before still write their own routes and can move here as they are touched.
 */
export const ROUTES = {
  landing: '/pages/landing/index',
  blackcard: '/pages/blackcard/index',
  dashboard: '/admin/pages/dashboard/index',
  redeem: '/admin/pages/redeem/index',
  groups: '/admin/pages/groups/index',
  // People console (issue 13)
  leader: '/pages/leader/index',
  leaderboard: '/pages/leaderboard/index',
  members: '/admin/pages/members/index',
  member: '/admin/pages/member/index',
  review: '/admin/pages/review/index',
  koc: '/admin/pages/koc/index',
  exports: '/admin/pages/export/index',
} as const;

/** A member's page, by their reference (the invite code). */
export function memberRoute(userRef: string): string {
  return `${ROUTES.member}?ref=${encodeURIComponent(userRef)}`;
}

/** The member list, optionally filtered by growth tag. */
export function membersRoute(tag?: string): string {
  return tag ? `${ROUTES.members}?tag=${tag}` : ROUTES.members;
}
