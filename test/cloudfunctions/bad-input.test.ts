/**
 * Bad input gets a clear error and nothing is written: every action of both functions, given
 * malformed params, answers BAD_REQUEST with the zod issues and leaves the database unchanged.
 */
import { adminParams, apiParams } from '../../cloudfunctions/_shared/contracts';
import { OWNER, enterAndClaim, startBackend, type TestBackend } from '../support/emulator';

let backend: TestBackend;
beforeAll(async () => {
  backend = await startBackend();
  // A user with a claim, a coupon and a group, so a refusal is not just "no data yet".
  await enterAndClaim(backend, 'visitor');
});
afterAll(() => backend.close());

/** Malformed params for every action, beyond the generic ones below. */
const specific: Record<string, Array<Record<string, unknown>>> = {
  'session.enter': [{ inviteCode: 'a b' }, { channel: 'POSTER!' }, { scene: 12 }],
  'magnet.claim': [{}, { requestId: 'short' }, { requestId: 'has spaces in it' }],
  'lottery.spin': [{}, { requestId: 42 }, { requestId: 'x'.repeat(65) }],
  'wallet.list': [{ status: 'lost' }],
  'coupon.token': [{}, { couponId: '../../etc' }, { couponId: '' }],
  'coupon.redeem': [{}, { token: '' }, { token: 'x'.repeat(201) }],
  'users.setTag': [{ userRef: 'ABC' }, { userRef: 'ABC', growthTag: 'Z' }],
  'groups.upsert': [
    { name: 'g', qrUrl: 'https://example.com/g.png', expiresAt: 'tomorrow' },
    { name: '', qrUrl: 'https://example.com/g.png', expiresAt: '2030-01-01T00:00:00Z' },
    { name: 'g', qrUrl: 'q', expiresAt: '2030-01-01T00:00:00Z', capacity: 500 },
  ],
  'campaign.put': [{}, { config: 'not an object' }],
};

const cases = (fn: 'api' | 'admin', actions: string[]) =>
  actions.flatMap((action) =>
    [{ __proto_pollution__: true, surprise: 'field' }, ...(specific[action] ?? [])].map(
      (params) => [fn, action, params] as const,
    ),
  );

const openidFor = { api: 'visitor', admin: OWNER };

describe.each([
  ...cases('api', Object.keys(apiParams)),
  ...cases('admin', Object.keys(adminParams)),
])('%s %s', (fn, action, params) => {
  it(`answers BAD_REQUEST for ${JSON.stringify(params)} and writes nothing`, async () => {
    const before = backend.snapshot();
    const { result } = await backend.emulator.invoke(
      fn,
      { action, ...params },
      { openid: openidFor[fn] },
    );
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST', message: expect.any(String), issues: expect.any(Array) },
    });
    const issues = (result as { error: { issues: unknown[] } }).error.issues;
    expect(issues.length).toBeGreaterThan(0);
    expect(backend.snapshot()).toEqual(before);
  });
});

it('answers BAD_REQUEST to events that are not objects', async () => {
  for (const event of [null, 'campaign.get', 42, ['campaign.get']]) {
    const { result } = await backend.emulator.invoke('api', event, { openid: 'visitor' });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  }
});
