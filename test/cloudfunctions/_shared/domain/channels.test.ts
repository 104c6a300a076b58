import {
  channelEconomics,
  type ChannelCounts,
} from '../../../../cloudfunctions/_shared/domain/channels';
import { couponFaceValue } from '../../../../cloudfunctions/_shared/domain/coupon';
import { publicName } from '../../../../cloudfunctions/_shared/domain/mask';

const none: ChannelCounts = {
  visitors: 0,
  claims: 0,
  spinners: 0,
  verified: 0,
  couponsIssued: 0,
  couponsRedeemed: 0,
  redeemedValue: 0,
  revenue: 0,
};

describe('channelEconomics', () => {
  it('says nothing it cannot say: no cost, no claims, no estimate', () => {
    expect(channelEconomics(none)).toEqual({});
    expect(channelEconomics(none, 30_000)).toEqual({});
  });

  it('divides the spend by claims, members (claims and the friends they brought) and redemptions', () => {
    const counts = { ...none, visitors: 40, claims: 10, verified: 15, couponsRedeemed: 4 };
    expect(channelEconomics(counts, 30_000)).toEqual({
      kFactor: 1.5,
      costPerClaim: 3_000,
      costPerVerified: 1_200,
      costPerRedemption: 7_500,
    });
  });

  it('rounds the K-factor to two decimals and money to the fen', () => {
    expect(channelEconomics({ ...none, claims: 3, verified: 1 }, 1_000)).toEqual({
      kFactor: 0.33,
      costPerClaim: 333,
      costPerVerified: 250,
    });
  });

  it('estimates profit (营收 = 收入 − 直接成本) and ROI once there are takings', () => {
    const counts = {
      ...none,
      claims: 10,
      couponsRedeemed: 8,
      redeemedValue: 4_000,
      revenue: 60_000,
    };
    // direct cost: ¥300 spent and ¥40 of coupons
    expect(channelEconomics(counts, 30_000)).toMatchObject({ profit: 26_000, roi: 0.76 });
    // a free channel's takings are profit, but a return on nothing is not a number
    const free = channelEconomics({ ...counts, redeemedValue: 0 });
    expect(free).toMatchObject({ profit: 60_000 });
    expect(free.roi).toBeUndefined();
  });
});

describe('couponFaceValue', () => {
  it('is a cash coupon’s amount, and a discount coupon’s share of its basket estimate', () => {
    expect(couponFaceValue({ kind: 'cash', amount: 500, rate: null })).toBe(500);
    expect(couponFaceValue({ kind: 'discount', amount: null, rate: 0.8, basket: 4_500 })).toBe(900);
    // without an estimate a discount is worth nothing anyone can say
    expect(couponFaceValue({ kind: 'discount', amount: null, rate: 0.8, basket: null })).toBe(0);
  });
});

describe('publicName', () => {
  it('shows the first character of a nickname and hides the rest, emoji included', () => {
    expect(publicName('张三丰')).toBe('微信用户 张**');
    expect(publicName(' 🍵茶友 ')).toBe('微信用户 🍵**');
    expect(publicName('A')).toBe('微信用户 A**');
  });

  it('names nobody without a nickname', () => {
    for (const nickname of [null, undefined, '', '  ']) {
      expect(publicName(nickname)).toBe('微信用户 ***');
    }
  });
});
