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
