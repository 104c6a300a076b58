/**
 * Operator studio (issue 9): the 活动规则 page's content, generated from the live config, so the
 * rules a visitor reads are the rules the server applies: the dates, the prizes with their odds
 * (each weight over the total, while every prize has stock) and stock, the coupons' terms and
 * validity, the invite rules, the black card's rights, the organiser and a contact.
 */
import type { Campaign, CouponTemplate } from './campaign';
import type { CampaignRules } from './contracts';
import { describeCouponTemplate, formatYuan } from './domain/coupon';
import { campaignStatus, type StoredStatus } from './domain/lifecycle';
import { oddsPercent } from './domain/odds';
import { formatShanghai } from './domain/time';

export function campaignRules(
  campaign: Campaign,
  stored: StoredStatus | undefined,
  now: Date,
): CampaignRules {
  const total = campaign.lottery.prizes.reduce((sum, p) => sum + p.weight, 0);
  const magnetTemplate = campaign.couponTemplates.find(
    (t) => t.id === campaign.magnet.reward.couponTemplateId,
  );
  const organizer = campaign.organizer;
  return {
    title: campaign.title,
    startAt: campaign.startAt,
    endAt: campaign.endAt,
    status: campaignStatus(stored, campaign, now),
    claimWindow: { ...campaign.magnet.claimWindow },
    magnet: {
      title: campaign.magnet.title,
      rewards: [
        ...(campaign.magnet.reward.resourceUrl ? ['资料一份（领取后可复制链接查看）'] : []),
        ...(magnetTemplate ? [`${magnetTemplate.title}一张`] : []),
      ],
    },
    lottery: {
      dailyFreeSpins: campaign.lottery.dailyFreeSpins,
      spinsPerVerifiedInvite: campaign.lottery.spinsPerVerifiedInvite,
      maxBonusSpinsPerDay: campaign.lottery.maxBonusSpinsPerDay,
      prizes: campaign.lottery.prizes.map((p) => ({
        name: p.name,
        kind: p.kind,
        odds: oddsPercent(p.weight, total),
        stock: p.stock,
        fallback: p.fallback,
      })),
    },
    coupons: campaign.couponTemplates.map((t) => ({
      title: t.title,
      label: describeCouponTemplate(t),
      // Retention (issue 15): how the repurchase coupon is earned, where its terms are read
      terms:
        t.id === campaign.repurchase?.couponTemplateId
          ? `${couponTerms(t)}；每次到店用券消费后自动获赠一张，下次可用`
          : couponTerms(t),
      validity: couponValidity(t),
    })),
    invite: {
      invitesRequired: campaign.blackCard.invitesRequired,
      maxVerifiedPerInviterPerDay: campaign.invite.maxVerifiedPerInviterPerDay,
      whenClaimClosed: campaign.invite.whenClaimClosed,
    },
    blackCard: {
      rights: campaign.blackCard.rights.map((r) => ({
        title: r.title,
        description: r.description,
      })),
    },
    organizer: organizer
      ? {
          name: organizer.name,
          contact: organizer.contact,
          ...(organizer.address ? { address: organizer.address } : {}),
        }
      : null,
    contact: {
      title: campaign.groups.fallbackContact.title,
      ...(campaign.groups.fallbackContact.note
        ? { note: campaign.groups.fallbackContact.note }
        : {}),
    },
  };
}

/** What the coupon takes off, in words a customer reads at the counter. */
function couponTerms(t: CouponTemplate): string {
  const threshold = t.threshold ?? 0;
  const where = threshold > 0 ? `消费满 ${formatYuan(threshold)} 元可用，` : '无门槛，';
  if (t.kind === 'discount') {
    return `${where}按 ${describeCouponTemplate({ kind: 'discount', rate: t.rate })} 结算`;
  }
  return `${where}立减 ${formatYuan(t.amount ?? 0)} 元`;
}

function couponValidity(t: CouponTemplate): string {
  if (t.validUntil !== undefined) {
    return `有效期至 ${formatShanghai(new Date(t.validUntil), 'YYYY年M月D日 HH:mm')}`;
  }
  const days = t.validDays ?? 0;
  // validDays n: through the end of the Shanghai day n days after the issue day (domain/coupon)
  return days === 0
    ? '仅限领取当天使用'
    : `领取后 ${days} 天内有效（至领取日后第 ${days} 天 23:59）`;
}
