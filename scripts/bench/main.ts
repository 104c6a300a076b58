/**
 * `npm run bench`'s measurements in one process (scripts/bench.mjs bundles and starts it, with
 * the heap a million members need, after timing the cold starts and sizing the packages). Writes
 * bench/results.json and docs/PERFORMANCE.md from one run. Figures, never assertions: the budgets
 * that are counts or sizes are tests (see docs/PERFORMANCE.md).
 *
 *   --quick           smaller sizes, to try the bench out (never written to bench/ or docs/)
 *   --only=a,b        only these sections (printed, not written): round-trips, journey,
 *                     throughput, hot-document, scale, campaign
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hotDocument } from './hot-document';
import { renderPerformance, type BenchResults, type ParentFigures } from './report';
import { journey, planCapacity, roundTrips } from './round-trips';
import { scale } from './scale';
import { simulateCampaign } from './campaign';
import { commit, machine, round } from './support';
import { throughput } from './throughput';

const root = join(__dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only =
  args
    .find((a) => a.startsWith('--only='))
    ?.slice(7)
    .split(',') ?? null;
const input = args.find((a) => a.startsWith('--input='))?.slice(8);
const wants = (name: string) => !only || only.includes(name);

async function main(): Promise<void> {
  // the emulated clock moves (the campaign runs for days): the run is timed by the process
  const started = performance.now();
  const parent = (input ? JSON.parse(readFileSync(input, 'utf8')) : {}) as Partial<ParentFigures>;
  const results: Partial<BenchResults> = {
    run: {
      date: new Date().toISOString(),
      commit: commit(),
      machine: machine(),
      quick,
      seconds: 0,
    },
    ...parent,
  };
  if (wants('round-trips')) results.roundTrips = await roundTrips();
  if (wants('journey')) {
    const measured = await journey();
    results.journey = { ...measured, plans: planCapacity(measured.totals) };
  }
  if (wants('throughput')) results.throughput = await throughput(quick ? 0.3 : 1);
  if (wants('hot-document')) results.hotDocument = await hotDocument(5, quick ? 300 : 1000);
  if (wants('scale')) {
    results.scale = await scale(quick ? [1_000, 20_000] : [1_000, 100_000, 1_000_000]);
  }
  if (wants('campaign')) results.campaign = await simulateCampaign(quick ? 5_000 : 100_000);
  results.run!.seconds = round((performance.now() - started) / 1000, 0);

  if (quick || only) {
    const out = join(root, 'dist', 'bench-partial.json');
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n(a partial run: figures in ${out}; bench/ and docs/ are written by a full run)`);
    return;
  }
  mkdirSync(join(root, 'bench'), { recursive: true });
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, 'docs', 'PERFORMANCE.md'), renderPerformance(results as BenchResults));
  console.log('\nWrote bench/results.json and docs/PERFORMANCE.md');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
