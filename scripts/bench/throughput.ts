/**
 * Throughput and latency of each visitor action at concurrency 1, 50 and 500, with a database
 * latency of 0 and of 5 ms added before every call (as a network would). Every run has visitors
 * of its own, brought to the state the action needs first (not timed). The wheel stops on a
 * limited coupon prize (a unit held, a coupon issued: the dearest common spin) whose stock each
 * spin run finds as a campaign starts it — units for every spin of the run, no holder yet — so
 * runs compare; the group pool has room for everyone.
 */
import type { Emulator } from '../../emulator/emulator';
import { editCampaign, freshEmulator, must, percentile, pool, round, section } from './support';

export interface ThroughputRow {
  action: string;
  concurrency: number;
  latencyMs: number;
  calls: number;
  /** answers other than ok */
  refused: number;
  perSecond: number;
  /** the same calls over the process's CPU time: what the machine sustains without sharing it */
  perCpuSecond: number;
  p50Ms: number;
  p99Ms: number;
}

type Prepared = 'entered' | 'claimed' | 'none';

interface ActionSpec {
  action: string;
  needs: Prepared;
  event: (openid: string) => Record<string, unknown>;
}

const ACTIONS: ActionSpec[] = [
  {
    action: 'session.enter',
    needs: 'none',
    event: () => ({ action: 'session.enter', landing: true }),
  },
  { action: 'campaign.get', needs: 'entered', event: () => ({ action: 'campaign.get' }) },
  {
    action: 'magnet.claim',
    needs: 'entered',
    event: (o) => ({ action: 'magnet.claim', requestId: `claim-${o}` }),
  },
  { action: 'lottery.status', needs: 'claimed', event: () => ({ action: 'lottery.status' }) },
  {
    action: 'lottery.spin',
    needs: 'claimed',
    event: (o) => ({ action: 'lottery.spin', requestId: `spin-${o}` }),
  },
  { action: 'wallet.list', needs: 'claimed', event: () => ({ action: 'wallet.list' }) },
  { action: 'blackcard.get', needs: 'claimed', event: () => ({ action: 'blackcard.get' }) },
  { action: 'group.get', needs: 'claimed', event: () => ({ action: 'group.get' }) },
];

export const CONCURRENCY = [1, 50, 500] as const;
export const LATENCIES_MS = [0, 5] as const;

function callsFor(concurrency: number, latencyMs: number, scale: number): number {
  const base = concurrency === 1 ? (latencyMs ? 100 : 300) : concurrency === 50 ? 1500 : 3000;
  return Math.max(concurrency, Math.round(base * scale));
}

const PRIZE = 'off-20';

/**
 * The prize's stock as a fresh campaign has it: `units` spread over its shards, nobody holding
 * one (written to the store directly: a bench's reset, between runs, of what the runs before
 * won — a shard's holders grow with every win, and each hold writes the shard whole).
 */
function freshStock(emulator: Emulator, units: number): void {
  const shards = emulator.store.find('stock', { filter: { prizeId: PRIZE } });
  const each = Math.ceil(units / shards.length);
  emulator.store.commit(
    shards.map((shard) => ({
      collection: 'stock',
      id: shard._id,
      after: { ...shard, configured: each, left: each, holders: {} },
    })),
  );
}

async function prepare(emulator: Emulator, openids: string[], needs: Prepared): Promise<void> {
  if (needs === 'none') return;
  await pool(openids, 100, (o) => must(emulator, 'api', o, { action: 'session.enter' }));
  if (needs === 'claimed') {
    await pool(openids, 100, (o) =>
      must(emulator, 'api', o, { action: 'magnet.claim', requestId: `claim-${o}` }),
    );
  }
}

/**
 * An emulator of its own for each action's runs: an action is measured against the campaign, not
 * against the leftovers (and the heap) of the actions measured before it.
 */
async function benchEmulator(): Promise<Emulator> {
  const emulator = await freshEmulator();
  await editCampaign(emulator, (config) => {
    for (const prize of config.lottery.prizes) {
      if (prize.id === PRIZE) Object.assign(prize, { weight: 1_000_000, stock: 100_000 });
    }
  });
  // room in the pool for every hand-out of the runs
  const expires = new Date(Date.now() + 6 * 86_400_000).toISOString();
  for (let g = 0; g < 60; g++) {
    await must(emulator, 'admin', 'demo-admin', {
      action: 'groups.upsert',
      name: `压测群 ${g + 1}`,
      qrUrl: `https://example.com/bench-group-${g}.png`,
      expiresAt: expires,
      capacity: 200,
    });
  }
  return emulator;
}

export async function throughput(scale = 1): Promise<ThroughputRow[]> {
  const log = section('Throughput and latency per visitor action (one process)');
  const rows: ThroughputRow[] = [];
  for (const spec of ACTIONS) {
    const emulator = await benchEmulator();
    for (const latencyMs of LATENCIES_MS) {
      for (const concurrency of CONCURRENCY) {
        const calls = callsFor(concurrency, latencyMs, scale);
        const openids = Array.from(
          { length: calls },
          // request ids derive from them: letters, digits and dashes only
          (_, i) => `tp-${spec.action.replace('.', '-')}-${latencyMs}-${concurrency}-${i}`,
        );
        await prepare(emulator, openids, spec.needs);
        if (spec.action === 'lottery.spin') freshStock(emulator, calls);
        emulator.faults.latencyMs = latencyMs;
        let refused = 0;
        const cpu = process.cpuUsage();
        const start = performance.now();
        const durations = await pool(openids, concurrency, async (openid) => {
          const { result } = await emulator.invoke<{ ok: boolean }>('api', spec.event(openid), {
            openid,
          });
          if (!result.ok) refused++;
        });
        const seconds = (performance.now() - start) / 1000;
        const { user, system } = process.cpuUsage(cpu);
        emulator.faults.latencyMs = 0;
        const row: ThroughputRow = {
          action: spec.action,
          concurrency,
          latencyMs,
          calls,
          refused,
          perSecond: round(calls / seconds, 0),
          perCpuSecond: round(calls / ((user + system) / 1e6), 0),
          p50Ms: round(percentile(durations, 50), 1),
          p99Ms: round(percentile(durations, 99), 1),
        };
        rows.push(row);
        log(
          `${spec.action.padEnd(15)} c=${String(concurrency).padStart(3)} +${latencyMs} ms: ` +
            `${String(row.perSecond).padStart(6)}/s (${row.perCpuSecond}/CPU-s)  ` +
            `p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms${refused ? `  refused ${refused}` : ''}`,
        );
      }
    }
    await emulator.close();
    if (global.gc) global.gc();
  }
  return rows;
}
