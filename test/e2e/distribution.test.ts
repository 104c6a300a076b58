/**
 * Distribution (issue 10), walked by hand in the browser preview, with a screenshot of each step
 * (docs/screenshots/*.png, embedded in the README):
 *
 * `demo-admin` adds a channel (a card on the front desk, ¥50), makes its Mini Program code and
 * saves its A4 poster and table card to the album — the saved posters' codes are read back and
 * open the landing page for that channel. P scans it, claims, and sets an avatar and a nickname;
 * P saves an inviter poster from the black card — its code, read back off the saved image, carries
 * P's invite code. A friend opening it is greeted with P's nickname and avatar; with two more
 * friends the desk card's claim, cost per claim and K-factor show on the dashboard. The landing
 * opened from Moments (single-page mode) shows the offer without a single cloud call; the wheel
 * shows who won what, masked.
 */
import { launchBrowser, Preview, startEmulator, type Browser, type Emulator } from './support';

const ADMIN = 'demo-admin';
const P = 'dist-visitor-p';
const FRIENDS = ['dist-friend-1', 'dist-friend-2', 'dist-friend-3'];
const WHEEL_PRIZE = 'cash-50-10';

let emulator: Emulator;
let browser: Browser;
let preview: Preview;

beforeAll(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  preview = new Preview(browser.page, emulator.url);
  // the wheel always stops on one coupon prize, so the walk is the same every run
  const current = await emulator.call('admin', { action: 'campaign.get' }, ADMIN);
  const config = current.data.config;
  config.lottery.prizes = config.lottery.prizes.map((prize: { id: string }) => ({
    ...prize,
    weight: prize.id === WHEEL_PRIZE ? 1000 : 0,
  }));
  expect((await emulator.call('admin', { action: 'campaign.put', config }, ADMIN)).ok).toBe(true);
});

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
});

afterEach(async () => {
  expect(await preview.errors()).toEqual([]);
});

/** The album's pictures so far, newest last. */
async function album(): Promise<Array<{ url: string }>> {
  return preview.page.evaluate(() => (globalThis as any).__preview.album());
}

/** The QR code a picture carries, read as a phone's camera would. */
async function scan(url: string): Promise<string | null> {
  return preview.page.evaluate((src) => (globalThis as any).__preview.decodeQr(src), url);
}

/** Saves the poster the sheet shows; answers what its code opens. */
async function savePoster(): Promise<string | null> {
  const before = (await album()).length;
  await preview.tap('保存到相册', 'wx-button');
  await preview.page.waitForFunction(
    (n) => (globalThis as any).__preview.album().length > n,
    before,
  );
  const saved = await album();
  return scan(saved[saved.length - 1].url);
}

/** The sheet's poster, drawn and shown. */
async function posterShown(): Promise<void> {
  await preview.page.waitForFunction(() => {
    const img = (globalThis as any).document.querySelector(
      '.pv-page--top .poster-sheet__image > img',
    );
    return Boolean(img && img.naturalWidth > 0);
  });
}

async function closePoster(): Promise<void> {
  await preview.tap('关闭', 'wx-text.poster-sheet__close');
  await preview.screen.locator('.poster-sheet').waitFor({ state: 'detached' });
}

async function field(selector: string, value: string): Promise<void> {
  await preview.screen.locator(`${selector} input`).fill(value);
}

const channelCard = () => preview.screen.locator('.chn-channel').filter({ hasText: '前台台卡' });

let inviteCode: string;

describe('distribution in the browser preview', () => {
  it('the operator adds a channel, makes its code, and saves its A4 poster and table card', async () => {
    await preview.open(ADMIN, 'admin/pages/channels/index');
    await preview.see('添加渠道');
    await field('.chn-form__code', 'desk');
    await field('.chn-form__name', '前台台卡');
    await field('.chn-form__cost', '50');
    await field('.chn-form__note', '一楼收银台旁');
    const added = await preview.callDuring('channels.upsert', () =>
      preview.tap('添加渠道', 'wx-button'),
    );
    expect(added.data).toMatchObject({ code: 'desk', cost: 5_000, source: 'registry' });
    await channelCard().waitFor();
    expect((await channelCard().innerText()).replace(/\s+/g, ' ')).toContain('本期投放 ¥50');

    const made = await preview.callDuring('channels.qrcode', () =>
      channelCard().locator('wx-button.chn-make').click(),
    );
    expect(made.data.scene).toBe('.desk');
    await preview.page.waitForFunction(() =>
      Array.from((globalThis as any).document.querySelectorAll('.pv-page--top .chn-channel')).some(
        (card: any) =>
          card.textContent.includes('前台台卡') &&
          card.querySelector('wx-image.chn-channel__qr > img')?.naturalWidth > 0,
      ),
    );
    await preview.screenshot('channels');

    await channelCard().locator('wx-button.chn-poster--a4').click();
    await posterShown();
    await preview.see('前台台卡 · A4 海报');
    await preview.screenshot('channel-poster-a4');
    expect(await savePoster()).toBe('pages/landing/index?scene=.desk');
    await closePoster();

    await channelCard().locator('wx-button.chn-poster--tent').click();
    await posterShown();
    await preview.screenshot('channel-poster-tent');
    expect(await savePoster()).toBe('pages/landing/index?scene=.desk');
    await closePoster();
  });

  it('P scans the desk card, claims, and sets the avatar and nickname friends will see', async () => {
    // as WeChat opens the page a scanned code names: the scene in its query
    await preview.open(P, 'pages/landing/index', { scene: '.desk' });
    await preview.see('立即免费领取');
    const claim = await preview.callDuring('magnet.claim', () =>
      preview.tap('立即免费领取', 'wx-button'),
    );
    expect(claim.ok).toBe(true);
    await preview.see('让好友知道是你邀请的');

    // WeChat's avatar button: the preview offers the user's WeChat avatar or a picture
    await preview.screen.locator('wx-button.landing-profile__avatar').click();
    await preview.page.locator('.pv-sheet__item', { hasText: '使用微信头像' }).click();
    await preview.page.waitForFunction(
      () =>
        (globalThis as any).document.querySelector(
          '.pv-page--top .landing-profile__avatar-image > img',
        )?.naturalWidth > 0,
    );
    await field('.landing-profile__nickname', '林小满');
    const profileCard = preview.screen.locator('.landing-profile');
    await preview.screenshot('landing-profile', { scrollTo: profileCard });
    const saved = await preview.callDuring('profile.update', () =>
      preview.tap('保存', 'wx-button.landing-profile__save'),
    );
    expect(saved.data.nickname).toBe('林小满');
    expect(saved.data.avatarFileId).toMatch(/\/avatars\//);
    await profileCard.waitFor({ state: 'detached' });
  });

  it('P saves an inviter poster from the black card: its code carries P’s invite code', async () => {
    await preview.tap('黑卡会员', 'wx-view.landing-entry');
    await preview.waitForRoute('pages/blackcard/index');
    const text = await preview.page.getByTestId('current-user').innerText();
    inviteCode = /邀请码\s*([A-Za-z0-9]+)/.exec(text)?.[1] ?? '';
    expect(inviteCode).toMatch(/^[A-Z0-9]{6,12}$/);

    const poster = await preview.callDuring('invite.poster', () =>
      preview.tap('生成邀请海报，发朋友圈', 'wx-button'),
    );
    expect(poster.data.code.scene).toBe(`${inviteCode}.share`);
    await posterShown();
    await preview.see('我的邀请海报');
    await preview.screenshot('poster-inviter');
    expect(await savePoster()).toBe(`pages/landing/index?scene=${inviteCode}.share`);
    await closePoster();
  });

  it('a friend who scans it is told who invites them, with their avatar', async () => {
    await preview.open(FRIENDS[0], 'pages/landing/index', { scene: `${inviteCode}.share` });
    await preview.see('林小满 邀请你来领福利');
    await preview.page.waitForFunction(
      () =>
        (globalThis as any).document.querySelector('.pv-page--top .landing-invite__avatar > img')
          ?.naturalWidth > 0,
    );
    await preview.screenshot('landing-invited-by');
    await preview.callDuring('magnet.claim', () => preview.tap('立即免费领取', 'wx-button'));
    await preview.see('已领取，福利已放入你的券包');
    for (const friend of FRIENDS.slice(1)) {
      expect((await emulator.call('api', { action: 'session.enter', inviteCode }, friend)).ok).toBe(
        true,
      );
      expect(
        (
          await emulator.call(
            'api',
            { action: 'magnet.claim', requestId: `claim-${friend}` },
            friend,
          )
        ).ok,
      ).toBe(true);
    }
  });

  it('the dashboard shows the desk card’s claim, its cost per claim and its K-factor', async () => {
    // P's gift is used at the counter: the desk card's redemption, face value and takings
    const wallet = await emulator.call('api', { action: 'wallet.list' }, P);
    const couponId = wallet.data.coupons[0].id;
    const { data: token } = await emulator.call('api', { action: 'coupon.token', couponId }, P);
    const redeemed = await emulator.call(
      'admin',
      { action: 'coupon.redeem', token: token.token },
      'demo-staff',
    );
    expect(redeemed.ok).toBe(true);

    await preview.open(ADMIN, 'admin/pages/dashboard/index');
    await preview.see('转化漏斗');
    const desk = preview.screen.locator('.dash-channel').filter({ hasText: '前台台卡' });
    const read = async () => (await desk.innerText()).replace(/\s+/g, ' ').trim();
    // P came by the desk card and claimed; the three friends P brought count for it too; P's
    // 5元 coupon (basket estimate ¥28) was redeemed: ¥50 spent and ¥5 given for ¥28 taken
    expect(await read()).toBe(
      '前台台卡 投放 ¥50 · 每位领取 ¥50 访客 1 领取 1 抽奖 0 带来会员 3 发券 1 核销 1 ' +
        'K 值 3 · 每位会员 ¥12.5 · 每次核销 ¥50 · 核销面值 ¥5 估算收入 ¥28 · 营收 -¥27 · ROI -49%',
    );
    const share = preview.screen.locator('.dash-channel').filter({ hasText: '好友分享' });
    expect((await share.innerText()).replace(/\s+/g, ' ').trim()).toBe(
      '好友分享 访客 3 领取 3 抽奖 0 带来会员 0 发券 3 核销 0 K 值 0',
    );
    // the channels card from its title down
    await preview.screen
      .locator('.dash-channels')
      .evaluate((card) => card.scrollIntoView({ block: 'start' }));
    await preview.screenshot('dashboard-channels');
  });

  it('the wheel shows who won what lately, by masked nickname', async () => {
    await preview.open(P, 'pages/wheel/index');
    await preview.see('开始抽奖');
    await preview.callDuring('lottery.spin', () => preview.tap('开始抽奖', 'wx-button'));
    await preview.see('去券包查看');
    await preview.tap('知道了', 'wx-text');
    // the wins are kept a few seconds per container: a friend opening the wheel sees it later
    await emulator.call('api', { action: 'session.enter' }, FRIENDS[1]);
    await preview.page.waitForTimeout(10_500);
    await preview.open(FRIENDS[1], 'pages/wheel/index');
    await preview.see('中奖播报');
    const wins = preview.screen.locator('.wheel-wins');
    expect((await wins.innerText()).replace(/\s+/g, ' ')).toContain('微信用户 林** 抽中 满50减10');
    expect(await preview.text()).not.toContain(P);
    await wins.evaluate((card) => card.scrollIntoView({ block: 'center' }));
    await preview.screenshot('wheel-wins');
  });

  it('opened from Moments, the landing shows the offer and the way in, without a cloud call', async () => {
    // the snapshot's claim count is renewed by the hourly job
    expect((await emulator.call('cron', timer(), '')).ok).toBe(true);
    const calls: string[] = [];
    preview.page.on('request', (request) => {
      // the Mini Program's calls; the preview's message panel marks its own
      const panel = request.headers()['x-preview-panel'] === '1';
      if (/\/functions\//.test(request.url()) && !panel) calls.push(request.url());
    });
    const params = new URLSearchParams({
      as: 'dist-moments-reader',
      path: 'pages/landing/index',
      query: `inv=${inviteCode}&ch=share`,
      scene: '1154',
    });
    await preview.page.goto(`${emulator.url}/preview/?${params.toString()}`);
    await preview.launched();
    await preview.see('前往小程序参与');
    expect(await preview.text()).toContain('已有 4 人领取');
    expect(await preview.screen.locator('wx-button').count()).toBe(0);
    await preview.page.waitForFunction(
      () =>
        (globalThis as any).document.querySelector('.pv-page--top .landing-hero__image > img')
          ?.naturalWidth > 0,
    );
    await preview.screenshot('landing-moments');
    expect(calls).toEqual([]);
  });
});

function timer(): Record<string, string> {
  return { Type: 'Timer', TriggerName: 'hourly', Time: new Date().toISOString() };
}
