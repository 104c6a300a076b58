/** What the visitor may see of server-side records: no weights, no stock, no openids. */
import type { Campaign } from './campaign';
import type { PublicCampaign } from './contracts';
import { describeCouponTemplate } from './domain/coupon';
import { campaignStatus, type StoredStatus } from './domain/lifecycle';
import { qualifyingAction } from './domain/qualify';

export function publicCampaign(
  campaign: Campaign,
  now: Date,
  /** Distribution (issue 10): 已有 N 人领取, 仅剩 N 份 (social-proof.ts) */
  socialProof: PublicCampaign['socialProof'],
  // Operator studio (issue 9): the stored lifecycle status (absent = published)
  stored?: StoredStatus,
): PublicCampaign {
  const template = campaign.couponTemplates.find(
    (t) => t.id === campaign.magnet.reward.couponTemplateId,
  );
  const status = campaignStatus(stored, campaign, now);
  return {
    id: campaign.id,
    title: campaign.title,
    startAt: campaign.startAt,
    endAt: campaign.endAt,
    serverNow: now.toISOString(),
    magnet: {
      title: campaign.magnet.title,
      description: campaign.magnet.description,
      image: campaign.magnet.image,
      claimWindow: { ...campaign.magnet.claimWindow },
      reward: {
        hasResource: Boolean(campaign.magnet.reward.resourceUrl),
        ...(template
          ? { coupon: { title: template.title, label: describeCouponTemplate(template) } }
          : {}),
      },
    },
    wheel: {
      sectors: campaign.lottery.prizes.map((p) => ({ id: p.id, name: p.name, kind: p.kind })),
    },
    blackCard: {
      invitesRequired: campaign.blackCard.invitesRequired,
      rights: campaign.blackCard.rights.map((r) => ({ ...r })),
    },
    groupsAfter: campaign.groups.after,
    socialProof,
    // Operator studio (issue 9)
    status,
    qualifyingAction: status === 'live' ? qualifyingAction(campaign, now) : null,
    // People console (issue 13)
    leaderboard: campaign.leaderboard.public,
  };
}
