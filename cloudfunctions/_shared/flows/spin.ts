/**
 * What follows a recorded spin: the coupon it won, or the voucher of the physical prize it won
 * (实物奖品, Rewards issue 12), and (operator studio, issue 9) the inviter's credit when the spin
 * was the invitee's qualifying action. The spin's record (`consumeSpin`) is written first and
 * holds the decision; the wallet item's id derives from the spin and the credit is keyed by the
 * invitee, so `lottery.spin`, its retries and the reconciler can all run these steps and each
 * happens once.
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
import { creditInviter, type CreditOutcome } from './credit';

export interface SpinEffects {
  coupon: CouponDoc | null;
  issuedNow: boolean;
  credit: CreditOutcome | null;
}

export async function finishSpin(
  record: SpinRecord,
  participant: Pick<
    ParticipantDoc,
    '_id' | 'openid' | 'campaignId' | 'inviteCode' | 'invite' | 'channel'
  >,
  campaignDoc: CampaignDoc,
  now: Date,
): Promise<SpinEffects> {
  const { coupon, issuedNow } = await issueSpinCoupon(record, participant, campaignDoc);
  const credit =
    record.verifiedInvite && participant.invite?.status === 'verified'
      ? // judged when this runs, as a claim's credit is (flows/claim.ts)
        await creditInviter(participant, campaignDoc.config, now)
      : null;
  return { coupon, issuedNow, credit };
}

async function issueSpinCoupon(
  record: SpinRecord,
  participant: Pick<ParticipantDoc, 'openid' | 'campaignId' | 'channel' | 'inviteCode'>,
  campaignDoc: CampaignDoc,
): Promise<{ coupon: CouponDoc | null; issuedNow: boolean }> {
  if (!record.couponId) return { coupon: null, issuedNow: false };
  const common = {
    id: record.couponId,
    owner: participant.openid,
    ownerCode: participant.inviteCode,
    campaignId: participant.campaignId,
    source: 'lottery' as const,
    now: record.at,
    channel: participant.channel,
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
