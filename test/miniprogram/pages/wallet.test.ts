/** @jest-environment jsdom */
/**
 * The wallet page against the real backend: the coupons a visitor holds, in the tab of their
 * status, with counts; a coupon used at the counter moves to 已使用 on the next refresh, one past
 * its expiry is under 已过期; an available coupon opens its redemption page.
 */
import { usePageBackend } from '../support/backend';
import { text, texts, usePages, type Page } from '../support/pages';
import { classesOf, findIn, tap } from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const DAY = 86_400_000;
const open = usePages();
const backend = usePageBackend();

const openWallet = () => open('pages/wallet/index');

/** Each tab as `title count`. */
const tabs = (page: Page) =>
  findIn(page, 'wallet-tab').map(
    (tab) => `${texts(tab, 'wallet-tab__title')} ${texts(tab, 'wallet-tab__count')}`,
  );

/** A visitor who claimed the gift: one coupon (5元无门槛券) in the wallet. */
async function holderOfGift(openid: string) {
  await backend.as(openid, 'api', { action: 'session.enter' });
  await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  const { coupons } = await backend.as(openid, 'api', { action: 'wallet.list' });
  return coupons[0] as { id: string; title: string; label: string };
}

test('the claimed coupon is under 可使用; used at the counter, it moves to 已使用', async () => {
  const coupon = await holderOfGift('holder-1');
  backend.actAs('holder-1');
  const page = await openWallet();

  expect(tabs(page)).toEqual(['可使用 1', '已使用 0', '已过期 0']);
  expect(classesOf(page.querySelector('.wallet-tab--available'))).toContain('wallet-tab--active');
  expect(texts(page, 'coupon__title')).toEqual([coupon.title]);
  expect(texts(page, 'coupon__label')).toEqual([coupon.label]);
  expect(texts(page, 'coupon__action')).toEqual(['去使用']);
  expect(page.querySelector('.wallet-empty')).toBeUndefined();
  expect(backend.calls.filter((c) => c.data.action === 'wallet.list')).toEqual([
    expect.objectContaining({ data: { action: 'wallet.list' } }), // one call, no status filter
  ]);

  // staff scan the coupon's QR at the counter
  const { token } = await backend.as('holder-1', 'api', {
    action: 'coupon.token',
    couponId: coupon.id,
  });
  await backend.as('demo-staff', 'admin', { action: 'coupon.redeem', token });

  const stop = jest.spyOn(wx, 'stopPullDownRefresh');
  await page.instance.onPullDownRefresh();
  expect(stop).toHaveBeenCalled();
  // what is left to use: the repurchase coupon the redemption earned (issue 15)
  expect(tabs(page)).toEqual(['可使用 1', '已使用 1', '已过期 0']);
  expect(texts(page, 'coupon__title')).toEqual(['老顾客回馈 满30减6']);
  expect(texts(page, 'coupon__source')).toEqual(['老客回馈']);

  await tap(page.querySelector('.wallet-tab--redeemed'));
  expect(classesOf(page.querySelector('.wallet-tab--redeemed'))).toContain('wallet-tab--active');
  expect(texts(page, 'coupon__title')).toEqual([coupon.title]);
  expect(texts(page, 'coupon__stamp')).toEqual(['已使用']);
  expect(texts(page, 'coupon__note')[0]).toMatch(/已核销$/);
  expect(texts(page, 'coupon__action')).toEqual([]);

  // a used coupon does not open its page
  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(page.querySelector('.wallet-coupon')?.querySelector('.coupon'));
  expect(navigate).not.toHaveBeenCalled();
});

test('tapping an available coupon opens its redemption page', async () => {
  const coupon = await holderOfGift('holder-2');
  backend.actAs('holder-2');
  const page = await openWallet();

  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(page.querySelector('.wallet-coupon')?.querySelector('.coupon'));
  expect(navigate).toHaveBeenCalledWith(
    expect.objectContaining({ url: `${ROUTES.coupon}?id=${coupon.id}` }),
  );
});

test('a coupon past its expiry is under 已过期', async () => {
  const coupon = await holderOfGift('holder-3');
  await backend.emulator.advanceClock(9 * DAY); // 5元无门槛券 lasts 7 Shanghai days
  backend.actAs('holder-3');
  const page = await openWallet();

  expect(tabs(page)).toEqual(['可使用 0', '已使用 0', '已过期 1']);
  await tap(page.querySelector('.wallet-tab--expired'));
  expect(texts(page, 'coupon__title')).toEqual([coupon.title]);
  expect(texts(page, 'coupon__stamp')).toEqual(['已过期']);
});

test('an empty wallet says so in every tab, and leads to the wheel', async () => {
  backend.actAs('newcomer');
  const page = await openWallet();

  expect(tabs(page)).toEqual(['可使用 0', '已使用 0', '已过期 0']);
  expect(text(page, '.wallet-empty__text')).toBe('暂时没有可用的券，去转盘试试手气吧');
  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(page.querySelector('.wallet-empty__btn'));
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.wheel }));

  await tap(page.querySelector('.wallet-tab--redeemed'));
  expect(text(page, '.wallet-empty__text')).toBe('还没有使用过的券');
  await tap(page.querySelector('.wallet-tab--expired'));
  expect(text(page, '.wallet-empty__text')).toBe('没有过期的券，继续保持');
});

test('coming back to the page shows the latest', async () => {
  backend.actAs('holder-4');
  const page = await openWallet();
  expect(tabs(page)[0]).toBe('可使用 0');

  await backend.as('holder-4', 'api', { action: 'magnet.claim', requestId: 'claim-holder-4' });
  await page.instance.onShow();
  expect(tabs(page)[0]).toBe('可使用 1');
});
