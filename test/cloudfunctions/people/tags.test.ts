/**
 * People console (issue 13): growth tags (成长标签 S/A/B/C) computed by the config's rules as
 * members act, a manual tag the rules never undo, the dashboard's distribution from counters, a
 * filter by tag, and tags driving the coupon a member gets.
 */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  runCron,
  useBackend,
} from '../../support/emulator';
import { favour, friendClaims, funnel, memberPage, redeemFirstCoupon, spin } from './support';

const backend = useBackend();

const tagOf = async (code: string) => (await memberPage(backend, code)).member.tag;
const listed = async (tag: 'S' | 'A' | 'B' | 'C') =>
  data(await backend.admin(OWNER, 'users.list', { tag })).members.map((m) => m.userRef);
const distribution = async () => {
  const f = await funnel(backend);
  return { S: f['tags.S'], A: f['tags.A'], B: f['tags.B'], C: f['tags.C'] };
};
const reconciledCleanly = async () => {
  const run = await runCron(backend);
  expect(run.ok && run.data.reconciled?.countersCorrected).toEqual({});
};

it('moves a member C → B → A → S as they act, with the distribution and the filter following', async () => {
  const m = await enter(backend, 'member-m');
  expect(await tagOf(m.inviteCode)).toBe('C');
  expect(await distribution()).toEqual({ S: 0, A: 0, B: 0, C: 1 });
  expect(await listed('C')).toEqual([m.inviteCode]);

  data(await backend.api('member-m', 'magnet.claim', { requestId: 'claim-member-m' }));
  expect(await tagOf(m.inviteCode)).toBe('B');
  expect(await distribution()).toEqual({ S: 0, A: 0, B: 1, C: 0 });
  expect(await listed('B')).toEqual([m.inviteCode]);

  // a friend arrives through M's link: M shared (A); the friend is a new member (C)
  const friend = await enter(backend, 'friend', m.inviteCode);
  expect(await tagOf(m.inviteCode)).toBe('A');
  expect(await distribution()).toEqual({ S: 0, A: 1, B: 0, C: 1 });
  expect(await listed('A')).toEqual([m.inviteCode]);
  expect(await listed('C')).toEqual([friend.inviteCode]);

  expect((await redeemFirstCoupon(backend, 'member-m')).ok).toBe(true);
  expect(await tagOf(m.inviteCode)).toBe('S');
  expect(await distribution()).toEqual({ S: 1, A: 0, B: 0, C: 1 });
  expect(await listed('S')).toEqual([m.inviteCode]);
  await reconciledCleanly();
});

it('keeps a manual tag through further activity, and hands it back to the rules on request', async () => {
  const n = await enter(backend, 'member-n');
  const set = data(
    await backend.admin(OWNER, 'users.setTag', {
      userRef: n.inviteCode,
      growthTag: 'C',
      reason: '同行试探，先观察',
    }),
  );
  expect(set).toEqual({ userRef: n.inviteCode, growthTag: 'C', manual: true });

  data(await backend.api('member-n', 'magnet.claim', { requestId: 'claim-member-n' }));
  await friendClaims(backend, 'friend-of-n', n.inviteCode);
  expect((await redeemFirstCoupon(backend, 'member-n')).ok).toBe(true);
  const page = await memberPage(backend, n.inviteCode);
  expect(page.member).toMatchObject({ tag: 'C', tagManual: true });
  expect(await listed('C')).toContain(n.inviteCode);
  await reconciledCleanly();
  // the reconciler does not undo it either
  expect(await tagOf(n.inviteCode)).toBe('C');

  const back = data(
    await backend.admin(OWNER, 'users.setTag', { userRef: n.inviteCode, growthTag: null }),
  );
  // claimed, shared, verified and redeemed: the rules give S
  expect(back).toEqual({ userRef: n.inviteCode, growthTag: 'S', manual: false });
  expect(await distribution()).toMatchObject({ S: 1 });
  const audit = (await memberPage(backend, n.inviteCode)).audit;
  expect(audit.map((a) => [a.action, a.detail, a.reason ?? null])).toEqual([
    ['tag', '标签 C → 自动（按规则）', null],
    ['tag', '标签 自动 → C', '同行试探，先观察'],
  ]);
  await reconciledCleanly();
});

it('follows the rules the config names', async () => {
  await editCampaign(backend, (config) => {
    config.growthTags = { rules: { spun: 'A', joinedGroup: 'S' } };
  });
  await enterAndClaim(backend, 'member-r');
  const code = data(await backend.api('member-r', 'session.enter', {})).inviteCode;
  // claiming is no longer named: still C
  expect(await tagOf(code)).toBe('C');
  await spin(backend, 'member-r');
  expect(await tagOf(code)).toBe('A');
  data(await backend.api('member-r', 'group.get'));
  data(await backend.api('member-r', 'group.confirmJoined'));
  expect(await tagOf(code)).toBe('S');
  await reconciledCleanly();
});

it('gives a member the coupon template meant for their tag, in the lottery and the magnet', async () => {
  await editCampaign(backend, (config) => {
    config.couponTemplates.push(
      {
        id: 'cash-50-15-vip',
        title: '老友专享 满50减15',
        kind: 'cash',
        threshold: 5000,
        amount: 1500,
        validDays: 14,
        segment: 'S',
        variantOf: 'cash-50-10',
      },
      {
        id: 'welcome-vip',
        title: '老友回归 10元无门槛',
        kind: 'cash',
        threshold: 0,
        amount: 1000,
        validDays: 7,
        segment: 'S',
        variantOf: 'cash-5-free',
      },
    );
  });
  await favour(backend, 'cash-50-10');
  const m = await enterAndClaim(backend, 'member-m');
  expect((await spin(backend, 'member-m')).coupon?.title).toBe('满50减10');
  await friendClaims(backend, 'friend', m.session.inviteCode);
  expect((await redeemFirstCoupon(backend, 'member-m')).ok).toBe(true);
  // S now: the wheel's 满50减10 comes as the S variant, on the same prize
  const won = await spin(backend, 'member-m');
  expect(won.prize.id).toBe('cash-50-10');
  expect(won.coupon).toMatchObject({ title: '老友专享 满50减15', label: '满50减15' });

  // someone the owner tagged S before they claim gets the magnet's S variant
  const vip = await enter(backend, 'vip');
  data(await backend.admin(OWNER, 'users.setTag', { userRef: vip.inviteCode, growthTag: 'S' }));
  const claim = data(await backend.api('vip', 'magnet.claim', { requestId: 'claim-vip-0001' }));
  expect(claim.reward.coupon).toMatchObject({ title: '老友回归 10元无门槛', label: '10元无门槛' });
  // and a retry answers the same coupon
  const again = data(await backend.api('vip', 'magnet.claim', { requestId: 'claim-vip-0001' }));
  expect(again.reward.coupon?.id).toBe(claim.reward.coupon?.id);
  await reconciledCleanly();
});

it('refuses a variant that names no template, a non-tag segment, or a variant of a variant', async () => {
  const config = data(await backend.admin(OWNER, 'campaign.get')).config as any;
  config.couponTemplates.push(
    { ...config.couponTemplates[0], id: 'v1', variantOf: 'nothing', segment: 'S' },
    { ...config.couponTemplates[0], id: 'v2', variantOf: 'cash-50-10', segment: 'VIP' },
    { ...config.couponTemplates[0], id: 'v3', variantOf: 'cash-50-10', segment: 'A' },
    { ...config.couponTemplates[0], id: 'v4', variantOf: 'v3', segment: 'B' },
  );
  const answer = await backend.admin(OWNER, 'campaign.put', { config });
  expect(answer.ok).toBe(false);
  if (answer.ok) return;
  const at = (n: number) => `config.couponTemplates.${config.couponTemplates.length - 4 + n}`;
  expect(answer.error.issues?.map((i) => `${i.path}: ${i.message}`).sort()).toEqual([
    `${at(0)}.variantOf: 优惠券模板 "nothing" 不存在`,
    `${at(1)}.segment: 按标签替代其他券时，目标人群须为成长标签 S、A、B、C 之一`,
    `${at(3)}.variantOf: "v3" 本身是替代券，不能再被替代`,
  ]);
});

it('carries a person’s tag into the next campaign, and the owner’s tag with it', async () => {
  const m = await enterAndClaim(backend, 'member-m');
  await enter(backend, 'friend', m.session.inviteCode);
  const n = await enter(backend, 'member-n');
  data(await backend.admin(OWNER, 'users.setTag', { userRef: n.inviteCode, growthTag: 'B' }));
  await runCron(backend); // the person keeps the highest tag the rules gave
  await editCampaign(backend, (config) => {
    config.id = 'summer-2';
    config.title = '夏季第二期';
  });
  await enter(backend, 'member-m');
  await enter(backend, 'member-n');
  await enter(backend, 'newcomer');
  expect(await tagOf(m.session.inviteCode)).toBe('A');
  expect(await tagOf(n.inviteCode)).toBe('B');
  expect(await distribution()).toEqual({ S: 0, A: 1, B: 1, C: 1 });
  await reconciledCleanly();
});
