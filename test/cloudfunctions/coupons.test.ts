/** SPEC §3 Coupons: the wallet, the signed short-lived token, redemption exactly once. */
import { REDEEM_TOKEN_TTL_MS } from '../../cloudfunctions/_shared/domain/redeem-token';
import {
  OWNER,
  STAFF,
  data,
  enterAndClaim,
  errorCode,
  useBackend,
  runCron,
} from '../support/emulator';

const backend = useBackend();

async function claimedCoupon(openid = 'customer') {
  const { claim } = await enterAndClaim(backend, openid);
  const coupon = claim.reward.coupon;
  if (!coupon) throw new Error('the demo magnet gives a coupon');
  return coupon;
}

describe('wallet and redemption', () => {
  it('lists the coupon by status as it is redeemed', async () => {
    const coupon = await claimedCoupon();
    expect(
      data(await backend.api('customer', 'wallet.list', { status: 'available' })).coupons,
    ).toEqual([coupon]);
    const { token } = data(await backend.api('customer', 'coupon.token', { couponId: coupon.id }));
    const redeemed = data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    expect(redeemed).toMatchObject({
      couponId: coupon.id,
      title: coupon.title,
      label: coupon.label,
    });

    // what is left to use is the repurchase coupon the redemption earned (issue 15)
    const left = data(await backend.api('customer', 'wallet.list', { status: 'available' }));
    expect(left.coupons.map((c) => [c.source, c.title])).toEqual([
      ['repurchase', '老顾客回馈 满30减6'],
    ]);
    const used = data(await backend.api('customer', 'wallet.list', { status: 'redeemed' })).coupons;
    expect(used.map((c) => c.id)).toEqual([coupon.id]);
    expect(used[0].redeemedAt).toBe(redeemed.redeemedAt);
  });

  it('redeems one token exactly once when 50 scans by two cashiers arrive at once', async () => {
    const coupon = await claimedCoupon();
    const { token } = data(await backend.api('customer', 'coupon.token', { couponId: coupon.id }));
    const cashiers = Array.from({ length: 50 }, (_, i) => (i % 2 ? STAFF : OWNER));
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(
      cashiers.map((cashier) => backend.admin(cashier, 'coupon.redeem', { token })),
    );
    backend.emulator.faults.latencyMs = 0;
    // One cashier redeemed it: every scan of theirs says so, with the one redemption's time;
    // every scan of the other says it was already used.
    const winners = new Set(cashiers.filter((_, i) => answers[i].ok));
    expect(winners.size).toBe(1);
    const [winner] = winners;
    answers.forEach((answer, i) => {
      if (cashiers[i] !== winner) expect(errorCode(answer)).toBe('COUPON_ALREADY_REDEEMED');
    });
    const times = new Set(answers.filter((a) => a.ok).map((a) => data(a).redeemedAt));
    expect(times.size).toBe(1);
    const stats = data(await backend.admin(OWNER, 'stats.overview'));
    expect(stats.funnel.find((s) => s.key === 'couponsRedeemed')?.count).toBe(1);
  });

  it('tells the cashier who redeemed a coupon that it succeeded when they scan it again', async () => {
    const coupon = await claimedCoupon();
    const { token } = data(await backend.api('customer', 'coupon.token', { couponId: coupon.id }));
    const first = data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    // Their reply was lost on a bad connection: they scan again and are told it worked.
    expect(data(await backend.admin(STAFF, 'coupon.redeem', { token }))).toEqual(first);
    expect(errorCode(await backend.admin(OWNER, 'coupon.redeem', { token }))).toBe(
      'COUPON_ALREADY_REDEEMED',
    );
  });

  it('refuses forged, stale and malformed tokens with BAD_TOKEN, and writes nothing', async () => {
    const coupon = await claimedCoupon();
    const { token } = data(await backend.api('customer', 'coupon.token', { couponId: coupon.id }));
    const before = backend.snapshot();

    const [payload, signature] = token.split('.');
    const flipped = `${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(errorCode(await backend.admin(STAFF, 'coupon.redeem', { token: flipped }))).toBe(
      'BAD_TOKEN',
    );
    expect(errorCode(await backend.admin(STAFF, 'coupon.redeem', { token: 'not-a-token' }))).toBe(
      'BAD_TOKEN',
    );

    await backend.emulator.advanceClock(REDEEM_TOKEN_TTL_MS + 1_000);
    const stale = await backend.admin(STAFF, 'coupon.redeem', { token });
    expect(errorCode(stale)).toBe('BAD_TOKEN');
    expect(stale.ok ? '' : stale.error.message).toMatch(/过期|刷新/);
    expect(backend.snapshot().collections).toEqual({
      ...before.collections,
      _emulator_meta: expect.anything(), // the clock moved, nothing else
    });

    // A fresh token for the same coupon works.
    const fresh = data(await backend.api('customer', 'coupon.token', { couponId: coupon.id }));
    expect((await backend.admin(STAFF, 'coupon.redeem', { token: fresh.token })).ok).toBe(true);
  });

  it('refuses an expired coupon, both for a token and at the counter', async () => {
    const coupon = await claimedCoupon();
    const { token } = data(await backend.api('customer', 'coupon.token', { couponId: coupon.id }));
    await backend.emulator.setClock(new Date(Date.parse(coupon.expiresAt) + 1));
    expect(errorCode(await backend.api('customer', 'coupon.token', { couponId: coupon.id }))).toBe(
      'COUPON_EXPIRED',
    );
    expect(
      data(await backend.api('customer', 'wallet.list', { status: 'expired' })).coupons,
    ).toHaveLength(1);
    // The token expired with the coupon (it never outlives it).
    expect(errorCode(await backend.admin(STAFF, 'coupon.redeem', { token }))).toBe('BAD_TOKEN');
  });

  it('does not hand out tokens for someone else’s coupon', async () => {
    const coupon = await claimedCoupon('owner');
    await enterAndClaim(backend, 'intruder');
    expect(errorCode(await backend.api('intruder', 'coupon.token', { couponId: coupon.id }))).toBe(
      'NOT_FOUND',
    );
  });

  it('marks expired coupons in the hourly job', async () => {
    const coupon = await claimedCoupon();
    await backend.emulator.setClock(new Date(Date.parse(coupon.expiresAt) + 60_000));
    const result = await runCron(backend);
    expect(result).toMatchObject({ ok: true, data: { couponsExpired: 1 } });
    const stored = (backend.snapshot().collections.coupons as Array<{ status: string }>)[0];
    expect(stored.status).toBe('expired');
  });
});
