import { PROTOTYPE_KEYS, adminParams, apiParams } from '../../../cloudfunctions/_shared/contracts';

type Schema = { safeParse(input: unknown): { success: boolean; error?: { issues: any[] } } };

/** Every id of the contract, each with valid params around it. */
const ids: Array<[string, string, Schema, Record<string, unknown>]> = [
  ['magnet.claim', 'requestId', apiParams['magnet.claim'], {}],
  ['lottery.spin', 'requestId', apiParams['lottery.spin'], {}],
  ['session.enter', 'inviteCode', apiParams['session.enter'], {}],
  ['session.enter', 'channel', apiParams['session.enter'], {}],
  ['coupon.token', 'couponId', apiParams['coupon.token'], {}],
  [
    'groups.upsert',
    'id',
    adminParams['groups.upsert'],
    { name: '一群', qrUrl: 'cloud://env/groups/1.png', expiresAt: '2030-01-01T00:00:00Z' },
  ],
];

const RESERVED = /^must not be "(.+)", a name every JavaScript object already has$/;

it('lists exactly the names Object.prototype owns', () => {
  expect([...PROTOTYPE_KEYS]).toEqual(Object.getOwnPropertyNames(Object.prototype).sort());
});

describe.each(ids)('%s %s', (_action, field, schema, company) => {
  it.each([...PROTOTYPE_KEYS])('refuses %j with one issue at the field', (key) => {
    const result = schema.safeParse({ ...company, [field]: key });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([expect.objectContaining({ path: [field] })]);
  });
});

it.each([
  ['lottery.spin', 'requestId', 'constructor', 'Constructor'],
  ['magnet.claim', 'requestId', '__proto__', '__proto__x'],
  ['session.enter', 'inviteCode', 'toString', 'toStrin9'],
  ['session.enter', 'channel', '__proto__', '__proto'],
  ['coupon.token', 'couponId', 'hasOwnProperty', 'hasOwnProperty2'],
] as const)(
  '%s refuses %s %j by name, and takes %j (case-sensitive, exact)',
  (action, field, key, near) => {
    const schema = apiParams[action] as Schema;
    const refused = schema.safeParse({ [field]: key });
    expect(refused.error?.issues.map((i) => i.message)).toEqual([
      `must not be "${key}", a name every JavaScript object already has`,
    ]);
    expect(refused.error?.issues[0].message).toMatch(RESERVED);
    expect(schema.safeParse({ [field]: near }).success).toBe(true);
  },
);

it('words a malformed id by its kind', () => {
  const result = apiParams['lottery.spin'].safeParse({ requestId: 'has spaces in it' });
  expect(result.error?.issues.map((i) => [i.path, i.message])).toEqual([
    [['requestId'], 'must be 8–64 characters: letters, digits, _ or -'],
  ]);
});
