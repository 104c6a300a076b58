/**
 * The few runtime values both sides need, stated once. The Mini Program bundles this file, so
 * it stays free of zod, Node and wx: plain constants only. Types live in contracts.ts.
 */

// ---------------------------------------------------------------------------------------------
// Rewards (issue 12)

/**
 * A member code (the black card's QR) starts with this, a coupon's redemption code never does:
 * the staff page knows which action a scanned code is for before asking the server. It only
 * routes; the server checks each code's signature for its own purpose.
 */
export const MEMBER_CODE_PREFIX = 'M.';

/** How long a redemption may be reversed by an owner (a mistaken scan at the counter). */
export const REVERSAL_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The events a subscribe message (订阅消息) can remind someone of, in the order a page asks for
 * them. Each maps to a template in the campaign config (`reminders.<event>`).
 */
export const REMINDER_EVENTS = [
  'inviteProgress',
  'unlockNear',
  'couponExpiring',
  'rightsChanged',
  'groupReady',
  'poolAlert',
] as const;
export type ReminderEvent = (typeof REMINDER_EVENTS)[number];

/** The pages reminders open and the admin pages of this feature (routes, no leading `/`). */
export const REWARD_PAGES = {
  blackcard: 'pages/blackcard/index',
  coupon: 'pages/coupon/index',
  group: 'pages/group/index',
  groups: 'admin/pages/groups/index',
  ledger: 'admin/pages/ledger/index',
  winners: 'admin/pages/winners/index',
} as const;
