/**
 * Rewards (issue 12): subscribe-message reminders (订阅消息). Each is sent at most once per cause,
 * only to someone who accepted one (each acceptance allows one message, as on WeChat), and a
 * failed send is recorded, never retried. The emulated WeChat's message log shows what arrived.
 */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  errorCode,
  runCron,
  useBackend,
} from '../../support/emulator';
import { PAGES } from '../../../miniprogram/utils/routes';
import { activeMember, messagesTo, stored, subscribe, templateOf } from '../../support/rewards';

const backend = useBackend();

const HOUR = 3600_000;

/** Takes every group of the pool out of service: nobody can be handed one. */
async function emptyPool(): Promise<void> {
  const groups = data(await backend.admin(OWNER, 'stats.overview')).groups;
  for (const { id, name, qrUrl, expiresAt, capacity } of groups) {
    data(
      await backend.admin(OWNER, 'groups.upsert', {
        id,
        name,
        qrUrl,
        expiresAt,
        capacity,
        active: false,
      }),
    );
  }
}

describe('a friend’s claim', () => {
  it('sends exactly one progress message to an inviter who subscribed, none to one who did not', async () => {
    const subscribed = await enterAndClaim(backend, 'subscribed');
    const silent = await enterAndClaim(backend, 'silent');
    await subscribe(backend, 'subscribed', ['inviteProgress']);

    await enter(backend, 'friend-a', subscribed.session.inviteCode);
    await enter(backend, 'friend-b', silent.session.inviteCode);
    // the friend's claim, retried: still one message
    for (let i = 0; i < 3; i++) {
      data(await backend.api('friend-a', 'magnet.claim', { requestId: 'claim-friend-a' }));
    }
    data(await backend.api('friend-b', 'magnet.claim', { requestId: 'claim-friend-b' }));
    expect((await runCron(backend)).ok).toBe(true);

    const sent = messagesTo(backend, 'subscribed');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      templateId: await templateOf(backend, 'inviteProgress'),
      page: PAGES.blackcard,
      data: { thing1: { value: '好友已领取你分享的福利' }, thing2: { value: '已邀请 1/3 位好友' } },
    });
    expect(messagesTo(backend, 'silent')).toEqual([]);
    expect(stored(backend, 'messages')).toEqual([
      expect.objectContaining({ touser: 'subscribed', status: 'sent', event: 'inviteProgress' }),
    ]);
  });

  it('says one more friend unlocks the card at the last step before it', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    await subscribe(backend, 'inviter');
    await subscribe(backend, 'inviter');
    for (const friend of ['f1', 'f2']) await enterAndClaim(backend, friend, session.inviteCode);
    const sent = messagesTo(backend, 'inviter');
    expect(sent.map((m) => m.templateId)).toEqual([
      await templateOf(backend, 'inviteProgress'),
      await templateOf(backend, 'unlockNear'),
    ]);
    expect(sent[1].data.thing1.value).toBe('再邀请 1 位好友即可解锁黑卡');
  });

  it('records a send WeChat refuses, and does not try it again', async () => {
    const { session } = await enterAndClaim(backend, 'inviter');
    // the page said "accepted", but WeChat has no acceptance (the sheet was dismissed)
    const template = await templateOf(backend, 'inviteProgress');
    data(
      await backend.api('inviter', 'reminders.subscribe', { results: { [template]: 'accept' } }),
    );
    await enterAndClaim(backend, 'f1', session.inviteCode);
    expect(messagesTo(backend, 'inviter')).toEqual([]);
    expect(stored(backend, 'messages')).toEqual([
      expect.objectContaining({ status: 'failed', errCode: 43101, touser: 'inviter' }),
    ]);
    // WeChat said none is left: the next friend's claim does not try, nor does cron
    await enterAndClaim(backend, 'f2', session.inviteCode);
    await runCron(backend);
    expect(stored(backend, 'messages')).toHaveLength(1);
    expect(stored(backend, 'subscriptions')[0].counts[template]).toBe(0);
  });
});

describe('a coupon expiring within 24 h', () => {
  it('gets one reminder from one cron run and none from the next', async () => {
    const { claim } = await enterAndClaim(backend, 'holder');
    await subscribe(backend, 'holder', ['couponExpiring']);
    await subscribe(backend, 'holder', ['couponExpiring']); // two acceptances: one would be left
    const coupon = claim.reward.coupon!;
    // two days before: nothing yet
    await backend.emulator.setClock(new Date(Date.parse(coupon.expiresAt) - 48 * HOUR));
    await runCron(backend);
    expect(messagesTo(backend, 'holder')).toEqual([]);
    // it expires tomorrow
    await backend.emulator.setClock(new Date(Date.parse(coupon.expiresAt) - 20 * HOUR));
    const first = await runCron(backend);
    expect(first.ok && first.data.reminders).toMatchObject({ couponsExpiring: 1 });
    const sent = messagesTo(backend, 'holder');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      page: `${PAGES.coupon}?id=${coupon.id}`,
      data: { thing1: { value: '5元无门槛券' }, thing3: { value: '券即将过期，别忘了到店使用' } },
    });
    expect(sent[0].data.time2.value).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日 23:59$/);
    await backend.emulator.advanceClock(HOUR);
    const second = await runCron(backend);
    expect(second.ok && second.data.reminders).toMatchObject({ couponsExpiring: 0 });
    expect(messagesTo(backend, 'holder')).toHaveLength(1);
  });

  it('is not sent for a coupon used already', async () => {
    const { claim } = await enterAndClaim(backend, 'holder');
    await subscribe(backend, 'holder', ['couponExpiring']);
    const { token } = data(
      await backend.api('holder', 'coupon.token', { couponId: claim.reward.coupon!.id }),
    );
    data(await backend.admin(OWNER, 'coupon.redeem', { token }));
    await backend.emulator.setClock(new Date(Date.parse(claim.reward.coupon!.expiresAt) - HOUR));
    await runCron(backend);
    expect(messagesTo(backend, 'holder')).toEqual([]);
  });
});

describe('reminders from the hourly job', () => {
  it('tells card holders once that their rights changed', async () => {
    await activeMember(backend, 'member');
    await activeMember(backend, 'other');
    await subscribe(backend, 'member', ['rightsChanged']);
    await subscribe(backend, 'member', ['rightsChanged']);
    await runCron(backend); // notes the rights as they are: nothing to tell
    expect(messagesTo(backend, 'member')).toEqual([]);
    await editCampaign(backend, (config) => {
      config.blackCard.rights[0].title = '每月两杯免费';
      config.blackCard.rights[0].quota = 2;
    });
    const run = await runCron(backend);
    expect(run.ok && run.data.reminders).toMatchObject({ rightsChanged: 1 });
    const [message] = messagesTo(backend, 'member');
    expect(message.data.thing2.value).toMatch(/^每月两杯免费、/);
    await runCron(backend);
    expect(messagesTo(backend, 'member')).toHaveLength(1);
    expect(messagesTo(backend, 'other')).toEqual([]);
  });

  it('tells someone who found the group pool full once a group has room', async () => {
    await enterAndClaim(backend, 'waiting');
    await subscribe(backend, 'waiting', ['groupReady']);
    await emptyPool();
    expect(errorCode(await backend.api('waiting', 'group.get'))).toBe('GROUP_UNAVAILABLE');
    await runCron(backend);
    expect(messagesTo(backend, 'waiting')).toEqual([]);
    data(
      await backend.admin(OWNER, 'groups.upsert', {
        name: '会员 4 群',
        qrUrl: 'https://example.com/qr-4.png',
        expiresAt: new Date(backend.emulator.clock.now() + 5 * 24 * HOUR).toISOString(),
      }),
    );
    const run = await runCron(backend);
    expect(run.ok && run.data.reminders).toMatchObject({ groupReady: 1 });
    expect(messagesTo(backend, 'waiting')).toEqual([
      expect.objectContaining({ page: PAGES.group }),
    ]);
    await runCron(backend);
    expect(messagesTo(backend, 'waiting')).toHaveLength(1);
  });

  it('sends owners who subscribed the pool alerts', async () => {
    await subscribe(backend, OWNER, ['poolAlert']);
    await subscribe(backend, OWNER, ['poolAlert']);
    await emptyPool();
    const run = await runCron(backend);
    expect(run.ok && run.data.reminders).toMatchObject({ poolAlerts: 1 });
    const [alert] = messagesTo(backend, OWNER);
    expect(alert).toMatchObject({ page: PAGES.groups });
    expect(alert.data.thing1.value.length).toBeLessThanOrEqual(20); // WeChat's limit for thing
    await runCron(backend); // the same alert the same day: raised once, told once
    expect(messagesTo(backend, OWNER)).toHaveLength(1);
  });
});

describe('reminders.subscribe', () => {
  it('keeps what was accepted of the configured templates, and nothing else', async () => {
    await enter(backend, 'visitor');
    const progress = await templateOf(backend, 'inviteProgress');
    const expiring = await templateOf(backend, 'couponExpiring');
    const answer = data(
      await backend.api('visitor', 'reminders.subscribe', {
        results: { [progress]: 'accept', [expiring]: 'reject', 'not-ours': 'accept' },
      }),
    );
    expect(answer.accepted).toEqual([progress]);
    expect(stored(backend, 'subscriptions')).toEqual([
      expect.objectContaining({ _id: 'visitor', counts: { [progress]: 1 } }),
    ]);
    const before = backend.snapshot();
    for (const results of [{ [progress]: 'yes' }, { __proto__x: 'accept', 'a.b': 'accept' }]) {
      const bad = await backend.api('visitor', 'reminders.subscribe', { results } as never);
      expect(errorCode(bad)).toBe('BAD_REQUEST');
    }
    expect(backend.snapshot()).toEqual(before);
  });
});
