/** @jest-environment jsdom */
/**
 * Distribution (issue 10) on the visitor's pages, against the real backend: who invited you (the
 * inviter's nickname and avatar on the friend's landing), the profile card after the claim (a
 * nickname WeChat's content check refuses is refused), the page opened from Moments (scene 1154:
 * no cloud call, no error), the inviter's poster drawn and saved to the album (and the permission
 * denied → 去设置 path), and the wheel's recent wins and scarce prizes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAMPAIGN_CACHE_TTL_MS } from '../../../cloudfunctions/_shared/limits';
import { MOMENTS_SNAPSHOT_PATH } from '../../../cloudfunctions/_shared/moments';
import { decodeQrPng } from '../../support/qr';
import { usePageBackend } from '../support/backend';
import { text, texts, usePages, type Page } from '../support/pages';
import {
  attrOf,
  canvasOf,
  findIn,
  flushMicrotasks,
  setApp,
  tap,
  textOf,
  until,
  type FakeImage,
  type SimNode,
} from '../support/simulate';

let opened: Page[] = [];
let scratch: string;
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'growth-kit-distribution-'));
});
afterEach(() => {
  opened.forEach((page) => page.detach());
  opened = [];
  rmSync(scratch, { recursive: true, force: true });
});
const open = usePages();
const backend = usePageBackend();

const actions = () => backend.calls.map((c) => c.data.action);

/** A picture in a temporary file, as WeChat's avatar button hands one over. */
function pictureFile(name: string): string {
  const path = join(scratch, name);
  writeFileSync(path, Buffer.from('89504e470d0a1a0a', 'hex'));
  return path;
}

async function claimOnLanding(page: Page): Promise<void> {
  await tap(page.querySelector('.landing-claim'));
  await until(() => !!page.querySelector('.landing-reward'), 'the reward');
}

describe('who invited you', () => {
  it('asks for an avatar and nickname after the claim, and the friend’s landing shows them', async () => {
    backend.actAs('inviter-lin');
    const landing = await open('pages/landing/index');
    // never before the claim: the profile is not a gate
    expect(landing.querySelector('.landing-profile')).toBeUndefined();
    await claimOnLanding(landing);
    await until(() => !!landing.querySelector('.landing-profile'), 'the profile card');
    expect(text(landing, '.landing-profile .card__title')).toBe('让好友知道是你邀请的');
    const avatarButton = landing.querySelector('.landing-profile__avatar');
    expect(attrOf(avatarButton, 'open-type')).toBe('chooseAvatar');
    expect(attrOf(landing.querySelector('.landing-profile__nickname'), 'type')).toBe('nickname');

    avatarButton?.dispatchEvent('chooseavatar', {
      detail: { avatarUrl: pictureFile('chosen.png') },
    });
    landing
      .querySelector('.landing-profile__nickname')
      ?.dispatchEvent('input', { detail: { value: '林小满' } });
    await flushMicrotasks();
    await tap(landing.querySelector('.landing-profile__save'));
    await until(() => !landing.querySelector('.landing-profile'), 'the card to close');
    const update = backend.calls.find((c) => c.data.action === 'profile.update');
    expect(update?.data).toMatchObject({ nickname: '林小满' });
    expect(String(update?.data.avatarFileId)).toMatch(/^cloud:\/\/.+\/avatars\/.+\.png$/);

    // a friend opens the inviter's link
    const { inviteCode } = await backend.as('inviter-lin', 'api', { action: 'session.enter' });
    backend.actAs('friend-qing');
    const friend = await open('pages/landing/index', { inv: inviteCode, ch: 'share' });
    expect(text(friend, '.landing-invite__text')).toBe(
      '林小满 邀请你来领福利，领取后 TA 也能得到奖励',
    );
    const avatar = attrOf(friend.querySelector('.landing-invite__avatar'), 'src');
    expect(avatar).toMatch(/\/__emulator\/files\/avatars\/.+\.png$/);
  });

  it('refuses a nickname WeChat’s content check refuses, beside the field, storing nothing', async () => {
    backend.emulator.sdk.setSecCheckWord('违禁词');
    backend.actAs('inviter-x');
    const landing = await open('pages/landing/index');
    await claimOnLanding(landing);
    await until(() => !!landing.querySelector('.landing-profile'), 'the profile card');
    landing
      .querySelector('.landing-profile__nickname')
      ?.dispatchEvent('input', { detail: { value: '我是违禁词' } });
    await flushMicrotasks();
    await tap(landing.querySelector('.landing-profile__save'));
    await until(() => !!landing.querySelector('.landing-profile__error'), 'the refusal');
    expect(text(landing, '.landing-profile__error')).toBe('这个昵称无法使用，请换一个');
    expect(landing.querySelector('.landing-profile')).toBeDefined();
    const session = await backend.as('inviter-x', 'api', { action: 'session.enter' });
    expect(session.profile.nickname).toBeNull();
  });

  it('lets the visitor skip the card (以后再说), and does not ask again', async () => {
    // the phone's storage (simulate's is a stand-in that keeps nothing)
    const stored = new Map<string, unknown>();
    jest
      .spyOn(wx, 'setStorageSync')
      .mockImplementation((key, value) => void stored.set(key, value));
    jest.spyOn(wx, 'getStorageSync').mockImplementation((key) => stored.get(key) ?? '');
    backend.actAs('skipper');
    const landing = await open('pages/landing/index');
    await claimOnLanding(landing);
    await until(() => !!landing.querySelector('.landing-profile'), 'the profile card');
    await tap(landing.querySelector('.landing-profile__later'));
    expect(landing.querySelector('.landing-profile')).toBeUndefined();
    backend.actAs('skipper'); // the next launch, on the same phone
    const again = await open('pages/landing/index');
    await until(() => !!again.querySelector('.landing-reward'), 'the reward');
    expect(again.querySelector('.landing-profile')).toBeUndefined();
    expect(stored.get('profile-skipped')).toBe(true);
  });
});

describe('opened from Moments (single-page mode, scene 1154)', () => {
  const SNAPSHOT_URL = 'https://6c6f-local-1250000000.tcb.qcloud.la/public/moments.json';

  /** Single-page mode: scene 1154; wx.request reads the emulator's storage; cloud calls recorded. */
  function singlePageMode(snapshotUrl: string) {
    jest.spyOn(wx, 'getEnterOptionsSync').mockReturnValue({
      scene: 1154,
      path: 'pages/landing/index',
      query: {},
    } as never);
    setApp({ env: '', momentsSnapshotUrl: snapshotUrl });
    const cloud = (wx as unknown as { cloud: Record<string, jest.Mock | unknown> }).cloud;
    const cloudCalls = Object.keys(cloud).map((name) => jest.spyOn(cloud as never, name as never));
    const request = jest.spyOn(wx, 'request').mockImplementation((options) => {
      const path = String(options.url).replace(/^https:\/\/[^/]+\//, '');
      void backend.emulator.sdk.readStoredFile(path).then((bytes) => {
        if (bytes) {
          options.success?.({
            statusCode: 200,
            data: JSON.parse(bytes.toString('utf8')),
            header: {},
            cookies: [],
            errMsg: 'request:ok',
          } as never);
        } else {
          options.success?.({
            statusCode: 404,
            data: '',
            header: {},
            cookies: [],
            errMsg: 'request:ok',
          } as never);
        }
      });
      return {} as WechatMiniprogram.RequestTask;
    });
    const errors = jest.spyOn(console, 'error');
    return { cloudCalls, request, errors };
  }

  it('shows the offer from the public snapshot, makes no cloud call and no error', async () => {
    // three people claimed; cron publishes the snapshot with the count
    for (const who of ['a', 'b', 'c']) {
      await backend.as(who, 'api', { action: 'session.enter' });
      await backend.as(who, 'api', { action: 'magnet.claim', requestId: `claim-${who}-0001` });
    }
    await backend.emulator.invoke(
      'cron',
      { Type: 'Timer', TriggerName: 'hourly', Time: new Date().toISOString() },
      { openid: '', source: 'wx_trigger' },
    );
    backend.actAs('from-moments');
    backend.calls.length = 0;
    const { cloudCalls, request, errors } = singlePageMode(SNAPSHOT_URL);

    const page = await open('pages/landing/index', { inv: 'ABCDEFGH', ch: 'share' });
    await until(() => text(page, '.landing-hero__title') !== '', 'the snapshot');

    expect(request).toHaveBeenCalledWith(expect.objectContaining({ url: SNAPSHOT_URL }));
    const snapshot = JSON.parse(
      String(await backend.emulator.sdk.readStoredFile(MOMENTS_SNAPSHOT_PATH)),
    );
    expect(text(page, '.landing-hero__title')).toBe(snapshot.title);
    expect(text(page, '.landing-magnet__title')).toBe(snapshot.magnet.title);
    expect(texts(page, 'landing-gift__value')).toEqual(['5元无门槛', '资料包']);
    expect(text(page, '.landing-moments__title')).toBe('前往小程序参与');
    expect(text(page, '.landing-proof')).toBe('已有 3 人领取');
    expect(text(page, '.landing-deadline')).toMatch(/^领取截止 \d\d-\d\d \d\d:\d\d$/);
    // nothing that needs a login, a page or an open-type: all disabled in single-page mode
    expect(page.querySelector('.landing-claim')).toBeUndefined();
    expect(page.querySelector('.landing-entries')).toBeUndefined();
    expect(page.querySelector('.landing-share')).toBeUndefined();
    expect(findIn(page, 'countdown')).toEqual([]);
    page.instance.onShow();
    await flushMicrotasks();
    expect(backend.calls).toEqual([]);
    for (const call of cloudCalls) expect(call).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
  });

  it('still shows an offer and the way in without a snapshot address', async () => {
    backend.actAs('from-moments');
    backend.calls.length = 0;
    const { request, errors } = singlePageMode('');
    const page = await open('pages/landing/index');
    await until(() => text(page, '.landing-moments__title') !== '', 'the page');
    expect(text(page, '.landing-magnet__title')).toBe('新人福利免费领');
    expect(text(page, '.landing-moments__title')).toBe('前往小程序参与');
    expect(request).not.toHaveBeenCalled();
    expect(backend.calls).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
  });
});

describe('the inviter’s poster', () => {
  /** The saved poster's path, and what the album answered. */
  function album(refusals = 0) {
    let refused = 0;
    const save = jest.spyOn(wx, 'saveImageToPhotosAlbum').mockImplementation((() => {
      if (refused < refusals) {
        refused++;
        return Promise.reject({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' });
      }
      return Promise.resolve({ errMsg: 'saveImageToPhotosAlbum:ok' });
    }) as never);
    jest
      .spyOn(wx, 'canvasToTempFilePath')
      .mockImplementation((() =>
        Promise.resolve({ tempFilePath: '/tmp/poster.png', errMsg: 'ok' })) as never);
    return save;
  }

  async function openPoster(page: Page): Promise<SimNode> {
    await tap(page.querySelector('.bc-poster'));
    const sheet = page.querySelector('#poster');
    await until(() => !!sheet?.querySelector('.poster-sheet__image'), 'the poster');
    return sheet as SimNode;
  }

  it('draws the inviter’s code on the poster: scanning it opens the landing page invited by them', async () => {
    backend.actAs('poster-inviter');
    const save = album();
    const page = await open('pages/blackcard/index');
    const sheet = await openPoster(page);
    expect(actions()).toContain('invite.poster');
    expect(text(sheet, '.poster-sheet__title')).toBe('我的邀请海报');
    expect(attrOf(sheet.querySelector('.poster-sheet__image'), 'src')).toBe('/tmp/poster.png');

    const canvas = canvasOf(sheet, '#poster-canvas');
    expect([canvas?.width, canvas?.height]).toEqual([750, 1334]);
    // the code drawn is the stored image of the inviter's code, downloaded for the canvas
    const drawn = canvas!.calls.filter((c) => c.method === 'drawImage');
    const qr = drawn.find((c) => c.args[1] === 82 && c.args[2] === 942);
    const file = (qr?.args[0] as FakeImage).src;
    const { inviteCode } = await backend.as('poster-inviter', 'api', { action: 'session.enter' });
    expect(decodeQrPng(readFileSync(file))).toBe(`pages/landing/index?scene=${inviteCode}.share`);
    const said = canvas!.calls.filter((c) => c.method === 'fillText').map((c) => c.args[0]);
    expect(said).toEqual(expect.arrayContaining(['你的好友 邀请你来领', `邀请码 ${inviteCode}`]));

    await tap(sheet.querySelector('.poster-sheet__save'));
    await until(() => save.mock.calls.length > 0, 'the save');
    expect(save).toHaveBeenCalledWith({ filePath: '/tmp/poster.png' });
  });

  it('explains a refused album permission and offers 去设置, then saves', async () => {
    backend.actAs('poster-inviter');
    const save = album(1);
    const modal = jest
      .spyOn(wx, 'showModal')
      .mockResolvedValue({ confirm: true, cancel: false } as never);
    const settings = jest.spyOn(wx, 'openSetting').mockResolvedValue({
      authSetting: { 'scope.writePhotosAlbum': true },
      errMsg: 'openSetting:ok',
    } as never);
    const page = await open('pages/blackcard/index');
    const sheet = await openPoster(page);
    await tap(sheet.querySelector('.poster-sheet__save'));
    await until(() => save.mock.calls.length === 2, 'the second save');
    expect(modal).toHaveBeenCalledWith(expect.objectContaining({ confirmText: '去设置' }));
    expect(settings).toHaveBeenCalled();
  });

  it('does not open the settings when the visitor declines, and saves nothing', async () => {
    backend.actAs('poster-inviter');
    const save = album(5);
    jest.spyOn(wx, 'showModal').mockResolvedValue({ confirm: false, cancel: true } as never);
    const settings = jest.spyOn(wx, 'openSetting');
    const page = await open('pages/blackcard/index');
    const sheet = await openPoster(page);
    await tap(sheet.querySelector('.poster-sheet__save'));
    await until(
      () => !sheet.querySelector('.poster-sheet__save[loading]') && save.mock.calls.length === 1,
      'the refusal',
    );
    await flushMicrotasks(30);
    expect(settings).not.toHaveBeenCalled();
    expect(save).toHaveBeenCalledTimes(1);
  });

  it('lists the friends by the nickname they chose', async () => {
    const inviter = await backend.as('named-inviter', 'api', { action: 'session.enter' });
    await backend.as('friend-a', 'api', {
      action: 'session.enter',
      inviteCode: inviter.inviteCode,
    });
    await backend.as('friend-a', 'api', { action: 'profile.update', nickname: '阿青' });
    backend.actAs('named-inviter');
    const page = await open('pages/blackcard/index');
    expect(texts(page, 'bc-invitee__label')).toEqual(['阿青']);
  });
});

describe('the wheel', () => {
  it('shows recent wins by masked name and what is left of the scarce prizes', async () => {
    const { config } = await backend.as('demo-admin', 'admin', { action: 'campaign.get' });
    for (const prize of config.lottery.prizes) prize.weight = prize.id === 'tumbler' ? 1 : 0;
    await backend.as('demo-admin', 'admin', { action: 'campaign.put', config });
    await backend.emulator.advanceClock(CAMPAIGN_CACHE_TTL_MS);
    await backend.as('winner-zhang', 'api', { action: 'session.enter' });
    await backend.as('winner-zhang', 'api', { action: 'profile.update', nickname: '张三丰' });
    await backend.as('winner-zhang', 'api', { action: 'lottery.spin', requestId: 'spin-zhang-01' });
    await backend.emulator.advanceClock(CAMPAIGN_CACHE_TTL_MS);

    backend.actAs('wheel-visitor');
    const page = await open('pages/wheel/index');
    expect(texts(page, 'wheel-win__who')).toEqual(['微信用户 张** 抽中 定制保温杯']);
    expect(textOf(page)).not.toContain('winner-zhang');
    expect(texts(page, 'wheel-prize__left')).toEqual(['仅剩 19 份', '仅剩 100 份']);
    expect(text(page, '.wheel-invite__poster')).toBe('生成海报');
  });
});
