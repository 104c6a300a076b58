/**
 * Rewards (issue 12) walked in the browser preview, with a screenshot of each step
 * (docs/screenshots/*.png, embedded in the README):
 *
 * A claims the gift and, from the tap under it, accepts reminders on WeChat's sheet; three
 * friends claim through A's link and the emulated WeChat delivers A's progress reminders (the
 * panel lists them); A joins the group and the black card shows the member code and the ladder;
 * A wins the tumbler, a voucher in the wallet with its own look and a code to pick it up;
 * `demo-staff` scans the voucher (redeemed) and the member code (the rights with what is left,
 * one use redeemed), and reads 今日已核销 and the ledger; `demo-admin` reverses the right's use
 * with a reason; the clock moves to the day before A's coupon expires, the hourly job runs from
 * the panel, and the reminder is in the panel.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  launchBrowser,
  Preview,
  SCREENSHOTS,
  startEmulator,
  type Browser,
  type Emulator,
} from './support';

const A = 'rewards-visitor-a';
const FRIENDS = ['rewards-friend-b', 'rewards-friend-c', 'rewards-friend-d'];

let emulator: Emulator;
let browser: Browser;
let preview: Preview;

beforeAll(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  preview = new Preview(browser.page, emulator.url);
  // the wheel always stops on the tumbler (a physical prize), so the walk is the same every run
  const current = await emulator.call('admin', { action: 'campaign.get' }, 'demo-admin');
  const config = current.data.config;
  for (const prize of config.lottery.prizes) prize.weight = prize.id === 'tumbler' ? 1000 : 0;
  expect((await emulator.call('admin', { action: 'campaign.put', config }, 'demo-admin')).ok).toBe(
    true,
  );
});

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
});

afterEach(async () => {
  expect(await preview.errors()).toEqual([]);
  // nothing changed on disk meanwhile: the preview never offers a reload (no banner in pictures)
  expect(await preview.page.locator('.pv-banner').count()).toBe(0);
});

/** The panel's list of delivered messages, one line each: `name → user | field value…`. */
async function panelMessages(): Promise<string[]> {
  return preview.page
    .getByTestId('message')
    .allInnerTexts()
    .then((items) => items.map((item) => item.replace(/\s+/g, ' ').trim()));
}

/** A picture of the panel's message list (beside the phone), for the README. */
async function screenshotMessages(name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const section = preview.page
    .locator('.pv-section')
    .filter({ has: preview.page.getByTestId('messages') });
  await section.screenshot({ path: join(SCREENSHOTS, `${name}.png`), animations: 'disabled' });
}

/** Waits until the QR on the page on top is drawn (its canvas has a size). */
async function qrDrawn(selector: string): Promise<void> {
  await preview.page.waitForFunction(
    (sel) =>
      Boolean(
        (globalThis as any).document.querySelector(`.pv-page--top ${sel} wx-canvas > canvas`)
          ?.width,
      ),
    selector,
  );
}

/**
 * Staff scan with the preview's camera stand-in: it offers the QR codes this browser showed,
 * read back off their canvases; `shownOn` picks the one a page of that title showed last.
 */
async function scanShown(shownOn: string, action: string) {
  await preview.tap('扫码核销', 'wx-button');
  await preview.page.getByTestId('scan').waitFor();
  const candidate = preview.page.locator('.pv-scan__candidate').filter({ hasText: shownOn });
  return preview.callDuring(action, () => candidate.first().click());
}

describe('rewards in the browser preview', () => {
  let code: string;

  it('A claims the gift and accepts reminders on WeChat’s sheet', async () => {
    await preview.open(A, 'pages/landing/index', { ch: 'poster' });
    await preview.see('立即免费领取');
    const claim = await preview.callDuring('magnet.claim', () =>
      preview.tap('立即免费领取', 'wx-button'),
    );
    expect(claim.ok).toBe(true);
    await preview.see('券快过期、好友领取福利时提醒我');
    await preview.tap('开启提醒', 'wx-text');
    const sheet = preview.page.getByTestId('modal');
    await sheet.waitFor();
    expect(await sheet.innerText()).toContain('好友领取进度');
    await preview.screenshot('reminder-ask');
    const saved = await preview.callDuring('reminders.subscribe', () =>
      sheet.locator('.pv-modal__confirm').click(),
    );
    expect(saved.data.accepted).toHaveLength(3);
    await preview.see('已开启提醒');
    const text = await preview.page.getByTestId('current-user').innerText();
    code = /邀请码\s*([A-Za-z0-9]+)/.exec(text)![1];
  });

  it('friends claim through A’s link, and WeChat delivers A’s progress reminders', async () => {
    for (const friend of FRIENDS) {
      await emulator.call(
        'api',
        { action: 'session.enter', inviteCode: code, channel: 'share' },
        friend,
      );
      const claimed = await emulator.call(
        'api',
        { action: 'magnet.claim', requestId: `claim-${friend}` },
        friend,
      );
      expect(claimed.ok).toBe(true);
    }
    const delivered: any = await (
      await fetch(`${emulator.url}/__emulator/messages?touser=${A}`)
    ).json();
    // one acceptance per template: progress after the first friend, "one more" after the second
    expect(delivered.messages.map((m: { data: any }) => m.data.thing1.value)).toEqual([
      '好友已领取你分享的福利',
      '再邀请 1 位好友即可解锁黑卡',
    ]);
    await preview.open(A, 'pages/blackcard/index');
    await preview.see('已解锁');
    await preview.page.getByTestId('message').first().waitFor();
    const lines = await panelMessages();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('再邀 1 人解锁 →');
    expect(lines[1]).toContain('好友领取进度 →');
    expect(lines[1]).toContain('已邀请 1/3 位好友');
  });

  it('A joins the group; the card shows the member code and the ladder', async () => {
    await emulator.call('api', { action: 'group.get' }, A);
    expect((await emulator.call('api', { action: 'group.confirmJoined' }, A)).ok).toBe(true);
    await preview.open(A, 'pages/blackcard/index');
    await preview.see('会员码每分钟自动刷新，截图无效');
    await qrDrawn('.bc-code__qr');
    expect(await preview.text()).toContain('每月 1 次 · 本月剩 1 次');
    await preview.screenshot('blackcard-member-code');
    const ladder = preview.screen.locator('.bc-ladder');
    const steps = (await ladder.innerText()).replace(/\s+/g, ' ');
    expect(steps).toContain('解锁黑卡');
    expect(steps).toContain('帆布袋');
    expect(steps).toContain('还差 2 位');
    await preview.screenshot('blackcard-ladder', { scrollTo: ladder });
  });

  let voucherId: string;

  it('A wins the tumbler: a voucher in the wallet, with a code to pick it up', async () => {
    await preview.open(A, 'pages/wheel/index');
    await preview.see('开始抽奖');
    const spin = await preview.callDuring('lottery.spin', () =>
      preview.tap('开始抽奖', 'wx-button'),
    );
    expect(spin.data.prize.id).toBe('tumbler');
    expect(spin.data.coupon).toMatchObject({ kind: 'prize', title: '定制保温杯' });
    voucherId = spin.data.coupon.id;
    await preview.see('去券包查看');
    expect(await preview.screen.locator('.wheel-dialog').innerText()).toContain('到店出示领取码');
    await preview.tap('去券包查看', 'wx-button');
    await preview.waitForRoute('pages/wallet/index');
    await preview.see('定制保温杯');
    expect(await preview.screen.locator('.coupon--prize').count()).toBe(1);
    await preview.screenshot('wallet-voucher');
    await preview.tap('定制保温杯', 'coupon-card');
    await preview.waitForRoute('pages/coupon/index');
    await preview.see('出示给店员扫码领取奖品');
    await qrDrawn('.cpn-qr');
    await preview.screenshot('voucher');
  });

  it('staff scan the voucher and the member code, and use a right once', async () => {
    // the member code lives a minute: A shows the card again just before the scan
    await preview.open(A, 'pages/blackcard/index');
    await preview.see('会员码每分钟自动刷新，截图无效');
    await qrDrawn('.bc-code__qr');

    await preview.open('demo-staff', 'admin/pages/redeem/index');
    await preview.see('今日已核销');
    const voucher = await scanShown('我的奖品', 'coupon.redeem');
    // the code read off the voucher's page is the voucher A won
    expect(voucher.data).toMatchObject({ couponId: voucherId, kind: 'prize', title: '定制保温杯' });
    await preview.see('已领取，请把奖品交给顾客');
    await preview.screenshot('redeem-voucher');

    const member = await scanShown('黑卡会员', 'member.lookup');
    expect(member.data.member).toMatchObject({ ref: code, active: true });
    await preview.see('黑卡会员');
    const used = await preview.callDuring('member.useRight', () =>
      preview.screen.locator('.rdm-right__use').first().click(),
    );
    expect(used.data.right).toMatchObject({ id: 'monthly-drink', leftText: '本月已用完' });
    await preview.see('本月已用完');
    await preview.see('今日已核销 2 笔');
    await preview.screenshot('redeem-member');
  });

  it('staff read the ledger; the owner reverses the right’s use with a reason', async () => {
    await preview.open('demo-staff', 'admin/pages/ledger/index');
    await preview.see('我今日已核销');
    const lines = await preview.screen.locator('.ldg-line').allInnerTexts();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('每月一杯免费');
    expect(lines[1]).toContain('定制保温杯');
    await preview.screenshot('ledger');

    await preview.open('demo-admin', 'admin/pages/ledger/index');
    await preview.see('全部门店');
    await preview.screen.locator('.ldg-line__undo').first().click();
    const modal = preview.page.getByTestId('modal');
    await modal.waitFor();
    await modal.locator('textarea').fill('顾客改天再来领');
    const reversed = await preview.callDuring('redemptions.reverse', () =>
      modal.locator('.pv-modal__confirm').click(),
    );
    expect(reversed.data.reversedNow).toBe(true);
    await preview.see('撤销：顾客改天再来领');
    await preview.screenshot('ledger-reversed');
    const card = await emulator.call('api', { action: 'blackcard.get' }, A);
    expect(card.data.rights[0].leftText).toBe('本月剩 1 次');
  });

  it('a shipped prize: the winner chooses an address, the owner sees it in the winners list', async () => {
    const current = await emulator.call('admin', { action: 'campaign.get' }, 'demo-admin');
    const config = current.data.config;
    for (const prize of config.lottery.prizes) prize.weight = prize.id === 'tote' ? 1000 : 0;
    await emulator.call('admin', { action: 'campaign.put', config }, 'demo-admin');
    await fetch(`${emulator.url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 11_000 }), // past the visitors' campaign cache
    });
    const E = 'rewards-visitor-e';
    await emulator.call('api', { action: 'session.enter' }, E);
    const spin = await emulator.call(
      'api',
      { action: 'lottery.spin', requestId: 'spin-visitor-e' },
      E,
    );
    expect(spin.data.coupon).toMatchObject({ title: '帆布袋', prize: { fulfilment: 'shipping' } });

    await preview.open(E, 'pages/coupon/index', { id: spin.data.coupon.id });
    await preview.see('选择收货地址');
    await preview.tap('选择收货地址', 'wx-button');
    const book = preview.page.getByTestId('modal');
    await book.waitFor();
    const saved = await preview.callDuring('voucher.setAddress', () =>
      book.locator('.pv-modal__confirm').click(),
    );
    expect(saved.data.coupon.prize.address).toMatchObject({ userName: '张三' });
    await preview.see('等待发货');
    await preview.screenshot('voucher-shipping');

    await preview.open('demo-admin', 'admin/pages/winners/index');
    await preview.see('定制保温杯');
    await preview.tap('帆布袋', 'wx-view');
    await preview.see('新港中路397号');
    expect(await preview.screen.locator('.wnr-winner__send').count()).toBe(1);
    await preview.screenshot('winners');
  });

  it('the day before A’s coupon expires, the hourly job sends one reminder (in the panel)', async () => {
    const wallet = await emulator.call('api', { action: 'wallet.list' }, A);
    const gift = wallet.data.coupons.find((c: { source: string }) => c.source === 'magnet');
    await fetch(`${emulator.url}/__emulator/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        to: new Date(Date.parse(gift.expiresAt) - 20 * 3600_000).toISOString(),
      }),
    });
    await preview.open(A, 'pages/wallet/index');
    await preview.see('5元无门槛券');
    await preview.page.getByTestId('run-cron').click();
    await preview.page.getByTestId('cron').filter({ hasText: '发出 1 条提醒' }).waitFor();
    await preview.page.getByTestId('message').nth(2).waitFor();
    const lines = await panelMessages();
    expect(lines[0]).toContain('券即将过期 →');
    expect(lines[0]).toContain('5元无门槛券');
    await screenshotMessages('reminder-panel');
    // and again: none
    await preview.page.getByTestId('run-cron').click();
    await preview.page.getByTestId('cron').filter({ hasText: '发出 0 条提醒' }).waitFor();
    expect(await panelMessages()).toHaveLength(3);
  });
});
