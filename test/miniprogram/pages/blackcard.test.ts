/** @jest-environment jsdom */
/**
 * The black card page against the real backend: a new inviter sees a locked 0/3 card; three
 * friends who arrive with the inviter's code and claim the gift unlock it.
 */
import { formatDate } from '../../../miniprogram/utils/format';
import { usePageBackend } from '../support/backend';
import { text, texts, usePages, type Page } from '../support/pages';
import { attrOf, classesOf, tap, textOf } from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const open = usePages();
const backend = usePageBackend();

const openBlackCard = (query: Record<string, string> = {}) => open('pages/blackcard/index', query);

/** The `1/3` of the invite-slots component (read from the rendered tree: it is its own tree). */
const progressOf = (page: Page) => texts(page, 'invite-slots__progress').join();

/** A friend who opens the inviter's shared card and claims the gift (the qualifying action). */
async function friendArrives(friend: string, inviteCode: string, claim = true) {
  await backend.as(friend, 'api', { action: 'session.enter', inviteCode, channel: 'share' });
  if (claim)
    await backend.as(friend, 'api', { action: 'magnet.claim', requestId: `claim-${friend}` });
}

const FRIENDS = ['oFriendAlpha0001', 'oFriendBravo0002', 'oFriendCharlie03'];

test('a new inviter sees a locked card at 0/3, with the rights still to unlock', async () => {
  backend.actAs('inviter-new');
  const page = await openBlackCard();

  expect(progressOf(page)).toBe('0/3');
  const card = page.querySelector('.bc-card');
  expect(classesOf(card)).toContain('bc-card--locked');
  expect(classesOf(card)).not.toContain('bc-card--unlocked');
  expect(text(page, '.bc-card__title')).toBe('黑卡会员');
  expect(text(page, '.bc-card__brand')).toBe('山野茶事');
  expect(text(page, '.bc-card__hint')).toBe('再邀请 3 位好友解锁');
  expect(page.querySelector('.bc-card__unlocked')).toBeUndefined();
  // the rights of the current campaign, marked as locked
  expect(texts(page, 'bc-right__title')).toEqual([
    '每月一杯免费',
    '生日买一送一',
    '新品优先试饮',
    '会员免排队',
  ]);
  expect(texts(page, 'bc-right__badge')).toEqual(['待解锁', '待解锁', '待解锁', '待解锁']);
  expect(text(page, '.bc-invitees__empty')).toContain('还没有好友接受邀请');
  expect(page.querySelector('.bc-activate')).toBeUndefined();
  // the share button is WeChat's share, and its copy rewards the friend's claim, not the share
  const share = page.querySelector('.bc-share');
  expect(attrOf(share, 'open-type')).toBe('share');
  expect(text(page, '.bc-progress__rule')).toContain('领取新人福利后');
});

test('three friends who claim unlock the card; the invitees are masked; the group is next', async () => {
  // the inviter arrived through someone else's card: their own shares must carry their own code
  const mentor = await backend.as('mentor', 'api', { action: 'session.enter' });
  backend.actAs('inviter');
  const page = await openBlackCard({ inv: mentor.inviteCode, ch: 'share' });
  const myCode: string = (await backend.as('inviter', 'api', { action: 'session.enter' }))
    .inviteCode;
  expect(myCode).not.toBe(mentor.inviteCode);
  expect(text(page, '.bc-card__no')).toBe(`NO. ${myCode}`);

  // two claim, one only opened the card so far
  await friendArrives(FRIENDS[0], myCode);
  await friendArrives(FRIENDS[1], myCode);
  await friendArrives(FRIENDS[2], myCode, false);
  await page.instance.onShow();
  expect(progressOf(page)).toBe('2/3');
  expect(text(page, '.bc-card__hint')).toBe('再邀请 1 位好友解锁');
  expect(texts(page, 'bc-invitee__status').sort()).toEqual(['已完成', '已完成', '待领取'].sort());

  await backend.as(FRIENDS[2], 'api', { action: 'magnet.claim', requestId: `claim-${FRIENDS[2]}` });
  const reloaded = await openBlackCard();

  expect(progressOf(reloaded)).toBe('3/3');
  const card = reloaded.querySelector('.bc-card');
  expect(classesOf(card)).toContain('bc-card--unlocked');
  expect(classesOf(card)).not.toContain('blackcard--locked');
  expect(text(reloaded, '.bc-card__unlocked')).toBe('已解锁');
  const { unlockedAt } = await backend.as('inviter', 'api', { action: 'blackcard.get' });
  expect(text(reloaded, '.bc-card__date')).toBe(`${formatDate(unlockedAt)} 解锁`);
  expect(reloaded.querySelector('.bc-card__hint')).toBeUndefined();

  expect(texts(reloaded, 'bc-right__title')).toHaveLength(4);
  expect(texts(reloaded, 'bc-right__badge')).toEqual(['待激活', '待激活', '待激活', '待激活']);

  const labels = texts(reloaded, 'bc-invitee__label');
  expect(labels).toHaveLength(3);
  for (const label of labels) expect(label).toMatch(/^微信用户 \S+…\S+$/);
  expect(texts(reloaded, 'bc-invitee__status')).toEqual(['已完成', '已完成', '已完成']);
  const everything = textOf(reloaded);
  for (const friend of FRIENDS) expect(everything).not.toContain(friend);

  expect(text(reloaded, '.bc-activate__title')).toBe('加入会员群即可激活权益');
  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(reloaded.querySelector('.bc-activate__btn'));
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.group }));

  // sharing carries the inviter's own code on the share channel, never the mentor's
  const share = reloaded.instance.onShareAppMessage();
  expect(share.path).toBe(`${ROUTES.landing}?inv=${myCode}&ch=share`);
  expect(share.title).toEqual(expect.any(String));
  expect(reloaded.instance.onShareTimeline().query).toBe(`inv=${myCode}&ch=share`);
});

test('after joining the group the rights read as active', async () => {
  backend.actAs('member');
  const { inviteCode } = await backend.as('member', 'api', { action: 'session.enter' });
  await backend.as('member', 'api', { action: 'magnet.claim', requestId: 'claim-member' });
  for (const friend of FRIENDS) await friendArrives(friend, inviteCode);
  await backend.as('member', 'api', { action: 'group.get' });
  await backend.as('member', 'api', { action: 'group.confirmJoined' });

  const page = await openBlackCard();
  // active: the member code card says so (Rewards, issue 12)
  expect(text(page, '.bc-code__badge')).toBe('权益已激活');
  expect(page.querySelector('.bc-activate__btn')).toBeUndefined();
  expect(texts(page, 'bc-right__badge')).toEqual(['已激活', '已激活', '已激活', '已激活']);
});

test('a backend failure shows a message and a retry that recovers', async () => {
  backend.actAs('unlucky');
  backend.emulator.faults.failureRate = 1;
  // the function logs the injected fault with its request id; the visitor sees none of it
  const page = await openBlackCard();
  expect(backend.emulator.functionLogs.some((l) => l.level === 'error')).toBe(true);
  expect(text(page, '.bc-state__text')).toBe('服务开小差了，请稍后再试');
  expect(page.querySelector('.bc-card')).toBeUndefined();
  expect(textOf(page)).not.toContain('injected');

  backend.emulator.faults.failureRate = 0;
  await page.instance.onRetry();
  expect(progressOf(page)).toBe('0/3');
});
