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
  'session.enter': [
    { inviteCode: 'a b' },
    { channel: 'POSTER!' },
    { scene: 12 },
    { inviteCode: 'toString' },
    { channel: '__proto__' },
  ],
  'magnet.claim': [
    {},
    { requestId: 'short' },
    { requestId: 'has spaces in it' },
    { requestId: '__proto__' },
  ],
  'lottery.spin': [
    {},
    { requestId: 42 },
    { requestId: 'x'.repeat(65) },
    { requestId: 'constructor' },
    { requestId: 'hasOwnProperty' },
  ],
  'wallet.list': [{ status: 'lost' }],
  'coupon.token': [{}, { couponId: '../../etc' }, { couponId: '' }, { couponId: 'valueOf' }],
  'coupon.redeem': [{}, { token: '' }, { token: 'x'.repeat(201) }],
  'users.setTag': [{ userRef: 'ABC' }, { userRef: 'ABC', growthTag: 'Z' }],
  'groups.upsert': [
    { name: 'g', qrUrl: 'https://example.com/g.png', expiresAt: 'tomorrow' },
    { name: '', qrUrl: 'https://example.com/g.png', expiresAt: '2030-01-01T00:00:00Z' },
    { name: 'g', qrUrl: 'q', expiresAt: '2030-01-01T00:00:00Z', capacity: 500 },
    { id: 'constructor', name: 'g', qrUrl: 'q', expiresAt: '2030-01-01T00:00:00Z' },
  ],
  'campaign.put': [{}, { config: 'not an object' }],
  // Operator studio (issue 9)
  'campaign.get': [{ id: '' }, { id: '__proto__' }],
  'campaign.create': [
    {},
    { cloneOf: 'demo-opening', config: {} },
    { config: {}, id: 'x' },
    { cloneOf: 'constructor' },
    { config: 'text' },
  ],
  'campaign.update': [
    { id: 'demo-opening', config: {} },
    { id: 'demo-opening', config: {}, expectedUpdatedAt: 'yesterday' },
    { id: 'a.b', config: {}, expectedUpdatedAt: '2030-01-01T00:00:00Z' },
  ],
  'campaign.setStatus': [{ id: 'demo-opening' }, { id: 'demo-opening', status: 'draft' }],
  'campaign.adjustStock': [
    { id: 'demo-opening', prizeId: 'tumbler', delta: 0 },
    { id: 'demo-opening', prizeId: 'tumbler', delta: 1.5 },
    { id: 'demo-opening', prizeId: 'toString', delta: 1 },
  ],
  'campaign.simulate': [
    { assumptions: { claimRate: 2 } },
    { assumptions: { visitorsPerDay: { Poster: 3 } } },
    { bands: { runs: 5, seed: 1 } },
    { bands: { runs: 10 } },
  ],
  'admins.remove': [{}, { ref: 'demo-admin' }],
  'admins.createBindCode': [
    { role: 'king', name: 'x' },
    { role: 'staff', name: '' },
  ],
  'admin.bind': [{}, { code: '' }, { code: 'x'.repeat(25) }],
  // People console (issue 13)
  'users.find': [{}, { code: '' }, { code: 'x'.repeat(301) }],
  'users.get': [{}, { userRef: 'A' }, { userRef: 'toString' }, { userRef: 'AB CD' }],
  'users.list': [{ tag: 'Z' }, { limit: 0 }, { limit: 101 }, { cursor: '' }, { blocked: 'yes' }],
  'users.block': [{ userRef: 'ABCDEFGH' }, { userRef: 'ABCDEFGH', reason: '   ' }],
  'users.unblock': [{ userRef: 'ABCDEFGH', reason: 'x'.repeat(201) }],
  'users.promote': [
    { userRef: 'ABCDEFGH', level: 3 },
    { userRef: 'ABCDEFGH', level: 1.5 },
  ],
  'holds.list': [{ limit: -1 }],
  'holds.approve': [{}, { userRef: '__proto__' }],
  'holds.reject': [{ userRef: 'ABCDEFGH' }],
  'koc.list': [{ channel: 'KOL!' }, { limit: 1000 }],
  'koc.grant': [
    { userRef: 'ABCDEFGH', requestId: 'grant-000001' },
    {
      userRef: 'ABCDEFGH',
      requestId: 'grant-000001',
      templateId: 'cash-5-free',
      prizeId: 'tumbler',
    },
    { userRef: 'ABCDEFGH', requestId: 'short', templateId: 'cash-5-free' },
  ],
  'export.create': [{}, { kind: 'everything' }, { kind: 'members', filter: { tag: 'Z' } }],
  'export.get': [{}, { jobId: '../x' }],
  'audit.list': [{ limit: 'ten' }],
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
    const issues = (result as { error: { issues: Array<{ message: string }> } }).error.issues;
    expect(issues.length).toBeGreaterThan(0);
    // worded by the contract, not zod/mini's bare default
    for (const { message } of issues) expect(message).not.toMatch(/^Invalid input/);
    expect(backend.snapshot()).toEqual(before);
  });
});

it('refuses an id that is an Object.prototype name at once, saying why', async () => {
  // a spin with requestId "constructor" used to wait 4 s for a recorded spin that never came
  const { result } = await backend.emulator.invoke(
    'api',
    { action: 'lottery.spin', requestId: 'constructor' },
    { openid: 'visitor' },
  );
  expect(result).toEqual({
    ok: false,
    error: {
      code: 'BAD_REQUEST',
      message:
        'invalid params for lottery.spin: requestId: must not be "constructor", a name every JavaScript object already has',
      issues: [
        {
          path: 'requestId',
          message: 'must not be "constructor", a name every JavaScript object already has',
        },
      ],
    },
  });
});

it('words the issues of every kind of check', async () => {
  const issuesOf = async (fn: 'api' | 'admin', event: object) => {
    const { result } = await backend.emulator.invoke(fn, event, {
      openid: openidFor[fn],
    });
    return (result as { error: { issues: unknown[] } }).error.issues;
  };
  expect(await issuesOf('api', { action: 'magnet.claim' })).toEqual([
    { path: 'requestId', message: 'is required' },
  ]);
  expect(await issuesOf('api', { action: 'session.enter', scene: 'x'.repeat(33) })).toEqual([
    { path: 'scene', message: 'must be at most 32 characters' },
  ]);
  expect(await issuesOf('api', { action: 'wallet.list', status: 'lost' })).toEqual([
    { path: 'status', message: 'must be one of "available", "redeemed", "expired"' },
  ]);
  expect(await issuesOf('api', { action: 'campaign.get', surprise: 1 })).toEqual([
    { path: '(params)', message: 'unknown field: surprise' },
  ]);
  expect(
    await issuesOf('admin', {
      action: 'groups.upsert',
      name: '',
      qrUrl: 'q',
      expiresAt: 'tomorrow',
      capacity: 2.5,
      active: 'yes',
    }),
  ).toEqual([
    { path: 'name', message: 'must not be empty' },
    {
      path: 'expiresAt',
      message: 'must be an ISO-8601 instant with an offset or Z, e.g. 2025-03-01T10:00:00+08:00',
    },
    { path: 'capacity', message: 'must be a whole number' },
    { path: 'active', message: 'must be of type boolean' },
  ]);
});

it('answers BAD_REQUEST to events that are not objects', async () => {
  for (const event of [null, 'campaign.get', 42, ['campaign.get']]) {
    const { result } = await backend.emulator.invoke('api', event, { openid: 'visitor' });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  }
});
