/**
 * 库存 of limited prizes, sharded (domain/stock): `_id` = `<campaignId>:<prizeId>:<shard>`, each
 * with `configured`, `left` and `holders` (spin id → who holds the unit, since when). Every write
 * changes `left` together with `configured` or with `holders`, so in each shard
 * `left + |holders| = configured` at every instant, and `left` never goes below zero.
 *
 * | operation   | rule                                                                         |
 * | ----------- | ---------------------------------------------------------------------------- |
 * | holdStock   | takes a unit only while one is left, at most once per spin                   |
 * | releaseStock| gives a spin's unit back, once (a spin that was never recorded)               |
 * | syncStock   | configured stock follows the config by deltas, never by overwriting `left`    |
 */
import type { Prize } from '../campaign';
import { db } from '../cloud';
import { COLLECTIONS, initialStockShards } from '../collections';
import { command, insert, many, updateWhere } from '../db';
import { planStockChange, type StockShardState } from '../domain/stock';
import { STOCK_SHARDS } from '../limits';

export interface StockHolder {
  /** the participant whose spin holds the unit */
  owner: string;
  at: Date;
}

export interface StockShardDoc {
  _id: string;
  campaignId: string;
  prizeId: string;
  shard: number;
  configured: number;
  left: number;
  holders: Record<string, StockHolder>;
}

export interface StockShard extends StockShardState {
  prizeId: string;
  /** the spin asked about holds a unit of this shard */
  heldBySpin: boolean;
}

/** Every shard of a campaign, small: `left`/`configured`, and whether `spinId` holds one. */
export async function readStock(campaignId: string, spinId?: string): Promise<StockShard[]> {
  const docs = await many<Partial<StockShardDoc>>(
    shards()
      .where({ campaignId })
      .limit(1000)
      .field({
        _id: true,
        prizeId: true,
        configured: true,
        left: true,
        ...(spinId ? { [`holders.${spinId}`]: true } : {}),
      }),
  );
  return docs.map((d) => ({
    id: d._id as string,
    prizeId: d.prizeId as string,
    configured: d.configured ?? 0,
    left: d.left ?? 0,
    heldBySpin: spinId !== undefined && Boolean(d.holders?.[spinId]),
  }));
}

/** Remaining units per prize (limited prizes only). */
export function remainingByPrize(stock: readonly StockShard[]): Map<string, number> {
  const left = new Map<string, number>();
  for (const shard of stock) left.set(shard.prizeId, (left.get(shard.prizeId) ?? 0) + shard.left);
  return left;
}

/** Whole shards with their holders, for the reconciler and the invariant checks. */
export function findStockShards(campaignId: string): Promise<StockShardDoc[]> {
  return many<StockShardDoc>(shards().where({ campaignId }).limit(1000));
}

/** Rule: a unit is taken only while one is left, and at most once per spin. */
export async function holdStock(
  shardId: string,
  spinId: string,
  holder: StockHolder,
): Promise<boolean> {
  const _ = command();
  const path = `holders.${spinId}`;
  const taken = await updateWhere(
    COLLECTIONS.stock,
    { _id: shardId, left: _.gt(0), [path]: _.exists(false) },
    { left: _.inc(-1), [path]: _.set(holder) },
  );
  return taken === 1;
}

/** Rule: a spin's unit comes back once (only while the spin still holds it). */
export async function releaseStock(shardId: string, spinId: string): Promise<boolean> {
  const _ = command();
  const path = `holders.${spinId}`;
  const released = await updateWhere(
    COLLECTIONS.stock,
    { _id: shardId, [path]: _.exists(true) },
    { left: _.inc(1), [path]: _.remove() },
  );
  return released === 1;
}

export type StockSync = { ok: true } | { ok: false; prizeId: string; won: number };

/**
 * Rule: configured stock follows the config by deltas. Missing shards are created; a prize whose
 * shards hold a different total is moved by the difference, each shard's change conditioned on
 * the `configured` it was planned from (a concurrent sync re-plans instead of adding twice). A
 * cut below what is already won refuses the whole sync before anything is written. Idempotent:
 * an unchanged config changes nothing, and a sync interrupted half-way is finished by the next.
 */
export async function syncStock(campaignId: string, prizes: readonly Prize[]): Promise<StockSync> {
  const limited = prizes.filter((p) => p.stock !== null);
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await readStock(campaignId);
    const plans = [];
    for (const prize of limited) {
      const own = current.filter((s) => s.prizeId === prize.id);
      const plan = planStockChange(own, prize.stock as number);
      if (!plan.ok) return { ok: false, prizeId: prize.id, won: plan.won };
      plans.push({ prize, own, changes: plan.changes });
    }
    let moved = false;
    for (const { prize, own, changes } of plans) {
      if (own.length < STOCK_SHARDS) {
        await createMissingShards(campaignId, prize, own);
        moved = true; // plan the rest from what now exists
        continue;
      }
      for (const change of changes) {
        const _ = command();
        const applied = await updateWhere(
          COLLECTIONS.stock,
          {
            _id: change.shardId,
            configured: change.configured,
            ...(change.by < 0 ? { left: _.gte(-change.by) } : {}),
          },
          { configured: _.inc(change.by), left: _.inc(change.by) },
        );
        if (applied !== 1) moved = true; // the shard moved meanwhile: plan again
      }
    }
    if (!moved) return { ok: true };
  }
  throw new Error(`stock of campaign ${campaignId} kept moving while it was synchronised`);
}

/** A new prize's shards split its stock; shards already there (a half-done sync) keep theirs. */
async function createMissingShards(
  campaignId: string,
  prize: Prize,
  existing: readonly StockShard[],
): Promise<void> {
  // Only a prize with no shards at all gets its stock on creation; otherwise the delta that the
  // next round plans covers whatever the missing shards should add.
  const fresh = initialStockShards(campaignId, [
    { id: prize.id, stock: existing.length === 0 ? prize.stock : 0 },
  ]);
  for (const doc of fresh) {
    if (existing.some((s) => s.id === doc._id)) continue;
    await insert(COLLECTIONS.stock, doc satisfies StockShardDoc);
  }
}

function shards() {
  return db().collection(COLLECTIONS.stock);
}
