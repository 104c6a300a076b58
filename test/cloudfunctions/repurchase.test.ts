/**
 * Retention (issue 15): the repurchase coupon (复购券) a coupon's redemption earns — exactly once
 * per redemption, whether the cashier rescans, scans race, calls are killed between their writes
 * or nobody comes back (the reconciler); what a reversal does to it; and when none is issued.
 */
import { violations } from '../chaos/invariants';
import {
  OWNER,
  STAFF,
  data,
  editCampaign,
  enterAndClaim,
  errorCode,
  runCron,
  useBackend,
} from '../support/emulator';
import { docs, favour, rewrite, spin } from './people/support';

const backend = useBackend();

type Doc = Record<string, any>;

const repurchaseCoupons = (owner?: string): Doc[] =>
  docs(backend, 'coupons').filter(
    (c) => c.source === 'repurchase' && (owner === undefined || c.owner === owner),
  );

async function tokenOf(openid: string, couponId: string) {
  return data(await backend.api(openid, 'coupon.token', { couponId })).token;
}

/** Staff scan the QR `openid` shows for their coupon. */
async function scan(openid: string, couponId: string) {
  return data(
    await backend.admin(STAFF, 'coupon.redeem', { token: await tokenOf(openid, couponId) }),
  );
}

/** A customer with the gift coupon, and a fresh token for it. */
async function giftOf(openid: string) {
  const { claim } = await enterAndClaim(backend, openid);
  const coupon = claim.reward.coupon!;
  return { coupon, token: await tokenOf(openid, coupon.id) };
}

/** The chaos invariants (each standing redemption earned one repurchase coupon, and more). */
function problems(): string[] {
  return violations(backend.snapshot(), {
    campaignId: 'demo-opening',
    stock: { tumbler: 20, 'off-20': 2000, 'cash-50-10': 1000, 'cash-5': 500, tote: 100 },
    invitesRequired: 3,
    repurchase: true,
  });
}

async function repurchaseFigures() {
  const { repurchase, funnel } = data(await backend.admin(OWNER, 'stats.overview'));
  const count = (key: string) => funnel.find((s) => s.key === key)!.count;
  return {
    redeemers: repurchase.redeemers,
    repeat: repurchase.repeatRedeemers,
    issued: count('couponsIssued'),
    redeemed: count('couponsRedeemed'),
  };
}

describe('a redemption earns one repurchase coupon', () => {
  it('is in the wallet at once, valid from the redemption, and told to the dashboard', async () => {
    const { token } = await giftOf('customer');
    const { redeemedAt } = data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    const wallet = data(await backend.api('customer', 'wallet.list', { status: 'available' }));
    expect(wallet.coupons).toEqual([
      expect.objectContaining({
        source: 'repurchase',
        title: '老顾客回馈 满30减6',
        label: '满30减6',
        issuedAt: redeemedAt,
      }),
    ]);
    // 14 days (the template's), to the end of that Shanghai day
    const days = (Date.parse(wallet.coupons[0].expiresAt) - Date.parse(redeemedAt)) / 86400e3;
    expect(days).toBeGreaterThan(14);
    expect(days).toBeLessThanOrEqual(15);
    expect(await repurchaseFigures()).toEqual({ redeemers: 1, repeat: 0, issued: 2, redeemed: 1 });
  });

  it('once however often the cashier rescans, and once among 20 scans at the same moment', async () => {
    const first = await giftOf('first');
    for (let i = 0; i < 3; i++) {
      expect((await backend.admin(STAFF, 'coupon.redeem', { token: first.token })).ok).toBe(true);
    }
    const second = await giftOf('second');
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        backend.admin(i % 2 ? STAFF : OWNER, 'coupon.redeem', { token: second.token }),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    expect(answers.filter((a) => a.ok)).toHaveLength(10); // one cashier's, told again and again
    expect(repurchaseCoupons('first')).toHaveLength(1);
    expect(repurchaseCoupons('second')).toHaveLength(1);
    expect(problems()).toEqual([]);
  });

  it('once when scans are killed at random, retried, and the reconciler runs', async () => {
    const customers = Array.from({ length: 12 }, (_, i) => `c${i}`);
    const tokens = [];
    for (const customer of customers) tokens.push((await giftOf(customer)).token);
    backend.emulator.faults.update({ killRate: 0.2, seed: 15 });
    let killed = 0;
    // one after the other, so the seeded faults fall on the same calls on every run
    for (const [i, token] of tokens.entries()) {
      const cashier = i % 2 ? STAFF : OWNER;
      // half the cashiers give up at the first failure: the reconciler finishes their scans
      for (let attempt = 0; attempt < (i < 6 ? 1 : 60); attempt++) {
        try {
          if ((await backend.admin(cashier, 'coupon.redeem', { token })).ok) break;
        } catch {
          killed++;
        }
      }
    }
    backend.emulator.faults.update({ killRate: 0 });
    expect(killed).toBeGreaterThan(0);
    const run = data(await runCron(backend));
    // some scan died after its redemption and before its repurchase coupon (seeded: replayable)
    expect(run.reconciled).toMatchObject({ repurchaseIssued: expect.any(Number) });
    expect((run.reconciled as { repurchaseIssued: number }).repurchaseIssued).toBeGreaterThan(0);
    const redeemed = docs(backend, 'coupons').filter((c) => c.source === 'magnet' && c.redeemedAt);
    expect(repurchaseCoupons()).toHaveLength(redeemed.length);
    expect(problems()).toEqual([]);
    // and a second run changes nothing
    expect(data(await runCron(backend)).reconciled).toMatchObject({
      repurchaseIssued: 0,
      countersCorrected: {},
    });
  });

  it('is issued by the reconciler when the scan died between the redemption and the coupon', async () => {
    const { token } = await giftOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    // as a call killed after the ledger and before the repurchase coupon would have left it
    await rewrite(backend, 'coupons', (coupons) =>
      coupons.filter((c) => c.source !== 'repurchase'),
    );
    expect(repurchaseCoupons()).toHaveLength(0);
    const run = data(await runCron(backend));
    expect(run.reconciled).toMatchObject({ repurchaseIssued: 1 });
    expect(repurchaseCoupons('customer')).toHaveLength(1);
    expect(data(await runCron(backend)).reconciled).toMatchObject({ repurchaseIssued: 0 });
    expect(problems()).toEqual([]);
  });

  it('chains: using the repurchase coupon earns the next, and makes the member a repeat customer', async () => {
    const { token } = await giftOf('regular');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    const [loyal] = repurchaseCoupons('regular');
    await scan('regular', loyal._id);
    expect(repurchaseCoupons('regular')).toHaveLength(2);
    expect(await repurchaseFigures()).toEqual({ redeemers: 1, repeat: 1, issued: 3, redeemed: 2 });
  });
});

describe('a reversal', () => {
  async function reverseLast() {
    const [line] = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
    return data(
      await backend.admin(OWNER, 'redemptions.reverse', { redemptionId: line.id, reason: '误扫' }),
    );
  }

  it('withdraws the unused repurchase coupon, and a new redemption earns a new one', async () => {
    const { coupon, token } = await giftOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    await reverseLast();
    const [withdrawn] = repurchaseCoupons('customer');
    expect(withdrawn.withdrawnAt).toBeTruthy();
    const wallet = data(await backend.api('customer', 'wallet.list', {}));
    // the gift is usable again; the repurchase coupon shows as expired, and cannot be shown
    expect(wallet.coupons.map((c) => [c.source, c.status]).sort()).toEqual([
      ['magnet', 'available'],
      ['repurchase', 'expired'],
    ]);
    expect(
      errorCode(await backend.api('customer', 'coupon.token', { couponId: withdrawn._id })),
    ).toBe('COUPON_EXPIRED');
    expect(await repurchaseFigures()).toEqual({ redeemers: 0, repeat: 0, issued: 2, redeemed: 0 });

    await scan('customer', coupon.id);
    expect(repurchaseCoupons('customer').filter((c) => !c.withdrawnAt)).toHaveLength(1);
    expect(await repurchaseFigures()).toEqual({ redeemers: 1, repeat: 0, issued: 3, redeemed: 1 });
    expect(data(await runCron(backend)).reconciled).toMatchObject({ countersCorrected: {} });
    expect(problems()).toEqual([]);
  });

  it('leaves a repurchase coupon that was already used', async () => {
    const { token } = await giftOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    const [loyal] = repurchaseCoupons('customer');
    await scan('customer', loyal._id);
    // the gift's redemption (the older line) is reversed: the purchase with the loyal one stands
    const lines = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
    const gift = lines[lines.length - 1];
    data(
      await backend.admin(OWNER, 'redemptions.reverse', { redemptionId: gift.id, reason: '误扫' }),
    );
    const used = repurchaseCoupons('customer').find((c) => c._id === loyal._id)!;
    expect(used.redeemedAt).toBeTruthy();
    expect(used.withdrawnAt).toBeFalsy();
    expect(await repurchaseFigures()).toMatchObject({ redeemers: 1, repeat: 0, redeemed: 1 });
    expect(data(await runCron(backend)).reconciled).toMatchObject({ countersCorrected: {} });
    expect(problems()).toEqual([]);
  });

  it('is finished by the reconciler when it died before the repurchase coupon was withdrawn', async () => {
    const { token } = await giftOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    await reverseLast();
    // as a reversal killed before its last step would have left it
    await rewrite(backend, 'coupons', (coupons) =>
      coupons.map((c) =>
        c.source === 'repurchase'
          ? { ...c, withdrawnAt: null, status: 'available', expiresAt: new Date('2099-01-01') }
          : c,
      ),
    );
    expect(problems()).toContainEqual(expect.stringMatching(/usable after its redemption/));
    const run = data(await runCron(backend));
    expect(run.reconciled).toMatchObject({ reversalsFinished: 1 });
    expect(problems()).toEqual([]);
  });
});

describe('no repurchase coupon', () => {
  it('when the campaign names none', async () => {
    await editCampaign(backend, (config) => delete config.repurchase);
    const { token } = await giftOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    expect(repurchaseCoupons()).toHaveLength(0);
    expect((await runCron(backend)).ok).toBe(true);
    expect(repurchaseCoupons()).toHaveLength(0);
    // the repurchase rate is counted all the same
    expect(await repurchaseFigures()).toMatchObject({ redeemers: 1, issued: 1 });
  });

  it('for a prize picked up at the counter (no purchase)', async () => {
    await favour(backend, 'tumbler');
    await enterAndClaim(backend, 'winner');
    await spin(backend, 'winner');
    const voucher = data(await backend.api('winner', 'wallet.list', {})).coupons.find(
      (c) => c.kind === 'prize',
    )!;
    await scan('winner', voucher.id);
    expect(repurchaseCoupons()).toHaveLength(0);
    // a redemption all the same: the member counts for the repurchase rate
    expect(await repurchaseFigures()).toMatchObject({ redeemers: 1, redeemed: 1 });
  });
});
