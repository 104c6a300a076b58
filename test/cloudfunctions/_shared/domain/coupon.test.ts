import {
  couponExpiry,
  couponStatus,
  describeCouponTemplate,
  formatYuan,
} from '../../../../cloudfunctions/_shared/domain/coupon';

describe('couponExpiry', () => {
  const issuedAt = new Date('2025-03-10T07:00:00Z'); // Monday 15:00 Shanghai

  it('lasts to the end of the Shanghai day validDays after issue', () => {
    expect(couponExpiry({ validDays: 1 }, issuedAt).toISOString()).toBe('2025-03-11T15:59:59.999Z');
    expect(couponExpiry({ validDays: 7 }, issuedAt).toISOString()).toBe('2025-03-17T15:59:59.999Z');
    expect(couponExpiry({ validDays: 0 }, issuedAt).toISOString()).toBe('2025-03-10T15:59:59.999Z');
  });

  it('counts from the Shanghai day of issue, not the UTC one', () => {
    // 00:30 on 11 March in Shanghai is still 10 March in UTC.
    const justAfterMidnight = new Date('2025-03-10T16:30:00Z');
    expect(couponExpiry({ validDays: 1 }, justAfterMidnight).toISOString()).toBe(
      '2025-03-12T15:59:59.999Z',
    );
  });

  it('uses validUntil as given, whenever issued', () => {
    const validUntil = '2025-03-31T00:00:00+08:00';
    expect(couponExpiry({ validUntil }, issuedAt).toISOString()).toBe('2025-03-30T16:00:00.000Z');
  });
});

describe('couponStatus', () => {
  const expiresAt = new Date('2025-03-11T15:59:59.999Z');

  it('is available up to and including the last valid instant', () => {
    expect(couponStatus({ expiresAt }, new Date('2025-03-11T15:59:59.999Z'))).toBe('available');
    expect(couponStatus({ expiresAt, redeemedAt: null }, new Date('2025-03-10T00:00:00Z'))).toBe(
      'available',
    );
  });

  it('is expired once expiresAt has passed', () => {
    expect(couponStatus({ expiresAt }, new Date('2025-03-11T16:00:00.000Z'))).toBe('expired');
  });

  it('stays redeemed after its expiry', () => {
    const redeemedAt = new Date('2025-03-11T03:00:00Z');
    expect(couponStatus({ expiresAt, redeemedAt }, new Date('2025-03-11T04:00:00Z'))).toBe(
      'redeemed',
    );
    expect(couponStatus({ expiresAt, redeemedAt }, new Date('2025-04-01T00:00:00Z'))).toBe(
      'redeemed',
    );
  });
});

describe('describeCouponTemplate', () => {
  it.each([
    [{ kind: 'discount', rate: 0.8 }, '8折'],
    [{ kind: 'discount', rate: 0.85 }, '8.5折'],
    [{ kind: 'discount', rate: 0.88, threshold: 10000 }, '满100享8.8折'],
    [{ kind: 'cash', threshold: 5000, amount: 1000 }, '满50减10'],
    [{ kind: 'cash', threshold: 3990, amount: 550 }, '满39.9减5.5'],
    [{ kind: 'cash', threshold: 0, amount: 500 }, '5元无门槛'],
    [{ kind: 'cash', amount: 1050 }, '10.5元无门槛'],
  ] as const)('%j → %s', (template, label) => {
    expect(describeCouponTemplate(template)).toBe(label);
  });
});

describe('formatYuan', () => {
  it('shows fen as yuan without trailing zeros', () => {
    expect([10000, 1000, 1050, 1005, 5, 0].map(formatYuan)).toEqual([
      '100',
      '10',
      '10.5',
      '10.05',
      '0.05',
      '0',
    ]);
  });
});
