/** @jest-environment jsdom */
/**
 * The counter and the back office for rewards, against the real backend (Rewards, issue 12):
 * staff scan a member code and use a right (the quota shown and kept); 今日已核销 N and the
 * ledger, where an owner reverses a mistaken redemption with a reason; the winners of a shipped
 * prize, with the address, marked sent.
 */
import { usePageBackend } from '../support/backend';
import { text, texts, usePages } from '../support/pages';
import { flushMicrotasks, tap, until } from '../support/simulate';

const open = usePages();
const backend = usePageBackend();

const callsOf = (action: string) => backend.calls.filter((c) => c.data.action === action);

/** A member with active rights, and the code their card shows. */
async function memberCode(openid: string): Promise<string> {
  const { inviteCode } = await backend.as(openid, 'api', { action: 'session.enter' });
  await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  for (let i = 0; i < 3; i++) {
    const friend = `${openid}-friend-${i}`;
    await backend.as(friend, 'api', { action: 'session.enter', inviteCode, channel: 'share' });
    await backend.as(friend, 'api', { action: 'magnet.claim', requestId: `claim-${friend}` });
  }
  await backend.as(openid, 'api', { action: 'group.get' });
  await backend.as(openid, 'api', { action: 'group.confirmJoined' });
  return (await backend.as(openid, 'api', { action: 'member.code' })).code;
}

async function couponToken(openid: string): Promise<string> {
  await backend.as(openid, 'api', { action: 'session.enter' });
  const claim = await backend.as(openid, 'api', {
    action: 'magnet.claim',
    requestId: `claim-${openid}`,
  });
  return (
    await backend.as(openid, 'api', { action: 'coupon.token', couponId: claim.reward.coupon.id })
  ).token;
}

test('staff scan a member code, see each right with what is left, and use one once', async () => {
  const code = await memberCode('member-0001');
  backend.actAs('demo-staff');
  const page = await open('admin/pages/redeem/index');
  expect(text(page, '.rdm-today__count')).toBe('今日已核销 0 笔');

  jest.spyOn(wx, 'scanCode').mockResolvedValue({ result: code } as never);
  await tap(page.querySelector('.rdm-scan'));
  await until(() => !!page.querySelector('.rdm-member') && !page.data.busy, 'the member');
  expect(callsOf('coupon.redeem')).toEqual([]); // a member code is not redeemed as a coupon
  expect(text(page, '.rdm-member__label')).toMatch(/^黑卡会员 [A-Za-z0-9]+$/);
  expect(texts(page, 'rdm-right__title')).toEqual([
    '每月一杯免费',
    '生日买一送一',
    '新品优先试饮',
    '会员免排队',
  ]);
  expect(texts(page, 'rdm-right__rule')[0]).toBe('每月 1 次 · 本月剩 1 次');

  await tap(page.querySelectorAll('.rdm-right__use')[0]);
  await until(() => !!page.querySelector('.rdm-result') && !page.data.busy, 'the use');
  expect(text(page, '.rdm-result__heading')).toBe('核销成功');
  expect(text(page, '.rdm-result__label')).toBe('每月一杯免费');
  expect(texts(page, 'rdm-right__rule')[0]).toBe('每月 1 次 · 本月已用完');
  expect((page.data.rights as Array<{ usable: boolean }>)[0].usable).toBe(false);
  await until(() => text(page, '.rdm-today__count') === '今日已核销 1 笔', 'today’s count');

  // a second scan by another cashier is refused: the quota is used up
  backend.actAs('demo-admin');
  const other = await open('admin/pages/redeem/index');
  const fresh = (await backend.as('member-0001', 'api', { action: 'member.code' })).code;
  jest.spyOn(wx, 'scanCode').mockResolvedValue({ result: fresh } as never);
  await tap(other.querySelector('.rdm-scan'));
  await until(() => !!other.querySelector('.rdm-member') && !other.data.busy, 'the member');
  expect(texts(other, 'rdm-right__rule')[0]).toBe('每月 1 次 · 本月已用完');
  expect(callsOf('member.useRight')).toHaveLength(1);
});

test('an owner reverses a redemption in the ledger, with a reason, and the coupon is back', async () => {
  const token = await couponToken('customer-0001');
  await backend.as('demo-staff', 'admin', { action: 'coupon.redeem', token });

  backend.actAs('demo-staff');
  const staffView = await open('admin/pages/ledger/index');
  expect(text(staffView, '.ldg-today__n')).toBe('1');
  expect(staffView.querySelector('.ldg-tabs')).toBeUndefined();
  expect(texts(staffView, 'ldg-line__title')).toEqual(['5元无门槛券']);
  expect(staffView.querySelector('.ldg-line__undo')).toBeUndefined(); // staff cannot reverse

  backend.actAs('demo-admin');
  const page = await open('admin/pages/ledger/index');
  expect(texts(page, 'ldg-tab')).toEqual(['全部门店', '我核销的']);
  expect(texts(page, 'ldg-line__who')[0]).toMatch(
    /^会员 [A-Za-z0-9]+演示店员 · 山野茶事 · 万象城店$/,
  );
  const modal = jest
    .spyOn(wx, 'showModal')
    .mockResolvedValue({ confirm: true, cancel: false, content: ' 误扫 ' } as never);
  await tap(page.querySelector('.ldg-line__undo'));
  await until(() => !!page.querySelector('.ldg-line__reversal'), 'the reversal');
  expect(modal).toHaveBeenCalledWith(expect.objectContaining({ editable: true }));
  expect(text(page, '.ldg-line__reversal')).toMatch(/由 演示运营 撤销：误扫$/);
  expect(page.querySelector('.ldg-line__undo')).toBeUndefined();

  const { coupons } = await backend.as('customer-0001', 'api', { action: 'wallet.list' });
  const status = (source: string) => coupons.find((c: any) => c.source === source).status;
  expect(status('magnet')).toBe('available');
  // the repurchase coupon the mistaken redemption earned is withdrawn (issue 15)
  expect(status('repurchase')).toBe('expired');
});

test('an empty reason reverses nothing', async () => {
  const token = await couponToken('customer-0002');
  await backend.as('demo-staff', 'admin', { action: 'coupon.redeem', token });
  backend.actAs('demo-admin');
  const page = await open('admin/pages/ledger/index');
  jest
    .spyOn(wx, 'showModal')
    .mockResolvedValue({ confirm: true, cancel: false, content: '  ' } as never);
  await tap(page.querySelector('.ldg-line__undo'));
  await flushMicrotasks();
  expect(callsOf('redemptions.reverse')).toEqual([]);
});

test('the winners of the shipped tote, with the address given, marked sent', async () => {
  const { config } = await backend.as('demo-admin', 'admin', { action: 'campaign.get' });
  for (const prize of config.lottery.prizes) prize.weight = prize.id === 'tote' ? 1 : 0;
  await backend.as('demo-admin', 'admin', { action: 'campaign.put', config });
  await backend.emulator.advanceClock(10_000);
  await backend.as('winner-0001', 'api', { action: 'session.enter' });
  const spin = await backend.as('winner-0001', 'api', {
    action: 'lottery.spin',
    requestId: 'spin-winner-0001',
  });
  await backend.as('winner-0001', 'api', {
    action: 'voucher.setAddress',
    couponId: spin.coupon.id,
    address: {
      userName: '李四',
      telNumber: '13900139000',
      provinceName: '浙江省',
      cityName: '杭州市',
      countyName: '西湖区',
      detailInfo: '文三路 90 号',
    },
  });

  backend.actAs('demo-admin');
  const page = await open('admin/pages/winners/index');
  expect(texts(page, 'wnr-tab')).toEqual(['定制保温杯', '帆布袋']);
  await tap(page.querySelectorAll('.wnr-tab')[1]);
  await until(() => !!page.querySelector('.wnr-winner'), 'the winners');
  expect(text(page, '.wnr-address__who')).toBe('李四 13900139000');
  expect(text(page, '.wnr-address__where')).toBe('浙江省杭州市西湖区文三路 90 号');
  expect(texts(page, 'badge')).toContain('待发货');

  jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: true, cancel: false } as never);
  await tap(page.querySelector('.wnr-winner__send'));
  await until(() => !page.querySelector('.wnr-winner__send'), 'sent');
  expect(texts(page, 'badge')).toContain('已寄出');

  backend.actAs('demo-staff');
  const staff = await open('admin/pages/winners/index');
  expect(text(staff, '.admin-refusal__title')).toBe('中奖名单由活动负责人管理');
});
