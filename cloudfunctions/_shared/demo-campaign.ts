/**
 * The demo campaign the emulator seeds: a tea-drink shop opening a new store and recruiting
 * members (新店开业 · 会员招募). Dates are relative to `now` so the demo is always live: it
 * started at the beginning of yesterday (Shanghai), runs 30 days, and the magnet can be claimed
 * until the end of the Shanghai day 7 days from now.
 */
import { campaignSchema } from './campaign';
import type { Campaign, CampaignInput } from './campaign';
import { DAY_MS, endOfShanghaiDay, shanghaiDayStart, toShanghaiIso } from './domain/time';

export function demoCampaign(now: Date): Campaign {
  const startAt = new Date(shanghaiDayStart(now).getTime() - DAY_MS);
  const endAt = new Date(startAt.getTime() + 30 * DAY_MS);
  const claimEndsAt = endOfShanghaiDay(now, 7);

  const input: CampaignInput = {
    id: 'demo-opening',
    title: '山野茶事 · 新店开业 会员招募季',
    startAt: toShanghaiIso(startAt),
    endAt: toShanghaiIso(endAt),
    magnet: {
      title: '开业福利：免费领《夏日特调配方手册》',
      description:
        '新店开业，送你 12 款招牌特调的在家复刻配方（电子版），再加一张 5 元无门槛券，到店即可使用。限时领取，先到先得。',
      image: '/assets/demo/hero.png',
      claimWindow: { startAt: toShanghaiIso(startAt), endAt: toShanghaiIso(claimEndsAt) },
      reward: {
        // the booklet, like the images, is put in cloud storage by the seed, which links here
        resourceUrl: '/assets/demo/summer-recipes.pdf',
        couponTemplateId: 'cash-5-free',
      },
    },
    lottery: {
      dailyFreeSpins: 1,
      spinsPerVerifiedInvite: 1,
      maxBonusSpinsPerDay: 5,
      prizes: [
        { id: 'tumbler', name: '定制保温杯', kind: 'physical', weight: 5, stock: 20, cost: 3_500 },
        {
          id: 'off-20',
          name: '全场8折券',
          kind: 'coupon',
          weight: 150,
          stock: 2000,
          couponTemplateId: 'discount-80',
        },
        {
          id: 'cash-50-10',
          name: '满50减10',
          kind: 'coupon',
          weight: 200,
          stock: 1000,
          couponTemplateId: 'cash-50-10',
        },
        {
          id: 'cash-5',
          name: '5元无门槛券',
          kind: 'coupon',
          weight: 120,
          stock: 500,
          couponTemplateId: 'cash-5-free',
        },
        {
          id: 'recipes',
          name: '特调配方资料包',
          kind: 'resource',
          weight: 100,
          stock: null,
          resourceUrl: '/assets/demo/summer-recipes.pdf',
        },
        // Rewards (issue 12): the tumbler is picked up at the counter (the default), the tote
        // is shipped to the address the winner gives
        {
          id: 'tote',
          name: '帆布袋',
          kind: 'physical',
          weight: 20,
          stock: 100,
          fulfilment: 'shipping',
          claimDays: 14,
          cost: 1_200,
        },
        {
          id: 'cash-30-5',
          name: '开业满30减5',
          kind: 'coupon',
          weight: 250,
          stock: null,
          couponTemplateId: 'opening-30-5',
        },
        { id: 'thanks', name: '谢谢参与', kind: 'none', weight: 300, stock: null, fallback: true },
      ],
    },
    couponTemplates: [
      {
        id: 'discount-80',
        title: '全场饮品8折券',
        kind: 'discount',
        rate: 0.8,
        validDays: 7,
        basket: 4500,
      },
      {
        id: 'cash-50-10',
        title: '满50减10',
        kind: 'cash',
        threshold: 5000,
        amount: 1000,
        validDays: 14,
        basket: 6500,
      },
      {
        id: 'cash-5-free',
        title: '5元无门槛券',
        kind: 'cash',
        threshold: 0,
        amount: 500,
        validDays: 7,
        segment: 'new',
        basket: 2800,
      },
      {
        id: 'opening-30-5',
        title: '开业限定 满30减5',
        kind: 'cash',
        threshold: 3000,
        amount: 500,
        validUntil: toShanghaiIso(endAt),
        basket: 3800,
      },
      // Retention (issue 15): what every redemption of a coupon earns for the next visit
      {
        id: 'loyal-30-6',
        title: '老顾客回馈 满30减6',
        kind: 'cash',
        threshold: 3000,
        amount: 600,
        validDays: 14,
        basket: 3800,
      },
    ],
    // Retention (issue 15): 老用户回馈 — a redeemed coupon earns the next
    repurchase: { couponTemplateId: 'loyal-30-6' },
    blackCard: {
      invitesRequired: 3,
      rights: [
        {
          id: 'monthly-drink',
          title: '每月一杯免费',
          description: '每个自然月可免费兑换任意中杯饮品一杯',
          quota: 1,
          period: 'month',
        },
        {
          id: 'birthday',
          title: '生日买一送一',
          description: '生日当月任选饮品买一送一，限一次',
          quota: 1,
          period: 'year',
        },
        {
          id: 'tasting',
          title: '新品优先试饮',
          description: '新品上市前受邀到店免费试饮，并参与口味投票',
        },
        {
          id: 'skip-queue',
          title: '会员免排队',
          description: '小程序点单优先制作，到店出示会员码即可',
        },
      ],
      // Rewards (issue 12): the ladder beyond the card (3 → the card itself, 5 → a tote, shipped)
      milestones: [{ invites: 5, prizeId: 'tote' }],
    },
    invite: {
      maxVerifiedPerInviterPerDay: 50,
      riskRankBlock: 4,
      riskRankDowngrade: 3,
      // the gift can be claimed for a week of the month: then a friend's first spin counts
      whenClaimClosed: 'spin',
    },
    groups: {
      // Anyone who claimed the magnet may join the member group; joining activates the black
      // card's rights once the card is unlocked.
      after: 'claim',
      fallbackContact: {
        title: '添加店长微信',
        qrUrl: '/assets/demo/contact-qr.png',
        note: '会员群暂时满员，添加店长微信，稍后拉你进群',
      },
      defaultCapacity: 180,
    },
    channels: [
      { code: 'poster', name: '门店海报', cost: 30_000 },
      { code: 'store', name: '收银台台卡', cost: 5_000 },
      { code: 'moments', name: '朋友圈广告', cost: 200_000 },
      { code: 'kol', name: '本地探店博主', cost: 150_000 },
      { code: 'share', name: '好友分享' },
    ],
    organizer: {
      name: '山野茶事（演示门店）',
      contact: '店长微信 shanye-tea · 电话 021-5555 0188',
      address: '上海市静安区示例路 88 号',
    },
    // Rewards (issue 12): 订阅消息. The ids are placeholders: use the templates of your own
    // Mini Program (公众平台 → 订阅消息), with these fields.
    reminders: {
      inviteProgress: {
        templateId: 'demo-invite-progress',
        fields: {
          thing1: '好友已领取你分享的福利',
          thing2: '已邀请 {verified}/{required} 位好友',
        },
      },
      unlockNear: {
        templateId: 'demo-unlock-near',
        fields: {
          thing1: '再邀请 1 位好友即可解锁黑卡',
          thing2: '已邀请 {verified}/{required} 位',
        },
      },
      couponExpiring: {
        templateId: 'demo-coupon-expiring',
        fields: { thing1: '{title}', time2: '{expiresAt}', thing3: '券即将过期，别忘了到店使用' },
      },
      rightsChanged: {
        templateId: 'demo-rights-changed',
        fields: { thing1: '黑卡权益已更新', thing2: '{rights}' },
      },
      groupReady: {
        templateId: 'demo-group-ready',
        fields: { thing1: '会员群有位置了', thing2: '点击领取入群二维码' },
      },
      poolAlert: {
        templateId: 'demo-pool-alert',
        fields: { thing1: '{message}', time2: '{at}' },
      },
    },
    // People console (issue 13): the seeds' tag rules are the defaults; leaders climb by the
    // members their tree brought who claimed; the invite leaderboard is public in the demo.
    leaders: {
      metric: 'claims',
      ladder: [
        { id: 'bronze', title: '铜牌当家', threshold: 10, reward: '门店饮品券 5 张' },
        { id: 'silver', title: '银牌当家', threshold: 30, reward: '每季度免单一次' },
        { id: 'gold', title: '金牌当家', threshold: 100, reward: '年度黑卡 + 新品品鉴会席位' },
      ],
    },
    leaderboard: { public: true, size: 10 },
  };
  // Parsing applies the defaults and proves the demo is a valid campaign.
  return campaignSchema.parse(input);
}
