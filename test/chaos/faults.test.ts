/**
 * `npm run test:chaos`, in process: a 500-visitor burst under each fault mode at 10 % of
 * database calls — failing before it applies, applied with its reply lost, and the whole
 * invocation killed at that call (as a timeout kills it) — with the clients' retries and
 * visitors who give up, then one reconciler run: every invariant holds exactly.
 */
import { startBackend, timerEvent, type TestBackend } from '../support/emulator';
import { BURST, prepare, runBurst, settle, type ChaosTarget } from './scenario';

function target(backend: TestBackend): ChaosTarget {
  return {
    invoke: async (fn, openid, event) =>
      (await backend.emulator.invoke(fn, event, { openid })).result as never,
    runCron: async () =>
      (await backend.emulator.invoke('cron', timerEvent(), { openid: '' })).result as never,
    advanceClock: async (ms) => {
      await backend.emulator.advanceClock(ms);
    },
    exportSnapshot: async () => backend.snapshot(),
  };
}

describe.each([
  ['a call fails before it applies', { failBeforeRate: 0.1 }],
  ['a call applies and its reply is lost', { failAfterRate: 0.1 }],
  ['the invocation is killed at a call', { killRate: 0.1 }],
  ['all three at once', { failBeforeRate: 0.04, failAfterRate: 0.04, killRate: 0.04 }],
])('%s (10 %)', (mode, faults) => {
  let backend: TestBackend;
  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(() => backend.close());

  it(`ends a ${BURST.visitors}-visitor burst, its retries and one reconciler run with every invariant holding`, async () => {
    const chaos = target(backend);
    const facts = await prepare(chaos);
    const problems = backend.emulator.faults.update({ latencyMs: 1, seed: 20261202, ...faults });
    expect(problems).toEqual([]);
    const burst = await runBurst(chaos.invoke, BURST);
    backend.emulator.faults.clear();

    // The faults happened, and people gave up: this was not a quiet day.
    expect(burst.calls).toBeGreaterThan(BURST.visitors * 6);
    expect(burst.gaveUp).toBeGreaterThan(0);
    expect(burst.spins.size).toBeGreaterThan(BURST.visitors * 0.8);
    expect(burst.redemptions.length).toBeGreaterThan(0);

    expect(await settle(chaos, facts, burst)).toEqual([]);
    // The round's figures, for docs/RELIABILITY.md.
    console.log(
      `${mode}: ${burst.calls} calls, ${burst.spins.size} spins answered, ` +
        `${burst.redemptions.length} redemptions, ${burst.gaveUp} visitors gave up`,
    );
  });
});
