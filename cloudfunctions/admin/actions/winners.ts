/**
 * Rewards (issue 12): fulfilling physical prizes.
 * - `winners.list`: the winners of one prize (wheel and ladder alike), newest first, a page at a
 *   time (an indexed query: never more than a page is read), each with its state and, for a
 *   shipped prize, the address the winner gave.
 * - `voucher.markSent`: the owner sent a shipped prize: that is its redemption (the same rule as
 *   a scan at the counter, recorded in the ledger as the owner's, store 快递寄出).
 */
import type { AdminResults, PrizeWinner } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { couponStatus } from '../../_shared/domain/coupon';
import { maskOpenid } from '../../_shared/domain/mask';
import { fail } from '../../_shared/errors';
import { couponLedgerRecord, toRedemptionEntry } from '../../_shared/flows/redemption';
import type { AdminDoc } from '../../_shared/repositories/admins';
import { findActiveCampaign } from '../../_shared/repositories/campaigns';
import { findCoupon, findPrizeWinners, type CouponDoc } from '../../_shared/repositories/coupons';
import { decodeCursor, encodeCursor } from '../../_shared/paging';
import { redeemItem } from './redeem';

type Context = ActionContext & { auth: AdminDoc };

export const WINNERS_PAGE = 20;

/** How the ledger names the owner's dispatch of a shipped prize. */
const SHIPPED_STORE = '快递寄出';

export async function listWinners(
  { prizeId, cursor }: { prizeId: string; cursor?: string },
  { now }: Context,
): Promise<AdminResults['winners.list']> {
  const campaign = await findActiveCampaign();
  if (!campaign) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
  const prize = campaign.config.lottery.prizes.find((p) => p.id === prizeId);
  if (!prize || prize.kind !== 'physical') return fail('NOT_FOUND', '没有这个实物奖品');
  const before = cursor ? decodeCursor(cursor) : null;
  const page = await findPrizeWinners(campaign._id, prizeId, before, WINNERS_PAGE + 1);
  const shown = page.slice(0, WINNERS_PAGE);
  const last = shown[shown.length - 1];
  return {
    prize: { id: prize.id, name: prize.name, fulfilment: prize.fulfilment ?? 'pickup' },
    items: shown.map((doc) => winnerOf(doc, now)),
    ...(page.length > WINNERS_PAGE && last
      ? { next: encodeCursor({ value: last.issuedAt, id: last._id }) }
      : {}),
  };
}

export async function markSent(
  { couponId }: { couponId: string },
  { now, auth }: Context,
): Promise<AdminResults['voucher.markSent']> {
  const voucher = await findCoupon(couponId);
  if (!voucher || voucher.kind !== 'prize') return fail('NOT_FOUND', '没有这件奖品');
  if (voucher.fulfilment !== 'shipping') return fail('CONFLICT', '这件奖品由顾客到店领取');
  if (!voucher.address) return fail('CONFLICT', '中奖者还没有填写收货地址');
  const sent = await redeemItem(
    voucher,
    { openid: auth._id, name: auth.name, store: SHIPPED_STORE },
    now,
  );
  return { redemption: toRedemptionEntry(couponLedgerRecord(sent), now, { owner: true }) };
}

function winnerOf(doc: CouponDoc, now: Date): PrizeWinner {
  const status = couponStatus(doc, now);
  const shipped = doc.fulfilment === 'shipping';
  const state: PrizeWinner['state'] =
    status === 'redeemed'
      ? shipped
        ? 'sent'
        : 'redeemed'
      : status === 'expired'
        ? 'expired'
        : doc.address
          ? 'address'
          : 'waiting';
  return {
    couponId: doc._id,
    userRef: doc.ownerCode ?? maskOpenid(doc.owner),
    source: doc.source === 'milestone' ? 'milestone' : 'lottery',
    wonAt: doc.issuedAt.toISOString(),
    state,
    ...(doc.address ? { address: doc.address } : {}),
    ...(doc.redeemedAt ? { redeemedAt: doc.redeemedAt.toISOString() } : {}),
  };
}
