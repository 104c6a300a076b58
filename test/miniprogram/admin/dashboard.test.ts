/** @jest-environment jsdom */
/**
 * The operators' dashboard against the real backend: the figures of a small scenario, the
 * alerts cron raises for a nearly-full pool, and who may see what.
 */
import { timerEvent } from '../../support/emulator';
import { usePageBackend } from '../support/backend';
import {
  attach,
  classesOf,
  findIn,
  flushMicrotasks,
  render,
  tap,
  textOf,
  type JsonNode,
  type SimRoot,
} from '../support/simulate';

const backend = usePageBackend();

type Page = SimRoot & { instance: Record<string, (...args: any[]) => any> };

const OWNER = 'demo-admin';
const HOUR = 60 * 60 * 1000;

async function openDashboard(): Promise<Page> {
  const page = attach(render('admin/pages/dashboard/index')) as Page;
  await page.instance.onLoad({});
  await flushMicrotasks();
  return page;
}

const texts = (page: Page, className: string) => findIn(page, className).map((n) => textOf(n));

/** The headline figures as { label: value }. */
function summaryOf(page: Page): Record<string, string> {
  return Object.fromEntries(
    findIn(page, 'dash-summary__item').map((item) => [
      textOf(findIn(item, 'dash-summary__label')[0]),
      textOf(findIn(item, 'dash-summary__value')[0]),
    ]),
  );
}

/** The funnel's bars as { label: value } (read from the bar-chart's rendered rows). */
function funnelOf(page: Page): Record<string, string> {
  return Object.fromEntries(
    findIn(page, 'bar-chart__row').map((row) => [
      textOf(findIn(row, 'bar-chart__label')[0]),
      textOf(findIn(row, 'bar-chart__value')[0]),
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

/** Retires the seeded pool and puts one group of `capacity` expiring in `expiresInMs`. */
async function poolOfOne(capacity: number, expiresInMs: number): Promise<string> {
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
  const funnel = funnelOf(page);
  expect(funnel['访客']).toBe('3');
  expect(funnel['领取福利']).toBe('2');
  expect(funnel['发起邀请']).toBe('1');
  expect(funnel['发券']).toBe('2'); // the gift's coupon, one each
  // verified invites are counted per invite: compared with the inviters, not "the step before"
  const hints = Object.fromEntries(
    findIn(page, 'bar-chart__row').map((row) => [
      textOf(findIn(row, 'bar-chart__label')[0]),
      findIn(row, 'bar-chart__hint').map((n) => textOf(n))[0] ?? '',
    ]),
  );
  expect(hints['领取福利']).toBe('上一步的 67%');
  expect(hints['有效邀请']).toBe('每位邀请人平均 1.0 位');

  const poster = rowNamed(page, 'dash-channel', '门店海报');
  expect(textOf(findIn(poster, 'dash-channel__visitors')[0])).toBe('访客 1');
  expect(textOf(findIn(poster, 'dash-channel__cost')[0])).toBe('投放 ¥300');
  const store = rowNamed(page, 'dash-channel', '收银台台卡');
  expect(textOf(findIn(store, 'dash-channel__visitors')[0])).toBe('访客 1');
  const share = rowNamed(page, 'dash-channel', '好友分享');
  expect(textOf(findIn(share, 'dash-channel__visitors')[0])).toBe('访客 1');
  expect(textOf(findIn(share, 'dash-channel__verified')[0])).toBe('有效 1');

  // the inviter by invite code, never by openid
  expect(texts(page, 'dash-inviter__ref')).toEqual([alice.inviteCode]);
  expect(texts(page, 'dash-inviter__count')).toEqual(['有效邀请 1']);
  expect(textOf(page)).not.toContain('visitor-alice-01');

  expect(texts(page, 'dash-rejected__label')).toEqual(['老用户', '邀请码无效']);
  expect(texts(page, 'dash-rejected__count')).toEqual(['1', '1']);

  const gift = rowNamed(page, 'dash-prize', '定制保温杯');
  expect(textOf(findIn(gift, 'dash-prize__stock')[0])).toBe('剩余 20');
  expect(textOf(rowNamed(page, 'dash-prize', '谢谢参与'))).toContain('剩余 不限');

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
  expect(navigate).toHaveBeenLastCalledWith(
    expect.objectContaining({ url: '/admin/pages/redeem/index' }),
  );
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
  expect(texts(page, 'dash-alert__kind').sort()).toEqual(['即将过期', '群池将满'].sort());
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
  expect(navigate).toHaveBeenCalledWith(
    expect.objectContaining({ url: '/admin/pages/redeem/index' }),
  );
});
