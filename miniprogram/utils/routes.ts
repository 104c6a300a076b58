/**
 * Every page of the Mini Program, stated once (a test keeps it equal to app.json's pages and
 * subpackages, and finds no route spelled anywhere else). `PAGES` spells a page as app.json and
 * WeChat's server APIs do (`pages/coupon/index`: a subscribe message's or a Mini Program code's
 * `page`); `ROUTES` as navigation does (`/pages/coupon/index`).
 *
 * Both sides import it: the pages, and the functions that name a page to WeChat. It lives in the
 * Mini Program's tree because WeChat only ships what is under `miniprogram/`; the functions'
 * bundler reaches in. Pure: no wx (opening a page is utils/nav.ts), so no bundle pulls wx in.
 */
export const PAGES = {
  // the main package; the landing page is app.json's first page, the one every code opens
  landing: 'pages/landing/index',
  wheel: 'pages/wheel/index',
  wallet: 'pages/wallet/index',
  coupon: 'pages/coupon/index',
  blackcard: 'pages/blackcard/index',
  group: 'pages/group/index',
  rules: 'pages/rules/index',
  leader: 'pages/leader/index',
  leaderboard: 'pages/leaderboard/index',
  // the admin subpackage
  dashboard: 'admin/pages/dashboard/index',
  redeem: 'admin/pages/redeem/index',
  groups: 'admin/pages/groups/index',
  channels: 'admin/pages/channels/index',
  campaigns: 'admin/pages/campaigns/index',
  editor: 'admin/pages/editor/index',
  admins: 'admin/pages/admins/index',
  bind: 'admin/pages/bind/index',
  ledger: 'admin/pages/ledger/index',
  winners: 'admin/pages/winners/index',
  members: 'admin/pages/members/index',
  member: 'admin/pages/member/index',
  review: 'admin/pages/review/index',
  koc: 'admin/pages/koc/index',
  exports: 'admin/pages/export/index',
} as const;

export type PageName = keyof typeof PAGES;
export type PagePath = (typeof PAGES)[PageName];
export type Route = `/${PagePath}`;

/** Each page as navigation spells it: `ROUTES.coupon` = `/pages/coupon/index`. */
export const ROUTES = (Object.keys(PAGES) as PageName[]).reduce(
  (routes, name) => ({ ...routes, [name]: `/${PAGES[name]}` }),
  {} as { readonly [N in PageName]: `/${(typeof PAGES)[N]}` },
);

/** A page with its query: `withQuery(ROUTES.coupon, { id })` → `/pages/coupon/index?id=…`. */
export function withQuery<P extends string>(page: P, query: Record<string, string> = {}): string {
  const search = Object.keys(query)
    .map((key) => `${key}=${encodeURIComponent(query[key])}`)
    .join('&');
  return search ? `${page}?${search}` : page;
}
