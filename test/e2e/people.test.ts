/**
 * The People console (issue 13) walked by hand in the browser preview, with a screenshot of each
 * page (docs/screenshots/people-*.png, embedded in the README): `demo-admin` finds a member from
 * the dashboard, blocks and unblocks them, approves a held invite from the review queue, looks
 * at the KOC board, and downloads an export; a leader opens their community page and a member
 * the public leaderboard.
 *
 * Set up through the functions first: the campaign holds invites beyond 3 in 10 minutes; A (a
 * 小当家) brings five friends who claim at once (3 verified, 2 held), one of whom, M, brings a
 * friend of their own; the first friend's gift is used at the till.
 */
import { launchBrowser, Preview, startEmulator, type Browser, type Emulator } from './support';

const OWNER = 'demo-admin';
const A = 'people-walk-a';
const FRIENDS = ['people-walk-f1', 'people-walk-f2', 'people-walk-f3', 'people-walk-f4'];
const M = 'people-walk-m';
const M_FRIEND = 'people-walk-m-friend';

let emulator: Emulator;
let browser: Browser;
let preview: Preview;
const code: Record<string, string> = {};

async function ok(name: string, event: Record<string, unknown>, openid: string) {
  const answer = await emulator.call(name, event, openid);
  if (!answer.ok) throw new Error(`${name} ${JSON.stringify(event)}: ${answer.error.message}`);
  return answer.data;
}

async function visit(openid: string, params: Record<string, unknown>, claim = true) {
  const session = await ok('api', { action: 'session.enter', ...params }, openid);
  code[openid] = session.inviteCode;
  if (claim) await ok('api', { action: 'magnet.claim', requestId: `claim-${openid}` }, openid);
}

beforeAll(async () => {
  emulator = await startEmulator();
  browser = await launchBrowser();
  preview = new Preview(browser.page, emulator.url);

  const { config } = await ok('admin', { action: 'campaign.get' }, OWNER);
  config.invite.velocity = { maxVerified: 3, withinMinutes: 10 };
  await ok('admin', { action: 'campaign.put', config }, OWNER);

  await visit(A, { channel: 'poster' });
  await ok('admin', { action: 'users.promote', userRef: code[A], level: 1 }, OWNER);
  for (const friend of [...FRIENDS, M]) {
    await visit(friend, { inviteCode: code[A], channel: 'share' });
  }
  await visit(M_FRIEND, { inviteCode: code[M] });
  // one friend's gift used at the till
  const wallet = await ok('api', { action: 'wallet.list' }, FRIENDS[0]);
  const { token } = await ok(
    'api',
    { action: 'coupon.token', couponId: wallet.coupons[0].id },
    FRIENDS[0],
  );
  await ok('admin', { action: 'coupon.redeem', token }, 'demo-staff');
});

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
});

afterEach(async () => {
  expect(await preview.errors()).toEqual([]);
});

/** Answers the preview's modals in turn: confirm, then type the reason and confirm. */
async function confirmWithReason(reason: string): Promise<void> {
  const modal = preview.page.getByTestId('modal');
  await modal.waitFor();
  await modal.locator('.pv-modal__confirm').click();
  await modal.locator('textarea').waitFor();
  await modal.locator('textarea').fill(reason);
  await modal.locator('.pv-modal__confirm').click();
}

describe('the people console in the browser preview', () => {
  it('shows the console on the dashboard: the tag distribution and what waits for review', async () => {
    await preview.open(OWNER, 'admin/pages/dashboard/index');
    await preview.see('成长标签');
    const held = await preview.screen.locator('.dash-console__held').innerText();
    expect(held.trim()).toBe('2');
    const tags = await preview.screen.locator('.dash-tag').allInnerTexts();
    // A invited (A); M invited and redeemed nothing (A); two verified friends claimed (B); the
    // friend whose gift was used (S); the held ones claimed too (B); M's friend (B)
    expect(tags.map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
      '1 S 高意向',
      '2 A 活跃',
      '4 B 已领取',
      '0 C 新成员',
    ]);
    await preview.screenshot('people-dashboard');
    await preview.screenshot('people-tags', { scrollTo: preview.screen.locator('.dash-tags') });
  });

  it('finds a member by invite code and shows their page', async () => {
    await preview.tap('会员', 'wx-view.dash-console__members');
    await preview.waitForRoute('admin/pages/members/index');
    await preview.see('扫会员的券码查找');
    expect(await preview.screen.locator('.mbrs-member').count()).toBe(7);
    await preview.screenshot('people-members');

    await preview.screen.locator('wx-input.mbrs-search__input input').fill(code[A].toLowerCase());
    await preview.tap('查找', 'wx-button.mbrs-search__go');
    await preview.waitForRoute('admin/pages/member/index');
    await preview.see('邀请关系');
    const head = (await preview.screen.locator('.mbr-head').innerText()).replace(/\s+/g, ' ');
    expect(head).toContain(code[A]);
    expect(head).toContain('小当家');
    expect(head).toContain('A 活跃 · 按规则');
    const states = await preview.screen.locator('.mbr-invitee__state').allInnerTexts();
    expect(states.map((s) => s.trim()).sort()).toEqual([
      '待审核',
      '待审核',
      '有效',
      '有效',
      '有效',
    ]);
    await preview.screenshot('people-member');
    await preview.screenshot('people-member-invites', {
      scrollTo: preview.screen.locator('.mbr-invites'),
    });
  });

  it('approves a held invite from the review queue, crediting the inviter once', async () => {
    await preview.open(OWNER, 'admin/pages/review/index');
    await preview.see('待审核');
    expect(await preview.screen.locator('.rvw-hold').count()).toBe(2);
    const evidence = await preview.screen.locator('.rvw-hold').first().innerText();
    expect(evidence).toContain('风险等级');
    expect(evidence).toContain('邀请人近期计入');
    await preview.screenshot('people-review');

    const before = (await ok('api', { action: 'blackcard.get' }, A)).verified;
    const approved = await preview.callDuring('holds.approve', () =>
      preview.screen.locator('wx-button.rvw-approve').first().click(),
    );
    expect(approved.data.status).toBe('verified');
    await preview.page.waitForFunction(
      () => (globalThis as any).document.querySelectorAll('.pv-page--top .rvw-hold').length === 1,
    );
    expect((await ok('api', { action: 'blackcard.get' }, A)).verified).toBe(before + 1);
  });

  it('blocks a member and unblocks them, each with a reason in the audit', async () => {
    await preview.open(OWNER, 'admin/pages/member/index', { ref: code[M] });
    await preview.see('操作记录');
    await preview.tap('停用', 'wx-button');
    await confirmWithReason('同一设备注册多个账号');
    await preview.see('已停用');
    await preview.see('停用：同一设备注册多个账号');
    // M can no longer spin
    const spin = await emulator.call(
      'api',
      { action: 'lottery.spin', requestId: 'walk-spin-m1' },
      M,
    );
    expect(spin.error?.code).toBe('RISK_BLOCKED');
    await preview.screenshot('people-member-blocked');

    await preview.tap('恢复', 'wx-button');
    await confirmWithReason('核实为真实顾客');
    await preview.page.waitForFunction(
      () => !(globalThis as any).document.querySelector('.pv-page--top .mbr-head__blocked'),
    );
    const audit = await preview.screen.locator('.mbr-audit__entry').allInnerTexts();
    expect(audit.map((a) => a.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/^恢复 .*演示运营 .*原因：核实为真实顾客$/),
      expect.stringMatching(/^停用 .*演示运营 .*原因：同一设备注册多个账号$/),
    ]);
    const again = await emulator.call(
      'api',
      { action: 'lottery.spin', requestId: 'walk-spin-m2' },
      M,
    );
    expect(again.ok).toBe(true);
  });

  it('shows the KOC board with conversion', async () => {
    await preview.open(OWNER, 'admin/pages/koc/index');
    await preview.see('转化');
    const first = (await preview.screen.locator('.koc-entry').first().innerText()).replace(
      /\s+/g,
      ' ',
    );
    expect(first).toContain(code[A]);
    expect(first).toContain('转化 80%（4/5）');
    await preview.screenshot('people-koc');
  });

  it('exports the members and downloads the CSV', async () => {
    await preview.open(OWNER, 'admin/pages/export/index');
    await preview.see('开始导出');
    await preview.tap('开始导出', 'wx-button');
    await preview.see('已完成');
    const link = (await preview.screen.locator('.exp-link').innerText()).trim();
    const file = await fetch(link);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0].startsWith('会员编号,昵称,成长标签')).toBe(true);
    expect(lines).toHaveLength(1 + 7);
    expect(lines.join('\n')).not.toMatch(/people-walk|demo-admin/);
    await preview.screenshot('people-export');
    await preview.screenshot('people-export-done', {
      scrollTo: preview.screen.locator('.exp-copy'),
    });
  });

  it('shows a leader their community, and members the leaderboard', async () => {
    await preview.open(A, 'pages/blackcard/index');
    await preview.see('团长中心');
    await preview.tap('团长中心', 'wx-view.bc-more__leader');
    await preview.waitForRoute('pages/leader/index');
    await preview.see('团长奖励');
    const figures = await preview.screen.locator('.ldr-figure__total').allInnerTexts();
    // A's five friends and M's friend; all six claimed; one coupon used
    expect(figures.map((f) => f.trim())).toEqual(['6', '6', '1']);
    await preview.screenshot('people-leader');

    await preview.open(FRIENDS[1], 'pages/leaderboard/index');
    await preview.see('邀请好友最多的会员');
    const rows = await preview.screen.locator('.lbd-entry').allInnerTexts();
    expect(rows[0].replace(/\s+/g, ' ')).toMatch(/^1 会员 \w\w\*\* 4 位好友$/);
    await preview.screenshot('people-leaderboard');
  });
});
