/**
 * Funnel counters, maintained on every write so the dashboard never scans users (SPEC §3).
 * Every campaign has COUNTER_SHARDS documents; a write increments one shard picked at random,
 * so a busy campaign does not queue on one hot document; a read sums the shards (one query).
 *
 * Counters are the fast path; the records are the truth. An action bumps them once, after the
 * write that made the event happen; if it dies in between, or a reply is lost, a figure can be
 * off until the reconciler (cron) recounts the records and corrects it with `correctCounters`.
 *
 * Retention (issue 15): an event's increments go through `withDays(increments, at)`
 * (domain/trends), so each funnel figure's daily twin (`days.<Shanghai day>.<path>`) is in the
 * same write, on the same shard; the cohorts' returns are `cohorts.<day>.<channel>.<window>`.
 */
import { db } from '../cloud';
import { COLLECTIONS, counterShardId } from '../collections';
import { insert, many, updateWhere } from '../db';
import { COUNTER_SHARDS } from '../limits';

/** Flat paths to increment, e.g. `{ visitors: 1, 'channels.poster.visitors': 1 }`. */
export type CounterIncrements = Record<string, number>;

/** Adds `more` into `into`, path by path (two moves of the same tag counter add up). */
export function addIncrements(into: CounterIncrements, more: CounterIncrements): CounterIncrements {
  for (const [path, by] of Object.entries(more)) into[path] = (into[path] ?? 0) + by;
  return into;
}

export interface CounterShardDoc {
  _id: string;
  campaignId: string;
  [metric: string]: unknown;
}

export async function bumpCounters(
  campaignId: string,
  increments: CounterIncrements,
): Promise<void> {
  const entries = Object.entries(increments).filter(([, by]) => by !== 0);
  if (entries.length === 0) return;
  const _ = db().command;
  const shardId = counterShardId(campaignId, Math.floor(Math.random() * COUNTER_SHARDS));
  const update = Object.fromEntries(entries.map(([path, by]) => [path, _.inc(by)]));
  if ((await updateWhere(COLLECTIONS.counters, { _id: shardId }, update)) === 1) return;
  // Shards are created with their campaign (createCounterShards); this covers a campaign made
  // by other means: create the shard with the increments as initial values, or, if another call
  // created it meanwhile, increment theirs.
  if (await insert(COLLECTIONS.counters, { _id: shardId, campaignId, ...nest(entries) })) return;
  await updateWhere(COLLECTIONS.counters, { _id: shardId }, update);
}

/** The sum of every shard, as flat paths (`channels.poster.visitors` → n). */
export async function readCounters(campaignId: string): Promise<Map<string, number>> {
  const shards = await many<CounterShardDoc>(
    db().collection(COLLECTIONS.counters).where({ campaignId }).limit(COUNTER_SHARDS),
  );
  const totals = new Map<string, number>();
  for (const shard of shards) {
    const { _id: _shard, campaignId: _campaign, ...metrics } = shard;
    addFlat(totals, '', metrics);
  }
  return totals;
}

function addFlat(totals: Map<string, number>, prefix: string, value: unknown): void {
  if (typeof value === 'number') {
    totals.set(prefix, (totals.get(prefix) ?? 0) + value);
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value)) {
      addFlat(totals, prefix ? `${prefix}.${key}` : key, inner);
    }
  }
}

function nest(entries: Array<[string, number]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, by] of entries) {
    const keys = path.split('.');
    let node = root;
    for (const key of keys.slice(0, -1)) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]] = by;
  }
  return root;
}

/**
 * Moves the stored figures to `truth` by adding the difference (never by overwriting, so
 * increments that land meanwhile are kept). Only paths `owns` accepts are touched: figures the
 * records cannot tell (e.g. failed risk checks) stay as counted. Answers what was corrected.
 */
export async function correctCounters(
  campaignId: string,
  truth: ReadonlyMap<string, number>,
  owns: (path: string) => boolean,
): Promise<CounterIncrements> {
  const stored = await readCounters(campaignId);
  const diff: CounterIncrements = {};
  for (const path of new Set([...truth.keys(), ...stored.keys()])) {
    if (!owns(path)) continue;
    const by = (truth.get(path) ?? 0) - (stored.get(path) ?? 0);
    if (by !== 0) diff[path] = by;
  }
  await bumpCounters(campaignId, diff);
  return diff;
}

// Operator studio (issue 9) ------------------------------------------------------------------

/**
 * The summed all-time counters of several campaigns, in one query (campaign.list): their daily
 * figures and cohorts (issue 15) stay in the database.
 */
export async function readCountersOf(
  campaignIds: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const byCampaign = new Map(campaignIds.map((id) => [id, new Map<string, number>()]));
  if (campaignIds.length === 0) return byCampaign;
  const shards = await many<CounterShardDoc>(
    db()
      .collection(COLLECTIONS.counters)
      .where({ campaignId: db().command.in([...campaignIds]) })
      .limit(Math.min(1000, campaignIds.length * COUNTER_SHARDS))
      .field({ days: false, cohorts: false }),
  );
  for (const shard of shards) {
    const { _id: _shard, campaignId, ...metrics } = shard;
    const totals = byCampaign.get(campaignId);
    if (totals) addFlat(totals, '', metrics);
  }
  return byCampaign;
}
