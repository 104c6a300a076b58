/** @jest-environment jsdom */
/**
 * The landing page against the real backend: the campaign and its countdown, claiming the lead
 * magnet (once, retried with the same requestId), the reward on a second visit, the invite banner
 * and the inviter's credit, the entry (inv/ch/scene) and what a visitor shares.
 *
 * Time: jest's fake clock drives the page's timers *and* the functions' `Date` (they run in this
 * process and read the global one), so `travel` moves both sides together. Promise-based work
 * (the emulator's database) runs on real microtasks and `setImmediate` turns.
 */
import { countdownParts, formatCountdown } from '../../../miniprogram/utils/countdown';
import { usePageBackend } from '../support/backend';
import { text, texts, usePages } from '../support/pages';
import {
  attrOf,
  findIn,
  flushMicrotasks,
  setDataSizes,
  SET_DATA_BUDGET_BYTES,
  tap,
  textOf,
  until,
} from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const DAY = 86_400_000;
const open = usePages();
const backend = usePageBackend({ fakeTimers: true });

const openLanding = (query: Record<string, string> = {}) => open('pages/landing/index', query);

/** Moves the clock for the page and the functions alike. */
function travel(ms: number): void {
  jest.setSystemTime(Date.now() + ms);
}

const callsOf = (action: string) => backend.calls.filter((c) => c.data.action === action);

async function inviteCodeOf(openid: string): Promise<string> {
  return (await backend.as(openid, 'api', { action: 'session.enter' })).inviteCode;
}

test('shows the campaign, the magnet and a countdown to the end of the claim window that ticks', async () => {
  const campaign = await backend.as('someone', 'api', { action: 'campaign.get' });
  backend.actAs('visitor-count');
  const page = await openLanding();

  expect(text(page, '.landing-hero__title')).toBe('山野茶事 · 新店开业 会员招募季');
  expect(text(page, '.landing-magnet__title')).toBe(campaign.magnet.title);
  expect(text(page, '.landing-magnet__desc')).toBe(campaign.magnet.description);
  expect(attrOf(page.querySelector('.landing-hero__image'), 'src')).toBe(campaign.magnet.image);
  // each gift tile: the value, and a line that says more than the value again
  expect(texts(page, 'landing-gift__value')).toEqual(['5元无门槛', '资料包']);
  expect(texts(page, 'landing-gift__name')).toEqual(['领取后放入券包', '领取后复制链接查看']);
  // the share card's title is a block of its own, as on the other pages, not run into its body
  const shareTitle = findIn(page.querySelector('.landing-share'), 'card__title')[0];
  expect(shareTitle.tagName).toBe('wx-view');
  expect(textOf(shareTitle)).toBe('邀请好友一起领');
  expect(text(page, '.landing-claim')).toBe('立即免费领取');
  expect(attrOf(page.querySelector('.landing-claim'), 'disabled')).toBe(false);

  const expected = () =>
    formatCountdown(countdownParts(Date.parse(campaign.magnet.claimWindow.endAt) - Date.now()));
  const shown = () => texts(page, 'countdown__time').join();
  expect(texts(page, 'countdown__label')).toEqual(['距领取结束']);
  const before = shown();
  expect(before).toMatch(/^[678]天 \d\d:\d\d:\d\d$/);
  expect(before).toBe(expected());

  jest.advanceTimersByTime(3000);
  expect(shown()).not.toBe(before);
  expect(shown()).toBe(expected());
  jest.advanceTimersByTime(60_000);
  expect(shown()).toBe(expected());
});

// Performance (issue 14)
test('the first screen comes from one cloud call, for a new visitor and for one who claimed', async () => {
  const calls = () => backend.calls.map((c) => `${c.name} ${String(c.data.action)}`);
  backend.actAs('visitor-one-call');
  backend.calls.length = 0;
  const page = await openLanding({ ch: 'poster' });
  expect(text(page, '.landing-claim')).toBe('立即免费领取');
  expect(text(page, '.landing-magnet__title')).not.toBe('');
  expect(calls()).toEqual(['api session.enter']);

  await tap(page.querySelector('.landing-claim'));
  await until(() => !!page.querySelector('.landing-reward'), 'the reward');
  page.detach();

  // the next launch: the reward (the coupon, the link) is in the same answer
  backend.actAs('visitor-one-call');
  backend.calls.length = 0;
  const again = await openLanding();
  expect(texts(again, 'coupon__title')).toEqual(['5元无门槛券']);
  expect(text(again, '.landing-resource__url')).toMatch(/summer-recipes\.pdf$/);
  expect(calls()).toEqual(['api session.enter']);

  // coming back to the page later reads the campaign and the wallet afresh
  backend.calls.length = 0;
  await again.instance.onShow();
  await flushMicrotasks();
  expect(calls().sort()).toEqual(['api campaign.get', 'api wallet.list']);

  // what the page handed setData was measured (the harness holds it to 64 KB a call)
  const landing = setDataSizes()['pages/landing/index'];
  expect(landing.calls).toBeGreaterThan(2);
  expect(landing.largest).toBeGreaterThan(500);
  expect(landing.largest).toBeLessThanOrEqual(SET_DATA_BUDGET_BYTES);
});

test('claiming shows the coupon from the server and the resource link; a double tap claims once', async () => {
  backend.actAs('visitor-claim');
  const page = await openLanding({ ch: 'poster' });
  expect(page.querySelector('.landing-reward')).toBeUndefined();

  const button = page.querySelector('.landing-claim');
  button?.dispatchEvent('tap');
  await tap(button);
  await until(() => !!page.querySelector('.landing-reward'), 'the reward');

  expect(callsOf('magnet.claim')).toHaveLength(1);
  const { coupons } = await backend.as('visitor-claim', 'api', { action: 'wallet.list' });
  expect(coupons).toHaveLength(1);
  expect(texts(page, 'coupon__label')).toEqual([coupons[0].label]);
  expect(texts(page, 'coupon__title')).toEqual(['5元无门槛券']);
  expect(page.querySelector('.landing-claim')).toBeUndefined();
  expect(texts(page, 'countdown__time')).toEqual([]);
  expect(text(page, '.landing-reward__title')).toBe('已领取，福利已放入你的券包');

  // the link is copied, not opened (a Mini Program cannot open arbitrary web pages): the demo's
  // booklet, served from the emulator's storage
  const copy = jest.spyOn(wx, 'setClipboardData');
  const url = text(page, '.landing-resource__url');
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__emulator\/files\/demo\/summer-recipes\.pdf$/);
  await tap(page.querySelector('.landing-resource'));
  expect(copy).toHaveBeenCalledWith(expect.objectContaining({ data: url }));

  // the coupon opens its page
  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(page.querySelector('.landing-reward__coupon')?.querySelector('.coupon'));
  expect(navigate).toHaveBeenCalledWith(
    expect.objectContaining({ url: `${ROUTES.coupon}?id=${coupons[0].id}` }),
  );
});

test('a second visit shows the reward as claimed, without the button', async () => {
  await backend.as('visitor-back', 'api', { action: 'session.enter' });
  await backend.as('visitor-back', 'api', { action: 'magnet.claim', requestId: 'first-claim-1' });
  backend.actAs('visitor-back');
  const page = await openLanding();

  expect(page.querySelector('.landing-claim')).toBeUndefined();
  expect(text(page, '.landing-reward__title')).toBe('已领取，福利已放入你的券包');
  expect(texts(page, 'coupon__label')).toEqual(['5元无门槛']);
  expect(text(page, '.landing-resource__url')).toContain('summer-recipes.pdf');
  const { coupons } = await backend.as('visitor-back', 'api', { action: 'wallet.list' });
  expect(coupons).toHaveLength(1);
  expect(texts(page, 'coupon__action')).toEqual(['去使用']);

  // used at the counter, then back on this page: the coupon shows as used
  const { token } = await backend.as('visitor-back', 'api', {
    action: 'coupon.token',
    couponId: coupons[0].id,
  });
  await backend.as('demo-staff', 'admin', { action: 'coupon.redeem', token });
  await page.instance.onShow();
  expect(texts(page, 'coupon__stamp')).toEqual(['已使用']);
  expect(texts(page, 'coupon__action')).toEqual([]);
  expect(page.querySelector('.landing-claim')).toBeUndefined();
});

test('a failed claim keeps the button, and the retry reuses the requestId', async () => {
  backend.actAs('visitor-retry');
  const page = await openLanding();
  const toast = jest.spyOn(wx, 'showToast');

  backend.emulator.faults.failureRate = 1;
  await page.instance.onClaim();
  expect(toast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '服务开小差了，请稍后再试' }),
  );
  expect(text(page, '.landing-claim')).toBe('立即免费领取');
  expect(page.querySelector('.landing-reward')).toBeUndefined();

  backend.emulator.faults.failureRate = 0;
  await tap(page.querySelector('.landing-claim'));
  await until(() => !!page.querySelector('.landing-reward'), 'the reward');
  const claims = callsOf('magnet.claim');
  expect(claims).toHaveLength(2);
  expect(claims[1].data.requestId).toBe(claims[0].data.requestId);
});

test("a friend's invite shows the banner; claiming verifies it for the inviter", async () => {
  const codeA = await inviteCodeOf('inviter-A');
  backend.actAs('friend-of-A');
  const page = await openLanding({ inv: codeA, ch: 'share' });

  expect(text(page, '.landing-invite__text')).toBe('好友邀请你来领福利，领取后好友也能得到奖励');
  // a ribbon inside the magnet card, not a strip pressed against the hero's foot
  expect(findIn(page.querySelector('.landing-magnet'), 'landing-invite')).toHaveLength(1);
  expect((await backend.as('inviter-A', 'api', { action: 'blackcard.get' })).verified).toBe(0);

  await tap(page.querySelector('.landing-claim'));
  await until(() => !!page.querySelector('.landing-reward'), 'the reward');
  expect(page.querySelector('.landing-invite')).toBeUndefined();
  const card = await backend.as('inviter-A', 'api', { action: 'blackcard.get' });
  expect(card).toMatchObject({ verified: 1, pending: 0 });

  // what the friend shares carries their own code, on the share channel
  const mine = await inviteCodeOf('friend-of-A');
  expect(mine).not.toBe(codeA);
  const share = page.instance.onShareAppMessage();
  expect(share.path).toBe(`${ROUTES.landing}?inv=${mine}&ch=share`);
  expect(share.title).toBe('开业福利：免费领《夏日特调配方手册》');
  const campaign = await backend.as('friend-of-A', 'api', { action: 'campaign.get' });
  expect(share.imageUrl).toBe(campaign.magnet.image);
  expect(share.imageUrl).toBeTruthy();
  // an image that cannot be shown is hidden, and not used for the card either
  page.instance.onImageError();
  expect(page.querySelector('.landing-hero__image')).toBeUndefined();
  expect(page.instance.onShareAppMessage()).not.toHaveProperty('imageUrl');
  expect(page.instance.onShareTimeline()).toEqual({
    title: '开业福利：免费领《夏日特调配方手册》',
    query: `inv=${mine}&ch=share`,
  });
});

test('enables both share menus', async () => {
  const menu = jest.spyOn(wx, 'showShareMenu');
  await openLanding();
  expect(menu).toHaveBeenCalledWith(
    expect.objectContaining({ menus: ['shareAppMessage', 'shareTimeline'] }),
  );
});

test('a Mini Program code with scene CODE.poster registers the inviter and the channel', async () => {
  const codeA = await inviteCodeOf('inviter-poster');
  backend.actAs('scanner');
  const page = await openLanding({ scene: encodeURIComponent(`${codeA}.poster`) });

  expect(callsOf('session.enter')[0].data).toEqual({
    action: 'session.enter',
    inviteCode: codeA,
    channel: 'poster',
    scene: `${codeA}.poster`,
    landing: true,
  });
  expect(page.querySelector('.landing-invite')).toBeDefined();
  const stats = await backend.as('demo-admin', 'admin', { action: 'stats.overview' });
  const poster = stats.channels.find((c: { code: string }) => c.code === 'poster');
  expect(poster.visitors).toBe(1);
});

test('after the claim window the button is disabled and says why', async () => {
  travel(9 * DAY); // the window closes at the end of the 7th Shanghai day; the campaign runs on
  backend.actAs('visitor-late');
  const page = await openLanding();

  const button = page.querySelector('.landing-claim');
  expect(textOf(button)).toBe('已结束');
  expect(attrOf(button, 'disabled')).toBe(true);
  expect(text(page, '.landing-claim__reason')).toBe('领取时间已过，下次早点来哦');
  expect(texts(page, 'countdown__time')).toEqual([]);
  await page.instance.onClaim();
  expect(callsOf('magnet.claim')).toHaveLength(0);
});

test('before the claim window opens: 未开始, and a countdown to the start', async () => {
  const { config } = await backend.as('demo-admin', 'admin', { action: 'campaign.get' });
  const opensAt = new Date(Date.now() + 2 * 3_600_000);
  config.magnet.claimWindow.startAt = opensAt.toISOString();
  await backend.as('demo-admin', 'admin', { action: 'campaign.put', config });
  backend.actAs('visitor-early');
  const page = await openLanding();

  const button = page.querySelector('.landing-claim');
  expect(textOf(button)).toBe('未开始');
  expect(attrOf(button, 'disabled')).toBe(true);
  expect(text(page, '.landing-claim__reason')).toMatch(/开始领取$/);
  expect(texts(page, 'countdown__label')).toEqual(['距开抢']);
  expect(texts(page, 'countdown__time')).toEqual(['02:00:00']);

  // when the countdown reaches zero the window is open
  travel(2 * 3_600_000);
  jest.advanceTimersByTime(1000);
  expect(text(page, '.landing-claim')).toBe('立即免费领取');
  expect(texts(page, 'countdown__label')).toEqual(['距领取结束']);
});

test('a campaign that has ended shows that state instead of the page', async () => {
  travel(60 * DAY);
  const page = await openLanding();
  expect(text(page, '.landing-state__title')).toBe('活动已结束');
  expect(page.querySelector('.landing-claim')).toBeUndefined();
  expect(page.querySelector('.landing-hero')).toBeUndefined();
});

test('no active campaign (CAMPAIGN_NOT_ACTIVE) shows that state instead of the page', async () => {
  await backend.emulator.sdk
    .database()
    .collection('campaigns')
    .where({ active: true })
    .update({ data: { active: false } });
  const page = await openLanding();
  expect(text(page, '.landing-state__title')).toBe('活动未开始或已结束');
  expect(page.querySelector('.landing-claim')).toBeUndefined();
});

test('the entry tiles lead to the wheel, the black card, the group and the wallet', async () => {
  const page = await openLanding();
  const navigate = jest.spyOn(wx, 'navigateTo');
  for (const target of ['wheel', 'blackcard', 'group', 'wallet'] as const) {
    await tap(page.querySelector(`.landing-entry--${target}`));
    expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: ROUTES[target] }));
  }
  expect(text(page, '.landing-entry--blackcard')).toContain('邀请 3 位好友解锁');
});

test('a failed first load shows the error and a retry that recovers', async () => {
  backend.emulator.faults.failureRate = 1;
  const page = await openLanding();
  expect(text(page, '.landing-state__text')).toBe('服务开小差了，请稍后再试');
  backend.emulator.faults.failureRate = 0;
  await page.instance.onRetry();
  expect(text(page, '.landing-hero__title')).toBe('山野茶事 · 新店开业 会员招募季');
});
