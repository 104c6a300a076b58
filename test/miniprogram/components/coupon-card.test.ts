/** @jest-environment jsdom */
import type { Coupon } from '../../../cloudfunctions/_shared/contracts';
import { attrOf, classesOf, listen, mount, tap, textOf } from '../support/simulate';

const base: Coupon = {
  id: 'cpn_1',
  templateId: 'tpl_8off',
  title: '全场饮品 8 折',
  label: '8折',
  kind: 'discount',
  rate: 0.8,
  status: 'available',
  source: 'lottery',
  issuedAt: '2025-03-01T02:00:00.000Z',
  expiresAt: '2025-03-08T15:59:00.000Z',
};

function card(coupon: Coupon, props: Record<string, unknown> = {}) {
  const comp = mount('components/coupon-card/index', { coupon, ...props });
  return { comp, selects: listen(comp, 'select'), root: () => comp.querySelector('.coupon') };
}

test('an available coupon shows its value, title and expiry in Shanghai time, and is tappable', async () => {
  const { comp, selects, root } = card(base);
  expect(textOf(comp.querySelector('.coupon__label'))).toBe('8折');
  expect(textOf(comp.querySelector('.coupon__source'))).toBe('抽奖所得');
  expect(textOf(comp.querySelector('.coupon__title'))).toBe('全场饮品 8 折');
  expect(textOf(comp.querySelector('.coupon__note'))).toBe('有效期至 03-08 23:59');
  expect(textOf(comp.querySelector('.coupon__action'))).toBe('去使用');
  expect(comp.querySelector('.coupon__stamp')).toBeUndefined();
  expect(classesOf(root())).not.toContain('coupon--disabled');

  await tap(root());
  expect(selects).toEqual([{ id: 'cpn_1' }]);
});

test('not selectable (its own page): no 去使用, no press effect, taps ignored', async () => {
  const { comp, selects, root } = card(base, { selectable: false });
  expect(textOf(comp.querySelector('.coupon__label'))).toBe('8折');
  expect(comp.querySelector('.coupon__action')).toBeUndefined();
  expect(attrOf(root(), 'hover-class')).toBe('none');
  await tap(root());
  expect(selects).toEqual([]);
});

test('a used coupon is stamped 已使用, shows when it was redeemed, and ignores taps', async () => {
  const { comp, selects, root } = card({
    ...base,
    status: 'redeemed',
    redeemedAt: '2025-03-02T06:30:00.000Z',
  });
  expect(textOf(comp.querySelector('.coupon__stamp'))).toBe('已使用');
  expect(textOf(comp.querySelector('.coupon__note'))).toBe('03-02 14:30 已核销');
  expect(classesOf(root())).toContain('coupon--disabled');
  expect(comp.querySelector('.coupon__action')).toBeUndefined();
  await tap(root());
  expect(selects).toEqual([]);
});

test('an expired coupon is stamped 已过期 and ignores taps', async () => {
  const { comp, selects, root } = card({ ...base, status: 'expired', source: 'magnet' });
  expect(textOf(comp.querySelector('.coupon__stamp'))).toBe('已过期');
  expect(textOf(comp.querySelector('.coupon__note'))).toBe('03-08 23:59 已过期');
  expect(textOf(comp.querySelector('.coupon__source'))).toBe('新客礼');
  expect(classesOf(root())).toContain('coupon--disabled');
  await tap(root());
  expect(selects).toEqual([]);
});

test('a long label gets the smaller size, and a missing label is built from the terms', () => {
  const cash: Coupon = {
    ...base,
    kind: 'cash',
    rate: undefined,
    threshold: 5000,
    amount: 1000,
    label: '',
  };
  const { comp } = card(cash);
  const label = comp.querySelector('.coupon__label');
  expect(textOf(label)).toBe('满50减10');
  expect(classesOf(label)).toContain('coupon__label--long');
});

test('follows a changed coupon', () => {
  const { comp, root } = card(base);
  comp.setData({ coupon: { ...base, status: 'expired' } });
  expect(classesOf(root())).toContain('coupon--disabled');
  expect(textOf(comp.querySelector('.coupon__stamp'))).toBe('已过期');
});
