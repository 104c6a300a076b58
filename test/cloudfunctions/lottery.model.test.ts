/**
 * Model-based: random interleavings of spins, retries of earlier requestIds, stock edits and
 * injected faults (a call failing before it applies, applied with its reply lost, the invocation
 * killed) against the real `lottery.spin`, checked at every step against a small model of what
 * may be true — and, at the end (faults off, every unanswered request retried, one reconciler
 * run), the stock and spin invariants checked exactly on the export.
 */
import fc from 'fast-check';
import { ABANDONED_AFTER_MS } from '../../cloudfunctions/_shared/limits';
import { violations } from '../chaos/invariants';
import {
  OWNER,
  editCampaign,
  enter,
  runCron,
  startBackend,
  type TestBackend,
} from '../support/emulator';
import type { Envelope } from '../../cloudfunctions/_shared/contracts';

const USERS = ['u0', 'u1', 'u2'];
const FREE_SPINS = 3;
const PRIZE = 'tumbler';

interface Model {
  configured: number;
  /** answered spins, by requestId */
  answers: Map<string, { user: string; answer: any }>;
  /** requests whose outcome nobody saw (a fault): consumed or not */
  unknown: Map<string, string>;
  /** requestIds answered NO_SPINS_LEFT */
  refused: Set<string>;
  sent: Map<string, string[]>;
}

interface Real {
  backend: TestBackend;
  next: number;
}

type Faults = Parameters<TestBackend['emulator']['faults']['update']>[0];

async function spinAs(real: Real, user: string, requestId: string, faults: Faults | null) {
  if (faults) real.backend.emulator.faults.update({ ...faults, seed: real.next });
  try {
    return (
      await real.backend.emulator.invoke(
        'api',
        { action: 'lottery.spin', requestId },
        { openid: user },
      )
    ).result as Envelope<any>;
  } catch {
    return null; // killed: the caller got the platform's timeout
  } finally {
    real.backend.emulator.faults.clear();
  }
}

function answered(model: Model, user: string): number {
  return [...model.answers.values()].filter((a) => a.user === user).length;
}

function wonSoFar(model: Model): number {
  return [...model.answers.values()].filter((a) => a.answer.prize.id === PRIZE).length;
}

/** What a spin answer may be, given the model; records it. */
function check(model: Model, user: string, requestId: string, result: Envelope<any> | null) {
  if (result === null || (!result.ok && ['INTERNAL', 'CONFLICT'].includes(result.error.code))) {
    if (!model.answers.has(requestId)) model.unknown.set(requestId, user);
    return;
  }
  if (!result.ok) {
    expect(result.error.code).toBe('NO_SPINS_LEFT');
    expect(model.answers.has(requestId)).toBe(false);
    // Spins consumed: those answered, and at most the ones whose outcome is unknown.
    const maybe = [...model.unknown.values()].filter((u) => u === user).length;
    expect(answered(model, user) + maybe).toBeGreaterThanOrEqual(FREE_SPINS);
    model.refused.add(requestId);
    return;
  }
  const earlier = model.answers.get(requestId);
  if (earlier) {
    expect(result.data).toEqual(earlier.answer);
  } else {
    model.answers.set(requestId, { user, answer: result.data });
    model.unknown.delete(requestId);
    expect(answered(model, user)).toBeLessThanOrEqual(FREE_SPINS);
  }
  expect(wonSoFar(model)).toBeLessThanOrEqual(model.configured);
}

const faultArb = fc.option(
  fc.oneof(
    fc.record({ failBeforeRate: fc.constantFrom(0.3, 1) }),
    fc.record({ failAfterRate: fc.constantFrom(0.3, 1) }),
    fc.record({ killRate: fc.constantFrom(0.3, 1) }),
  ),
  { freq: 2 },
);

class Spin implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: string,
    readonly faults: Faults | null,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const requestId = `req-${this.user}-${real.next++}`;
    model.sent.set(this.user, [...(model.sent.get(this.user) ?? []), requestId]);
    check(model, this.user, requestId, await spinAs(real, this.user, requestId, this.faults));
  }
  toString = () => `spin(${this.user}, ${JSON.stringify(this.faults)})`;
}

class Retry implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly user: string,
    readonly pick: number,
    readonly faults: Faults | null,
  ) {}
  check = (model: Readonly<Model>) => (model.sent.get(this.user) ?? []).length > 0;
  async run(model: Model, real: Real) {
    const sent = model.sent.get(this.user) ?? [];
    const requestId = sent[this.pick % sent.length];
    if (model.refused.has(requestId)) return; // a refused request may be granted later: not a retry
    check(model, this.user, requestId, await spinAs(real, this.user, requestId, this.faults));
  }
  toString = () => `retry(${this.user}#${this.pick}, ${JSON.stringify(this.faults)})`;
}

class EditStock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly stock: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const current = (await real.backend.admin(OWNER, 'campaign.get')) as Envelope<any>;
    const config = JSON.parse(JSON.stringify(current.ok && current.data.config));
    for (const prize of config.lottery.prizes) if (prize.id === PRIZE) prize.stock = this.stock;
    const put = await real.backend.admin(OWNER, 'campaign.put', { config });
    if (put.ok) {
      model.configured = this.stock;
      expect(wonSoFar(model)).toBeLessThanOrEqual(this.stock);
    } else {
      // Refused only when the cut goes below what may already be won.
      expect(put.error.code).toBe('BAD_REQUEST');
      expect(wonSoFar(model) + model.unknown.size).toBeGreaterThan(this.stock);
    }
    await real.backend.emulator.advanceClock(15_000); // past the visitors' campaign cache
  }
  toString = () => `stock(${this.stock})`;
}

const retry = fc
  .tuple(fc.constantFrom(...USERS), fc.nat(20), faultArb)
  .map(([u, p, f]) => new Retry(u, p, f));
const commands = [
  fc.tuple(fc.constantFrom(...USERS), faultArb).map(([u, f]) => new Spin(u, f)),
  retry,
  retry, // retries as often as new spins: that is where exactly-once is tested
  fc.integer({ min: 0, max: 6 }).map((n) => new EditStock(n)),
];

it('keeps every spin answered once, and the stock never oversold, under any interleaving and faults', async () => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30, size: 'max' }), async (cmds) => {
      const backend = await startBackend();
      try {
        await editCampaign(backend, (config) => {
          config.lottery.dailyFreeSpins = FREE_SPINS;
          for (const prize of config.lottery.prizes) {
            if (prize.id === PRIZE) Object.assign(prize, { weight: 5000, stock: 2 });
          }
        });
        for (const user of USERS) await enter(backend, user);
        const model: Model = {
          configured: 2,
          answers: new Map(),
          unknown: new Map(),
          refused: new Set(),
          sent: new Map(),
        };
        const real: Real = { backend, next: 0 };
        await fc.asyncModelRun(() => ({ model, real }), cmds);

        // Faults off: every unanswered request retried, then one reconciler run.
        for (const [requestId, user] of [...model.unknown]) {
          check(model, user, requestId, await spinAs(real, user, requestId, null));
        }
        await backend.emulator.advanceClock(ABANDONED_AFTER_MS + 60_000);
        expect((await runCron(backend)).ok).toBe(true);
        const problems = violations(backend.snapshot(), {
          campaignId: 'demo-opening',
          stock: { [PRIZE]: model.configured },
          invitesRequired: 3,
          repurchase: true,
        }).filter((p) => !/^(cash|off|tote|demo-opening:(cash|off|tote))/.test(p));
        expect(problems).toEqual([]);
      } finally {
        await backend.close();
      }
    }),
    { numRuns: 25, seed: 8, endOnFailure: true },
  );
});
