/** @jest-environment jsdom */
/**
 * The People console's pages (issue 13) against the real backend: the member list and search,
 * a member's page and what the owner does there (tag, block and unblock with a reason, leader,
 * reward), the review queue, the KOC board and an export followed to its link; and who may see
 * them.
 */
import { usePageBackend } from '../support/backend';
import { texts, usePages } from '../support/pages';
import { findIn, tap, textOf, until } from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const open = usePages();
const backend = usePageBackend();

const OWNER = 'demo-admin';
const STAFF = 'demo-staff';

async function visit(openid: string, params: Record<string, unknown> = {}, claim = true) {
  const session = await backend.as(openid, 'api', { action: 'session.enter', ...params });
  if (claim) {
    await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  }
  return session.inviteCode as string;
}

/** An inviter with five friends who claimed at once: three counted, two held for review. */
async function inviterWithHolds() {
  const { config } = await backend.as(OWNER, 'admin', { action: 'campaign.get' });
  config.invite.velocity = { maxVerified: 3, withinMinutes: 10 };
  await backend.as(OWNER, 'admin', { action: 'campaign.put', config });
  await backend.emulator.advanceClock(10_000); // past the functions' campaign cache
  const inviter = await visit('oid-inviter', { channel: 'poster' });
  const friends: string[] = [];
  for (let i = 0; i < 5; i++) friends.push(await visit(`oid-friend-${i}`, { inviteCode: inviter }));
  return { inviter, friends };
}

function modalAnswers(...answers: Array<{ confirm: boolean; content?: string }>) {
  const spy = jest.spyOn(wx, 'showModal');
  for (const answer of answers)
    spy.mockResolvedValueOnce({ cancel: !answer.confirm, ...answer } as never);
  return spy;
}

describe('会员 (the member list)', () => {
  test('lists the members newest first, filters by tag, and finds one by code', async () => {
    const { inviter } = await inviterWithHolds();
    backend.actAs(OWNER);
    const page = await open('admin/pages/members/index');
    expect(findIn(page, 'mbrs-member')).toHaveLength(6);
    expect(texts(page, 'mbrs-chip')).toEqual([
      '全部6',
      'S 高意向0',
      'A 活跃1',
      'B 已领取5',
      'C 新成员0',
      '已停用',
    ]);

    await tap(page.querySelector('.mbrs-chip--A'));
    await until(() => findIn(page, 'mbrs-member').length === 1, 'the A members');
    expect(texts(page, 'mbrs-member__name')).toEqual([`会员 ${inviter}`]);

    const navigate = jest.spyOn(wx, 'navigateTo');
    page.instance.onQueryInput({ detail: { value: inviter.toLowerCase() } });
    await tap(page.querySelector('.mbrs-search__go'));
    await until(() => navigate.mock.calls.length === 1, 'the member page');
    expect(navigate).toHaveBeenCalledWith(
      expect.objectContaining({ url: `${ROUTES.member}?ref=${inviter}` }),
    );

    page.instance.onQueryInput({ detail: { value: 'NOBODY12' } });
    await tap(page.querySelector('.mbrs-search__go'));
    await until(() => textOf(page.querySelector('.mbrs-search__error')) !== '', 'the error');
    expect(textOf(page.querySelector('.mbrs-search__error'))).toBe('没有找到这位会员，请核对编号');
  });

  test('finds a member by scanning the QR of one of their coupons', async () => {
    await visit('oid-customer');
    const { coupons } = await backend.as('oid-customer', 'api', { action: 'wallet.list' });
    const { token } = await backend.as('oid-customer', 'api', {
      action: 'coupon.token',
      couponId: coupons[0].id,
    });
    backend.actAs(OWNER);
    const page = await open('admin/pages/members/index');
    jest.spyOn(wx, 'scanCode').mockResolvedValue({ result: token } as never);
    const navigate = jest.spyOn(wx, 'navigateTo');
    await tap(page.querySelector('.mbrs-scan'));
    await until(() => navigate.mock.calls.length === 1, 'the member page');
    expect(String(navigate.mock.calls[0][0]?.url)).toMatch(/ref=[A-Z0-9]{4,12}$/);
  });
});

describe('会员详情 (a member page)', () => {
  test('shows where they came from, their invites and coupons; blocks and unblocks with a reason', async () => {
    const { inviter, friends } = await inviterWithHolds();
    backend.actAs(OWNER);
    const page = await open('admin/pages/member/index', { ref: inviter });
    expect(textOf(page.querySelector('.mbr-head'))).toContain('A 活跃 · 按规则');
    expect(textOf(page.querySelector('.mbr-fact--channel'))).toContain('门店海报');
    expect(texts(page, 'mbr-invitee__state').sort()).toEqual([
      '待审核',
      '待审核',
      '有效',
      '有效',
      '有效',
    ]);
    expect(texts(page, 'mbr-coupon__title')).toEqual(['5元无门槛券']);

    // 停用: the consequences confirmed, then the reason typed
    modalAnswers({ confirm: true }, { confirm: true, content: '  批量注册  ' });
    await tap(page.querySelector('.mbr-act--block'));
    await until(() => !!page.querySelector('.mbr-head__blocked'), 'the blocked badge');
    expect(textOf(page.querySelector('.mbr-head__why'))).toContain('停用：批量注册');
    const spin = (
      await backend.emulator.invoke(
        'api',
        { action: 'lottery.spin', requestId: 'spin-blocked-1' },
        { openid: 'oid-inviter' },
      )
    ).result as { error?: { code: string } };
    expect(spin.error?.code).toBe('RISK_BLOCKED');

    // a reason is required: an empty one asks again
    modalAnswers(
      { confirm: true },
      { confirm: true, content: ' ' },
      { confirm: true, content: '核实无误' },
    );
    await tap(page.querySelector('.mbr-act--unblock'));
    await until(() => !page.querySelector('.mbr-head__blocked'), 'the block lifted');
    expect(texts(page, 'mbr-audit__action')).toEqual(['恢复', '停用']);
    expect(texts(page, 'mbr-audit__reason')).toEqual(['原因：核实无误', '原因：批量注册']);
    expect(friends).toHaveLength(5);
  });

  test('changes the tag by hand, makes a leader, and grants a reward once per confirmation', async () => {
    const code = await visit('oid-member');
    backend.actAs(OWNER);
    const page = await open('admin/pages/member/index', { ref: code });
    expect(textOf(page.querySelector('.mbr-head__tag'))).toBe('B 已领取 · 按规则');

    const sheet = jest.spyOn(wx, 'showActionSheet');
    sheet.mockResolvedValueOnce({ tapIndex: 0 } as never); // S
    modalAnswers({ confirm: true, content: '老客转介绍' });
    await tap(page.querySelector('.mbr-act--tag'));
    await until(() => textOf(page.querySelector('.mbr-head__tag')) === 'S 高意向 · 手动', 'S');

    sheet.mockResolvedValueOnce({ tapIndex: 1 } as never); // 大当家
    await tap(page.querySelector('.mbr-act--leader'));
    await until(() => textOf(page.querySelector('.mbr-head__leader')) === '大当家', 'the leader');

    sheet.mockResolvedValueOnce({ tapIndex: 0 } as never); // the first reward
    modalAnswers({ confirm: true, content: '' });
    await tap(page.querySelector('.mbr-act--grant'));
    await until(() => texts(page, 'mbr-coupon__title').length === 2, 'the granted coupon');
    const { coupons } = await backend.as('oid-member', 'api', { action: 'wallet.list' });
    expect(coupons.filter((c: { source: string }) => c.source === 'grant')).toHaveLength(1);
    expect(texts(page, 'mbr-audit__action')).toEqual(['发放奖励', '团长', '改标签']);
  });
});

test('待审核: approving credits the inviter and the invite leaves the queue', async () => {
  await inviterWithHolds();
  backend.actAs(OWNER);
  const page = await open('admin/pages/review/index');
  expect(findIn(page, 'rvw-hold')).toHaveLength(2);
  expect(textOf(page.querySelector('.rvw-fact--tree'))).toMatch(
    /^邀请人的其他好友4 位：有效 3 · 待审核 1$/,
  );
  await tap(page.querySelector('.rvw-approve'));
  await until(() => findIn(page, 'rvw-hold').length === 1, 'one hold left');
  const card = await backend.as('oid-inviter', 'api', { action: 'blackcard.get' });
  expect(card.verified).toBe(4);

  modalAnswers({ confirm: true }, { confirm: true, content: '同一设备' });
  await tap(page.querySelector('.rvw-reject'));
  await until(() => findIn(page, 'rvw-hold').length === 0, 'the queue emptied');
  expect(textOf(page.querySelector('.rvw-empty'))).toBe('没有待审核的邀请');
});

test('KOC 榜: the inviters with conversion, by channel', async () => {
  const { inviter } = await inviterWithHolds();
  backend.actAs(OWNER);
  const page = await open('admin/pages/koc/index');
  expect(texts(page, 'koc-entry__name')).toEqual([`会员 ${inviter}`]);
  expect(textOf(findIn(page, 'koc-entry')[0])).toContain('转化 60%（3/5）');
  const kol = findIn(page, 'koc-channel').findIndex((n) => textOf(n) === '本地探店博主');
  await tap(page.querySelectorAll('.koc-channel')[kol]);
  await until(() => findIn(page, 'koc-entry').length === 0, 'nobody from the KOL channel');
  expect(textOf(page.querySelector('.koc-empty'))).toBe('这里还没有成功邀请好友的会员');
});

test('数据导出: follows an export to its link and copies it', async () => {
  await inviterWithHolds();
  backend.actAs(OWNER);
  const page = await open('admin/pages/export/index');
  await tap(page.querySelector('.exp-kind--invites'));
  await tap(page.querySelector('.exp-start'));
  await until(() => !!page.data.current, 'the job');
  // small exports finish in the creating call; a larger one is polled until it does
  await until(() => (page.data.current as { done: boolean }).done, 'the export done');
  const url = textOf(page.querySelector('.exp-link'));
  expect(url).toMatch(/\/exports\/ex_[0-9a-f]+\/invites-\d{8}-\d{4}\.csv$/);
  const copy = jest.spyOn(wx, 'setClipboardData');
  await tap(page.querySelector('.exp-copy'));
  expect(copy).toHaveBeenCalledWith(expect.objectContaining({ data: url }));
  expect(textOf(page.querySelector('.exp-current__progress'))).toMatch(/^共 5 行/);
});

test.each([
  ['admin/pages/members/index'],
  ['admin/pages/member/index'],
  ['admin/pages/review/index'],
  ['admin/pages/koc/index'],
  ['admin/pages/export/index'],
])('%s refuses visitors and sends staff to redeeming', async (path) => {
  backend.actAs('oid-visitor');
  const refused = await open(path, { ref: 'ABCDEFGH' });
  expect(textOf(refused.querySelector('.admin-refusal__title'))).toBe('此页面仅限活动运营人员使用');
  backend.actAs(STAFF);
  const staff = await open(path, { ref: 'ABCDEFGH' });
  expect(textOf(staff.querySelector('.admin-refusal'))).toContain('店员账号可以扫码核销优惠券');
});
