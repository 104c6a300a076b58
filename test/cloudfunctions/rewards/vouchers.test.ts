/**
 * Rewards (issue 12): a physical prize won at the wheel becomes a voucher (实物奖品) in the
 * winner's wallet, redeemed by staff scanning its code exactly once; a shipped prize takes the
 * winner's address and is marked sent by the owner; the owner lists each prize's winners.
 */
import {
  OWNER,
  STAFF,
  data,
  enter,
  errorCode,
  requestId,
  runCron,
  useBackend,
} from '../../support/emulator';
import { rigWheel, spinForPrize, stored } from '../../support/rewards';

const backend = useBackend();

const ADDRESS = {
  userName: '张三',
  telNumber: '13800138000',
  provinceName: '广东省',
  cityName: '广州市',
  countyName: '海珠区',
  detailInfo: '新港中路397号',
  postalCode: '510000',
};

describe('a prize won at the wheel', () => {
  it('is a voucher in the wallet, and 20 concurrent scans of its code redeem it once', async () => {
    await rigWheel(backend, 'tumbler');
    const voucher = await spinForPrize(backend, 'winner');
    expect(voucher).toMatchObject({
      kind: 'prize',
      title: '定制保温杯',
      label: '实物奖品',
      status: 'available',
      source: 'lottery',
      prize: { prizeId: 'tumbler', fulfilment: 'pickup' },
    });
    expect(data(await backend.api('winner', 'wallet.list', {})).coupons).toEqual([voucher]);

    const { token } = data(await backend.api('winner', 'coupon.token', { couponId: voucher.id }));
    const cashiers = Array.from({ length: 20 }, (_, i) => (i % 2 ? STAFF : OWNER));
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all(
      cashiers.map((cashier) => backend.admin(cashier, 'coupon.redeem', { token })),
    );
    backend.emulator.faults.latencyMs = 0;

    // one cashier redeemed it (every scan of theirs says so), the other is told it was used
    const winners = new Set(cashiers.filter((_, i) => answers[i].ok));
    expect(winners.size).toBe(1);
    answers.forEach((answer, i) => {
      if (!answer.ok) expect(errorCode(answer)).toBe('COUPON_ALREADY_REDEEMED');
      else expect(data(answer)).toMatchObject({ couponId: voucher.id, kind: 'prize' });
      if (cashiers[i] !== [...winners][0]) expect(answer.ok).toBe(false);
    });
    // one redemption, one ledger record naming the cashier's store
    expect(stored(backend, 'coupons').find((c) => c._id === voucher.id)).toMatchObject({
      redemptions: 1,
    });
    const ledger = stored(backend, 'redemptions');
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ kind: 'voucher', itemId: voucher.id, title: '定制保温杯' });
    expect(ledger[0].store).toMatch(/山野茶事/);
    const used = data(await backend.api('winner', 'wallet.list', { status: 'redeemed' })).coupons;
    expect(used.map((c) => c.id)).toEqual([voucher.id]);
    const funnel = data(await backend.admin(OWNER, 'stats.overview')).funnel;
    expect(funnel.find((s) => s.key === 'couponsRedeemed')?.count).toBe(1);
  });

  it('is issued by the reconciler when the spin died before issuing it', async () => {
    await rigWheel(backend, 'tumbler');
    const voucher = await spinForPrize(backend, 'winner');
    const snapshot = backend.snapshot();
    snapshot.collections.coupons = stored(backend, 'coupons').filter((c) => c._id !== voucher.id);
    await backend.emulator.importSnapshot(snapshot);
    expect(data(await backend.api('winner', 'wallet.list', {})).coupons).toEqual([]);
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ couponsIssued: 1 });
    expect(data(await backend.api('winner', 'wallet.list', {})).coupons).toEqual([voucher]);
  });

  it('expires at the end of its claim period, and cannot be redeemed after', async () => {
    await rigWheel(backend, 'tumbler', (prize) => (prize.claimDays = 2));
    const voucher = await spinForPrize(backend, 'winner');
    const { token } = data(await backend.api('winner', 'coupon.token', { couponId: voucher.id }));
    await backend.emulator.setClock(new Date(Date.parse(voucher.expiresAt) + 1));
    expect(errorCode(await backend.api('winner', 'coupon.token', { couponId: voucher.id }))).toBe(
      'COUPON_EXPIRED',
    );
    expect(errorCode(await backend.admin(STAFF, 'coupon.redeem', { token }))).toBe('BAD_TOKEN');
    const expired = data(await backend.api('winner', 'wallet.list', { status: 'expired' }));
    expect(expired.coupons.map((c) => c.id)).toEqual([voucher.id]);
  });
});

describe('a shipped prize', () => {
  it('takes the address the winner chose, shows it to the owner, and is marked sent once', async () => {
    await rigWheel(backend, 'tote');
    const voucher = await spinForPrize(backend, 'winner');
    expect(voucher.prize).toEqual({ prizeId: 'tote', fulfilment: 'shipping' });
    // no code to show at the counter: it is sent
    expect(errorCode(await backend.api('winner', 'coupon.token', { couponId: voucher.id }))).toBe(
      'CONFLICT',
    );
    // not before the address is given
    expect(
      errorCode(await backend.admin(OWNER, 'voucher.markSent', { couponId: voucher.id })),
    ).toBe('CONFLICT');

    const saved = data(
      await backend.api('winner', 'voucher.setAddress', { couponId: voucher.id, address: ADDRESS }),
    ).coupon;
    expect(saved.prize).toMatchObject({ address: ADDRESS, addressAt: expect.any(String) });
    // nobody else may give (or read) it
    await enter(backend, 'intruder');
    expect(
      errorCode(
        await backend.api('intruder', 'voucher.setAddress', {
          couponId: voucher.id,
          address: ADDRESS,
        }),
      ),
    ).toBe('NOT_FOUND');

    const listed = data(await backend.admin(OWNER, 'winners.list', { prizeId: 'tote' }));
    expect(listed.prize).toEqual({ id: 'tote', name: '帆布袋', fulfilment: 'shipping' });
    expect(listed.items).toEqual([
      expect.objectContaining({ couponId: voucher.id, state: 'address', address: ADDRESS }),
    ]);
    // an address given in time keeps the prize waiting for the owner, past the deadline too
    await backend.emulator.setClock(new Date(Date.parse(voucher.expiresAt) + 86_400_000));
    expect((await runCron(backend)).ok).toBe(true);

    const sends = await Promise.all(
      [1, 2, 3].map(() => backend.admin(OWNER, 'voucher.markSent', { couponId: voucher.id })),
    );
    expect(sends.every((s) => s.ok)).toBe(true);
    expect(stored(backend, 'redemptions')).toEqual([
      expect.objectContaining({ kind: 'voucher', itemId: voucher.id, store: '快递寄出' }),
    ]);
    const sent = data(await backend.admin(OWNER, 'winners.list', { prizeId: 'tote' })).items[0];
    expect(sent.state).toBe('sent');
    const wallet = data(await backend.api('winner', 'wallet.list', {})).coupons;
    expect(wallet[0].status).toBe('redeemed');
    // sent: the address can no longer change
    expect(
      errorCode(
        await backend.api('winner', 'voucher.setAddress', {
          couponId: voucher.id,
          address: ADDRESS,
        }),
      ),
    ).toBe('COUPON_ALREADY_REDEEMED');
  });

  it('refuses an address after the deadline, and a malformed one writes nothing', async () => {
    await rigWheel(backend, 'tote');
    const voucher = await spinForPrize(backend, 'winner');
    const before = backend.snapshot();
    const bad = await backend.api('winner', 'voucher.setAddress', {
      couponId: voucher.id,
      address: { ...ADDRESS, telNumber: 'call me' },
    });
    expect(errorCode(bad)).toBe('BAD_REQUEST');
    expect(backend.snapshot()).toEqual(before);
    await backend.emulator.setClock(new Date(Date.parse(voucher.expiresAt) + 1));
    expect(
      errorCode(
        await backend.api('winner', 'voucher.setAddress', {
          couponId: voucher.id,
          address: ADDRESS,
        }),
      ),
    ).toBe('COUPON_EXPIRED');
  });
});

describe('winners.list', () => {
  it('pages a prize’s winners newest first, and is for owners only', async () => {
    await rigWheel(backend, 'tumbler', (prize) => (prize.stock = 50));
    const won: string[] = [];
    for (let i = 0; i < 23; i++) {
      won.push((await spinForPrize(backend, `winner-${i}`)).id);
      await backend.emulator.advanceClock(1000);
    }
    const first = data(await backend.admin(OWNER, 'winners.list', { prizeId: 'tumbler' }));
    expect(first.items).toHaveLength(20);
    expect(first.next).toBeTruthy();
    const second = data(
      await backend.admin(OWNER, 'winners.list', { prizeId: 'tumbler', cursor: first.next }),
    );
    expect(second.next).toBeUndefined();
    const listed = [...first.items, ...second.items].map((w) => w.couponId);
    expect(listed).toEqual([...won].reverse());
    expect(first.items[0]).toMatchObject({ state: 'waiting', source: 'lottery' });
    expect(first.items[0].userRef).toMatch(/^[A-Za-z0-9]{4,12}$/);

    expect(errorCode(await backend.admin(STAFF, 'winners.list', { prizeId: 'tumbler' }))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await backend.admin(OWNER, 'winners.list', { prizeId: 'off-20' }))).toBe(
      'NOT_FOUND',
    );
    expect(
      errorCode(await backend.admin(OWNER, 'winners.list', { prizeId: 'tumbler', cursor: 'x' })),
    ).toBe('BAD_REQUEST');
  });
});

it('counts a spin’s voucher once when the same requestId is retried', async () => {
  await rigWheel(backend, 'tumbler');
  await enter(backend, 'winner');
  const id = requestId('same');
  const answers = await Promise.all(
    [1, 2, 3].map(() => backend.api('winner', 'lottery.spin', { requestId: id })),
  );
  const ids = new Set(answers.map((a) => data(a).coupon?.id));
  expect(ids.size).toBe(1);
  expect(stored(backend, 'coupons')).toHaveLength(1);
});
