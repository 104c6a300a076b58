/**
 * The redemption ledger's steps (核销记录, Rewards issue 12). A redemption's record is the write
 * that made it — the coupon marked redeemed (`redeemCoupon`), the right's use counted
 * (`useRight`) — and it holds everything the ledger needs; the ledger record follows with an id
 * derived from it. A reversal's record is the ledger record marked reversed
 * (`reverseRedemption`); giving the coupon or the use back follows. The actions, their retries
 * and the reconciler all run these, so each happens once.
 */
import { REVERSAL_WINDOW_MS } from '../constants';
import type { RedemptionEntry } from '../contracts';
import { maskOpenid } from '../domain/mask';
import { shanghaiDayKey } from '../domain/time';
import { couponRedemptionId, redemptionIdFor } from '../ids';
import { unredeemCoupon, type CouponDoc } from '../repositories/coupons';
import type { RedemptionDoc } from '../repositories/redemptions';
import { giveBackRightUse, type RightUseDoc } from '../repositories/right-uses';
import { unmarkRedemption, type CountMove } from './redeem';
import { withdrawRepurchase } from './repurchase';

export { couponRedemptionId };

export function rightRedemptionId(useDocId: string, key: string): string {
  return redemptionIdFor(`right:${useDocId}:${key}`);
}

/** The ledger record of a coupon's or voucher's current redemption, from the coupon itself. */
export function couponLedgerRecord(coupon: CouponDoc): RedemptionDoc {
  if (!coupon.redeemedAt || !coupon.redeemedBy) throw new Error(`${coupon._id} is not redeemed`);
  // an item redeemed before redemptions were numbered was redeemed once
  const seq = coupon.redemptions ?? 1;
  return {
    _id: couponRedemptionId(coupon._id, seq),
    campaignId: coupon.campaignId,
    kind: coupon.kind === 'prize' ? 'voucher' : 'coupon',
    itemId: coupon._id,
    seq,
    use: null,
    owner: coupon.owner,
    memberRef: coupon.ownerCode ?? maskOpenid(coupon.owner),
    title: coupon.title,
    label: coupon.label,
    staff: coupon.redeemedBy,
    staffName: coupon.redeemedByName ?? '',
    store: coupon.redeemedStore ?? '',
    at: coupon.redeemedAt,
    dayKey: shanghaiDayKey(coupon.redeemedAt),
    reversedAt: null,
    reversal: null,
  };
}

/** The ledger record of one use (`key`) of a right. */
export function rightLedgerRecord(use: RightUseDoc, key: string): RedemptionDoc {
  const entry = use.uses[key];
  return {
    _id: rightRedemptionId(use._id, key),
    campaignId: use.campaignId,
    kind: 'right',
    itemId: use.rightId,
    seq: null,
    use: { docId: use._id, key },
    owner: use.owner,
    memberRef: use.ownerCode,
    title: entry.title,
    label: entry.label,
    staff: entry.staff,
    staffName: entry.staffName,
    store: entry.store,
    at: entry.at,
    dayKey: shanghaiDayKey(entry.at),
    reversedAt: null,
    reversal: null,
  };
}

export interface ReversalEffects {
  /** this call gave the coupon or the right's use back */
  givenBack: boolean;
  /** Retention (issue 15): this call took the redemption off its member's count */
  count: CountMove | null;
  /** Retention (issue 15): this call withdrew the repurchase coupon it had earned */
  withdrawn: boolean;
}

/**
 * Undoes what a reversed redemption did, each step once: a coupon's redemption stops counting on
 * its member (before the coupon comes back, so a new redemption of it counts afresh), the coupon
 * comes back, and the repurchase coupon it earned is withdrawn if unused (flows/repurchase); a
 * right's use is given back.
 */
export async function finishReversal(record: RedemptionDoc): Promise<ReversalEffects> {
  const none: ReversalEffects = { givenBack: false, count: null, withdrawn: false };
  if (!record.reversedAt) return none;
  if (record.use) {
    const givenBack = await giveBackRightUse(record.use.docId, record.use.key, record.reversedAt);
    return { ...none, givenBack };
  }
  if (record.seq === null) return none;
  const count = await unmarkRedemption(record);
  const givenBack = await unredeemCoupon(record.itemId, record.seq);
  const withdrawn = await withdrawRepurchase(record);
  return { givenBack, count, withdrawn };
}

/** A ledger line as staff and owners read it. */
export function toRedemptionEntry(
  record: RedemptionDoc,
  now: Date,
  viewer: { owner: boolean },
): RedemptionEntry {
  return {
    id: record._id,
    kind: record.kind,
    title: record.title,
    label: record.label,
    memberRef: record.memberRef,
    staffName: record.staffName,
    store: record.store,
    at: record.at.toISOString(),
    reversible:
      viewer.owner &&
      !record.reversedAt &&
      now.getTime() - record.at.getTime() <= REVERSAL_WINDOW_MS,
    ...(record.reversal
      ? {
          reversal: {
            at: record.reversal.at.toISOString(),
            byName: record.reversal.byName,
            reason: record.reversal.reason,
          },
        }
      : {}),
  };
}
