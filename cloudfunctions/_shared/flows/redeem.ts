/**
 * What follows a redemption (People console, issue 13). The coupon's redemption
 * (`redeemCoupon`) is the record; its owner's participant then counts it — the tag the rules
 * give a redemption (S by default) and their leaders' figures — keyed by the coupon, so
 * `coupon.redeem`, its retries and the reconciler can all run it and it happens once.
 *
 * Retention (issue 15): the count moves from the one read (`markRedeemed` on the stored count),
 * so the caller knows a member's first redemption from their second (复购); a reversal takes its
 * redemption back the same way (`unmarkRedemption`).
 */
import type { TagRules } from '../campaign';
import { participantId } from '../collections';
import { rankAfter, rankForFact } from '../domain/tags';
import type { CouponDoc } from '../repositories/coupons';
import {
  findParticipantById,
  markRedeemed,
  unmarkRedeemed,
  type ParticipantDoc,
} from '../repositories/participants';

/** A member's redemption count moving (the repurchase figures follow it, domain/tally). */
export interface CountMove {
  channel: string;
  from: number;
  to: number;
}

export interface RedemptionEffects {
  /** this run counted it */
  markedNow: boolean;
  /** the owner's tag moved from → to (a member's; for the counters) */
  tag?: { from: number | undefined; to: number };
  /** Retention (issue 15): the member's count moved (a member's; for the counters) */
  count?: CountMove;
}

type Holder = Pick<
  ParticipantDoc,
  'tagRank' | 'enteredAt' | 'channel' | 'redemptions' | 'redeemed'
>;

/** Concurrent redemptions of one member's coupons each re-read the count (two cashiers at most). */
const MARK_ATTEMPTS = 5;

const marks = (holder: Holder, couponId: string) =>
  Object.prototype.hasOwnProperty.call(holder.redeemed ?? {}, couponId);

export async function finishRedemption(
  coupon: Pick<CouponDoc, '_id' | 'owner' | 'campaignId' | 'redeemedAt'>,
  owner: Holder | null,
  rules: TagRules,
): Promise<RedemptionEffects> {
  if (!coupon.redeemedAt) return { markedNow: false };
  const tagRank = rankForFact('redeemed', rules);
  const id = participantId(coupon.campaignId, coupon.owner);
  let holder = owner;
  for (let attempt = 0; holder && attempt < MARK_ATTEMPTS; attempt++) {
    if (marks(holder, coupon._id)) return { markedNow: false };
    const seen = holder.redemptions;
    if (await markRedeemed(id, coupon._id, coupon.redeemedAt, tagRank, seen)) {
      if (!holder.enteredAt) return { markedNow: true };
      const from = seen ?? 0;
      return {
        markedNow: true,
        tag: { from: holder.tagRank, to: rankAfter(holder.tagRank, tagRank) },
        count: { channel: holder.channel, from, to: from + 1 },
      };
    }
    // another redemption of theirs moved the count (or this one was counted meanwhile)
    holder = await findParticipantById(id);
  }
  // the reconciler counts what was left (cron/people)
  return { markedNow: false };
}

/**
 * Retention (issue 15): a reversed redemption (of `couponId`, made `at`) stops counting on its
 * member, once; answers the count's move when this call made it.
 */
export async function unmarkRedemption(redemption: {
  owner: string;
  campaignId: string;
  itemId: string;
  at: Date;
}): Promise<CountMove | null> {
  const id = participantId(redemption.campaignId, redemption.owner);
  for (let attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
    const holder = await findParticipantById(id);
    if (!holder || !marksRedemption(holder, redemption)) return null;
    const seen = holder.redemptions ?? Object.keys(holder.redeemed ?? {}).length;
    if (await unmarkRedeemed(id, redemption.itemId, redemption.at, seen)) {
      return holder.enteredAt ? { channel: holder.channel, from: seen, to: seen - 1 } : null;
    }
  }
  return null;
}

/** The member still counts this very redemption (the coupon's mark carries its time). */
export function marksRedemption(
  holder: Pick<ParticipantDoc, 'redeemed'>,
  redemption: { itemId: string; at: Date },
): boolean {
  const redeemed = holder.redeemed ?? {};
  return (
    Object.prototype.hasOwnProperty.call(redeemed, redemption.itemId) &&
    redeemed[redemption.itemId].getTime() === redemption.at.getTime()
  );
}
