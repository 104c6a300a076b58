/** What the sections of `npm run bench` share: concurrency, percentiles, the machine. */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Emulator, type EmulatorOptions } from '../../emulator/emulator';

/** Runs `run` over `items` with at most `concurrency` at a time; answers each call's duration (ms). */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T) => Promise<unknown>,
): Promise<number[]> {
  const durations = new Array<number>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) {
        const start = performance.now();
        await run(items[i]);
        durations[i] = performance.now() - start;
      }
    }),
  );
  return durations;
}

/** The p-th percentile (0–100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: readonly number[]) => percentile(values, 50);

export const round = (value: number, digits = 1) => Number(value.toFixed(digits));

/** Wall time and CPU time of `run`, in ms. */
export async function timed<T>(
  run: () => Promise<T>,
): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const { user, system } = process.cpuUsage(cpu);
  return { value, ms: performance.now() - start, cpuMs: (user + system) / 1000 };
}

/** A fresh in-memory emulator with the demo seeded, as the tests use it. */
export function freshEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return Emulator.start({ dataDir: null, ...options });
}

export interface Answer {
  ok: boolean;
  data?: any;
  error?: { code: string; message?: string };
}

/** One call as `openid`; answers the envelope and the invocation's database figures. */
export async function invoke(
  emulator: Emulator,
  fn: 'api' | 'admin' | 'cron',
  openid: string,
  event: object,
) {
  const res = await emulator.invoke<Answer>(fn, event, { openid });
  return res;
}

/** Calls and fails loudly on anything but `ok` (setting a bench up must not half work). */
export async function must(
  emulator: Emulator,
  fn: 'api' | 'admin',
  openid: string,
  event: object,
): Promise<any> {
  const { result } = await emulator.invoke<Answer>(fn, event, { openid });
  if (!result.ok) throw new Error(`${fn} ${JSON.stringify(event)}: ${JSON.stringify(result)}`);
  return result.data;
}

/** Edits the active campaign through campaign.put, and moves past the containers' campaign cache. */
export async function editCampaign(
  emulator: Emulator,
  edit: (config: Record<string, any>) => void,
): Promise<void> {
  const current = await must(emulator, 'admin', 'demo-admin', { action: 'campaign.get' });
  const config = JSON.parse(JSON.stringify(current.config));
  edit(config);
  await must(emulator, 'admin', 'demo-admin', { action: 'campaign.put', config });
  await emulator.advanceClock(60_000);
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
}

export function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: round(totalmem() / 2 ** 30, 0),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

/** The commit the figures were measured on (and whether the tree had changes). */
export function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim();
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
}

/** Prints a section title and answers a logger for its lines. */
export function section(title: string): (line: string) => void {
  console.log(`\n${title}`);
  return (line) => console.log(`  ${line}`);
}
