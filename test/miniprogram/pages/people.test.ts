/** @jest-environment jsdom */
/**
 * What members see of the People console (issue 13): a leader's community page (团长中心), the
 * public leaderboard, and the black card's way to both.
 */
import { usePageBackend } from '../support/backend';
import { usePages } from '../support/pages';
import { findIn, tap, textOf } from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const open = usePages();
const backend = usePageBackend();

const OWNER = 'demo-admin';

async function visit(openid: string, params: Record<string, unknown> = {}) {
  const session = await backend.as(openid, 'api', { action: 'session.enter', ...params });
  await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
  return session.inviteCode as string;
}

test('团长中心 shows a leader what their tree brought and the way up the ladder', async () => {
  const leader = await visit('oid-leader');
  await backend.as(OWNER, 'admin', { action: 'users.promote', userRef: leader, level: 1 });
  const friend = await visit('oid-friend', { inviteCode: leader });
  await visit('oid-friend-of-friend', { inviteCode: friend });

  backend.actAs('oid-leader');
  const card = await open('pages/blackcard/index');
  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(card.querySelector('.bc-more__leader'));
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.leader }));

  const page = await open('pages/leader/index');
  expect(textOf(page.querySelector('.ldr-hero__title'))).toBe('小当家');
  expect(findIn(page, 'ldr-figure__total').map((n) => textOf(n))).toEqual(['2', '2', '0']);
  expect(textOf(page.querySelector('.ldr-week--members'))).toBe('成员本周 2 · 上周 0比上周多 2');
  // the demo's ladder: 10 members who claimed for the first step
  expect(textOf(page.querySelector('.ldr-ladder__next'))).toBe(
    '再有 8 位成员领取福利，升级「铜牌当家」',
  );
  expect(findIn(page, 'ldr-step')).toHaveLength(3);
});

test('团长中心 tells a member who is no leader that it is for leaders', async () => {
  await visit('oid-member');
  backend.actAs('oid-member');
  const card = await open('pages/blackcard/index');
  expect(card.querySelector('.bc-more__leader')).toBeUndefined();
  const page = await open('pages/leader/index');
  expect(textOf(page.querySelector('.ldr-state__text'))).toBe('团长中心仅对小当家、大当家开放');
});

test('邀请排行榜 masks names and marks the visitor’s own row', async () => {
  const top = await visit('oid-top');
  const me = await visit('oid-me');
  for (const [friend, code] of [
    ['oid-top-1', top],
    ['oid-top-2', top],
    ['oid-me-1', me],
  ]) {
    await visit(friend, { inviteCode: code });
  }
  backend.actAs('oid-me');
  const card = await open('pages/blackcard/index');
  expect(card.querySelector('.bc-more__board')).toBeDefined();
  const page = await open('pages/leaderboard/index');
  expect(findIn(page, 'lbd-entry').map((n) => textOf(n))).toEqual([
    `1会员 ${top.slice(0, 2)}**2 位好友`,
    '2我1 位好友',
  ]);
  expect(findIn(page, 'lbd-entry--me')).toHaveLength(1);
});
