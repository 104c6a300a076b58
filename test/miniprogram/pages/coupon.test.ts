/** @jest-environment jsdom */
/**
 * The coupon page against the real backend: the coupon and the QR of its redemption token, the
 * token refreshed before it expires (and not while the page is hidden), and what the page says
 * once staff redeemed it, once it expired, or when there is no such coupon.
 *
 * Time: jest's fake clock drives the page's refresh timer *and* the functions' `Date` (they run
 * in this process and read the global one), so `travel` moves both sides together.
 */
import { encodeQr } from '../../../miniprogram/utils/qrcode';
import { usePageBackend } from '../support/backend';
import { text, texts, usePages, type Page } from '../support/pages';
import { canvasOf, until, type FakeCanvas } from '../support/simulate';

const DAY = 86_400_000;
const open = usePages();
const backend = usePageBackend({ fakeTimers: true });

const openCoupon = (query: Record<string, string>) => open('pages/coupon/index', query);

/** A few event-loop turns: whatever the page started has answered by then. */
async function settle(): Promise<void> {
  for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
}

/** Moves the clock for the page and the functions alike (timers due meanwhile do not fire). */
function travel(ms: number): void {
  jest.setSystemTime(Date.now() + ms);
}

const tokenCalls = () => backend.calls.filter((c) => c.data.action === 'coupon.token').length;

/** The token the QR shows: the qr-code component's `text`. */
function qrOf(page: Page) {
  const qr = page.querySelector('.cpn-qr');
  return qr ? { token: String(qr.data.text), canvas: canvasOf(qr, '#qr') as FakeCanvas } : null;
}

/**
 * Reads the last QR drawn back into modules: which module centres a dark rectangle covered
 * after the last white background (as the qr-code component's own test does).
 */
function drawnModules(canvas: FakeCanvas, count: number): boolean[][] {
  const rects = canvas.calls.filter((c) => c.method === 'fillRect').map((c) => c.args as number[]);
  const last = rects.map((r) => r[0] === 0 && r[2] === canvas.width).lastIndexOf(true);
  const dark = rects.slice(last + 1);
  const cell = canvas.width / (count + 4); // a 2-module quiet zone each side
  const covered = (x: number, y: number) =>
    dark.some(([rx, ry, w, h]) => x >= rx && x < rx + w && y >= ry && y < ry + h);
  return Array.from({ length: count }, (_, r) =>
    Array.from({ length: count }, (_, c) => covered((c + 2.5) * cell, (r + 2.5) * cell)),
  );
}

/** The QR on the canvas is the code of `token`. */
function expectQrOf(canvas: FakeCanvas, token: string): void {
  const { modules } = encodeQr(token);
  expect(drawnModules(canvas, modules.length)).toEqual(modules);
}

/** A visitor who claimed the gift: one coupon (5元无门槛券) in the wallet. */
async function holderOfGift(openid: string) {
  await backend.as(openid, 'api', { action: 'session.enter' });
  await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  const { coupons } = await backend.as(openid, 'api', { action: 'wallet.list' });
  return coupons[0] as { id: string; title: string; label: string };
}

test('shows the coupon and the QR of a token, refreshed before the token expires', async () => {
  const coupon = await holderOfGift('guest-1');
  backend.actAs('guest-1');
  const page = await openCoupon({ id: coupon.id });

  expect(texts(page, 'coupon__title')).toEqual([coupon.title]);
  expect(texts(page, 'coupon__label')).toEqual([coupon.label]);
  // this is where it is used: no 去使用 on the card above the code
  expect(texts(page, 'coupon__action')).toEqual([]);
  expect(text(page, '.cpn-code__title')).toBe('出示给店员扫码核销');
  const first = qrOf(page)!;
  expect(first.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  expectQrOf(first.canvas, first.token);
  expect(tokenCalls()).toBe(1);

  // 10 s before the token's 60 s are up, a new one replaces it
  jest.advanceTimersByTime(49_000);
  await settle();
  expect(tokenCalls()).toBe(1);
  jest.advanceTimersByTime(1_000);
  await until(() => qrOf(page)!.token !== first.token, 'a new token');
  expect(tokenCalls()).toBe(2);
  const second = qrOf(page)!;
  expect(second.token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  expectQrOf(second.canvas, second.token);

  // and the one shown is the one the counter accepts
  const redeemed = await backend.as('demo-staff', 'admin', {
    action: 'coupon.redeem',
    token: second.token,
  });
  expect(redeemed.couponId).toBe(coupon.id);
});

test('after staff redeemed it, the page shows 已核销 and no QR', async () => {
  const coupon = await holderOfGift('guest-2');
  backend.actAs('guest-2');
  const page = await openCoupon({ id: coupon.id });
  const { token } = qrOf(page)!;

  await backend.as('demo-staff', 'admin', { action: 'coupon.redeem', token });
  jest.advanceTimersByTime(50_000); // the next refresh is refused: COUPON_ALREADY_REDEEMED
  await until(() => !!page.querySelector('.cpn-done'), 'the used state');

  expect(text(page, '.cpn-done__stamp')).toBe('已核销');
  expect(text(page, '.cpn-done__text')).toBe('这张券已使用，感谢光临');
  expect(qrOf(page)).toBeNull();
  expect(texts(page, 'coupon__stamp')).toEqual(['已使用']);

  // nothing more is asked for
  const calls = tokenCalls();
  jest.advanceTimersByTime(300_000);
  await settle();
  expect(tokenCalls()).toBe(calls);
});

test('hidden, the page asks for no token; shown again, it asks at once', async () => {
  const coupon = await holderOfGift('guest-3');
  backend.actAs('guest-3');
  const page = await openCoupon({ id: coupon.id });
  const first = qrOf(page)!.token;

  page.instance.onHide();
  jest.advanceTimersByTime(300_000);
  await settle();
  expect(tokenCalls()).toBe(1);

  await page.instance.onShow();
  expect(tokenCalls()).toBe(2);
  expect(qrOf(page)!.token).not.toBe(first);

  // and the refresh cycle runs again
  jest.advanceTimersByTime(50_000);
  await until(() => tokenCalls() === 3, 'the next refresh');
});

test('a coupon that expires while shown turns to 已过期', async () => {
  const coupon = await holderOfGift('guest-4');
  backend.actAs('guest-4');
  const page = await openCoupon({ id: coupon.id });
  expect(qrOf(page)).not.toBeNull();

  travel(9 * DAY); // 5元无门槛券 lasts 7 Shanghai days
  jest.advanceTimersByTime(50_000); // the refresh is refused: COUPON_EXPIRED
  await until(() => !!page.querySelector('.cpn-done'), 'the expired state');

  expect(text(page, '.cpn-done__stamp')).toBe('已过期');
  expect(qrOf(page)).toBeNull();
  expect(texts(page, 'coupon__stamp')).toEqual(['已过期']);
});

test('an expired coupon opens as 已过期, without asking for a token', async () => {
  const coupon = await holderOfGift('guest-5');
  travel(9 * DAY);
  backend.actAs('guest-5');
  const page = await openCoupon({ id: coupon.id });

  expect(text(page, '.cpn-done__stamp')).toBe('已过期');
  expect(qrOf(page)).toBeNull();
  expect(tokenCalls()).toBe(0);
});

test('someone else’s or an unknown coupon: 优惠券不存在', async () => {
  const theirs = await holderOfGift('guest-6');
  backend.actAs('guest-7');
  const page = await openCoupon({ id: theirs.id });
  expect(text(page, '.cpn-state__title')).toBe('优惠券不存在');
  expect(qrOf(page)).toBeNull();

  const unknown = await openCoupon({ id: 'no-such-coupon' });
  expect(text(unknown, '.cpn-state__title')).toBe('优惠券不存在');
  expect(tokenCalls()).toBe(0);
});
