/**
 * `coupon.redeem` (核销): staff scan the customer's QR; each coupon — or physical prize's voucher
 * (实物奖品) — is redeemed exactly once, by one rule (`redeemCoupon`). The cashier who redeemed it
 * is told so again however often they rescan (a reply lost to a bad connection must not read as
 * "already redeemed" to the person who did it); anyone else is told it was used.
 *
 * Rewards (issue 12): every redemption goes into the ledger (核销记录) with the staff member and
 * their store. The coupon's write is the record; the ledger's follows, keyed by it, so a rescan
 * by the same cashier (or the reconciler) writes a ledger record the first call died before.
 *
 * Retention (issue 15): so does the repurchase coupon a coupon's redemption earns (复购券,
 * flows/repurchase), and the member's redemption count moves from the one read (复购率).
 */
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { couponFaceValue, couponStatus, type CouponStatus } from '../../_shared/domain/coupon';
import { verifyRedeemToken } from '../../_shared/domain/redeem-token';
import { DEFAULT_TAG_RULES, type Campaign } from '../../_shared/campaign';
import { redeemerMoves } from '../../_shared/domain/tally';
import { tagCounterMoves } from '../../_shared/domain/tags';
import { withDays } from '../../_shared/domain/trends';
import { fail } from '../../_shared/errors';
import { couponLedgerRecord } from '../../_shared/flows/redemption';
import { finishRedemption, type RedemptionEffects } from '../../_shared/flows/redeem';
import { issueRepurchase } from '../../_shared/flows/repurchase';
import type { AdminDoc } from '../../_shared/repositories/admins';
import { activeCampaign, findCampaign } from '../../_shared/repositories/campaigns';
import { bumpCommunity } from '../../_shared/repositories/community';
import { bumpCounters, type CounterIncrements } from '../../_shared/repositories/counters';
import {
  findCoupon,
  redeemCoupon,
  type CouponDoc,
  type Redeemer,
} from '../../_shared/repositories/coupons';
import { findParticipant } from '../../_shared/repositories/participants';
import { recordRedemption } from '../../_shared/repositories/redemptions';
import { REDEEM_TOKEN_SECRET, secret } from '../../_shared/repositories/secrets';
import { findUser } from '../../_shared/repositories/users';

export const TOKEN_PROBLEMS = {
  malformed: '这不是有效的核销码',
  forged: '核销码无效（签名不符）',
  stale: '核销码已过期，请让顾客刷新页面后重新出示',
} as const;

/** The staff member as the ledger records them. */
export function redeemerOf(admin: AdminDoc): Redeemer {
  return { openid: admin._id, name: admin.name, store: admin.store ?? '' };
}

export async function redeem(
  { token }: { token: string },
  { now, auth }: ActionContext & { auth: AdminDoc },
): Promise<AdminResults['coupon.redeem']> {
  const check = verifyRedeemToken(token, await secret(REDEEM_TOKEN_SECRET, now), now);
  if (!check.ok) return fail('BAD_TOKEN', TOKEN_PROBLEMS[check.reason]);
  const coupon = await findCoupon(check.couponId);
  if (!coupon) return fail('NOT_FOUND', '优惠券不存在');
  const redeemed = await redeemItem(coupon, redeemerOf(auth), now);
  return {
    couponId: redeemed._id,
    title: redeemed.title,
    label: redeemed.label,
    redeemedAt: (redeemed.redeemedAt as Date).toISOString(),
    kind: redeemed.kind,
  };
}

/**
 * Redeems a coupon or voucher for `by` and writes its ledger record; answers the item as
 * redeemed. `by`'s own earlier redemption of it (a rescan, a lost reply) is answered as done.
 */
export async function redeemItem(coupon: CouponDoc, by: Redeemer, now: Date): Promise<CouponDoc> {
  // People console (issue 13): the owner (a block), their participant (tag, leaders) and the tag
  // rules of the coupon's campaign (the active one is cached: usually no read)
  const [owner, holder, campaign] = await Promise.all([
    findUser(coupon.owner),
    findParticipant(coupon.campaignId, coupon.owner),
    campaignOf(coupon.campaignId, now),
  ]);
  const rules = campaign?.growthTags.rules ?? DEFAULT_TAG_RULES;
  // What follows the redemption, each keyed by it (a rescan or the reconciler finds it done):
  // the ledger record (issue 12), the owner's participant counting it (issue 13) and the
  // repurchase coupon it earns (issue 15).
  const follow = async (redeemed: CouponDoc): Promise<Followed> => {
    await recordRedemption(couponLedgerRecord(redeemed));
    const effects = await finishRedemption(redeemed, holder, rules);
    const repurchase = campaign ? await issueRepurchase(redeemed, campaign) : null;
    return { ...effects, repurchaseIssued: repurchase !== null };
  };
  const refuse = (status: CouponStatus): never => {
    if (status === 'redeemed') return fail('COUPON_ALREADY_REDEEMED', '这张券已经核销过了');
    if (status === 'expired') return fail('COUPON_EXPIRED', '这张券已过期');
    return fail('CONFLICT', '核销冲突，请重试');
  };
  const mine = (doc: CouponDoc) => doc.redeemedAt !== null && doc.redeemedBy === by.openid;
  if (mine(coupon)) {
    await follow(coupon);
    return coupon;
  }
  const before = couponStatus(coupon, now);
  if (before !== 'available') return refuse(before);
  // People console (issue 13): a blocked member's coupons are not redeemed
  if (owner?.blocked) return fail('RISK_BLOCKED', '这位会员已被停用，券暂不能核销');
  const seq = await redeemCoupon(coupon, by, now);
  if (seq === null) {
    // Another scan won the race (or this one's reply was lost): say what happened to it.
    const after = await findCoupon(coupon._id);
    if (after && mine(after)) {
      await follow(after);
      return after;
    }
    return refuse(after ? couponStatus(after, now) : 'available');
  }
  const redeemed: CouponDoc = {
    ...coupon,
    redeemedAt: now,
    redeemedBy: by.openid,
    redeemedByName: by.name,
    redeemedStore: by.store,
    status: 'redeemed',
    redemptions: seq,
  };
  const effects = await follow(redeemed);
  await bumpCounters(coupon.campaignId, withDays(redemptionIncrements(coupon, effects), now));
  if (effects.markedNow) {
    await bumpCommunity(coupon.campaignId, holder?.invite?.leaders ?? [], 'redemptions', now);
  }
  return redeemed;
}

type Followed = RedemptionEffects & { repurchaseIssued: boolean };

/** What a redemption made now adds to the counters (its daily twins on its day: withDays). */
function redemptionIncrements(coupon: CouponDoc, effects: Followed): CounterIncrements {
  const value = couponFaceValue(coupon);
  return {
    couponsRedeemed: 1,
    redeemedValue: value,
    // per channel (issue 10); a coupon issued before channels were kept on coupons has none
    ...(coupon.channel
      ? {
          [`channels.${coupon.channel}.couponsRedeemed`]: 1,
          [`channels.${coupon.channel}.redeemedValue`]: value,
          [`channels.${coupon.channel}.revenue`]: coupon.basket ?? 0,
        }
      : {}),
    ...(effects.tag ? tagCounterMoves(effects.tag.from, effects.tag.to) : {}),
    // Retention (issue 15): 复购 figures, and the repurchase coupon issued
    ...(effects.count
      ? redeemerMoves(effects.count.channel, effects.count.from, effects.count.to)
      : {}),
    ...(effects.repurchaseIssued ? { couponsIssued: 1 } : {}),
  };
}

/** The coupon's campaign (the active one is cached: usually no read). */
async function campaignOf(campaignId: string, now: Date): Promise<Campaign | null> {
  const active = await activeCampaign(now);
  const doc = active?._id === campaignId ? active : await findCampaign(campaignId);
  return doc?.config ?? null;
}
