/** @jest-environment jsdom */
/**
 * What visitors see of the operator studio (issue 9), against the real backend: the 活动规则
 * page from the live config, a paused campaign's closed state on the landing, wheel and black
 * card pages, share copy that follows what makes an invite count (and is gone when nothing can),
 * and the 管理 entry that only admins see.
 */
import { CAMPAIGN_CACHE_TTL_MS } from '../../../cloudfunctions/_shared/limits';
import { usePageBackend } from '../support/backend';
import { usePages } from '../support/pages';
import { findIn, flushMicrotasks, tap, textOf } from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const open = usePages();
const backend = usePageBackend();

const OWNER = 'demo-admin';
const HOUR = 3600 * 1000;

/** An operator's change, as visitors' containers see it once their cache has turned. */
async function operator(event: Record<string, unknown>): Promise<void> {
  await backend.as(OWNER, 'admin', event);
  await backend.emulator.advanceClock(CAMPAIGN_CACHE_TTL_MS);
}

async function editConfig(edit: (config: Record<string, any>) => void): Promise<void> {
  const { config } = await backend.as(OWNER, 'admin', { action: 'campaign.get' });
  edit(config);
  await operator({ action: 'campaign.put', config });
}

const closeClaimWindow = (whenClaimClosed: 'spin' | 'none') =>
  editConfig((config) => {
    config.magnet.claimWindow.endAt = new Date(Date.parse(config.startAt) + HOUR).toISOString();
    config.invite.whenClaimClosed = whenClaimClosed;
  });

describe('活动规则', () => {
  it('lists every prize with its odds and stock, the coupons, the invite rules and the organiser', async () => {
    const page = await open('pages/rules/index');
    const prizes = findIn(page, 'rl-prize').map((row) =>
      findIn(row, 'rl-col').map((cell) => textOf(cell)),
    );
    expect(prizes).toHaveLength(8);
    expect(prizes[0]).toEqual(['定制保温杯', '实物', '0.44%', '20 份']);
    expect(prizes[7]).toEqual(['谢谢参与', '—', '26.20%', '不限量']);
    const text = textOf(page);
    expect(text).toContain('消费满 50 元可用，立减 10 元');
    expect(text).toContain('领取后 14 天内有效');
    expect(text).toContain('福利领取截止后，以好友首次抽奖为准');
    expect(text).toContain('主办方：山野茶事（演示门店）');
    expect(text).toContain('联系方式：店长微信 shanye-tea · 电话 021-5555 0188');
    expect(text).toContain('每月一杯免费');
  });

  it('is reached from the landing, the wheel and the black card', async () => {
    const navigate = jest.spyOn(wx, 'navigateTo');
    const landing = await open('pages/landing/index');
    await tap(landing.querySelector('.landing-link--rules'));
    const wheel = await open('pages/wheel/index');
    await tap(wheel.querySelector('.wheel-link--rules'));
    const card = await open('pages/blackcard/index');
    await tap(card.querySelector('.bc-link'));
    expect(navigate.mock.calls.map(([o]) => (o as { url: string }).url)).toEqual([
      '/pages/rules/index',
      '/pages/rules/index',
      '/pages/rules/index',
    ]);
  });
});

describe('a paused campaign', () => {
  it('shows a friendly closed state on the landing, the wheel and the black card', async () => {
    await backend.as('visitor', 'api', { action: 'session.enter' });
    await operator({ action: 'campaign.setStatus', id: 'demo-opening', status: 'paused' });

    const landing = await open('pages/landing/index');
    expect(landing.data.state).toBe('inactive');
    expect(textOf(landing)).toContain('活动暂停中');
    expect(textOf(landing)).toContain('活动暂时暂停，请稍后再来');
    expect(textOf(landing)).not.toContain('立即免费领取');

    const wheel = await open('pages/wheel/index');
    expect(wheel.data.state).toBe('inactive');
    expect(textOf(wheel)).toContain('活动暂停中，请稍后再来');

    const card = await open('pages/blackcard/index');
    expect(textOf(card)).toContain('活动暂停中，请稍后再来');
  });

  it('comes back when the operator resumes it', async () => {
    await operator({ action: 'campaign.setStatus', id: 'demo-opening', status: 'paused' });
    const landing = await open('pages/landing/index');
    expect(landing.data.state).toBe('inactive');
    await operator({ action: 'campaign.setStatus', id: 'demo-opening', status: 'live' });
    await landing.instance.onShow();
    await flushMicrotasks();
    expect(landing.data.state).toBe('ready');
    expect(textOf(landing)).toContain('立即免费领取');
  });
});

describe('sharing asks only for what can count', () => {
  it('says a friend counts at the claim while the gift can be claimed', async () => {
    const landing = await open('pages/landing/index');
    expect(textOf(landing.querySelector('.landing-share'))).toContain(
      '好友通过你分享的卡片领取福利后',
    );
  });

  it('says a friend counts at their first spin once the claim window closed', async () => {
    await closeClaimWindow('spin');
    const landing = await open('pages/landing/index');
    expect(textOf(landing.querySelector('.landing-share'))).toContain('完成首次抽奖后');
    const wheel = await open('pages/wheel/index');
    expect(textOf(wheel.querySelector('.wheel-invite'))).toContain('完成首次抽奖后');
    const card = await open('pages/blackcard/index');
    expect(textOf(card.querySelector('.bc-progress__rule'))).toBe(
      '好友通过你分享的卡片进入，并完成首次抽奖后，计为 1 位有效邀请。',
    );
  });

  it('stops asking when no invite can count any more', async () => {
    await closeClaimWindow('none');
    const landing = await open('pages/landing/index');
    expect(landing.querySelector('.landing-share')).toBeUndefined();
    const wheel = await open('pages/wheel/index');
    expect(wheel.querySelector('.wheel-invite')).toBeUndefined();
    const card = await open('pages/blackcard/index');
    expect(card.querySelector('.bc-share')).toBeUndefined();
    expect(textOf(card.querySelector('.bc-progress__rule'))).toBe(
      '本期活动已不再认定新的邀请，感谢你的分享。',
    );
  });
});

describe('the 管理 entry', () => {
  it('shows to admins only, and leads to the dashboard', async () => {
    const visitor = await open('pages/landing/index');
    expect(visitor.querySelector('.landing-link--admin')).toBeUndefined();
    expect(JSON.stringify(backend.calls)).not.toContain('"role"');

    backend.actAs(OWNER);
    const navigate = jest.spyOn(wx, 'navigateTo');
    const owner = await open('pages/landing/index');
    await tap(owner.querySelector('.landing-link--admin'));
    expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.dashboard }));
  });
});
