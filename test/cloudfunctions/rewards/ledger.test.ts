/**
 * Rewards (issue 12): the redemption ledger (核销记录). Every redemption — coupon, voucher, right
 * — is recorded once with staff, time and store, also when the call died between its writes;
 * staff see theirs and 今日已核销 N; owners see all and reverse a redemption within 24 h, once.
 */
import {
  OWNER,
  STAFF,
  data,
  enterAndClaim,
  errorCode,
  requestId,
  runCron,
  useBackend,
} from '../../support/emulator';
import { activeMember, rewriteStore, stored } from '../../support/rewards';

const backend = useBackend();

/** A customer's magnet coupon and a fresh token for it. */
async function couponOf(openid: string) {
  const { claim } = await enterAndClaim(backend, openid);
  const coupon = claim.reward.coupon!;
  return { coupon, token: await tokenOf(openid, coupon.id) };
}

async function tokenOf(openid: string, couponId: string): Promise<string> {
  return data(await backend.api(openid, 'coupon.token', { couponId })).token;
}

const redemptionsCounted = async () =>
  data(await backend.admin(OWNER, 'stats.overview')).funnel.find((s) => s.key === 'couponsRedeemed')
    ?.count;

describe('the ledger', () => {
  it('records each redemption with staff and store; staff see theirs and today’s count', async () => {
    for (const customer of ['c1', 'c2']) {
      const { token } = await couponOf(customer);
      data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    }
    const { token } = await couponOf('c3');
    data(await backend.admin(OWNER, 'coupon.redeem', { token }));

    const mine = data(await backend.admin(STAFF, 'redemptions.list', {}));
    expect(mine.todayCount).toBe(2);
    expect(mine.items).toHaveLength(2);
    expect(mine.items[0]).toMatchObject({
      kind: 'coupon',
      title: '5元无门槛券',
      staffName: '演示店员',
      store: '山野茶事 · 万象城店',
      reversible: false, // staff cannot reverse
    });
    expect(mine.items[0].memberRef).toMatch(/^[A-Za-z0-9]{4,12}$/);
    // staff only ever see their own, whatever they ask
    expect(
      data(await backend.admin(STAFF, 'redemptions.list', { scope: 'all' })).items,
    ).toHaveLength(2);

    const all = data(await backend.admin(OWNER, 'redemptions.list', {}));
    expect(all.items).toHaveLength(3);
    expect(all.todayCount).toBe(1);
    expect(all.items.every((i) => i.reversible)).toBe(true);
    expect(
      data(await backend.admin(OWNER, 'redemptions.list', { scope: 'mine' })).items,
    ).toHaveLength(1);

    // tomorrow (Shanghai), today's count starts again; the list keeps yesterday's
    await backend.emulator.advanceClock(24 * 3600_000);
    const tomorrow = data(await backend.admin(STAFF, 'redemptions.list', {}));
    expect(tomorrow.todayCount).toBe(0);
    expect(tomorrow.items).toHaveLength(2);
  });

  it('pages newest first without losing or repeating a line', async () => {
    for (let i = 0; i < 25; i++) {
      const { token } = await couponOf(`c${i}`);
      data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    }
    const first = data(await backend.admin(STAFF, 'redemptions.list', {}));
    expect(first.items).toHaveLength(20);
    const second = data(await backend.admin(STAFF, 'redemptions.list', { cursor: first.next }));
    expect(second.next).toBeUndefined();
    const ids = [...first.items, ...second.items].map((i) => i.id);
    expect(new Set(ids).size).toBe(25);
    const times = [...first.items, ...second.items].map((i) => Date.parse(i.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('ends with one redemption and one ledger record when the call died between its writes', async () => {
    const { coupon, token } = await couponOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    // killed after the coupon's write: no ledger record, nothing counted
    await rewriteStore(backend, 'redemptions', () => []);
    await rewriteStore(backend, 'counters', (all) =>
      all.map((shard) => ({ ...shard, couponsRedeemed: 0 })),
    );
    // the cashier scans again: told it worked, and the record is written, once
    const again = await Promise.all(
      [1, 2, 3].map(() => backend.admin(STAFF, 'coupon.redeem', { token })),
    );
    expect(again.every((a) => a.ok && a.data.couponId === coupon.id)).toBe(true);
    expect(stored(backend, 'redemptions')).toHaveLength(1);

    // nobody came back: the reconciler writes it (and corrects the count)
    await rewriteStore(backend, 'redemptions', () => []);
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ ledgerRecorded: 1 });
    expect(stored(backend, 'redemptions')).toEqual([
      expect.objectContaining({ itemId: coupon.id, staff: STAFF, store: '山野茶事 · 万象城店' }),
    ]);
    expect(await redemptionsCounted()).toBe(1);
    const second = await runCron(backend);
    expect(second.ok && second.data.reconciled).toMatchObject({ ledgerRecorded: 0 });
    expect(stored(backend, 'redemptions')).toHaveLength(1);
  });

  it('keeps one ledger record per redemption when scans are killed at random and retried', async () => {
    const customers = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const tokens = [];
    for (const customer of customers) tokens.push((await couponOf(customer)).token);
    backend.emulator.faults.update({ killRate: 0.2, seed: 12 });
    await Promise.all(
      tokens.map(async (token, i) => {
        const cashier = i % 2 ? STAFF : OWNER;
        for (let attempt = 0; attempt < 60; attempt++) {
          try {
            if ((await backend.admin(cashier, 'coupon.redeem', { token })).ok) return;
          } catch {
            // killed: the cashier scans again
          }
        }
        throw new Error('never redeemed');
      }),
    );
    backend.emulator.faults.update({ killRate: 0 });
    expect((await runCron(backend)).ok).toBe(true);
    const redeemed = stored(backend, 'coupons').filter((c) => c.redeemedAt);
    expect(redeemed).toHaveLength(8);
    expect(redeemed.every((c) => c.redemptions === 1)).toBe(true);
    expect(
      stored(backend, 'redemptions')
        .map((r) => r.itemId)
        .sort(),
    ).toEqual(redeemed.map((c) => c._id).sort());
    expect(await redemptionsCounted()).toBe(8);
  });
});

describe('reversing a redemption', () => {
  it('gives the coupon back, usable again, and records the reversal', async () => {
    const { coupon, token } = await couponOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    const [line] = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
    const reversed = data(
      await backend.admin(OWNER, 'redemptions.reverse', { redemptionId: line.id, reason: '误扫' }),
    );
    expect(reversed).toMatchObject({ reversedNow: true, redemption: { reversible: false } });
    expect(reversed.redemption.reversal).toMatchObject({ byName: '演示运营', reason: '误扫' });
    // the coupon is usable again: a new code, a new redemption, a second ledger line
    const wallet = data(await backend.api('customer', 'wallet.list', { status: 'available' }));
    expect(wallet.coupons.map((c) => c.id)).toEqual([coupon.id]);
    const again = await tokenOf('customer', coupon.id);
    expect((await backend.admin(OWNER, 'coupon.redeem', { token: again })).ok).toBe(true);
    const lines = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
    expect(lines).toHaveLength(2);
    expect(lines.filter((l) => l.reversal)).toHaveLength(1); // recorded, never deleted
    expect(await redemptionsCounted()).toBe(1);
    // the staff member's count leaves the reversed one out
    expect(data(await backend.admin(STAFF, 'redemptions.list', {})).todayCount).toBe(0);
  });

  it('happens once when owners reverse at the same moment, and is answered to each', async () => {
    const { coupon, token } = await couponOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    const [line] = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        backend.admin(OWNER, 'redemptions.reverse', { redemptionId: line.id, reason: `误扫 ${i}` }),
      ),
    );
    backend.emulator.faults.latencyMs = 0;
    expect(answers.filter((a) => data(a).reversedNow)).toHaveLength(1);
    const reasons = new Set(answers.map((a) => data(a).redemption.reversal?.reason));
    expect(reasons.size).toBe(1);
    expect(stored(backend, 'coupons').find((c) => c._id === coupon.id)).toMatchObject({
      redeemedAt: null,
      redemptions: 1,
    });
    expect(await redemptionsCounted()).toBe(0);
  });

  it('is refused after 24 hours, and to staff', async () => {
    const { token } = await couponOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    const [line] = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
    expect(
      errorCode(
        await backend.admin(STAFF, 'redemptions.reverse', { redemptionId: line.id, reason: 'x' }),
      ),
    ).toBe('FORBIDDEN');
    await backend.emulator.advanceClock(24 * 3600_000 + 60_000);
    const before = backend.snapshot();
    const late = await backend.admin(OWNER, 'redemptions.reverse', {
      redemptionId: line.id,
      reason: '误扫',
    });
    expect(errorCode(late)).toBe('FORBIDDEN');
    expect(backend.snapshot()).toEqual(before);
    expect(data(await backend.admin(OWNER, 'redemptions.list', {})).items[0].reversible).toBe(
      false,
    );
  });

  it('gives a right’s use back: the quota is there again', async () => {
    await activeMember(backend, 'member');
    const scan = async () => {
      const { code } = data(await backend.api('member', 'member.code'));
      return data(await backend.admin(STAFF, 'member.lookup', { code }));
    };
    const { ticket } = await scan();
    const used = data(
      await backend.admin(STAFF, 'member.useRight', {
        ticket,
        rightId: 'monthly-drink',
        requestId: requestId('use'),
      }),
    );
    expect(used.right.left).toBe(0);
    data(
      await backend.admin(OWNER, 'redemptions.reverse', {
        redemptionId: used.redemption.id,
        reason: '顾客未领取',
      }),
    );
    expect((await scan()).rights.find((r) => r.id === 'monthly-drink')?.leftText).toBe(
      '本月剩 1 次',
    );
    expect(stored(backend, 'right_uses')[0].used).toBe(0);
  });

  it('is finished by a retry or by the reconciler when it died before giving the coupon back', async () => {
    const { coupon, token } = await couponOf('customer');
    data(await backend.admin(STAFF, 'coupon.redeem', { token }));
    const [line] = data(await backend.admin(OWNER, 'redemptions.list', {})).items;
    const redeemed = stored(backend, 'coupons').find((c) => c._id === coupon.id)!;
    // the reversal's record landed, its second write did not: the coupon is still redeemed
    data(
      await backend.admin(OWNER, 'redemptions.reverse', { redemptionId: line.id, reason: '误扫' }),
    );
    await rewriteStore(backend, 'coupons', (all) =>
      all.map((c) => (c._id === coupon.id ? redeemed : c)),
    );
    const retry = data(
      await backend.admin(OWNER, 'redemptions.reverse', { redemptionId: line.id, reason: '再试' }),
    );
    expect(retry).toMatchObject({
      reversedNow: false,
      redemption: { reversal: { reason: '误扫' } },
    });
    expect(stored(backend, 'coupons').find((c) => c._id === coupon.id)?.redeemedAt).toBeNull();

    await rewriteStore(backend, 'coupons', (all) =>
      all.map((c) => (c._id === coupon.id ? redeemed : c)),
    );
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ reversalsFinished: 1 });
    expect(stored(backend, 'coupons').find((c) => c._id === coupon.id)?.redeemedAt).toBeNull();
    const again = await runCron(backend);
    expect(again.ok && again.data.reconciled).toMatchObject({ reversalsFinished: 0 });
  });

  it('writes nothing for a reason that is empty or too long', async () => {
    const before = backend.snapshot();
    for (const reason of ['', '   ', 'x'.repeat(101)]) {
      expect(
        errorCode(
          await backend.admin(OWNER, 'redemptions.reverse', { redemptionId: 'rd_x', reason }),
        ),
      ).toBe('BAD_REQUEST');
    }
    expect(backend.snapshot()).toEqual(before);
  });
});
