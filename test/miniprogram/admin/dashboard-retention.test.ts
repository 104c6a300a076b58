/** @jest-environment jsdom */
/**
 * Retention (issue 15) on the operators' dashboard, against the real backend over emulated days:
 * today against yesterday, the chart (figure, 7 days or the whole campaign, a channel), the
 * cohort table, repurchase, and this campaign against the previous one.
 */
import { followingCampaign } from '../../support/following-campaign';
import { usePageBackend } from '../support/backend';
import { texts, usePages, type Page } from '../support/pages';
import {
  classesOf,
  findIn,
  flushMicrotasks,
  tap,
  textOf,
  type JsonNode,
} from '../support/simulate';

const open = usePages();
const backend = usePageBackend();

const OWNER = 'demo-admin';
const STAFF = 'demo-staff';
const HOUR = 3600e3;
const DAY = 24 * HOUR;

function openDashboard(): Promise<Page> {
  backend.actAs(OWNER);
  return open('admin/pages/dashboard/index');
}

async function visit(openid: string, params: Record<string, unknown> = {}, claim = false) {
  const session = await backend.as(openid, 'api', { action: 'session.enter', ...params });
  if (claim) {
    await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}-0001` });
  }
  return session as { inviteCode: string };
}

async function redeemGift(openid: string) {
  const { coupons } = await backend.as(openid, 'api', { action: 'wallet.list' });
  const gift = coupons.find((c: { source: string }) => c.source === 'magnet');
  const { token } = await backend.as(openid, 'api', { action: 'coupon.token', couponId: gift.id });
  await backend.as(STAFF, 'admin', { action: 'coupon.redeem', token });
}

/** Day 1 (10:00 Shanghai): three visitors, two claims, one redemption; day 2: two back, two new. */
async function twoDays() {
  const day1 = new Date(backend.emulator.clock.now());
  day1.setTime(day1.getTime() - ((day1.getTime() + 8 * HOUR) % DAY) + 10 * HOUR);
  await backend.emulator.setClock(day1);
  await visit('ann-0000001', { channel: 'poster' }, true);
  await visit('ben-0000002', { channel: 'poster' }, true);
  await visit('cat-0000003', { channel: 'store' });
  await redeemGift('ann-0000001');
  await backend.emulator.advanceClock(DAY);
  await visit('ann-0000001');
  await visit('cat-0000003');
  await visit('dan-0000004', { channel: 'store' }, true);
  await visit('eve-0000005', { channel: 'kol' }, true);
  await redeemGift('dan-0000004');
}

test('today against yesterday, by the server day', async () => {
  await twoDays();
  const page = await openDashboard();
  const tiles = Object.fromEntries(
    findIn(page, 'dash-today__item').map((item) => [
      textOf(findIn(item, 'dash-today__label')[0]),
      [
        textOf(findIn(item, 'dash-today__value')[0]),
        textOf(findIn(item, 'dash-today__yesterday')[0]),
        textOf(findIn(item, 'dash-today__change')[0]),
      ],
    ]),
  );
  expect(tiles).toEqual({
    新访客: ['2', '昨日 3', '↓1'],
    领取福利: ['2', '昨日 2', '持平'],
    有效邀请: ['0', '昨日 0', '持平'],
    核销: ['1', '昨日 1', '持平'],
    核销面值: ['¥5', '昨日 ¥5', '持平'],
  });
  const up = findIn(page, 'dash-today__change').find((n) => textOf(n) === '↓1')!;
  expect(classesOf(up)).toContain('dash-today__change--down');
});

test('the chart: a week by default, the whole campaign, another figure, one channel', async () => {
  await twoDays();
  const page = await openDashboard();
  const columns = () =>
    findIn(page, 'bar-chart__col').map((col) => [
      textOf(findIn(col, 'bar-chart__col-label')[0]),
      textOf(findIn(col, 'bar-chart__col-value')[0]),
    ]);
  const [, day1, day2] = texts(page, 'bar-chart__col-label');
  // the demo started the day before day 1: three days so far, each with its value
  expect(columns()).toEqual([
    [expect.stringMatching(/^\d+\/\d+$/), '0'],
    [day1, '3'],
    [day2, '2'],
  ]);
  expect(texts(page, 'dash-trend__total')).toEqual(['近 3 天共 5 人']);
  expect(findIn(page, 'bar-chart__col--highlight').map((c) => textOf(c))).toEqual([`2${day2}`]);

  const chip = (label: string) =>
    findIn(page, 'dash-trend__figure').find((c) => textOf(c) === label)!;
  expect(texts(page, 'dash-trend__figure')).toEqual([
    '新访客',
    '领取福利',
    '有效邀请',
    '核销',
    '核销面值',
  ]);
  await tap(page.querySelectorAll('.dash-trend__figure')[3]);
  expect(columns().map(([, value]) => value)).toEqual(['0', '1', '1']);
  expect(classesOf(chip('核销'))).toContain('dash-chip--on');

  page.instance.onPickFigure({ currentTarget: { dataset: { key: 'redeemedValue' } } });
  await flushMicrotasks();
  expect(columns().map(([, value]) => value)).toEqual(['¥0', '¥5', '¥5']);
  expect(texts(page, 'dash-trend__total')).toEqual(['近 3 天共 ¥10']);

  // one channel: the store counter's new visitors
  const channels = ['全部渠道', '门店海报', '收银台台卡'];
  expect(texts(page, 'dash-trend__channel-name')).toEqual(['全部渠道 ▾']);
  page.instance.onPickFigure({ currentTarget: { dataset: { key: 'visitors' } } });
  page.instance.onPickChannel({ detail: { value: channels.indexOf('收银台台卡') } });
  await flushMicrotasks();
  expect(texts(page, 'dash-trend__channel-name')).toEqual(['收银台台卡 ▾']);
  expect(columns().map(([, value]) => value)).toEqual(['0', '1', '1']);

  // the whole campaign: every day so far (here the same three), and it says so
  await tap(page.querySelectorAll('.dash-range__item')[1]);
  expect(texts(page, 'dash-trend__total')).toEqual(['全程 3 天共 2 人']);
  expect(classesOf(findIn(page, 'dash-range__item')[1])).toContain('dash-range__item--on');
});

test('cohorts: who came back the next day, by first visit and by channel', async () => {
  await twoDays();
  const page = await openDashboard();
  const row = (node: JsonNode) => [
    textOf(findIn(node, 'dash-cohort__label')[0]),
    textOf(findIn(node, 'dash-cohort__size')[0]),
    ...findIn(node, 'dash-cohort__cell').map((cell) => textOf(cell)),
  ];
  expect(findIn(page, 'dash-cohort--head').map((h) => row(h).slice(2))[0]).toEqual([
    '次日',
    '7日内',
    '30日内',
  ]);
  const days = findIn(page, 'dash-cohort--day').map(row);
  // newest first: day 2's two have no window open yet; day 1's three, two back on day 2
  expect(days[0].slice(1)).toEqual(['2', '—', '—', '—']);
  expect(days[1].slice(1)).toEqual(['3', '67%2/3', '67%2/3', '67%2/3']);
  expect(days[1][0]).toMatch(/^\d+月\d+日$/);
  expect(row(findIn(page, 'dash-cohort--all')[0])).toEqual([
    '全部',
    '5',
    '67%2/3',
    '67%2/3',
    '67%2/3',
  ]);
  const channels = findIn(page, 'dash-cohort--channel').map(row);
  expect(channels).toEqual([
    ['门店海报', '2', '50%1/2', '50%1/2', '50%1/2'],
    ['收银台台卡', '2', '100%1/1', '100%1/1', '100%1/1'],
    ['本地探店博主', '1', '—', '—', '—'],
  ]);
  // day 1's D1 is final on day 2 only once day 2 is over: still counting, and said so
  const [d1] = findIn(findIn(page, 'dash-cohort--day')[1], 'dash-cohort__cell');
  expect(classesOf(d1)).toContain('dash-cohort__cell--open');
  expect(texts(page, 'dash-note').join()).toContain('浅色为仍在统计中的数字');
});

test('repurchase per channel, the coupon that drives it, and the face value redeemed', async () => {
  await twoDays();
  // Ann uses the repurchase coupon her first redemption earned
  const { coupons } = await backend.as('ann-0000001', 'api', {
    action: 'wallet.list',
    status: 'available',
  });
  const loyal = coupons.find((c: { source: string }) => c.source === 'repurchase');
  const { token } = await backend.as('ann-0000001', 'api', {
    action: 'coupon.token',
    couponId: loyal.id,
  });
  await backend.as(STAFF, 'admin', { action: 'coupon.redeem', token });

  const page = await openDashboard();
  expect(texts(page, 'dash-repurchase__rate')).toEqual(['50%']);
  expect(texts(page, 'dash-repurchase__value')).toEqual(['¥16']);
  expect(texts(page, 'dash-repurchase__detail')).toEqual(['核销过的 2 人中，1 人核销 2 次以上']);
  expect(texts(page, 'dash-repurchase__coupon')).toEqual(['复购券：老顾客回馈 满30减6']);
  expect(findIn(page, 'dash-repurchase__channel').map((r) => textOf(r))).toEqual([
    '门店海报核销 1 人复购 1 人100%',
    '收银台台卡核销 1 人复购 0 人0%',
  ]);
});

test('this campaign against the previous one', async () => {
  await twoDays();
  backend.actAs(OWNER);
  let page = await openDashboard();
  // the demo is the first campaign: nothing to compare with yet
  expect(texts(page, 'dash-history')).toEqual(['活动对比这是第一期活动，下一期开始后可在这里对比']);

  // a second campaign opens tomorrow and takes the visitors' slot
  await backend.emulator.advanceClock(DAY);
  const { config } = await backend.as(OWNER, 'admin', { action: 'campaign.get' });
  const next = followingCampaign(config, {
    id: 'autumn-2026',
    title: '山野茶事 · 秋季会员周',
    startAt: new Date(backend.emulator.clock.now() - HOUR),
    days: 20,
  });
  await backend.as(OWNER, 'admin', { action: 'campaign.create', config: next });
  await backend.as(OWNER, 'admin', { action: 'campaign.setStatus', id: next.id, status: 'live' });
  await backend.emulator.advanceClock(60_000); // past the warm containers' campaign cache
  await visit('fay-0000006', { channel: 'poster' }, true);

  page = await openDashboard();
  const rows = findIn(page, 'dash-compare')
    .slice(1)
    .map((r) => texts(r, 'dash-compare__label').concat(texts(r, 'dash-compare__value')));
  expect(rows).toEqual([
    ['访客', '1', '5'],
    // the demo ran from the day before day 1 until the new campaign ended it on day 3: 4 days
    ['日均新访客', '1', '1.3'],
    ['领取率', '100%', '80%'],
    ['有效邀请', '0', '0'],
    ['解锁黑卡', '0', '0'],
    ['核销', '0 张', '2 张'],
    ['核销面值', '¥0', '¥10'],
    ['复购率', '—', '0%'],
  ]);
  expect(texts(page, 'dash-note')).toContainEqual('上期：山野茶事 · 新店开业 会员招募季');

  // days later the previous campaign's average stays what it was when it ended
  await backend.emulator.advanceClock(4 * DAY);
  page = await openDashboard();
  const daily = findIn(page, 'dash-compare').find((r) => textOf(r).startsWith('日均新访客'))!;
  expect(texts(daily, 'dash-compare__value')).toEqual(['0.2', '1.3']);
});
