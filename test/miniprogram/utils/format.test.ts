import {
  couponLabel,
  couponStatusText,
  fenToYuan,
  formatCount,
  formatDate,
  formatDateTime,
  formatFen,
} from '../../../miniprogram/utils/format';

test('money in fen reads like a menu price', () => {
  expect(formatFen(1250)).toBe('¥12.5');
  expect(formatFen(1200)).toBe('¥12');
  expect(formatFen(1205)).toBe('¥12.05');
  expect(formatFen(5)).toBe('¥0.05');
  expect(formatFen(0)).toBe('¥0');
  expect(formatFen(-350)).toBe('-¥3.5');
  expect(formatFen(99.6)).toBe('¥1');
  expect(fenToYuan(5000)).toBe('50');
});

describe('dates in Asia/Shanghai, whatever the phone zone', () => {
  const original = process.env.TZ;
  afterEach(() => {
    process.env.TZ = original;
  });

  test.each(['Asia/Shanghai', 'UTC', 'America/Los_Angeles', 'Pacific/Kiritimati'])(
    'under TZ=%s',
    (zone) => {
      process.env.TZ = zone;
      // 23:30 UTC is 07:30 the next day in Shanghai
      expect(formatDateTime('2025-02-28T23:30:00Z')).toBe('03-01 07:30');
      expect(formatDate('2025-02-28T23:30:00Z')).toBe('2025-03-01');
      expect(formatDateTime('2025-12-31T16:00:00.000Z')).toBe('01-01 00:00');
      expect(formatDate('2025-12-31T15:59:59+00:00')).toBe('2025-12-31');
      expect(formatDateTime('2025-06-01T09:05:00+08:00')).toBe('06-01 09:05');
    },
  );

  test('an unreadable date shows nothing rather than NaN', () => {
    expect(formatDateTime('')).toBe('');
    expect(formatDate('soon')).toBe('');
  });
});

test('counts get thousands separators', () => {
  expect(formatCount(0)).toBe('0');
  expect(formatCount(999)).toBe('999');
  expect(formatCount(1000)).toBe('1,000');
  expect(formatCount(1234567)).toBe('1,234,567');
  expect(formatCount(-12345)).toBe('-12,345');
});

test('coupon labels', () => {
  expect(couponLabel({ kind: 'discount', rate: 0.8 })).toBe('8折');
  expect(couponLabel({ kind: 'discount', rate: 0.85 })).toBe('8.5折');
  expect(couponLabel({ kind: 'discount', rate: 0.95 })).toBe('9.5折');
  expect(couponLabel({ kind: 'cash', threshold: 5000, amount: 1000 })).toBe('满50减10');
  expect(couponLabel({ kind: 'cash', threshold: 9900, amount: 550 })).toBe('满99减5.5');
  expect(couponLabel({ kind: 'cash', amount: 500 })).toBe('立减5元');
  expect(couponStatusText('available')).toBe('可使用');
  expect(couponStatusText('redeemed')).toBe('已使用');
  expect(couponStatusText('expired')).toBe('已过期');
});
