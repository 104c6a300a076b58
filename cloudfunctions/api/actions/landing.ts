/**
 * Performance (issue 14): the landing page's first screen from one call. `session.enter` with
 * `landing: true` answers, besides the session, what `campaign.get`, the claimed visitor's reward
 * and `reminders.get` would have: the campaign view (cached per warm container, as `campaign.get`
 * reads it), the reward as it stands (the claim's coupon: one read, for visitors who claimed), and
 * the reminder templates (from the config). Reads only: a coupon that an interrupted claim did not
 * issue yet is issued by the claim's retry or by the reconciler, never by opening the page.
 */
import { displayUrl } from '../../_shared/cloud';
import type { ApiResults, LandingView, PublicCampaign } from '../../_shared/contracts';
import { REMINDER_EVENTS } from '../../_shared/constants';
import type { ParticipantDoc } from '../../_shared/repositories/participants';
import type { CampaignDoc } from '../../_shared/repositories/campaigns';
import { findCoupon, toCoupon } from '../../_shared/repositories/coupons';
import { socialProof } from '../../_shared/social-proof';
import { publicCampaign } from '../../_shared/views';

/** The campaign as visitors read it (`campaign.get`): social proof included, the image displayable. */
export async function campaignView(campaignDoc: CampaignDoc, now: Date): Promise<PublicCampaign> {
  // Distribution (issue 10): 已有 N 人领取 · 仅剩 N 份, cached per warm container
  const proof = await socialProof(campaignDoc._id, campaignDoc.config, now);
  const view = publicCampaign(campaignDoc.config, now, proof, campaignDoc.status);
  view.magnet.image = await displayUrl(view.magnet.image);
  return view;
}

/** The reminder templates a campaign offers (`reminders.get`). */
export function reminderTemplatesOf(
  campaignDoc: CampaignDoc | null,
): ApiResults['reminders.get']['templates'] {
  const reminders = campaignDoc?.config.reminders ?? {};
  return REMINDER_EVENTS.flatMap((event) => {
    const template = reminders[event];
    return template ? [{ event, templateId: template.templateId }] : [];
  });
}

export async function landingView(
  campaignDoc: CampaignDoc | null,
  participant: ParticipantDoc | null,
  now: Date,
): Promise<LandingView> {
  const claim = participant?.claim;
  const [campaign, coupon] = await Promise.all([
    campaignDoc ? campaignView(campaignDoc, now) : null,
    claim?.couponId ? findCoupon(claim.couponId) : null,
  ]);
  return {
    campaign,
    ...(claim
      ? {
          reward: {
            ...(claim.resourceUrl ? { resourceUrl: await displayUrl(claim.resourceUrl) } : {}),
            ...(coupon ? { coupon: toCoupon(coupon, now) } : {}),
          },
        }
      : {}),
    reminders: reminderTemplatesOf(campaignDoc),
  };
}
