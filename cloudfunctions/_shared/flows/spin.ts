/**
 * What follows a recorded spin: the coupon it won, or the voucher of the physical prize it won
 * (实物奖品, Rewards issue 12). The spin's record (`consumeSpin`) is written first and holds the
 * decision; the wallet item's id derives from the spin, so `lottery.spin`, its retries and the
 * reconciler can all issue it and it exists once.
 */
import type { CouponTemplate } from '../campaign';
import type { CampaignDoc } from '../repositories/campaigns';
import {
  couponFromTemplate,
  findCoupon,
  issueCoupon,
  voucherFromPrize,
  type CouponDoc,
} from '../repositories/coupons';
import type { ParticipantDoc, SpinRecord } from '../repositories/participants';

export interface SpinEffects {
  coupon: CouponDoc | null;
  issuedNow: boolean;
}

export async function finishSpin(
  record: SpinRecord,
  participant: Pick<ParticipantDoc, 'openid' | 'campaignId'> & { inviteCode?: string },
  campaignDoc: CampaignDoc,
): Promise<SpinEffects> {
  if (!record.couponId) return { coupon: null, issuedNow: false };
  const common = {
    id: record.couponId,
    owner: participant.openid,
    ownerCode: participant.inviteCode,
    campaignId: participant.campaignId,
    source: 'lottery' as const,
    now: record.at,
  };
  let coupon: CouponDoc;
  if (record.kind === 'physical') {
    // the prize as configured now; one removed from the wheel since keeps its recorded name
    const prize = campaignDoc.config.lottery.prizes.find((p) => p.id === record.prizeId) ?? {
      id: record.prizeId,
      name: record.name,
    };
    coupon = voucherFromPrize({ ...common, prize });
  } else {
    const template = spinTemplate(record, campaignDoc);
    if (!template) return { coupon: await findCoupon(record.couponId), issuedNow: false };
    coupon = couponFromTemplate({ ...common, template });
  }
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
