/**
 * 空白活动 (operator studio, issue 9): what "新建空白活动" starts from — the smallest campaign the
 * server accepts (six prizes with a fallback, a coupon for the gift, one right, the share channel),
 * in words that say what to fill in. It starts at the beginning of tomorrow (Shanghai) and runs 30
 * days; the images are placeholders to replace in the editor. A test parses it with the server's
 * own schema, so it can never be refused.
 */
import type { CampaignInput } from '../../../cloudfunctions/_shared/campaign';

const DAY_MS = 24 * 3600 * 1000;
const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;

/** The instant a Shanghai day begins, `days` after the day of `now`. */
function shanghaiMidnight(now: Date, days: number): Date {
  const wall = now.getTime() + SHANGHAI_OFFSET_MS;
  return new Date(wall - (wall % DAY_MS) - SHANGHAI_OFFSET_MS + days * DAY_MS);
}

export function blankCampaign(now: Date): CampaignInput {
  const startAt = shanghaiMidnight(now, 1).toISOString();
  const endAt = shanghaiMidnight(now, 31).toISOString();
  const stamp = startAt.slice(0, 10).replace(/-/g, '');
  const prize = (n: number) => ({
    id: `prize-${n}`,
    name: `奖品 ${n}`,
    kind: 'physical' as const,
    weight: 10,
    stock: 10,
  });
  return {
    id: `c${stamp}-${Math.random().toString(36).slice(2, 6)}`,
    title: '新活动（请修改标题）',
    startAt,
    endAt,
    magnet: {
      title: '新人福利（请填写福利名称）',
      description: '请介绍福利内容：能得到什么、怎么使用。',
      image: '/assets/placeholder/hero.png',
      claimWindow: { startAt, endAt },
      reward: { couponTemplateId: 'welcome' },
    },
    lottery: {
      dailyFreeSpins: 1,
      spinsPerVerifiedInvite: 1,
      maxBonusSpinsPerDay: 5,
      prizes: [
        prize(1),
        prize(2),
        prize(3),
        prize(4),
        prize(5),
        { id: 'thanks', name: '谢谢参与', kind: 'none', weight: 50, stock: null, fallback: true },
      ],
    },
    couponTemplates: [
      { id: 'welcome', title: '新人券', kind: 'cash', threshold: 0, amount: 500, validDays: 7 },
    ],
    blackCard: {
      invitesRequired: 3,
      rights: [{ id: 'right-1', title: '会员权益', description: '请写清楚权益内容和使用方式' }],
    },
    invite: { whenClaimClosed: 'spin' },
    groups: {
      after: 'claim',
      fallbackContact: { title: '添加客服微信', qrUrl: '/assets/placeholder/contact.png' },
    },
    channels: [
      { code: 'poster', name: '门店海报' },
      { code: 'share', name: '好友分享' },
    ],
  };
}
