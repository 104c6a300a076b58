/**
 * The operator studio (issue 9) walked by hand in one browser, exactly as the issue tells it:
 * `demo-admin`, on the phone-sized preview, clones the demo campaign, changes two prizes' stock and
 * odds (and sees a problem beside its field first), adds a step to the invite ladder and a field
 * to a reminder's template, reads the projection and its warnings, publishes the clone, pauses
 * and resumes it — and a visitor sees each state. Each step is screenshotted into
 * docs/screenshots/studio-*.png (embedded in the README).
 */
import type { Locator } from 'playwright-core';
import { launchBrowser, Preview, startEmulator, type Browser, type Emulator } from './support';

const OWNER = 'demo-admin';
const VISITOR = 'studio-visitor';
const CLONE = 'demo-opening-2';

let emulator: Emulator;
let browser: Browser;
let preview: Preview;

beforeAll(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  preview = new Preview(browser.page, emulator.url);
});

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
});

afterEach(async () => {
  // a page that threw would have shown it on the phone: none may have
  expect(await preview.errors()).toEqual([]);
});

/** Answers the modal on the phone with its confirm button, after checking what it asks. */
async function confirmModal(asks: string | RegExp): Promise<void> {
  const modal = preview.page.getByTestId('modal');
  await modal.waitFor();
  const text = await modal.innerText();
  if (typeof asks === 'string') expect(text).toContain(asks);
  else expect(text).toMatch(asks);
  await modal.locator('.pv-modal__confirm').click();
  await modal.waitFor({ state: 'detached' });
}

/** Scrolls the phone so that `locator` sits in the middle of the screen. */
async function centre(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({ block: 'center' }));
}

/** Scrolls the phone so that `locator` starts at the top of the screen. */
async function toTop(locator: Locator): Promise<void> {
  await locator.evaluate((element) => element.scrollIntoView({ block: 'start' }));
}

/** A field of the editor, by its config path (`lottery.prizes.0.stock`). */
const field = (path: string) => preview.screen.locator(`.f-${path.replace(/\./g, '-')}`);

async function typeInto(path: string, value: string): Promise<void> {
  const input = field(path).locator('input').first();
  await input.scrollIntoViewIfNeeded();
  await input.fill(value);
}

/** Picks `label` in the picker a field opens. */
async function choose(path: string, label: string): Promise<void> {
  await field(path).locator('.ed-control').first().scrollIntoViewIfNeeded();
  await field(path).locator('.ed-control').first().click();
  const picker = preview.page.getByTestId('picker');
  await picker.locator('select').selectOption({ label });
  await picker.getByTestId('picker-confirm').click();
  await picker.waitFor({ state: 'detached' });
}

async function campaignStatus(id: string): Promise<string> {
  const answer = await emulator.call('admin', { action: 'campaign.get', id }, OWNER);
  return answer.data.status;
}

/** The visitor's landing page, freshly launched (caches of the campaign are a few seconds). */
async function visitorLanding(): Promise<string> {
  await emulator.call('api', { action: 'campaign.get' }, VISITOR);
  await fetch(`${emulator.url}/__emulator/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceMs: 11_000 }),
  });
  await preview.open(VISITOR, 'pages/landing/index', { ch: 'poster' });
  await preview.page.waitForFunction(
    () => !(globalThis as any).document.querySelector('.pv-page--top .landing .empty'),
  );
  return preview.text();
}

describe('the operator studio in the browser preview', () => {
  it('the operator finds 活动管理 from the dashboard, and clones the demo', async () => {
    await preview.open(OWNER, 'admin/pages/dashboard/index');
    await preview.see('活动管理');
    await preview.tap('活动管理', 'wx-button');
    await preview.waitForRoute('admin/pages/campaigns/index');
    await preview.see('山野茶事 · 新店开业 会员招募季');
    expect(await preview.text()).toContain('进行中');
    await preview.screenshot('studio-campaigns');

    await preview.tap('复制', 'wx-button');
    await preview.waitForRoute('admin/pages/editor/index');
    await preview.see('基本信息');
    expect(await preview.text()).toContain('（副本）');
    expect(await campaignStatus(CLONE)).toBe('draft');
    await preview.screenshot('studio-editor-basics');
  });

  it('changes two prizes’ stock and odds, with a problem shown beside its field first', async () => {
    await preview.tap('转盘奖品', 'wx-view.ed-step');
    await preview.see('奖品 1 · 定制保温杯');

    // a stock below zero: the server's words, in Chinese, beside that very field
    await typeInto('lottery.prizes.0.stock', '-5');
    await preview.tap('保存并继续', 'wx-button');
    const problem = field('lottery.prizes.0.stock').locator('.ed-field__error');
    await problem.waitFor();
    expect(await problem.innerText()).toBe('库存须为不小于 0 的整数，留空表示不限量');
    await centre(field('lottery.prizes.0.stock'));
    await preview.screenshot('studio-editor-problem');

    // 定制保温杯: 8 units at weight 60; 帆布袋: 300 units at weight 40
    await typeInto('lottery.prizes.0.stock', '8');
    await typeInto('lottery.prizes.0.weight', '60');
    await typeInto('lottery.prizes.5.stock', '300');
    await typeInto('lottery.prizes.5.weight', '40');
    const saved = await preview.callDuring('campaign.update', () =>
      preview.tap('保存并继续', 'wx-button'),
    );
    expect(saved.ok).toBe(true);
    // saved: on to the next step
    await preview.see('4. 优惠券');
    const config = (await emulator.call('admin', { action: 'campaign.get', id: CLONE }, OWNER)).data
      .config;
    expect(config.lottery.prizes[0]).toMatchObject({ id: 'tumbler', stock: 8, weight: 60 });
    expect(config.lottery.prizes[5]).toMatchObject({ id: 'tote', stock: 300, weight: 40 });
  });

  it('adds a step to the invite ladder and a field to a reminder’s template', async () => {
    // 阶梯奖励: six friends bring a tumbler
    await preview.tap('邀请与黑卡', 'wx-view.ed-step');
    await preview.see('阶梯奖励');
    await preview.tap('+ 添加阶梯奖励', 'wx-button');
    await choose('blackCard.milestones.1.reward', '实物奖品');
    await preview.see('满 6 人 · 定制保温杯');
    await typeInto('blackCard.milestones.1.title', '六人礼');
    await toTop(preview.screen.locator('.l-blackCard-milestones .ed-item').nth(1));
    await preview.screenshot('studio-editor-ladder');

    // 消息提醒: the expiring coupon's template has a fourth field, the coupon's face value
    await preview.tap('消息提醒', 'wx-view.ed-step');
    await preview.see('8. 消息提醒');
    const fields = field('reminders.couponExpiring.fields');
    await fields.locator('.ed-map__add').click();
    const key = fields.locator('.ed-map__row').nth(3).locator('.ed-map__key input');
    await key.fill('amount4');
    await key.blur();
    await fields.locator('.ed-map__row').nth(3).locator('.ed-map__value input').fill('{label}');
    await toTop(field('reminders.couponExpiring'));
    await preview.screenshot('studio-editor-reminders');

    // saved: the last step is next
    const saved = await preview.callDuring('campaign.update', () =>
      preview.tap('保存并继续', 'wx-button'),
    );
    expect(saved.ok).toBe(true);
    await preview.see('客流假设');
    const config = (await emulator.call('admin', { action: 'campaign.get', id: CLONE }, OWNER)).data
      .config;
    expect(config.blackCard.milestones[1]).toEqual({
      invites: 6,
      prizeId: 'tumbler',
      title: '六人礼',
    });
    expect(config.reminders.couponExpiring.fields).toMatchObject({ amount4: '{label}' });
  });

  it('sees the projection as a chart with its warnings before 发布', async () => {
    await preview.see('发布前请注意');
    const warnings = await preview.screen.locator('.ed-warnings').innerText();
    // 8 tumblers at weight 60 run out within days; the seeded pool of 540 seats fills
    expect(warnings).toMatch(/「定制保温杯」预计第 \d+ 天（\d+月\d+日）抽完（库存 8）/);
    expect(warnings).toMatch(/群池预计第 \d+ 天（\d+月\d+日）满员/);
    expect(warnings).toContain('领取福利第');
    expect(await preview.screen.locator('.ed-chart__day').count()).toBe(30);
    expect(await preview.screen.locator('.ed-chart__flag--on').count()).toBeGreaterThan(0);
    // the results come first: the warnings and the chart, then the assumptions they rest on
    await preview.screenshot('studio-simulate');
    await centre(preview.screen.locator('.ed-chart'));
    await preview.screenshot('studio-simulate-chart');
  });

  it('publishes the clone: visitors see it, and the demo ends', async () => {
    await preview.tap('发布', 'wx-button.ed-publish');
    await confirmModal('正在进行的「山野茶事 · 新店开业 会员招募季」会结束');
    await preview.waitForRoute('admin/pages/campaigns/index');
    await preview.see('（副本）');
    expect(await campaignStatus(CLONE)).toBe('live');
    expect(await campaignStatus('demo-opening')).toBe('ended');
    const first = await preview.screen.locator('.cps-campaign').first().innerText();
    expect(first).toContain('进行中');
    expect(first).toContain('访客看到的活动');
    await preview.screenshot('studio-published');

    const landing = await visitorLanding();
    expect(landing).toContain('山野茶事 · 新店开业 会员招募季（副本）');
    expect(landing).toContain('立即免费领取');
    expect(landing).toContain('活动规则');
    expect(landing).not.toContain('管理');
    await preview.screenshot('studio-visitor-live');
  });

  it('pauses: the visitor sees a friendly closed state', async () => {
    await preview.open(OWNER, 'admin/pages/campaigns/index');
    await preview.see('（副本）');
    await preview.tap('暂停', 'wx-button.cps-action--pause');
    await confirmModal('暂停期间访客打开活动会看到“活动暂停中”');
    await preview.see('已暂停');
    expect(await campaignStatus(CLONE)).toBe('paused');
    await preview.screenshot('studio-paused');

    const landing = await visitorLanding();
    expect(landing).toContain('活动暂停中');
    expect(landing).toContain('活动暂时暂停，请稍后再来');
    expect(landing).not.toContain('立即免费领取');
    await preview.screenshot('studio-visitor-paused');
  });

  it('resumes: the visitor takes part again, and reads the rules', async () => {
    await preview.open(OWNER, 'admin/pages/campaigns/index');
    await preview.see('已暂停');
    await preview.tap('恢复', 'wx-button.cps-action--resume');
    await confirmModal('恢复后访客可以继续领取、抽奖和邀请');
    await preview.see('进行中');
    expect(await campaignStatus(CLONE)).toBe('live');

    const landing = await visitorLanding();
    expect(landing).toContain('立即免费领取');
    const claim = await preview.callDuring('magnet.claim', () =>
      preview.tap('立即免费领取', 'wx-button'),
    );
    expect(claim.ok).toBe(true);
    await preview.see('已领取，福利已放入你的券包');
    await preview.screenshot('studio-visitor-resumed');

    await preview.tap('活动规则', 'wx-text');
    await preview.waitForRoute('pages/rules/index');
    await preview.see('奖品与中奖概率');
    const rules = await preview.text();
    // the odds the operator set: 60 of 1220 for the tumbler, as a percentage, and its stock
    expect(rules).toMatch(/定制保温杯 实物 4\.92% 8 份/);
    expect(rules).toContain('山野茶事（演示门店）');
    await preview.screenshot('studio-rules');
  });

  it('adds a member of staff with a one-time bind code', async () => {
    await preview.open(OWNER, 'admin/pages/admins/index');
    await preview.see('添加管理员');
    await preview.screen.locator('.adm-form__name input').fill('店员小王');
    const made = await preview.callDuring('admins.createBindCode', () =>
      preview.tap('生成绑定码', 'wx-button'),
    );
    expect(made.ok).toBe(true);
    await preview.see('请对方用微信扫码');
    await preview.page.waitForFunction(
      () =>
        ((globalThis as any).document.querySelector('.pv-page--top .adm-code__qr img')
          ?.naturalWidth ?? 0) > 0,
    );
    await centre(preview.screen.locator('.adm-code'));
    await preview.screenshot('studio-bind-code');

    // the new person's phone opens the bind page with the code, as scanning it does
    await preview.open('new-staff', 'admin/pages/bind/index', {
      scene: made.data.code.replace('-', ''),
    });
    await preview.see('你已成为店员');
    await preview.screenshot('studio-bound');
  });
});
