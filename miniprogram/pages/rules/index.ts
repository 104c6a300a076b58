/**
 * 活动规则, operator studio (issue 9): what WeChat's review and a careful consumer expect of a
 * lottery, generated from the live config (`campaign.rules`), so the page says exactly what the
 * server does: the dates, how to take part, every prize with its odds and stock, the coupons'
 * terms and validity, the invite rules, the black card's rights, the organiser and a contact.
 */
import type { CampaignRules, PrizeKind } from '../../../cloudfunctions/_shared/contracts';
import { publicPage } from '../../behaviors/page-shell';
import { callApi } from '../../services/api';
import { formatCount } from '../../utils/format';

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** `2025年3月9日 14:05` in Shanghai time. */
function longDateTime(iso: string): string {
  const d = new Date(Date.parse(iso) + SHANGHAI_OFFSET_MS);
  const minutes = d.getUTCMinutes();
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${d.getUTCHours()}:${minutes < 10 ? `0${minutes}` : minutes}`;
}

const KIND_TEXT: Record<PrizeKind, string> = {
  coupon: '优惠券',
  resource: '资料',
  physical: '实物',
  none: '—',
};

function rulesView(rules: CampaignRules) {
  const { lottery, invite } = rules;
  const steps = [
    `活动期间，在小程序内领取新人福利：${rules.magnet.title}（领取时间 ${longDateTime(rules.claimWindow.startAt)} 至 ${longDateTime(rules.claimWindow.endAt)}，每人限领一次）。`,
    `每人每天可免费抽奖 ${lottery.dailyFreeSpins} 次，当天有效。`,
    lottery.spinsPerVerifiedInvite > 0
      ? `每成功邀请 1 位新好友，可多得 ${lottery.spinsPerVerifiedInvite} 次抽奖机会，每天最多多得 ${lottery.maxBonusSpinsPerDay} 次；未用完的机会在活动期内有效。`
      : '',
    `有效邀请满 ${invite.invitesRequired} 位即可点亮黑卡，享受下方黑卡权益。`,
  ].filter(Boolean);
  const verified =
    invite.whenClaimClosed === 'spin'
      ? '好友须是第一次参与本小程序的新用户，通过你分享的卡片或海报进入，并领取新人福利（福利领取截止后，以好友首次抽奖为准），才算 1 位有效邀请。'
      : '好友须是第一次参与本小程序的新用户，通过你分享的卡片或海报进入，并在领取时间内领取新人福利，才算 1 位有效邀请；领取截止后不再认定新的有效邀请。';
  return {
    title: rules.title,
    dates: `${longDateTime(rules.startAt)} 至 ${longDateTime(rules.endAt)}`,
    statusNote:
      rules.status === 'paused'
        ? '活动暂停中，恢复后继续。'
        : rules.status === 'ended'
          ? '活动已结束。'
          : rules.status === 'scheduled'
            ? '活动尚未开始。'
            : '',
    rewards: rules.magnet.rewards.join('、'),
    steps,
    prizes: lottery.prizes.map((p, index) => ({
      key: index,
      name: p.name,
      kind: KIND_TEXT[p.kind],
      odds: `${p.odds.toFixed(2)}%`,
      stock: p.stock === null ? '不限量' : `${formatCount(p.stock)} 份`,
    })),
    coupons: rules.coupons.map((c, index) => ({ key: index, ...c })),
    inviteRules: [
      verified,
      '每位好友一生只能被一个人邀请；自己邀请自己、老用户、存在风险的账号均不计入。',
      `每人每天最多计入 ${formatCount(invite.maxVerifiedPerInviterPerDay)} 位有效邀请。`,
      '分享本身不会获得任何奖励。',
    ],
    rights: rules.blackCard.rights.map((r, index) => ({ key: index, ...r })),
    organizer: rules.organizer,
    contact: rules.contact,
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [publicPage],

  data: {
    rules: null as ReturnType<typeof rulesView> | null,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async fetch() {
      const answer = await callApi('campaign.rules', {});
      if (!answer.ok) {
        this.failed(answer.error);
        return;
      }
      this.setData({ state: 'ready', rules: rulesView(answer.data) });
    },
  },
});
