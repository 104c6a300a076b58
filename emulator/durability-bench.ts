/**
 * How long a commit waits for the disk, under load: prints figures, asserts nothing.
 *
 *   npx esbuild emulator/durability-bench.ts --bundle --platform=node --packages=external \
 *     --outfile=dist/durability-bench.js --log-level=warning && node dist/durability-bench.js
 *
 * Two runs on a persistent data folder (a temporary one):
 * 1. the database alone: 32 concurrent writers, each 400 writes (an insert, then an update);
 * 2. the real `api` function: 200 visitors entering and claiming, 50 at a time (run `npm run
 *    build` first).
 * For each: writes per second, the time a caller waits for its answer, and the window the journal
 * leaves between a commit (visible in memory) and its fsync — the longest a crash could undo a
 * commit no caller has been told about. An answered write is on disk by construction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createDatabase } from './database';
import { Emulator } from './emulator';
import type { DurableBatch } from './journal';
import { DocumentStore } from './store';

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function describe(label: string, ms: number[]): string {
  return `${label.padEnd(34)} p50 ${percentile(ms, 50).toFixed(2)} ms   p99 ${percentile(ms, 99).toFixed(2)} ms   max ${Math.max(...ms).toFixed(2)} ms`;
}

function report(
  title: string,
  writes: number,
  elapsedMs: number,
  acks: number[],
  batches: DurableBatch[],
) {
  const windows = batches.map((b) => b.durableAt - b.firstAppendedAt);
  const records = batches.reduce((n, b) => n + b.records, 0);
  console.log(`\n${title}`);
  console.log(
    `  ${writes} writes in ${elapsedMs.toFixed(0)} ms: ${((writes / elapsedMs) * 1000).toFixed(0)} writes/s`,
  );
  console.log(`  ${describe('answer (caller waits)', acks)}`);
  console.log(`  ${describe('commit → on disk (crash window)', windows)}`);
  console.log(
    `  ${batches.length} fsyncs, ${(records / Math.max(1, batches.length)).toFixed(1)} records per fsync (group commit)`,
  );
}

async function databaseAlone(dir: string): Promise<void> {
  const batches: DurableBatch[] = [];
  const store = DocumentStore.open({
    dataDir: dir,
    collections: ['events'],
    journal: { onDurable: (batch) => batches.push(batch) },
  });
  const db = createDatabase({ store });
  const acks: number[] = [];
  const writers = 32;
  const perWriter = 200;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_v, w) => {
      for (let i = 0; i < perWriter; i++) {
        let t = performance.now();
        await db.collection('events').add({ _id: `w${w}-${i}`, w, i, payload: 'x'.repeat(200) });
        acks.push(performance.now() - t);
        t = performance.now();
        await db.collection('events').doc(`w${w}-${i}`).update({ seen: true });
        acks.push(performance.now() - t);
      }
    }),
  );
  report(
    'database, 32 writers',
    writers * perWriter * 2,
    performance.now() - started,
    acks,
    batches,
  );
  await store.close();
}

async function realFunctions(dir: string): Promise<void> {
  const batches: DurableBatch[] = [];
  const emulator = await Emulator.start({
    dataDir: dir,
    journal: { onDurable: (batch) => batches.push(batch) },
  });
  batches.length = 0; // the seeding is not the load
  const acks: number[] = [];
  const visitors = 200;
  const concurrency = 50;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < visitors) {
        const openid = `bench-${next++}`;
        for (const event of [
          { action: 'session.enter', channel: 'poster' },
          { action: 'magnet.claim', requestId: `claim-${openid}` },
        ]) {
          const t = performance.now();
          await emulator.invoke('api', event, { openid });
          acks.push(performance.now() - t);
        }
      }
    }),
  );
  const records = batches.reduce((n, b) => n + b.records, 0);
  report(
    `api function, ${visitors} visitors entering and claiming, ${concurrency} at a time (answers are whole invocations)`,
    records,
    performance.now() - started,
    acks,
    batches,
  );
  await emulator.close();
}

async function main(): Promise<void> {
  for (const run of [databaseAlone, realFunctions]) {
    const dir = mkdtempSync(join(tmpdir(), 'growth-kit-durability-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
