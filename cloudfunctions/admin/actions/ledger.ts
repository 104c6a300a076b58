/**
 * Rewards (issue 12): the redemption ledger (核销记录).
 * - `redemptions.list`: staff see their own (and 今日已核销 N); owners see everyone's in the
 *   active campaign (or their own), newest first, a page at a time.
 * - `redemptions.reverse`: an owner undoes a mistaken redemption within 24 h, with a reason. The
 *   ledger record is marked reversed (once, `reverseRedemption`), never deleted; then the coupon
 *   or the right's use comes back (`finishReversal`, once). A retry, or a concurrent reversal,
 *   answers the reversal that happened. Retention (issue 15): the redemption leaves its member's
 *   count and its day's figures, and its unused repurchase coupon is withdrawn.
 */
import { REVERSAL_WINDOW_MS } from '../../_shared/constants';
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { shanghaiDayKey } from '../../_shared/domain/time';
import { fail } from '../../_shared/errors';
import {
  finishReversal,
  toRedemptionEntry,
  type ReversalEffects,
} from '../../_shared/flows/redemption';
import { couponFaceValue } from '../../_shared/domain/coupon';
import { redeemerMoves } from '../../_shared/domain/tally';
import { withDays } from '../../_shared/domain/trends';
import { findCoupon } from '../../_shared/repositories/coupons';
import type { AdminDoc } from '../../_shared/repositories/admins';
import { findActiveCampaign } from '../../_shared/repositories/campaigns';
import {
  addIncrements,
  bumpCounters,
  type CounterIncrements,
} from '../../_shared/repositories/counters';
import {
  countStaffDay,
  findRedemption,
  pageRedemptions,
  reverseRedemption,
  type RedemptionDoc,
} from '../../_shared/repositories/redemptions';
import { decodeCursor, encodeCursor } from '../../_shared/paging';

type Context = ActionContext & { auth: AdminDoc };

/** Ledger lines per page. */
export const LEDGER_PAGE = 20;

export async function listRedemptions(
  { scope, cursor }: { scope?: 'mine' | 'all'; cursor?: string },
  { caller, now, auth }: Context,
): Promise<AdminResults['redemptions.list']> {
  const owner = auth.role === 'owner';
  const after = cursor ? decodeCursor(cursor) : null;
  let where: { staff: string } | { campaignId: string } = { staff: caller.openid };
  if (owner && scope !== 'mine') {
    const campaign = await findActiveCampaign();
    if (!campaign) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
    where = { campaignId: campaign._id };
  }
  const [page, todayCount] = await Promise.all([
    pageRedemptions(where, after, LEDGER_PAGE + 1),
    countStaffDay(caller.openid, shanghaiDayKey(now)),
  ]);
  const shown = page.slice(0, LEDGER_PAGE);
  const last = shown[shown.length - 1];
  return {
    todayCount,
    items: shown.map((record) => toRedemptionEntry(record, now, { owner })),
    ...(page.length > LEDGER_PAGE && last
      ? { next: encodeCursor({ value: last.at, id: last._id }) }
      : {}),
  };
}

export async function reverse(
  { redemptionId, reason }: { redemptionId: string; reason: string },
  { caller, now, auth }: Context,
): Promise<AdminResults['redemptions.reverse']> {
  const record = await findRedemption(redemptionId);
  if (!record) return fail('NOT_FOUND', '没有这条核销记录');
  if (record.reversedAt) return settled(record, now);
  const windowStart = new Date(now.getTime() - REVERSAL_WINDOW_MS);
  if (record.at < windowStart) return fail('FORBIDDEN', '超过 24 小时的核销不能撤销');
  const reversal = { at: now, by: caller.openid, byName: auth.name, reason };
  if (!(await reverseRedemption(redemptionId, reversal, windowStart))) {
    // A concurrent reversal won: answer it (and finish what it may not have).
    const again = await findRedemption(redemptionId);
    if (again?.reversedAt) return settled(again, now);
    return fail('CONFLICT', '撤销冲突，请重试');
  }
  const reversed: RedemptionDoc = { ...record, reversedAt: now, reversal };
  const effects = await finishReversal(reversed);
  await bumpCounters(record.campaignId, await reversalIncrements(record, effects));
  return { redemption: toRedemptionEntry(reversed, now, { owner: true }), reversedNow: true };
}

/**
 * What a reversal made now takes off the counters: the redemption, from the day it was made (its
 * value and channel read from the coupon), and the member's repurchase figures.
 */
async function reversalIncrements(
  record: RedemptionDoc,
  effects: ReversalEffects,
): Promise<CounterIncrements> {
  const { count } = effects;
  const increments = count ? redeemerMoves(count.channel, count.from, count.to) : {};
  if (!effects.givenBack || record.kind === 'right') return increments;
  const coupon = await findCoupon(record.itemId);
  const value = coupon ? couponFaceValue(coupon) : 0;
  const taken: CounterIncrements = {
    couponsRedeemed: -1,
    redeemedValue: -value,
    ...(coupon?.channel
      ? {
          [`channels.${coupon.channel}.couponsRedeemed`]: -1,
          [`channels.${coupon.channel}.redeemedValue`]: -value,
          [`channels.${coupon.channel}.revenue`]: -(coupon.basket ?? 0),
        }
      : {}),
  };
  return addIncrements(increments, withDays(taken, record.at));
}

/** A reversal that happened before: finish it (the coupon or use comes back once) and answer it. */
async function settled(
  record: RedemptionDoc,
  now: Date,
): Promise<AdminResults['redemptions.reverse']> {
  await finishReversal(record);
  return { redemption: toRedemptionEntry(record, now, { owner: true }), reversedNow: false };
}
