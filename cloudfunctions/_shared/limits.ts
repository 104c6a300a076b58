/**
 * The numeric policies of the functions in one place (pure: tests and the emulator import it
 * without loading wx-server-sdk).
 */

/** How long a warm visitor container keeps the active campaign (repositories/campaigns). */
export const CAMPAIGN_CACHE_TTL_MS = 10_000;
/** Counter shards per campaign: parallel writers rarely touch the same document. */
export const COUNTER_SHARDS = 8;
/** Coupons a wallet lists (newest first). */
export const WALLET_LIMIT = 100;
/** Groups the pool considers / the dashboard lists. */
export const POOL_LIMIT = 100;
/** Invitees the black card lists (its counts are exact regardless). */
export const INVITEES_SHOWN = 50;
/** Dashboard lists. */
export const TOP_INVITERS = 10;
export const ALERTS_SHOWN = 20;
/** Shards each limited prize's stock is spread over (repositories/stock). */
export const STOCK_SHARDS = 4;
/**
 * How long a started action may take before the reconciler treats what it left behind as
 * abandoned (a stock unit held for a spin that was never recorded, a seat counted for nobody).
 * Far beyond any function's timeout, so it never races a call still running.
 */
export const ABANDONED_AFTER_MS = 10 * 60 * 1000;
/** Distinct invite codes a returning visitor may open per Shanghai day before RATE_LIMITED. */
export const INVITE_CODES_PER_DAY = 10;
/** Documents the reconciler reads per page (CloudBase's maximum per get()). */
export const RECONCILE_PAGE = 1000;

// Distribution (issue 10)
/** Channels the registry lists (an operator's printed codes: tens, not thousands). */
export const CHANNELS_LIMIT = 100;
/** How long a warm visitor container keeps the channel codes, social proof and recent wins. */
export const DISTRIBUTION_CACHE_TTL_MS = 10_000;
/** Recent spinners read to find the recent wins the wheel shows, and how many wins it shows. */
export const RECENT_SPINNERS_READ = 20;
export const RECENT_WINS_SHOWN = 8;

// Operator studio (issue 9)
/** Campaigns the studio lists (newest first); far more than a shop runs in years. */
export const CAMPAIGNS_LISTED = 50;
/** How long an admin bind code works after it is made. */
export const BIND_CODE_TTL_MS = 10 * 60 * 1000;
/** Admins the owner's list shows (a shop has a handful). */
export const ADMINS_LISTED = 100;

// People console (issue 13) ---------------------------------------------------------------------

/** Rows a member list answers when the caller does not say. */
export const MEMBERS_PAGE = 20;
/** The member page: coupons, invitees (two levels), refusals and audit entries it shows. */
export const MEMBER_INVITEES = 50;
export const MEMBER_SECOND_LEVEL = 200;
export const MEMBER_AUDIT = 50;
/** KOC leaderboard rows. */
export const KOC_ROWS = 20;
/** Export: pages read per call (each ≤ 1000 documents); a job spans calls (or cron runs). */
export const EXPORT_PAGE = 1000;
export const EXPORT_PAGES_PER_CALL = 2;
/** How long a call may work on an export step before another may take over. */
export const EXPORT_LEASE_MS = 60_000;
/** Leaders the reconciler reads to recount their figures (few by nature). */
export const LEADERS_MAX = 1000;
