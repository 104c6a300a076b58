/**
 * Retention (issue 15) in the browser preview, with screenshots (docs/screenshots/retention-*.png,
 * embedded in the README): a week of the demo campaign is played through the functions with the
 * emulated clock moved day by day — visitors by channel, returns, redemptions and the repurchase
 * coupons they earn — then a member finds the 老客回馈 coupon in the wallet, and `demo-admin` reads
 * today against yesterday, the chart day by day, the cohorts, repurchase, and (once a second
 * campaign has opened) this campaign against the previous one.
 */
import { followingCampaign } from '../support/following-campaign';
import type { Locator } from 'playwright-core';
import { launchBrowser, Preview, startEmulator, type Browser, type Emulator } from './support';

let emulator: Emulator;
let browser: Browser;
let preview: Preview;

const HOUR = 3600e3;
const DAY = 24 * HOUR;
const OWNER = 'demo-admin';

/** The emulated clock's time, after moving it (`{ to }`, `{ advanceMs }`) if asked to. */
async function clock(move?: Record<string, unknown>): Promise<number> {
  const res = await fetch(`${emulator.url}/__emulator/clock`, {
    method: move ? 'POST' : 'GET',
    ...(move
      ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(move) }
      : {}),
  });
  const answer = (await res.json()) as { now?: string };
  if (!answer.now) throw new Error(`clock: ${JSON.stringify(answer)}`);
  return Date.parse(answer.now);
}

async function api(openid: string, event: Record<string, unknown>) {
  const answer = await emulator.call('api', event, openid);
  if (!answer.ok) throw new Error(`${JSON.stringify(event)}: ${JSON.stringify(answer.error)}`);
  return answer.data;
}

async function redeem(openid: string, source: string) {
  const { coupons } = await api(openid, { action: 'wallet.list', status: 'available' });
  const coupon = coupons.find((c: { source: string }) => c.source === source);
  const { token } = await api(openid, { action: 'coupon.token', couponId: coupon.id });
  const answer = await emulator.call('admin', { action: 'coupon.redeem', token }, 'demo-staff');
  expect(answer.ok).toBe(true);
}

/** Each element's text on one line. */
async function linesOf(locator: Locator): Promise<string[]> {
  return (await locator.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
}

const CHANNELS = ['poster', 'store', 'moments', 'kol'];
/** New visitors each day of the week (day 0: the campaign's first). */
const ARRIVALS = [6, 9, 7, 11, 8, 12, 10];

/**
 * A week: each day's newcomers arrive by the four paid channels in turn (every third through a
 * friend's link instead), most claim the gift; of the day before's newcomers every second comes
 * back, of two days before every fifth; every third newcomer uses the gift the next day, and
 * about half of those use the repurchase coupon it earned two days later.
 */
async function playWeek(): Promise<string[]> {
  const start = await clock();
  const dayStart = start - ((start + 8 * HOUR) % DAY) - DAY; // the demo started yesterday
  const days: string[][] = [];
  let inviteCode = '';
  for (const [day, count] of ARRIVALS.entries()) {
    await clock({ to: new Date(dayStart + day * DAY + 10 * HOUR).toISOString() });
    const today: string[] = [];
    for (let i = 0; i < count; i++) {
      const openid = `week-${day}-${i}`;
      const byFriend = i % 3 === 2 && inviteCode;
      const session = await api(openid, {
        action: 'session.enter',
        ...(byFriend ? { inviteCode } : { channel: CHANNELS[(day + i) % CHANNELS.length] }),
      });
      if (i % 5 !== 4) await api(openid, { action: 'magnet.claim', requestId: `claim-${openid}` });
      if (i === 0) inviteCode = session.inviteCode;
      today.push(openid);
    }
    for (const [i, openid] of (days[day - 1] ?? []).entries()) {
      if (i % 2 === 0) await api(openid, { action: 'session.enter' });
      if (i % 3 === 0 && i % 5 !== 4) await redeem(openid, 'magnet');
    }
    for (const [i, openid] of (days[day - 2] ?? []).entries()) {
      if (i % 5 === 1) await api(openid, { action: 'session.enter' });
      if (i % 6 === 0) await redeem(openid, 'repurchase');
    }
    days.push(today);
  }
  return days.flat();
}

beforeAll(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  preview = new Preview(browser.page, emulator.url);
  await playWeek();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
});

afterEach(async () => {
  expect(await preview.errors()).toEqual([]);
});

describe('retention in the browser preview', () => {
  it('a member finds the repurchase coupon their visit earned in the wallet', async () => {
    await preview.open('week-5-0', 'pages/wallet/index');
    await preview.see('老顾客回馈 满30减6');
    expect(await preview.text()).toContain('老客回馈');
    await preview.screenshot('retention-wallet');
  });

  it('the dashboard reads today against yesterday and a figure day by day', async () => {
    await preview.open(OWNER, 'admin/pages/dashboard/index');
    await preview.see('今日 · 对比昨日');
    const today = preview.screen.locator('.dash-today');
    const tiles = await linesOf(today.locator('.dash-today__item'));
    // day 6's ten newcomers against day 5's twelve
    expect(tiles[0]).toBe('新访客 10 昨日 12 ↓2');
    await preview.screenshot('retention-today', { scrollTo: today });

    const trend = preview.screen.locator('.dash-trend');
    await trend.scrollIntoViewIfNeeded();
    // the last 7 days: the whole week so far, a value over each
    const values = await trend.locator('.bar-chart__col-value').allInnerTexts();
    expect(values).toEqual(ARRIVALS.map(String));
    await preview.screenshot('retention-trend', { scrollTo: trend });

    await preview.tap('核销面值', 'wx-text.dash-trend__figure');
    await preview.tap('活动全程', 'wx-text.dash-range__item');
    await preview.see('全程 7 天共');
    await preview.screenshot('retention-trend-value', { scrollTo: trend });
  });

  it('the cohorts and repurchase read what the week did', async () => {
    const cohorts = preview.screen.locator('.dash-cohorts');
    await cohorts.scrollIntoViewIfNeeded();
    const all = (await cohorts.locator('.dash-cohort--all').innerText()).replace(/\s+/g, ' ');
    // of the 53 who arrived before today, every second came back the next day: 28
    expect(all.trim()).toMatch(/^全部 63 53% 28\/53 /);
    await preview.screenshot('retention-cohorts', { scrollTo: cohorts });

    const repurchase = preview.screen.locator('.dash-repurchase');
    await repurchase.scrollIntoViewIfNeeded();
    const text = (await repurchase.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('复购率');
    expect(text).toContain('复购券：老顾客回馈 满30减6');
    await preview.screenshot('retention-repurchase', { scrollTo: repurchase });
  });

  it('a second campaign is compared with the demo it follows', async () => {
    const now = await clock({ advanceMs: DAY });
    const current = await emulator.call('admin', { action: 'campaign.get' }, OWNER);
    const config = followingCampaign(current.data.config, {
      id: 'autumn-week',
      title: '山野茶事 · 秋季会员周',
      startAt: new Date(now - HOUR),
      days: 14,
    });
    expect((await emulator.call('admin', { action: 'campaign.create', config }, OWNER)).ok).toBe(
      true,
    );
    const live = { action: 'campaign.setStatus', id: 'autumn-week', status: 'live' };
    expect((await emulator.call('admin', live, OWNER)).ok).toBe(true);
    await clock({ advanceMs: 60_000 });
    for (let i = 0; i < 14; i++) {
      const openid = `autumn-${i}`;
      await api(openid, { action: 'session.enter', channel: CHANNELS[i % 4] });
      if (i % 3 !== 2) await api(openid, { action: 'magnet.claim', requestId: `claim-${openid}` });
    }

    await preview.open(OWNER, 'admin/pages/dashboard/index');
    await preview.see('活动对比');
    const compare = preview.screen.locator('.dash-history');
    const rows = await linesOf(compare.locator('.dash-compare'));
    expect(rows[0]).toBe('本期 上期');
    expect(rows[1]).toBe('访客 14 63');
    expect(await compare.innerText()).toContain('上期：山野茶事 · 新店开业 会员招募季');
    await preview.screenshot('retention-compare', { scrollTo: compare });
  });
});
