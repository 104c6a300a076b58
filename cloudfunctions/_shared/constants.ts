/**
 * The few runtime values of the contract both sides need, stated once: free of zod, wx and
 * Node; contracts.ts builds its enums from them. The Mini Program may not require files outside
 * miniprogram/ at run time (scripts/size.mjs checks it): it takes these as the contract's types,
 * and keeps the few values it needs typed by them, so a mismatch fails `tsc`.
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

// People console (issue 13) ------------------------------------------------------------------

/** 成长标签, highest first: S = a direct need, A = active, B = claimed, C = new. */
export const GROWTH_TAGS = ['S', 'A', 'B', 'C'] as const;

/** What an export can be of (`export.create`). */
export const EXPORT_KINDS = ['members', 'coupons', 'winners', 'invites', 'redemptions'] as const;

/** Community leaders (团长): 1 = 小当家, 2 = 大当家 (0 in `users.promote` steps someone down). */
export const LEADER_LEVELS = [1, 2] as const;
export const LEADER_TITLES: Record<(typeof LEADER_LEVELS)[number], string> = {
  1: '小当家',
  2: '大当家',
};

/** Members, review queue and leaderboard pages: rows per call (CloudBase answers ≤ 100 by default). */
export const PAGE_SIZE_MAX = 100;
