/** @jest-environment jsdom */
/**
 * The redeem page against the real backend: a customer's coupon token, scanned (wx.scanCode
 * driven by the test) or typed, is redeemed exactly once; every refusal says why.
 */
import { CAMPAIGN_CACHE_TTL_MS } from '../../../cloudfunctions/_shared/limits';
import { usePageBackend } from '../support/backend';
import { text, usePages, type Page } from '../support/pages';
import { classesOf, flushMicrotasks, tap, until } from '../support/simulate';

const open = usePages();
const backend = usePageBackend();

const CUSTOMER = 'customer-0001';

const openRedeem = () => open('admin/pages/redeem/index');

/** A customer who claimed the gift (a 5-yuan coupon) and shows its redemption QR. */
async function customerShowsCoupon() {
  await backend.as(CUSTOMER, 'api', { action: 'session.enter' });
  await backend.as(CUSTOMER, 'api', { action: 'magnet.claim', requestId: `claim-${CUSTOMER}` });
  const { coupons } = await backend.as(CUSTOMER, 'api', { action: 'wallet.list' });
  const { token } = await backend.as(CUSTOMER, 'api', {
    action: 'coupon.token',
    couponId: coupons[0].id,
  });
  return { coupon: coupons[0], token: token as string };
}

function scanReturns(result: string) {
  return jest.spyOn(wx, 'scanCode').mockResolvedValue({ result } as never);
}

const redeemCalls = () => backend.calls.filter((c) => c.data.action === 'coupon.redeem');

/** Scans (as mocked) and waits for the result card. */
async function scan(page: Page) {
  const before = redeemCalls().length;
  await tap(page.querySelector('.rdm-scan'));
  await until(
    () => redeemCalls().length > before && !!page.querySelector('.rdm-result') && !page.data.busy,
    'the result card',
  );
}

test('staff scan a valid coupon: redeemed once; rescanning says it worked, another cashier is refused, a forged code too', async () => {
  const { coupon, token } = await customerShowsCoupon();
  backend.actAs('demo-staff');
  const page = await openRedeem();
  // the staff binding's store, too (Rewards, issue 12)
  expect(text(page, '.rdm-who')).toBe('当前核销人：演示店员 · 山野茶事 · 万象城店');

  const scanCode = scanReturns(token);
  await scan(page);
  expect(scanCode).toHaveBeenCalledWith({ onlyFromCamera: true, scanType: ['qrCode'] });
  expect(classesOf(page.querySelector('.rdm-result'))).toContain('rdm-result--ok');
  expect(text(page, '.rdm-result__heading')).toBe('核销成功');
  expect(text(page, '.rdm-result__title')).toBe(coupon.title);
  expect(text(page, '.rdm-result__label')).toBe(coupon.label);
  expect(text(page, '.rdm-result__detail')).toMatch(/^\d{2}-\d{2} \d{2}:\d{2} 已核销$/);
  // the customer's wallet now shows it used
  const { coupons } = await backend.as(CUSTOMER, 'api', { action: 'wallet.list' });
  expect(coupons.find((c: { id: string }) => c.id === coupon.id)).toMatchObject({
    status: 'redeemed',
  });

  // the same code a second time by the same cashier (say the first answer was lost): it worked
  const detail = text(page, '.rdm-result__detail');
  await scan(page);
  expect(classesOf(page.querySelector('.rdm-result'))).toContain('rdm-result--ok');
  expect(text(page, '.rdm-result__detail')).toBe(detail);
  // …while another cashier is told it was used
  await expect(
    backend.as('demo-admin', 'admin', { action: 'coupon.redeem', token }),
  ).rejects.toThrow(/COUPON_ALREADY_REDEEMED/);

  // a forged code: the signature does not match
  const [payload, signature] = token.split('.');
  const forged = `${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
  scanReturns(forged);
  await scan(page);
  expect(text(page, '.rdm-result__heading')).toBe('核销码无效');
  expect(text(page, '.rdm-result__detail')).toBe('核销码无效或已过期，请顾客刷新券码后重新出示');
  expect(redeemCalls()).toHaveLength(3);
});

test('a coupon whose title is its value shows the value once', async () => {
  const { config } = await backend.as('demo-admin', 'admin', { action: 'campaign.get' });
  const gift = config.couponTemplates.find((t: { id: string }) => t.id === 'cash-5-free');
  gift.title = '5元无门槛';
  await backend.as('demo-admin', 'admin', { action: 'campaign.put', config });
  await backend.emulator.advanceClock(CAMPAIGN_CACHE_TTL_MS); // visitors' functions cache it
  const { coupon, token } = await customerShowsCoupon();
  expect(coupon).toMatchObject({ title: '5元无门槛', label: '5元无门槛' });

  backend.actAs('demo-staff');
  const page = await openRedeem();
  scanReturns(token);
  await scan(page);
  expect(text(page, '.rdm-result__heading')).toBe('核销成功');
  expect(text(page, '.rdm-result__label')).toBe('5元无门槛');
  expect(page.querySelector('.rdm-result__title')).toBeUndefined();
});

test('a cancelled scan does nothing; two quick taps redeem once', async () => {
  const { token } = await customerShowsCoupon();
  backend.actAs('demo-staff');
  const page = await openRedeem();

  const cancelled = jest
    .spyOn(wx, 'scanCode')
    .mockRejectedValue({ errMsg: 'scanCode:fail cancel' });
  const toast = jest.spyOn(wx, 'showToast');
  await tap(page.querySelector('.rdm-scan'));
  await until(() => cancelled.mock.calls.length === 1 && !page.data.busy, 'the scan to end');
  expect(redeemCalls()).toHaveLength(0);
  expect(page.querySelector('.rdm-result')).toBeUndefined();
  expect(toast).not.toHaveBeenCalled();

  scanReturns(token);
  page.querySelector('.rdm-scan')?.dispatchEvent('tap');
  await scan(page);
  expect(redeemCalls()).toHaveLength(1);
  expect(text(page, '.rdm-result__heading')).toBe('核销成功');
});

test('the owner redeems a typed code when the camera cannot read it', async () => {
  const { coupon, token } = await customerShowsCoupon();
  backend.actAs('demo-admin');
  const page = await openRedeem();

  await tap(page.querySelector('.rdm-manual__submit'));
  expect(text(page, '.rdm-manual__error')).toBe('请输入券码');
  expect(redeemCalls()).toHaveLength(0);

  page.querySelector('.rdm-manual__input')?.dispatchEvent('input', {
    detail: { value: `  ${token}\n` },
  });
  await flushMicrotasks();
  await tap(page.querySelector('.rdm-manual__submit'));
  await until(() => !!page.querySelector('.rdm-result') && !page.data.busy, 'the result card');
  expect(text(page, '.rdm-result__heading')).toBe('核销成功');
  expect(text(page, '.rdm-result__title')).toBe(coupon.title);
  expect(page.data.manualToken).toBe('');
  expect(redeemCalls()).toHaveLength(1);
});

test('a visitor is refused: no scan button, nothing redeemed', async () => {
  await customerShowsCoupon();
  backend.actAs(CUSTOMER);
  const page = await openRedeem();
  expect(text(page, '.admin-refusal__title')).toBe('此页面仅限活动运营人员使用');
  expect(page.querySelector('.rdm-scan')).toBeUndefined();
  expect(page.querySelector('.rdm-manual__input')).toBeUndefined();
  expect(backend.calls.filter((c) => c.openid === CUSTOMER).map((c) => c.data.action)).toEqual([
    'admin.whoami',
  ]);
});
