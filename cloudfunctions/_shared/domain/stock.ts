/**
 * 库存: the stock of a limited prize is spread over a few shard documents, so that winners who
 * spin at the same moment do not all queue on one hot document. Each shard keeps `configured`
 * (the units it was given), `left`, and the spins holding its units; every change moves `left`
 * together with either `configured` (an operator's edit) or the holders (a win, a release), so
 * `left + holders = configured` holds in every shard at every instant.
 *
 * This module decides how many units each shard gets and which shard a spin tries first; the
 * conditional updates live in repositories/stock.
 */

export interface StockShardState {
  id: string;
  configured: number;
  left: number;
}

/** Splits `total` units over `shards` shards: the first `total mod shards` get one more. */
export function splitStock(total: number, shards: number): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`bad stock ${total}`);
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`bad shard count ${shards}`);
  const base = Math.floor(total / shards);
  return Array.from({ length: shards }, (_, i) => base + (i < total % shards ? 1 : 0));
}

export interface StockChange {
  shardId: string;
  /** the shard's `configured` as read: the change applies only if it is still that */
  configured: number;
  by: number;
}

export type StockPlan =
  | { ok: true; changes: StockChange[] }
  /** Lowering the stock below what is already won: `won` units can never come back. */
  | { ok: false; won: number };

/**
 * How to bring a prize's configured stock to `target` from what its shards hold: a raise is
 * spread like a fresh split, a cut is taken from units still left (largest first), never from
 * units already won. Nothing to do → no changes.
 */
export function planStockChange(shards: readonly StockShardState[], target: number): StockPlan {
  const configured = shards.reduce((sum, s) => sum + s.configured, 0);
  const left = shards.reduce((sum, s) => sum + s.left, 0);
  const delta = target - configured;
  if (delta === 0 || shards.length === 0) return { ok: true, changes: [] };
  if (delta > 0) {
    const parts = splitStock(delta, shards.length);
    return {
      ok: true,
      changes: shards
        .map((s, i) => ({ shardId: s.id, configured: s.configured, by: parts[i] }))
        .filter((c) => c.by !== 0),
    };
  }
  const won = configured - left;
  if (target < won) return { ok: false, won };
  let need = -delta;
  const changes: StockChange[] = [];
  for (const s of [...shards].sort((a, b) => b.left - a.left || (a.id < b.id ? -1 : 1))) {
    if (need === 0) break;
    const take = Math.min(s.left, need);
    if (take > 0) changes.push({ shardId: s.id, configured: s.configured, by: -take });
    need -= take;
  }
  return { ok: true, changes };
}

/**
 * The shards a spin tries, in order: those with units left, starting at a place derived from
 * the spin (`seed`), so concurrent winners spread over the shards instead of all racing for
 * the first one.
 */
export function shardOrder<S extends StockShardState>(shards: readonly S[], seed: number): S[] {
  const open = shards.filter((s) => s.left > 0);
  if (open.length === 0) return [];
  const start = Math.abs(Math.trunc(seed)) % open.length;
  return [...open.slice(start), ...open.slice(0, start)];
}
