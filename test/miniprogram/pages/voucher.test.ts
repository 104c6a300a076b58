/** @jest-environment jsdom */
/**
 * A physical prize's voucher (实物奖品) on the phone, against the real backend (Rewards, issue
 * 12): its own look in the wallet; its page shows a code to pick it up at the counter, or, for a
 * shipped prize, takes the address from `wx.chooseAddress` and waits for the owner to send it.
 * While a coupon is shown, a tap asks WeChat for a reminder before it expires.
 */
import { CAMPAIGN_CACHE_TTL_MS } from '../../../cloudfunctions/_shared/limits';
import { usePageBackend } from '../support/backend';
import { text, texts, usePages } from '../support/pages';
import { findIn, flushMicrotasks, tap, until } from '../support/simulate';

const open = usePages();
const backend = usePageBackend();

/** `openid` wins `prizeId` at the wheel: the voucher in their wallet. */
async function winner(openid: string, prizeId: string) {
  const { config } = await backend.as('demo-admin', 'admin', { action: 'campaign.get' });
  for (const prize of config.lottery.prizes) prize.weight = prize.id === prizeId ? 1 : 0;
  await backend.as('demo-admin', 'admin', { action: 'campaign.put', config });
  await backend.emulator.advanceClock(CAMPAIGN_CACHE_TTL_MS);
  await backend.as(openid, 'api', { action: 'session.enter' });
  const spin = await backend.as(openid, 'api', {
    action: 'lottery.spin',
    requestId: `spin-${openid}`,
  });
  return spin.coupon as { id: string; expiresAt: string };
}

const ADDRESS = {
  userName: '张三',
  telNumber: '13800138000',
  provinceName: '广东省',
  cityName: '广州市',
  countyName: '海珠区',
  detailInfo: '新港中路397号',
  postalCode: '510000',
  nationalCode: '510000',
  errMsg: 'chooseAddress:ok',
};

test('a tumbler won at the wheel is a voucher in the wallet, picked up with its code', async () => {
  const voucher = await winner('winner', 'tumbler');
  backend.actAs('winner');
  const wallet = await open('pages/wallet/index');
  expect(findIn(wallet, 'coupon--prize')).toHaveLength(1);
  expect(texts(wallet, 'coupon__label')).toEqual(['实物奖品']);
  expect(texts(wallet, 'coupon__title')).toEqual(['定制保温杯']);
  expect(texts(wallet, 'coupon__source')).toEqual(['抽奖所得']);
  expect(texts(wallet, 'coupon__note')[0]).toMatch(/^到店领取 · \d\d-\d\d 截止$/);
  expect(texts(wallet, 'coupon__action')).toEqual(['去领取']);

  const page = await open('pages/coupon/index', { id: voucher.id });
  expect(text(page, '.cpn-code__title')).toBe('出示给店员扫码领取奖品');
  const token = String(page.querySelector('.cpn-qr')?.data.text ?? '');
  const redeemed = await backend.as('demo-staff', 'admin', { action: 'coupon.redeem', token });
  expect(redeemed).toMatchObject({ couponId: voucher.id, kind: 'prize' });

  const again = await open('pages/coupon/index', { id: voucher.id });
  expect(text(again, '.cpn-done__stamp')).toBe('已领取');
  expect(text(again, '.cpn-done__text')).toBe('奖品已领取，感谢光临');
  expect(texts(again, 'coupon__stamp')).toEqual(['已领取']);
});

test('a shipped tote takes the address the winner chooses, until the owner sends it', async () => {
  const voucher = await winner('winner', 'tote');
  backend.actAs('winner');
  const page = await open('pages/coupon/index', { id: voucher.id });
  expect(page.querySelector('.cpn-code')).toBeUndefined();
  expect(text(page, '.cpn-ship__title')).toBe('收货地址');
  expect(text(page, '.cpn-ship__btn')).toBe('选择收货地址');
  expect(backend.calls.filter((c) => c.data.action === 'coupon.token')).toEqual([]);

  const chooser = jest.spyOn(wx, 'chooseAddress').mockResolvedValue(ADDRESS as never);
  await tap(page.querySelector('.cpn-ship__btn'));
  await until(() => !!page.querySelector('.cpn-ship__address'), 'the address');
  expect(chooser).toHaveBeenCalled();
  expect(text(page, '.cpn-ship__who')).toBe('张三 13800138000');
  expect(text(page, '.cpn-ship__where')).toBe('广东省广州市海珠区新港中路397号');
  expect(text(page, '.cpn-ship__state')).toBe('等待发货');
  expect(text(page, '.cpn-ship__btn')).toBe('修改收货地址');
  // the owner sees it on the winners list
  const listed = await backend.as('demo-admin', 'admin', {
    action: 'winners.list',
    prizeId: 'tote',
  });
  expect(listed.items[0]).toMatchObject({ state: 'address', address: { userName: '张三' } });

  await backend.as('demo-admin', 'admin', { action: 'voucher.markSent', couponId: voucher.id });
  const sent = await open('pages/coupon/index', { id: voucher.id });
  expect(text(sent, '.cpn-done__stamp')).toBe('已寄出');
  expect(text(sent, '.cpn-done__text')).toBe('奖品已寄出，请留意快递');
});

test('closing the address book changes nothing', async () => {
  const voucher = await winner('winner', 'tote');
  backend.actAs('winner');
  const page = await open('pages/coupon/index', { id: voucher.id });
  jest.spyOn(wx, 'chooseAddress').mockRejectedValue({ errMsg: 'chooseAddress:fail cancel' });
  await tap(page.querySelector('.cpn-ship__btn'));
  await flushMicrotasks();
  expect(page.querySelector('.cpn-ship__address')).toBeUndefined();
  expect(backend.calls.filter((c) => c.data.action === 'voucher.setAddress')).toEqual([]);
});

test('a coupon shown offers a reminder before it expires; the tap opens WeChat’s sheet', async () => {
  await backend.as('holder', 'api', { action: 'session.enter' });
  const claim = await backend.as('holder', 'api', {
    action: 'magnet.claim',
    requestId: 'claim-holder',
  });
  const { templates } = await backend.as('holder', 'api', { action: 'reminders.get' });
  const template = templates.find(
    (t: { event: string }) => t.event === 'couponExpiring',
  ).templateId;
  const sheet = jest
    .spyOn(wx, 'requestSubscribeMessage')
    .mockResolvedValue({ errMsg: 'requestSubscribeMessage:ok', [template]: 'accept' } as never);
  backend.actAs('holder');
  const page = await open('pages/coupon/index', { id: claim.reward.coupon.id });
  await until(() => !!page.querySelector('.cpn-remind'), 'the reminder ask');
  await tap(page.querySelector('.cpn-remind'));
  await until(() => page.data.remindersOn === true, 'the reminder on');
  expect(sheet).toHaveBeenCalledWith({ tmplIds: [template] });
  expect(backend.emulator.store.get('subscriptions', 'holder')?.counts).toEqual({ [template]: 1 });
  expect(text(page, '.cpn-remind__text')).toBe('已开启：到期前一天提醒你');
});
