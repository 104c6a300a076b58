/** @jest-environment jsdom */
/**
 * The black card's rewards against the real backend (Rewards, issue 12): the member code staff
 * scan, refreshed before it expires; each right's quota and what is left; the invite ladder; and
 * the reminder ask that opens WeChat's sheet and records what the user accepted.
 */
import { usePageBackend } from '../support/backend';
import { texts, usePages, type Page } from '../support/pages';
import { tap, textOf, until } from '../support/simulate';

const open = usePages();
const backend = usePageBackend({ fakeTimers: true });

const openBlackCard = () => open('pages/blackcard/index');

/** The member code, once the page has it. */
async function codeShown(page: Page): Promise<string> {
  await until(() => memberCodeOf(page) !== '', 'the member code');
  return memberCodeOf(page);
}

async function settle(): Promise<void> {
  for (let turn = 0; turn < 50; turn++) await new Promise((resolve) => setImmediate(resolve));
}

const codeCalls = () => backend.calls.filter((c) => c.data.action === 'member.code').length;
const memberCodeOf = (page: Page) => String(page.querySelector('.bc-code__qr')?.data.text ?? '');

/** A member: three friends claimed, the group joined. */
async function member(openid: string, friends = 3): Promise<string> {
  const { inviteCode } = await backend.as(openid, 'api', { action: 'session.enter' });
  await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  for (let i = 0; i < friends; i++) {
    const friend = `${openid}-friend-${i}`;
    await backend.as(friend, 'api', { action: 'session.enter', inviteCode, channel: 'share' });
    await backend.as(friend, 'api', { action: 'magnet.claim', requestId: `claim-${friend}` });
  }
  if (friends >= 3) {
    await backend.as(openid, 'api', { action: 'group.get' });
    await backend.as(openid, 'api', { action: 'group.confirmJoined' });
  }
  return inviteCode;
}

test('an active member shows a member code staff can scan, refreshed every minute', async () => {
  await member('member');
  backend.actAs('member');
  const page = await openBlackCard();

  expect(textOf(page.querySelector('.bc-code__title'))).toBe('会员码');
  const first = await codeShown(page);
  expect(first.startsWith('M.')).toBe(true);
  expect(textOf(page.querySelector('.bc-code__note'))).toBe('会员码每分钟自动刷新，截图无效');

  // staff scanning it see the member's rights
  const seen = await backend.as('demo-staff', 'admin', { action: 'member.lookup', code: first });
  expect(seen.member.active).toBe(true);

  jest.advanceTimersByTime(50_000);
  await until(() => memberCodeOf(page) !== first, 'a new member code');
  expect(codeCalls()).toBe(2);

  // hidden: no refresh; gone: none either
  page.instance.onHide();
  jest.advanceTimersByTime(300_000);
  await settle();
  expect(codeCalls()).toBe(2);
  page.detach();
  jest.advanceTimersByTime(300_000);
  await settle();
  expect(codeCalls()).toBe(2);
});

test('each right says its quota, and what is left once a use was redeemed', async () => {
  await member('member');
  backend.actAs('member');
  const code = await codeShown(await openBlackCard());
  const { ticket } = await backend.as('demo-staff', 'admin', { action: 'member.lookup', code });
  await backend.as('demo-staff', 'admin', {
    action: 'member.useRight',
    ticket,
    rightId: 'monthly-drink',
    requestId: 'use-monthly-drink-1',
  });
  const page = await openBlackCard();
  expect(texts(page, 'bc-right__usage')).toEqual([
    '每月 1 次 · 本月已用完',
    '每年 1 次 · 今年剩 1 次',
    '不限次数',
    '不限次数',
  ]);
});

test('a card still locked shows no member code, and the ladder with where the visitor stands', async () => {
  await member('inviter', 2);
  backend.actAs('inviter');
  const page = await openBlackCard();
  expect(page.querySelector('.bc-code')).toBeUndefined();
  expect(codeCalls()).toBe(0);
  expect(textOf(page.querySelector('.bc-ladder'))).toContain('已邀请 2 位');
  expect(texts(page, 'bc-step__title')).toEqual(['解锁黑卡', '帆布袋']);
  expect(texts(page, 'bc-step__state')).toEqual(['还差 1 位', '还差 3 位']);
});

test('the reminder ask opens WeChat’s sheet from the tap and records what was accepted', async () => {
  backend.actAs('inviter');
  const { templates } = await backend.as('x', 'api', { action: 'reminders.get' });
  const id = (event: string) =>
    templates.find((t: { event: string }) => t.event === event).templateId;
  const sheet = jest.spyOn(wx, 'requestSubscribeMessage').mockResolvedValue({
    errMsg: 'requestSubscribeMessage:ok',
    [id('inviteProgress')]: 'accept',
    [id('unlockNear')]: 'reject',
    [id('rightsChanged')]: 'accept',
  } as never);
  const page = await openBlackCard();
  await until(() => !!page.querySelector('.bc-remind'), 'the reminder ask');
  expect(textOf(page.querySelector('.bc-remind__text'))).toBe(
    '开启提醒：好友领取福利、黑卡解锁时通知我',
  );

  await tap(page.querySelector('.bc-remind'));
  await until(() => page.data.remindersOn === true, 'reminders on');
  expect(sheet).toHaveBeenCalledWith({
    tmplIds: [id('inviteProgress'), id('unlockNear'), id('rightsChanged')],
  });
  const saved = backend.emulator.store.get('subscriptions', 'inviter');
  expect(saved?.counts).toEqual({ [id('inviteProgress')]: 1, [id('rightsChanged')]: 1 });
  expect(textOf(page.querySelector('.bc-remind__text'))).toBe(
    '已开启提醒：好友领取、黑卡解锁时通知你',
  );
});
