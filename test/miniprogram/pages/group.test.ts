/** @jest-environment jsdom */
/**
 * The group page against the real backend: the QR of the group the server hands out, "我已入群",
 * and what a visitor sees when they may not have a group yet or when the pool is exhausted.
 */
import { formatDateTime } from '../../../miniprogram/utils/format';
import { usePageBackend } from '../support/backend';
import { text, usePages } from '../support/pages';
import { attrOf, tap, textOf, until } from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const open = usePages();
const backend = usePageBackend();

const openGroupPage = (query: Record<string, string> = {}) => open('pages/group/index', query);

async function claimedVisitor(openid: string) {
  await backend.as(openid, 'api', { action: 'session.enter', channel: 'poster' });
  await backend.as(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` });
}

/** The stored file behind a temporary URL of the emulated storage. */
function storedFileOf(url: string) {
  const marker = '/__emulator/files/';
  const at = url.indexOf(marker);
  if (at < 0) return Promise.resolve(null);
  return backend.emulator.sdk.readStoredFile(decodeURIComponent(url.slice(at + marker.length)));
}

test('a visitor who claimed sees the QR of the group handed out, and records joining', async () => {
  await claimedVisitor('member-0001');
  backend.actAs('member-0001');
  const page = await openGroupPage();

  // the same group the server now holds for this visitor (hand-outs are sticky)
  const handed = await backend.as('member-0001', 'api', { action: 'group.get' });
  expect(handed.name).toBe('福利群 1 群');
  expect(text(page, '.grp__name')).toBe('福利群 1 群');
  const image = page.querySelector('.grp__qr');
  const src = String(attrOf(image, 'src'));
  expect(src).toBe(handed.qrUrl);
  expect(src).toMatch(/^http:\/\/127\.0\.0\.1:8787\/__emulator\/files\/groups\//);
  expect(String(await storedFileOf(src))).toContain('<svg');
  expect(attrOf(image, 'mode')).toBe('aspectFit');
  expect(attrOf(image, 'show-menu-by-longpress')).toBe(true);
  expect(text(page, '.grp__hint')).toBe('长按识别二维码加入群聊');
  expect(text(page, '.grp__expiry')).toBe(`二维码有效期至 ${formatDateTime(handed.expiresAt)}`);

  // two quick taps record one confirmation
  const button = page.querySelector('.grp-confirm__btn');
  expect(textOf(button)).toBe('我已入群');
  button?.dispatchEvent('tap');
  await tap(button);
  await until(() => !!page.querySelector('.grp-confirm__joined'), 'the joined state');
  // the time the server recorded (asking again answers the same instant, and records nothing)
  const { joinedAt } = await backend.as('member-0001', 'api', { action: 'group.confirmJoined' });
  expect(text(page, '.grp-confirm__joined')).toBe(`${formatDateTime(joinedAt)} 已确认入群`);
  expect(backend.calls.filter((c) => c.data.action === 'group.confirmJoined')).toHaveLength(1);
  const card = await backend.as('member-0001', 'api', { action: 'blackcard.get' });
  expect(card.joinedGroup).toBe(true);

  // coming back later: still the same group, already confirmed
  const again = await openGroupPage();
  expect(text(again, '.grp__name')).toBe('福利群 1 群');
  expect(text(again, '.grp-confirm__joined')).toBe('你已确认入群');
  expect(textOf(again)).not.toContain('我已入群');
  // the card is still locked: joining activates its rights once it unlocks
  expect(text(again, '.grp-confirm__btn')).toBe('去解锁黑卡');
});

test('a visitor who has not claimed the gift is told why, with the way to the gift', async () => {
  backend.actAs('newcomer-0001');
  const page = await openGroupPage();
  expect(page.querySelector('.grp__qr')).toBeUndefined();
  expect(text(page, '.grp-blocked__title')).toBe('先领取新人福利');
  expect(text(page, '.grp-blocked__text')).toBe('领取福利后即可加入福利群');

  const redirect = jest.spyOn(wx, 'redirectTo');
  await tap(page.querySelector('.grp-blocked__btn'));
  expect(redirect).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.landing }));
  // nobody was handed a group
  const stats = await backend.as('demo-admin', 'admin', { action: 'stats.overview' });
  expect(stats.groups.map((g: { handedOut: number }) => g.handedOut)).toEqual([0, 0, 0]);
});

test('with every group retired, the fallback contact is shown', async () => {
  const { data: groups } = await backend.emulator.sdk.database().collection('groups').get();
  for (const group of groups as Array<Record<string, any>>) {
    await backend.as('demo-admin', 'admin', {
      action: 'groups.upsert',
      id: group._id,
      name: group.name,
      qrUrl: group.qrUrl,
      expiresAt: new Date(group.expiresAt).toISOString(),
      active: false,
    });
  }
  await claimedVisitor('late-comer-01');
  backend.actAs('late-comer-01');
  const page = await openGroupPage();

  expect(text(page, '.grp__eyebrow')).toBe('群暂时满员');
  expect(text(page, '.grp__name')).toBe('添加店长微信');
  // the stored contact QR, as a temporary URL the phone can load
  expect(attrOf(page.querySelector('.grp__qr'), 'src')).toMatch(/^http.*\/demo\/contact-qr\.svg$/);
  expect(text(page, '.grp__note')).toBe('会员群暂时满员，添加店长微信，稍后拉你进群');
  expect(page.querySelector('.grp-confirm__btn')).toBeUndefined();
});

test('when groups are for black-card members only, a locked card leads to the black card', async () => {
  const { config } = await backend.as('demo-admin', 'admin', { action: 'campaign.get' });
  config.groups.after = 'blackcard';
  await backend.as('demo-admin', 'admin', { action: 'campaign.put', config });
  await backend.emulator.advanceClock(60_000); // past the functions' campaign cache

  await claimedVisitor('member-0002');
  backend.actAs('member-0002');
  const page = await openGroupPage();
  expect(text(page, '.grp-blocked__title')).toBe('先解锁黑卡');
  expect(text(page, '.grp-blocked__text')).toContain('解锁黑卡后即可入群');

  const redirect = jest.spyOn(wx, 'redirectTo');
  await tap(page.querySelector('.grp-blocked__btn'));
  expect(redirect).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.blackcard }));
});
