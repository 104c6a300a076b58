/**
 * Rewards (issue 12): the invite ladder (阶梯奖励). Each step is granted exactly once, also when
 * friends claim at the same moment, and a grant a call died in is finished by the reconciler.
 */
import {
  OWNER,
  data,
  editCampaign,
  enter,
  enterAndClaim,
  requestId,
  runCron,
  useBackend,
} from '../../support/emulator';
import { stored, rewriteStore } from '../../support/rewards';

const backend = useBackend();

type Doc = Record<string, any>;

/** 1 → a coupon, 3 → another (and the black card), 5 → the shipped tote. */
async function ladder() {
  await editCampaign(backend, (config) => {
    config.blackCard.milestones = [
      { invites: 1, couponTemplateId: 'cash-5-free', title: '5元无门槛券' },
      { invites: 3, couponTemplateId: 'cash-50-10' },
      { invites: 5, prizeId: 'tote' },
    ];
  });
}

/** The inviter, and `count` friends who arrived with the code and all claim at once. */
async function friendsClaimTogether(count: number) {
  const { session } = await enterAndClaim(backend, 'inviter');
  const friends = Array.from({ length: count }, (_, i) => `friend-${i}`);
  for (const friend of friends) await enter(backend, friend, session.inviteCode);
  backend.emulator.faults.latencyMs = 1;
  const claims = await Promise.all(
    friends.map((friend) => backend.api(friend, 'magnet.claim', { requestId: requestId('claim') })),
  );
  backend.emulator.faults.latencyMs = 0;
  claims.forEach((claim) => data(claim));
}

const rewardsOf = async (openid: string) =>
  data(await backend.api(openid, 'wallet.list', {})).coupons.filter(
    (c) => c.source === 'milestone',
  );

describe('the invite ladder', () => {
  it('grants the 1- and 3-steps exactly once when three friends claim at once', async () => {
    await ladder();
    await friendsClaimTogether(3);
    const rewards = await rewardsOf('inviter');
    expect(rewards.map((c) => c.templateId).sort()).toEqual(['cash-5-free', 'cash-50-10']);
    const card = data(await backend.api('inviter', 'blackcard.get'));
    expect(card).toMatchObject({ verified: 3, unlocked: true });
    expect(card.ladder).toEqual([
      { invites: 1, title: '5元无门槛券', kind: 'coupon', reached: true },
      { invites: 3, title: '解锁黑卡', kind: 'blackcard', reached: true },
      { invites: 3, title: '满50减10', kind: 'coupon', reached: true },
      { invites: 5, title: '帆布袋', kind: 'prize', reached: false },
    ]);
    const inviter = stored(backend, 'participants').find((p) => p.openid === 'inviter')!;
    expect(Object.keys(inviter.progress.milestones).sort()).toEqual(['m_1', 'm_3']);
    // the dashboard counts the two rewards with the four magnet coupons
    const funnel = data(await backend.admin(OWNER, 'stats.overview')).funnel;
    expect(funnel.find((s) => s.key === 'couponsIssued')?.count).toBe(6);
    expect(funnel.find((s) => s.key === 'cardsUnlocked')?.count).toBe(1);
    // the reconciler finds nothing to add
    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({
      milestonesGranted: 0,
      couponsIssued: 0,
      countersCorrected: {},
    });
  });

  it('grants every step once when six friends claim at once, the prize as a voucher', async () => {
    await ladder();
    await friendsClaimTogether(6);
    const rewards = await rewardsOf('inviter');
    expect(rewards.map((c) => c.templateId).sort()).toEqual(['cash-5-free', 'cash-50-10', 'tote']);
    expect(rewards.find((c) => c.kind === 'prize')).toMatchObject({
      title: '帆布袋',
      prize: { prizeId: 'tote', fulfilment: 'shipping' },
    });
    const winners = data(await backend.admin(OWNER, 'winners.list', { prizeId: 'tote' }));
    expect(winners.items).toEqual([expect.objectContaining({ source: 'milestone' })]);
  });

  it('is finished by the reconciler when the call died between the credit and the grant', async () => {
    await ladder();
    await friendsClaimTogether(3);
    const marked = stored(backend, 'participants').find((p) => p.openid === 'inviter')!.progress
      .milestones;
    // the 3-step's mark never landed; the 1-step's reward was never issued
    await rewriteStore(backend, 'participants', (all) =>
      all.map((p) =>
        p.openid === 'inviter'
          ? { ...p, progress: { ...p.progress, milestones: { m_1: marked.m_1 } } }
          : p,
      ),
    );
    await rewriteStore(backend, 'coupons', (all) =>
      all.filter((c) => c._id !== marked.m_1.couponId),
    );
    expect(await rewardsOf('inviter')).toHaveLength(1);

    const run = await runCron(backend);
    expect(run.ok && run.data.reconciled).toMatchObject({ milestonesGranted: 1 });
    const rewards = await rewardsOf('inviter');
    expect(rewards.map((c) => c.templateId).sort()).toEqual(['cash-5-free', 'cash-50-10']);
    // a second run has nothing left
    const again = await runCron(backend);
    expect(again.ok && again.data.reconciled).toMatchObject({
      milestonesGranted: 0,
      couponsIssued: 0,
    });
    expect(await rewardsOf('inviter')).toHaveLength(2);
  });

  it('is refused in the config when a step has no reward or a reward that does not exist', async () => {
    const current = data(await backend.admin(OWNER, 'campaign.get')).config as Doc;
    const config = JSON.parse(JSON.stringify(current));
    config.blackCard.milestones = [
      { invites: 1 },
      { invites: 2, couponTemplateId: 'nope' },
      { invites: 4, prizeId: 'off-20' },
      { invites: 4, prizeId: 'tote' },
    ];
    const before = backend.snapshot();
    const answer = await backend.admin(OWNER, 'campaign.put', { config });
    expect(answer.ok).toBe(false);
    const issues = answer.ok ? [] : (answer.error.issues ?? []);
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual(
      expect.arrayContaining([
        'config.blackCard.milestones.0: 阶梯奖励须指定优惠券模板或实物奖品（二选一）',
        'config.blackCard.milestones.1.couponTemplateId: 优惠券模板 "nope" 不存在',
        'config.blackCard.milestones.2.prizeId: 阶梯奖励的奖品须为实物奖品',
        'config.blackCard.milestones.3.invites: 邀请 4 人的阶梯重复',
      ]),
    );
    expect(backend.snapshot()).toEqual(before);
  });
});
