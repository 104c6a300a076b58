/**
 * Runtime values of the contract, stated once. Free of zod, wx and Node; contracts.ts builds its
 * enums from them. The Mini Program takes them as the contract's types (it may not require files
 * outside miniprogram/ at run time: scripts/size.mjs checks it) and keeps its lists as Records
 * those types hold complete (admin/utils/labels.ts).
 */

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
