/**
 * A hot document (issue 14): every spin that wins a limited prize takes a unit of its stock. With
 * a per-document write latency injected (`docLatencyMs`: writes to one document queue behind each
 * other, each holding it that long, as on a real database), 1,000 spins at concurrency 50 win the
 * same limited prize — its stock in one document, then in the shards the project keeps
 * (STOCK_SHARDS, `repositories/stock.ts`). Also measured: the counter shards every spin bumps.
 */
import { writeStatsOf, type WriteStats } from '../../emulator/database';
import type { Emulator } from '../../emulator/emulator';
import { STOCK_SHARDS } from '../../cloudfunctions/_shared/limits';
import { editCampaign, freshEmulator, must, percentile, pool, round, section } from './support';

export interface HotDocumentRow {
  layout: string;
  shards: number;
  docLatencyMs: number;
  spins: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** conditional stock writes that took nothing (a shard ran dry meanwhile) and were retried */
  stockRetriesPer1000: number;
  /** time a stock write waited behind earlier writes to its document, on average */
  stockQueuedMsPerWrite: number;
  counterQueuedMsPerWrite: number;
}

const PRIZE = 'off-20';
const STOCK = 100_000;

/** Puts every unit of the prize in its first shard and drops the others (one hot document). */
function oneDocument(emulator: Emulator, campaignId: string): void {
  const shards = emulator.store.find('stock', { filter: { campaignId, prizeId: PRIZE } });
  const [first, ...rest] = shards.sort((a, b) => String(a._id).localeCompare(String(b._id)));
  emulator.store.commit([
    { collection: 'stock', id: first._id, after: { ...first, configured: STOCK, left: STOCK } },
    ...rest.map((s) => ({ collection: 'stock', id: s._id, after: null })),
  ]);
}

export async function hotDocument(docLatencyMs = 5, spins = 1000): Promise<HotDocumentRow[]> {
  const log = section(
    `Hot documents: ${spins} spins at concurrency 50 win one limited prize, +${docLatencyMs} ms per write of a document`,
  );
  const rows: HotDocumentRow[] = [];
  for (const layout of ['one document', 'sharded'] as const) {
    const emulator = await freshEmulator();
    await editCampaign(emulator, (config) => {
      for (const prize of config.lottery.prizes) {
        prize.weight = prize.id === PRIZE ? 1000 : 0;
        if (prize.id === PRIZE) prize.stock = STOCK;
      }
    });
    const campaignId = (await must(emulator, 'admin', 'demo-admin', { action: 'campaign.get' })).id;
    if (layout === 'one document') oneDocument(emulator, campaignId);
    const openids = Array.from({ length: spins }, (_, i) => `hot-${i}`);
    await pool(openids, 100, (o) => must(emulator, 'api', o, { action: 'session.enter' }));

    const stats = writeStatsOf(emulator.store);
    stats.clear();
    emulator.faults.docLatencyMs = docLatencyMs;
    const start = performance.now();
    const durations = await pool(openids, 50, (o) =>
      must(emulator, 'api', o, { action: 'lottery.spin', requestId: `spin-${o}` }),
    );
    const seconds = (performance.now() - start) / 1000;
    emulator.faults.docLatencyMs = 0;
    const stock: WriteStats = stats.get('stock') ?? { writes: 0, missed: 0, queuedMs: 0 };
    const counters: WriteStats = stats.get('counters') ?? { writes: 0, missed: 0, queuedMs: 0 };
    const row: HotDocumentRow = {
      layout,
      shards: layout === 'one document' ? 1 : STOCK_SHARDS,
      docLatencyMs,
      spins,
      perSecond: round(spins / seconds, 0),
      p50Ms: round(percentile(durations, 50), 1),
      p99Ms: round(percentile(durations, 99), 1),
      stockRetriesPer1000: round((stock.missed / spins) * 1000, 1),
      stockQueuedMsPerWrite: round(stock.queuedMs / Math.max(1, stock.writes), 1),
      counterQueuedMsPerWrite: round(counters.queuedMs / Math.max(1, counters.writes), 1),
    };
    rows.push(row);
    log(
      `${layout.padEnd(13)} (${row.shards} shard${row.shards > 1 ? 's' : ''}): ${row.perSecond} spins/s, ` +
        `p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms; stock writes retried ${row.stockRetriesPer1000}/1000 spins, ` +
        `queued ${row.stockQueuedMsPerWrite} ms each; counter writes queued ${row.counterQueuedMsPerWrite} ms each`,
    );
    await emulator.close();
  }
  return rows;
}
