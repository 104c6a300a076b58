/** Rewards (issue 12): periods of a right's quota, reminder fields, member codes and tickets. */
import { MEMBER_CODE_PREFIX } from '../../../../cloudfunctions/_shared/constants';
import {
  signMemberCode,
  signStaffTicket,
  verifyMemberCode,
  verifyStaffTicket,
} from '../../../../cloudfunctions/_shared/domain/member-code';
import {
  describeLeft,
  describeQuota,
  periodAt,
} from '../../../../cloudfunctions/_shared/domain/quota';
import {
  signRedeemToken,
  verifyRedeemToken,
} from '../../../../cloudfunctions/_shared/domain/redeem-token';
import { renderReminder } from '../../../../cloudfunctions/_shared/domain/reminders';

const SECRET = 'test-secret-with-enough-entropy';

describe('periodAt (Shanghai calendar)', () => {
  // 2025-03-31 23:30 Shanghai = 15:30 UTC: still March in Shanghai, though
  const lateMarch = new Date('2025-03-31T15:30:00Z');
  const aprilFirst = new Date('2025-03-31T16:00:00Z'); // 00:00 Shanghai

  it('names months, weeks, days and years by their Shanghai dates', () => {
    expect(periodAt('month', lateMarch)).toEqual({
      key: 'm2025-03',
      endsAt: new Date('2025-03-31T16:00:00Z'),
    });
    expect(periodAt('month', aprilFirst).key).toBe('m2025-04');
    expect(periodAt('day', lateMarch)).toEqual({
      key: 'd2025-03-31',
      endsAt: new Date('2025-03-31T16:00:00Z'),
    });
    // 2025-03-31 is a Monday: its week runs to Sunday 6 April
    expect(periodAt('week', lateMarch)).toEqual({
      key: 'w2025-03-31',
      endsAt: new Date('2025-04-06T16:00:00Z'),
    });
    // Sunday 30 March belongs to the week that began Monday 24 March
    expect(periodAt('week', new Date('2025-03-30T12:00:00Z')).key).toBe('w2025-03-24');
    expect(periodAt('year', new Date('2025-12-31T16:30:00Z')).key).toBe('y2026');
    expect(periodAt('campaign', lateMarch)).toEqual({ key: 'all', endsAt: null });
  });

  it('rolls December over into January', () => {
    const december = periodAt('month', new Date('2025-12-15T00:00:00Z'));
    expect(december).toEqual({ key: 'm2025-12', endsAt: new Date('2025-12-31T16:00:00Z') });
  });

  it('words quotas and what is left', () => {
    expect(describeQuota({ quota: 1, period: 'month' })).toBe('每月 1 次');
    expect(describeQuota({ quota: 2, period: 'campaign' })).toBe('活动期间 2 次');
    expect(describeQuota({})).toBe('不限次数');
    expect(describeLeft({ quota: 2, period: 'week' }, 1)).toBe('本周剩 1 次');
    expect(describeLeft({ quota: 1, period: 'month' }, 1)).toBe('本月已用完');
    expect(describeLeft({}, 9)).toBe('不限次数');
  });
});

describe('renderReminder', () => {
  it('fills placeholders and keeps each field within WeChat’s rule for its keyword', () => {
    const data = renderReminder(
      {
        thing1: '{title}',
        thing2: '{missing}',
        number3: '{n}',
        phrase4: '{state}',
        time5: '{at}',
      },
      {
        title: '开业限定 满30减5 · 全场饮品通用券（限堂食）',
        n: '1'.repeat(40),
        state: '即将过期啦',
        at: '2025年3月10日 12:00',
      },
    );
    expect(data.thing1.value).toBe('开业限定 满30减5 · 全场饮品通用…');
    expect(Array.from(data.thing1.value)).toHaveLength(20);
    expect(data.thing2.value).toBe('-'); // never empty (WeChat refuses an empty value)
    expect(data.number3.value).toBe('1'.repeat(32));
    expect(data.phrase4.value).toBe('即将过期啦');
    expect(data.time5.value).toBe('2025年3月10日 12:00');
  });
});

describe('member codes and staff tickets', () => {
  const NOW = new Date('2025-03-10T04:00:00Z');
  const later = new Date(NOW.getTime() + 60_000);

  it('signs a member code that only verifies as one', () => {
    const code = signMemberCode({ inviteCode: 'ABCD2345', expiresAt: later }, SECRET);
    expect(code.startsWith(MEMBER_CODE_PREFIX)).toBe(true);
    expect(verifyMemberCode(code, SECRET, NOW)).toEqual({ ok: true, inviteCode: 'ABCD2345' });
    // the same signature never passes for a coupon's token, with or without the prefix
    expect(verifyRedeemToken(code, SECRET, NOW).ok).toBe(false);
    expect(verifyRedeemToken(code.slice(MEMBER_CODE_PREFIX.length), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const coupon = signRedeemToken({ couponId: 'ABCD2345', expiresAt: later }, SECRET);
    expect(verifyMemberCode(`${MEMBER_CODE_PREFIX}${coupon}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
    expect(verifyMemberCode(coupon, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyMemberCode(code, SECRET, new Date(later.getTime() + 1))).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('binds a ticket to its staff member', () => {
    const ticket = signStaffTicket(
      { inviteCode: 'ABCD2345', staff: 'staff-1', expiresAt: later },
      SECRET,
    );
    expect(verifyStaffTicket(ticket, 'staff-1', SECRET, NOW)).toEqual({
      ok: true,
      inviteCode: 'ABCD2345',
    });
    expect(verifyStaffTicket(ticket, 'staff-2', SECRET, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
    // a member code is not a ticket
    const code = signMemberCode({ inviteCode: 'ABCD2345', expiresAt: later }, SECRET);
    expect(verifyStaffTicket(code.slice(2), 'staff-1', SECRET, NOW).ok).toBe(false);
  });
});
