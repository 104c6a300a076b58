/**
 * `npm run test:chaos`, across processes: the emulator as `npm start` runs it, `kill -9` twice in
 * the middle of a 500-visitor burst (with 5 % of database calls failing besides), restarted on the
 * same data; the clients keep retrying through the outage, then one reconciler run: every
 * invariant holds exactly, on what the journal kept.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreSnapshot } from '../../emulator/store';
import { timerEvent } from '../support/emulator';
import { spawnEmulator, type SpawnedEmulator } from '../support/spawn-emulator';
import type { Answer } from './journeys';
import { BURST, prepare, runBurst, settle, type ChaosTarget } from './scenario';

const FAULTS = { latencyMs: 1, failBeforeRate: 0.05, seed: 7 };

let dataDir: string;
let emulator: SpawnedEmulator;
/** Resolves while the emulator is up; replaced by a pending promise while it restarts. */
let up: Promise<void> = Promise.resolve();

async function post(path: string, body: object, openid?: string): Promise<Response> {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(body),
  });
}

const chaos: ChaosTarget = {
  async invoke(fn, openid, event) {
    await up;
    let res: Response;
    try {
      res = await post(`/functions/${fn}`, event, openid);
    } catch (error) {
      await up; // the link broke: the emulator died under this call
      throw error;
    }
    if (res.status === 504) throw new Error('timed out');
    return (await res.json()) as Answer;
  },
  runCron: async () => (await (await post('/functions/cron', timerEvent())).json()) as Answer,
  advanceClock: async (ms) => {
    await post('/__emulator/clock', { advanceMs: ms });
  },
  exportSnapshot: async () =>
    (await (await fetch(`${emulator.url}/__emulator/export`)).json()) as StoreSnapshot,
};

let faultsOn = false;

async function start(): Promise<void> {
  emulator = await spawnEmulator({ dataDir });
  if (faultsOn) await setFaults(FAULTS);
}

async function setFaults(faults: object): Promise<void> {
  const res = await post('/__emulator/faults', faults);
  if (res.status !== 200) throw new Error(`faults: ${res.status} ${await res.text()}`);
}

/** `kill -9` and a restart on the same data, while clients keep calling. */
async function crashAndRestart(): Promise<void> {
  let back!: () => void;
  up = new Promise((resolve) => (back = resolve));
  await emulator.kill();
  await start();
  back();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'growth-kit-chaos-'));
  await start();
});

afterAll(async () => {
  await emulator?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

it(`keeps every invariant when the emulator is killed with -9 twice during a ${BURST.visitors}-visitor burst`, async () => {
  const facts = await prepare(chaos);
  faultsOn = true;
  await setFaults(FAULTS);
  let crashes = 0;
  let calls = 0;
  const counted: typeof chaos.invoke = async (fn, openid, event) => {
    calls++;
    // Crash at fixed points of the burst, while hundreds of calls are in flight.
    if (calls === 800 || calls === 2000) {
      crashes++;
      void crashAndRestart();
    }
    return chaos.invoke(fn, openid, event);
  };
  const burst = await runBurst(counted, BURST);
  await up;
  expect(crashes).toBe(2);
  faultsOn = false;
  await setFaults({ latencyMs: 0, failBeforeRate: 0 });

  expect(await settle(chaos, facts, burst)).toEqual([]);
  console.log(
    `kill -9 twice: ${burst.calls} calls, ${burst.spins.size} spins answered, ` +
      `${burst.redemptions.length} redemptions, ${burst.gaveUp} visitors gave up`,
  );
});
