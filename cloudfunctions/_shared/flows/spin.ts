/**
 * What follows a recorded spin: the coupon it won. The spin's record (`consumeSpin`) is written
 * first and holds the decision; the coupon's id derives from the spin, so `lottery.spin`, its
 * retries and the reconciler can all issue it and it exists once.
 */
import type { CouponTemplate } from '../campaign';
import type { CampaignDoc } from '../repositories/campaigns';
import {
  couponFromTemplate,
  findCoupon,
  issueCoupon,
  type CouponDoc,
} from '../repositories/coupons';
import type { ParticipantDoc, SpinRecord } from '../repositories/participants';

export interface SpinEffects {
  coupon: CouponDoc | null;
  issuedNow: boolean;
}

export async function finishSpin(
  record: SpinRecord,
  participant: Pick<ParticipantDoc, 'openid' | 'campaignId' | 'channel'>,
  campaignDoc: CampaignDoc,
): Promise<SpinEffects> {
  if (!record.couponId) return { coupon: null, issuedNow: false };
  const template = spinTemplate(record, campaignDoc);
  if (!template) return { coupon: await findCoupon(record.couponId), issuedNow: false };
  const coupon = couponFromTemplate({
    id: record.couponId,
    owner: participant.openid,
    campaignId: participant.campaignId,
    template,
    source: 'lottery',
    now: record.at,
    channel: participant.channel,
  });
  if (await issueCoupon(coupon)) return { coupon, issuedNow: true };
  return { coupon: await findCoupon(record.couponId), issuedNow: false };
}

function spinTemplate(record: SpinRecord, campaignDoc: CampaignDoc): CouponTemplate | undefined {
  const { config } = campaignDoc;
  const templateId =
    record.couponTemplateId ??
    config.lottery.prizes.find((p) => p.id === record.prizeId)?.couponTemplateId;
  return config.couponTemplates.find((t) => t.id === templateId);
}
