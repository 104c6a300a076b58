/** @jest-environment jsdom */
/**
 * The operators' dashboard against the real backend: the figures of a small scenario, the
 * alerts cron raises for a nearly-full pool, and who may see what.
 */
import { formatDateTime } from '../../../miniprogram/utils/format';
import { timerEvent } from '../../support/emulator';
import { ROUTES } from '../../../miniprogram/utils/routes';
import { usePageBackend } from '../support/backend';
import { texts, usePages, type Page } from '../support/pages';
import { classesOf, findIn, tap, textOf, type JsonNode } from '../support/simulate';

const open = usePages();
const backend = usePageBackend();

const OWNER = 'demo-admin';
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const openDashboard = () => open('admin/pages/dashboard/index');

/** The headline figures as { label: value }. */
function summaryOf(page: Page): Record<string, string> {
  return Object.fromEntries(
    findIn(page, 'dash-summary__item').map((item) => [
      textOf(findIn(item, 'dash-summary__label')[0]),
      textOf(findIn(item, 'dash-summary__value')[0]),
    ]),
  );
}

/** The funnel's rows as { label: { value, hint, bar } } (read from the bar-chart's rows). */
function funnelOf(page: Page): Record<string, { value: string; hint: string; bar: boolean }> {
  return Object.fromEntries(
    findIn(page, 'bar-chart__row').map((row) => [
      textOf(findIn(row, 'bar-chart__label')[0]),
      {
        value: textOf(findIn(row, 'bar-chart__value')[0]),
        hint: textOf(findIn(row, 'bar-chart__hint')[0]),
        bar: findIn(row, 'bar-chart__track').length === 1,
      },
    ]),
  );
}

function rowNamed(page: Page, rowClass: string, name: string): JsonNode {
  const row = findIn(page, rowClass).find((r) => textOf(r).includes(name));
  if (!row) throw new Error(`no ${rowClass} row with ${name}`);
  return row;
}

async function visit(openid: string, params: Record<string, unknown>, claim: boolean) {
  const session = await backend.as(openid, 'api', { action: 'session.enter', ...params });
  if (claim)
    await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  return session as { inviteCode: string };
}

/** Stops every seeded group, as an operator would. */
async function retireSeededPool(): Promise<void> {
  const { data: seeded } = await backend.emulator.sdk.database().collection('groups').get();
  for (const group of seeded as Array<Record<string, any>>) {
    await backend.as(OWNER, 'admin', {
      action: 'groups.upsert',
      id: group._id,
      name: group.name,
      qrUrl: group.qrUrl,
      expiresAt: new Date(group.expiresAt).toISOString(),
      active: false,
    });
  }
}

/** Retires the seeded pool and puts one group of `capacity` expiring in `expiresInMs`. */
async function poolOfOne(capacity: number, expiresInMs: number): Promise<string> {
  await retireSeededPool();
  const group = await backend.as(OWNER, 'admin', {
    action: 'groups.upsert',
    name: '开业福利 4 群',
    qrUrl: 'https://example.com/group-4.png',
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
    capacity,
  });
  return group.id;
}

test("an owner sees the scenario's figures, by channel, with the invites' outcomes", async () => {
  const alice = await visit('visitor-alice-01', { channel: 'poster' }, true);
  const bob = await visit(
    'visitor-bob-0002',
    { inviteCode: alice.inviteCode, channel: 'share' },
    true,
  );
  // a new visitor with a made-up code, and a returning one with a real code: both refused
  await visit('visitor-carol-03', { inviteCode: 'ZZZZ9999', channel: 'store' }, false);
  await visit('visitor-alice-01', { inviteCode: bob.inviteCode }, false);

  backend.actAs(OWNER);
  const page = await openDashboard();

  expect(texts(page, 'dash-hello__name')).toEqual(['你好，演示运营']);
  const summary = summaryOf(page);
  expect(summary['访客']).toBe('3');
  expect(summary['领取福利']).toBe('2');
  expect(summary['有效邀请']).toBe('1');
  expect(summary['核销']).toBe('0');
  // the funnel: people as bars, each read against the step it belongs to; spins and coupons
  // as counts between them
  expect(funnelOf(page)).toEqual({
    访客: { value: '3', hint: '', bar: true },
    领取福利: { value: '2', hint: '占访客 67%', bar: true },
    参与抽奖: { value: '0', hint: '占访客 0%', bar: true },
    抽奖次数: { value: '0 次', hint: '', bar: false },
    发起邀请: { value: '1', hint: '占访客 33%', bar: true },
    有效邀请: { value: '1', hint: '人均邀请 1 位', bar: true },
    解锁黑卡: { value: '0', hint: '占邀请人 0%', bar: true },
    领取群码: { value: '0', hint: '占领取人数 0%', bar: true },
    确认入群: { value: '0', hint: '', bar: true },
    发券: { value: '2 张', hint: '', bar: false }, // the gift's coupon, one each
    核销: { value: '0 张', hint: '核销率 0%', bar: false },
  });

  // per channel: visitors, claims, the members each brought, and what a claim cost
  const channel = (name: string) => {
    const row = rowNamed(page, 'dash-channel', name);
    return ['dash-channel__cost', 'dash-channel__visitors', 'dash-channel__claims'].map((c) =>
      textOf(findIn(row, c)[0]),
    );
  };
  expect(channel('门店海报')).toEqual(['投放 ¥300 · 每位领取 ¥300', '访客 1', '领取 1']);
  expect(channel('收银台台卡')).toEqual(['投放 ¥50 · 暂无领取', '访客 1', '领取 0']);
  expect(channel('好友分享')).toEqual(['', '访客 1', '领取 1']);
  // Bob came by Alice's share: a member the poster brought, one per claimer there (issue 10)
  const poster = rowNamed(page, 'dash-channel', '门店海报');
  expect(textOf(findIn(poster, 'dash-channel__verified')[0])).toBe('带来会员 1');
  expect(textOf(findIn(poster, 'dash-channel__unit')[0])).toBe('K 值 1 · 每位会员 ¥150');
  const share = rowNamed(page, 'dash-channel', '好友分享');
  expect(textOf(findIn(share, 'dash-channel__verified')[0])).toBe('带来会员 0');
  expect(textOf(findIn(share, 'dash-channel__unit')[0])).toBe('K 值 0');

  // the inviter by invite code, never by openid, the rank beside the code
  const [inviter] = findIn(page, 'dash-inviter__who');
  expect(findIn(inviter, 'dash-inviter__rank').map((n) => textOf(n))).toEqual(['1']);
  expect(findIn(inviter, 'dash-inviter__ref').map((n) => textOf(n))).toEqual([alice.inviteCode]);
  expect(texts(page, 'dash-inviter__count')).toEqual(['有效邀请 1']);
  expect(textOf(page)).not.toContain('visitor-alice-01');

  expect(texts(page, 'dash-rejected__label')).toEqual(['老用户', '邀请码无效']);
  expect(texts(page, 'dash-rejected__count')).toEqual(['1', '1']);

  // stock as it reads: a count left, unlimited, or for 谢谢参与 how often the wheel stopped there
  const prize = (name: string) => {
    const row = rowNamed(page, 'dash-prize', name);
    return ['dash-prize__stock', 'dash-prize__issued'].map((c) => textOf(findIn(row, c)[0]));
  };
  expect(prize('定制保温杯')).toEqual(['剩余 20', '已发 0']);
  expect(prize('开业满30减5')).toEqual(['不限量', '已发 0']);
  expect(prize('谢谢参与')).toEqual(['', '抽中 0 次']);

  expect(texts(page, 'dash-group__name')).toHaveLength(3);
  expect(texts(page, 'dash-pool__total')).toEqual(['已发 0/540']);
  expect(texts(page, 'dash-alert')).toEqual([]);

  // pull down: the figures follow a new visit
  await visit('visitor-dave-004', { channel: 'poster' }, true);
  const stop = jest.spyOn(wx, 'stopPullDownRefresh');
  await page.instance.onPullDownRefresh();
  expect(summaryOf(page)['访客']).toBe('4');
  expect(stop).toHaveBeenCalled();

  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(page.querySelector('.dash-entry'));
  expect(navigate).toHaveBeenLastCalledWith(expect.objectContaining({ url: ROUTES.redeem }));
});

test('after cron, a nearly-full pool and an expiring QR are flagged', async () => {
  const groupId = await poolOfOne(2, 12 * HOUR);
  for (const member of ['member-one-0001', 'member-two-0002']) {
    await visit(member, { channel: 'poster' }, true);
    const handed = await backend.as(member, 'api', { action: 'group.get' });
    expect(handed.groupId).toBe(groupId);
  }
  const cron = await backend.emulator.invoke('cron', timerEvent(), { openid: '' });
  expect(cron.result).toMatchObject({ ok: true, data: { alertsRaised: 2 } });

  backend.actAs(OWNER);
  const page = await openDashboard();

  expect(classesOf(page.querySelector('.dash-alerts'))).toContain('dash-alerts--on');
  expect(texts(page, 'dash-alert__kind').sort()).toEqual(['即将过期', '群池告急'].sort());
  const messages = texts(page, 'dash-alert__message');
  expect(messages).toContainEqual(expect.stringContaining('群活码池已使用 100%（2/2）'));
  expect(messages).toContainEqual(expect.stringContaining('「开业福利 4 群」的群二维码将于'));

  const hot = rowNamed(page, 'dash-group', '开业福利 4 群');
  expect(classesOf(hot)).toEqual(
    expect.arrayContaining(['dash-group--full', 'dash-group--expiring']),
  );
  expect(textOf(findIn(hot, 'dash-group__used')[0])).toBe('已发 2/2');
  expect(textOf(findIn(hot, 'dash-group__status')[0])).toBe('已满');
  expect(classesOf(page.querySelector('.dash-pool__total'))).toContain('dash-warn');
  expect(texts(page, 'dash-pool__total')).toEqual(['已发 2/2']);
  // the retired seeded groups are listed as such, without warnings
  const retired = rowNamed(page, 'dash-group', '福利群 1 群');
  expect(textOf(findIn(retired, 'dash-group__status')[0])).toBe('已停用');
  expect(classesOf(retired)).not.toContain('dash-group--full');
});

test('spins and group joins are shown beside the people they belong to', async () => {
  await visit('visitor-spinner-1', { channel: 'poster' }, true);
  // one free spin a day: today's and tomorrow's
  await backend.as('visitor-spinner-1', 'api', { action: 'lottery.spin', requestId: 'spin-one' });
  await backend.emulator.advanceClock(DAY);
  await backend.as('visitor-spinner-1', 'api', { action: 'lottery.spin', requestId: 'spin-two' });
  await backend.as('visitor-spinner-1', 'api', { action: 'group.get' });
  await backend.as('visitor-spinner-1', 'api', { action: 'group.confirmJoined' });

  backend.actAs(OWNER);
  const funnel = funnelOf(await openDashboard());
  expect(funnel['参与抽奖']).toEqual({ value: '1', hint: '占访客 100%', bar: true });
  expect(funnel['抽奖次数']).toEqual({ value: '2 次', hint: '人均 2 次', bar: false });
  expect(funnel['领取群码']).toEqual({ value: '1', hint: '占领取人数 100%', bar: true });
  expect(funnel['确认入群']).toEqual({ value: '1', hint: '占领到群码的 100%', bar: true });
});

test('an empty pool is said to be empty, not nearly full', async () => {
  await retireSeededPool();
  await backend.emulator.invoke('cron', timerEvent(), { openid: '' });

  backend.actAs(OWNER);
  const page = await openDashboard();
  expect(texts(page, 'dash-pool__total')).toEqual(['没有可发放的群']);
  expect(classesOf(page.querySelector('.dash-pool__total'))).toContain('dash-warn');
  expect(texts(page, 'dash-alert__kind')).toEqual(['群池告急']);
  expect(textOf(page)).not.toContain('将满');
  expect(texts(page, 'dash-alert__message')[0]).toContain('群活码池里没有可用的群');
});

test("the time and the pool follow the server's clock, not the phone's", async () => {
  // the server is at 10:30 on a day of the campaign; the phone's clock is two days behind
  const server = new Date(backend.emulator.clock.now() + DAY);
  server.setUTCHours(2, 30, 0, 0);
  await backend.emulator.setClock(server);
  await poolOfOne(180, 2 * HOUR);
  jest.spyOn(Date, 'now').mockReturnValue(server.getTime() - 2 * DAY);

  backend.actAs(OWNER);
  const page = await openDashboard();
  const [updated] = texts(page, 'dash-hello__updated');
  expect(updated).toMatch(new RegExp(`^更新于 ${formatDateTime(server.toISOString())}`));
  expect(updated).toContain('10:30');
  // the QR expires two hours after the server's now: flagged, whatever the phone thinks
  const group = rowNamed(page, 'dash-group', '开业福利 4 群');
  expect(textOf(findIn(group, 'dash-group__status')[0])).toBe('即将过期');
});

test('a visitor is refused politely: no figures, no overview asked for', async () => {
  backend.actAs('curious-visitor');
  const page = await openDashboard();
  expect(textOf(page.querySelector('.admin-refusal__title'))).toBe('此页面仅限活动运营人员使用');
  expect(page.querySelector('.dash-summary')).toBeUndefined();
  expect(findIn(page, 'bar-chart__row')).toEqual([]);
  expect(page.querySelector('.dash-entry')).toBeUndefined();
  const actions = backend.calls.map((c) => c.data.action);
  expect(actions).toEqual(['admin.whoami']);
});

test('staff see their name and the way to redeem, and nothing of the figures', async () => {
  backend.actAs('demo-staff');
  const page = await openDashboard();
  expect(texts(page, 'dash-hello__name')).toEqual(['你好，演示店员']);
  expect(page.querySelector('.dash-summary')).toBeUndefined();
  expect(backend.calls.map((c) => c.data.action)).toEqual(['admin.whoami']);

  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(page.querySelector('.dash-staff__redeem'));
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.redeem }));
});
