import type { Coupon } from '../../../cloudfunctions/_shared/contracts';
import { groupWallet, WALLET_TABS } from '../../../miniprogram/utils/wallet';

function coupon(id: string, fields: Partial<Coupon>): Coupon {
  return {
    id,
    templateId: 't',
    title: `券 ${id}`,
    label: '8折',
    kind: 'discount',
    rate: 0.8,
    status: 'available',
    source: 'lottery',
    issuedAt: '2025-03-01T10:00:00+08:00',
    expiresAt: '2025-03-10T00:00:00+08:00',
    ...fields,
  };
}

test('the tabs, in order: 可使用, 已使用, 已过期', () => {
  expect(WALLET_TABS.map((t) => [t.status, t.title])).toEqual([
    ['available', '可使用'],
    ['redeemed', '已使用'],
    ['expired', '已过期'],
  ]);
});

test('splits by status; each tab in the order a visitor reads it', () => {
  const groups = groupWallet([
    coupon('a-late', { expiresAt: '2025-03-20T00:00:00+08:00' }),
    coupon('r-old', { status: 'redeemed', redeemedAt: '2025-03-02T10:00:00+08:00' }),
    coupon('e-old', { status: 'expired', expiresAt: '2025-02-01T00:00:00+08:00' }),
    coupon('a-soon', { expiresAt: '2025-03-05T00:00:00+08:00' }),
    coupon('r-new', { status: 'redeemed', redeemedAt: '2025-03-04T10:00:00+08:00' }),
    coupon('e-new', { status: 'expired', expiresAt: '2025-02-20T00:00:00+08:00' }),
  ]);
  const ids = (list: Coupon[]) => list.map((c) => c.id);
  // available: the one expiring soonest first
  expect(ids(groups.available)).toEqual(['a-soon', 'a-late']);
  // used: the latest use first
  expect(ids(groups.redeemed)).toEqual(['r-new', 'r-old']);
  // expired: the latest expiry first
  expect(ids(groups.expired)).toEqual(['e-new', 'e-old']);
});

test('an empty wallet gives three empty tabs, and the input is left alone', () => {
  expect(groupWallet([])).toEqual({ available: [], redeemed: [], expired: [] });
  const input = [coupon('b', { expiresAt: '2025-03-09T00:00:00+08:00' }), coupon('a', {})];
  const copy = input.map((c) => c.id);
  groupWallet(input);
  expect(input.map((c) => c.id)).toEqual(copy);
});
