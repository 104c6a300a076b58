/**
 * Property: whatever a client sends, every action answers `ok` or a clear expected error —
 * never INTERNAL — and a BAD_REQUEST writes nothing. Params are generated from nothing
 * (any JSON value), from the action's own keys with any values, and from near-misses of valid
 * values (prototype names, huge strings, wrong types).
 */
import fc from 'fast-check';
import { adminParams, apiParams } from '../../cloudfunctions/_shared/contracts';
import { OWNER, enterAndClaim, startBackend, type TestBackend } from '../support/emulator';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startBackend();
  await enterAndClaim(backend, 'visitor');
});
afterAll(() => backend.close());

/** The keys an action's schema declares (zod classic and mini keep them on the shape). */
function keysOf(schema: unknown): string[] {
  const s = schema as { shape?: object; _zod?: { def?: { shape?: object } } };
  return Object.keys(s.shape ?? s._zod?.def?.shape ?? {});
}

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** Values that sit near the edge of what an id, a code or a time may be. */
const edgy = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.constantFrom('', ' ', 'a.b', '$where', '../x', 'A'.repeat(70), '2025-13-40T99:00:00Z'),
  fc.string({ maxLength: 80 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

function paramsFor(schema: unknown) {
  const keys = keysOf(schema);
  const own =
    keys.length > 0
      ? fc.record(Object.fromEntries(keys.map((k) => [k, edgy])), { requiredKeys: [] })
      : fc.constant({});
  return fc.oneof(
    own,
    fc.anything({ maxDepth: 2 }),
    fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string()), edgy, {
      maxKeys: 4,
    }),
  );
}

const EXPECTED_REFUSALS = new Set([
  'BAD_REQUEST',
  'NOT_FOUND',
  'CAMPAIGN_NOT_ACTIVE',
  'CLAIM_WINDOW_CLOSED',
  'NO_SPINS_LEFT',
  'COUPON_EXPIRED',
  'COUPON_ALREADY_REDEEMED',
  'BAD_TOKEN',
  'GROUP_UNAVAILABLE',
  'CONFLICT',
  'RATE_LIMITED',
  // Rewards (issue 12): a member code before the card is unlocked
  'BLACK_CARD_LOCKED',
  // People console (issue 13): leader.get for someone who is not a leader (团长)
  'FORBIDDEN',
]);

async function check(fn: 'api' | 'admin', openid: string, action: string, params: unknown) {
  const before = backend.snapshot();
  const event =
    params && typeof params === 'object' && !Array.isArray(params)
      ? { ...(params as object), action }
      : { action, params };
  const { result } = await backend.emulator.invoke(fn, event, { openid });
  const answer = result as { ok: boolean; error?: { code: string } };
  if (answer.ok) return;
  const code = answer.error?.code ?? '(none)';
  if (!EXPECTED_REFUSALS.has(code)) {
    throw new Error(`${fn}.${action} ${JSON.stringify(event)} answered ${code}`);
  }
  if (code === 'BAD_REQUEST') expect(backend.snapshot()).toEqual(before);
}

describe.each(Object.entries(apiParams))('api %s', (action, schema) => {
  it('answers ok or an expected refusal, and writes nothing when refusing bad input', async () => {
    await fc.assert(
      fc.asyncProperty(paramsFor(schema), (params) => check('api', 'visitor', action, params)),
      { numRuns: 25, seed: 20261202 },
    );
  });
});

describe.each(Object.entries(adminParams))('admin %s', (action, schema) => {
  it('answers ok or an expected refusal, and writes nothing when refusing bad input', async () => {
    await fc.assert(
      fc.asyncProperty(paramsFor(schema), (params) => check('admin', OWNER, action, params)),
      { numRuns: 25, seed: 20261202 },
    );
  });
});
