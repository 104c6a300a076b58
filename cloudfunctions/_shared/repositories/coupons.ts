/**
 * Issued coupons (优惠券), and the vouchers of physical prizes (实物奖品): both are wallet items,
 * shown with their own look, redeemed by the same rule. Ids are derived from what issued them
 * (the claim, the spin, the milestone), so a retried issue finds the item already there instead
 * of issuing a second one.
 *
 * | operation         | rule                                                                    |
 * | ----------------- | ----------------------------------------------------------------------- |
 * | issueCoupon       | one wallet item per cause (derived `_id`)                              |
 * | redeemCoupon      | one redemption at a time: unredeemed, still valid (or its address given), and the redemption count read is still the stored one |
 * | unredeemCoupon    | a reversed redemption gives the item back once (that redemption only)   |
 * | setVoucherAddress | a shipped prize's address, until it is sent (before expiry the first time) |
 * | withdrawCoupon    | an unused coupon is withdrawn once (issue 15: a reversed redemption's 复购券) |
 */
import type { CouponTemplate, Prize } from '../campaign';
import { COLLECTIONS } from '../collections';
import type { Coupon, ShippingAddress } from '../contracts';
import { byId, byIds, command, countWhere, insert, many, updateWhere } from '../db';
import { couponExpiry, couponStatus, describeCouponTemplate } from '../domain/coupon';
import { endOfShanghaiDay } from '../domain/time';
import { db } from '../cloud';
import { WALLET_LIMIT } from '../limits';
import { keysetPage, pageById, type KeyCursor } from '../paging';

export interface CouponDoc {
  _id: string;
  owner: string;
  campaignId: string;
  templateId: string;
  title: string;
  label: string;
  kind: 'discount' | 'cash' | 'prize';
  rate: number | null;
  threshold: number | null;
  amount: number | null;
  /** `milestone`: a ladder step's reward (issue 12); `grant`: the owner's reward to a KOC (issue 13) */
  source: 'magnet' | 'lottery' | 'milestone' | 'grant' | 'repurchase';
  /** stored status: `available` until redeemed or until the hourly job marks it expired */
  status: 'available' | 'redeemed' | 'expired';
  issuedAt: Date;
  expiresAt: Date;
  redeemedAt: Date | null;
  redeemedBy: string | null;
  // Distribution (issue 10); absent on coupons issued before it
  /** the channel the owner came by in this campaign (their participant's), fixed at issue */
  channel?: string | null;
  /** the template's basket estimate (客单价估算) at issue, fen: what a redemption is worth */
  basket?: number | null;
  // Rewards (issue 12); absent on items issued before
  /** the owner's invite code: how operators see who holds it */
  ownerCode?: string;
  /** how many times it was redeemed (a reversal gives it back): numbers each redemption */
  redemptions?: number;
  redeemedByName?: string | null;
  redeemedStore?: string | null;
  /** a prize voucher: the prize, and how it reaches the winner */
  prizeId?: string | null;
  fulfilment?: 'pickup' | 'shipping' | null;
  address?: ShippingAddress | null;
  addressAt?: Date | null;
  // Retention (issue 15)
  /** a repurchase coupon (复购券): the redemption (ledger id) that earned it */
  repurchaseOf?: string;
  /** taken back unused (its redemption was reversed): it expired then */
  withdrawnAt?: Date | null;
}

/** Who redeems: the staff member, as named and bound to a store in `admins`. */
export interface Redeemer {
  openid: string;
  name: string;
  store: string;
}

/** Days a prize voucher can be picked up (or its address given) when the prize does not say. */
export const DEFAULT_CLAIM_DAYS = 30;

export { couponIdFor } from '../ids';

/** Who holds a new wallet item and why: what every item is issued with. */
export interface IssueFields {
  id: string;
  owner: string;
  /** the owner's invite code (how operators see them) */
  ownerCode?: string;
  campaignId: string;
  source: CouponDoc['source'];
  now: Date;
  /** Distribution (issue 10): the owner's channel */
  channel?: string;
  /** Retention (issue 15): the redemption a repurchase coupon follows */
  repurchaseOf?: string;
}

function issued(fields: IssueFields) {
  return {
    _id: fields.id,
    owner: fields.owner,
    ...(fields.ownerCode ? { ownerCode: fields.ownerCode } : {}),
    redemptions: 0,
    campaignId: fields.campaignId,
    source: fields.source,
    status: 'available' as const,
    issuedAt: fields.now,
    redeemedAt: null,
    redeemedBy: null,
    channel: fields.channel ?? null,
    ...(fields.repurchaseOf ? { repurchaseOf: fields.repurchaseOf } : {}),
  };
}

export function couponFromTemplate(fields: IssueFields & { template: CouponTemplate }): CouponDoc {
  const { template } = fields;
  return {
    ...issued(fields),
    templateId: template.id,
    title: template.title,
    label: describeCouponTemplate(template),
    kind: template.kind,
    rate: template.rate ?? null,
    threshold: template.threshold ?? null,
    amount: template.amount ?? null,
    expiresAt: couponExpiry(template, fields.now),
    basket: template.basket ?? null,
  };
}

/**
 * Rewards (issue 12): the voucher of a physical prize (实物奖品), won at the wheel or granted by
 * a milestone. It can be picked up (staff scan its code) or, for a shipped prize, given an address
 * until the end of the Shanghai day `claimDays` after the win.
 */
export function voucherFromPrize(
  fields: IssueFields & { prize: Pick<Prize, 'id' | 'name' | 'fulfilment' | 'claimDays'> },
): CouponDoc {
  const { prize } = fields;
  return {
    ...issued(fields),
    templateId: prize.id,
    title: prize.name,
    label: '实物奖品',
    kind: 'prize',
    rate: null,
    threshold: null,
    amount: null,
    expiresAt: endOfShanghaiDay(fields.now, prize.claimDays ?? DEFAULT_CLAIM_DAYS),
    prizeId: prize.id,
    fulfilment: prize.fulfilment ?? 'pickup',
    address: null,
    addressAt: null,
  };
}

/**
 * Rule: one coupon per cause. The id is derived from what issued it (the claim, the spin), so a
 * retried issue finds it already there instead of issuing a second one; either way it exists
 * afterwards. True when this call issued it.
 */
export function issueCoupon(coupon: CouponDoc): Promise<boolean> {
  return insert(COLLECTIONS.coupons, coupon);
}

export function findCouponsByIds(ids: readonly string[]): Promise<CouponDoc[]> {
  return byIds<CouponDoc>(COLLECTIONS.coupons, ids);
}

/** Coupons a campaign issued, and how many of them were redeemed (index: campaignId). */
export async function countCampaignCoupons(
  campaignId: string,
): Promise<{ issued: number; redeemed: number }> {
  const [issued, redeemed] = await Promise.all([
    countWhere(COLLECTIONS.coupons, { campaignId }),
    countWhere(COLLECTIONS.coupons, { campaignId, redeemedAt: command().neq(null) }),
  ]);
  return { issued, redeemed };
}

export function findCoupon(id: string): Promise<CouponDoc | null> {
  return byId<CouponDoc>(COLLECTIONS.coupons, id);
}

/** A user's coupons, newest first (index: owner + issuedAt). */
export function findCouponsOf(owner: string): Promise<CouponDoc[]> {
  return many<CouponDoc>(
    db()
      .collection(COLLECTIONS.coupons)
      .where({ owner })
      .orderBy('issuedAt', 'desc')
      .limit(WALLET_LIMIT),
  );
}

/**
 * Rule: one redemption at a time, for coupons and prize vouchers alike. Marks the item redeemed
 * only if it is still unredeemed, still valid (a shipped prize whose address was given stays
 * valid: the winner did their part in time), and redeemed as many times as `coupon` says (a
 * reversal in between makes the read stale). Answers the redemption's number (1 the first time,
 * 2 after a reversal…), which names its ledger record, or null when this call did not redeem it.
 */
export async function redeemCoupon(
  coupon: CouponDoc,
  by: Redeemer,
  now: Date,
): Promise<number | null> {
  const _ = command();
  const seen = coupon.redemptions ?? 0;
  const changed = await updateWhere(
    COLLECTIONS.coupons,
    {
      _id: coupon._id,
      redeemedAt: _.eq(null),
      redemptions: coupon.redemptions === undefined ? _.exists(false) : seen,
      ...(coupon.address ? { address: _.neq(null) } : { expiresAt: _.gte(now) }),
    },
    {
      redeemedAt: now,
      redeemedBy: by.openid,
      redeemedByName: by.name,
      redeemedStore: by.store,
      status: 'redeemed',
      redemptions: seen + 1,
    },
  );
  return changed === 1 ? seen + 1 : null;
}

/** Rule: a reversed redemption (number `seq`) gives the item back, once. */
export async function unredeemCoupon(id: string, seq: number): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.coupons,
    { _id: id, redemptions: seq, redeemedAt: _.neq(null) },
    {
      redeemedAt: null,
      redeemedBy: null,
      redeemedByName: null,
      redeemedStore: null,
      status: 'available',
    },
  );
  return changed === 1;
}

/**
 * Retention (issue 15), rule: an unused coupon is withdrawn once — it expires at `at`, and stays
 * in its owner's wallet as expired. A coupon already used is never taken back.
 */
export async function withdrawCoupon(id: string, at: Date): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.coupons,
    { _id: id, redeemedAt: _.eq(null), withdrawnAt: _.eq(null) },
    { withdrawnAt: at, expiresAt: at, status: 'expired' },
  );
  return changed === 1;
}

/**
 * Rule: a shipped prize's address is the winner's to give (before its deadline) and to correct
 * (until it is sent). `hadAddress` is what the caller read: the condition follows it.
 */
export async function setVoucherAddress(
  id: string,
  owner: string,
  address: ShippingAddress,
  hadAddress: boolean,
  now: Date,
): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.coupons,
    {
      _id: id,
      owner,
      fulfilment: 'shipping',
      redeemedAt: _.eq(null),
      ...(hadAddress ? { address: _.neq(null) } : { expiresAt: _.gte(now) }),
    },
    { address: _.set(address), addressAt: now },
  );
  return changed === 1;
}

/**
 * Items still available that expire in (`from`, `to`], one page in expiry order after `after`
 * (index: status + expiresAt). A shipped prize whose address was given is not waiting on anyone.
 */
export function findCouponsExpiring(
  from: Date,
  to: Date,
  after: KeyCursor | null,
  limit: number,
): Promise<CouponDoc[]> {
  const _ = command();
  return keysetPage<CouponDoc>(
    COLLECTIONS.coupons,
    { status: 'available', address: _.eq(null) },
    { field: 'expiresAt', order: 'asc', range: _.gt(from).and(_.lte(to)) },
    after,
    limit,
  );
}

/** A campaign's items redeemed since `since`, one page after `afterId` (index: by_campaign). */
export function findRedeemedSince(
  campaignId: string,
  since: Date,
  afterId: string | null,
  limit: number,
): Promise<CouponDoc[]> {
  return pageById<CouponDoc>(
    COLLECTIONS.coupons,
    { campaignId, redeemedAt: command().gte(since) },
    afterId,
    limit,
  );
}

/**
 * The winners of one prize, newest first, one page (index: campaignId + prizeId + issuedAt):
 * the fulfilment list never reads more than a page.
 */
export function findPrizeWinners(
  campaignId: string,
  prizeId: string,
  before: KeyCursor | null,
  limit: number,
): Promise<CouponDoc[]> {
  return keysetPage<CouponDoc>(
    COLLECTIONS.coupons,
    { campaignId, prizeId },
    { field: 'issuedAt', order: 'desc' },
    before,
    limit,
  );
}

/**
 * The hourly job: stored status follows expiry (reads never depend on it, see toCoupon). A
 * shipped prize whose address was given does not expire: it waits for the owner to send it.
 */
export function markExpiredCoupons(now: Date): Promise<number> {
  const _ = command();
  return updateWhere(
    COLLECTIONS.coupons,
    { status: 'available', expiresAt: _.lt(now), address: _.eq(null) },
    { status: 'expired' },
  );
}

/** What the owner sees; the status is computed from `now`, so it is right between cron runs. */
export function toCoupon(doc: CouponDoc, now: Date): Coupon {
  return {
    id: doc._id,
    templateId: doc.templateId,
    title: doc.title,
    label: doc.label,
    kind: doc.kind,
    ...(doc.rate !== null ? { rate: doc.rate } : {}),
    ...(doc.threshold !== null ? { threshold: doc.threshold } : {}),
    ...(doc.amount !== null ? { amount: doc.amount } : {}),
    status: couponStatus(doc, now),
    source: doc.source,
    issuedAt: doc.issuedAt.toISOString(),
    expiresAt: doc.expiresAt.toISOString(),
    ...(doc.redeemedAt ? { redeemedAt: doc.redeemedAt.toISOString() } : {}),
    ...(doc.kind === 'prize' && doc.prizeId
      ? {
          prize: {
            prizeId: doc.prizeId,
            fulfilment: doc.fulfilment ?? 'pickup',
            ...(doc.address ? { address: doc.address } : {}),
            ...(doc.addressAt ? { addressAt: doc.addressAt.toISOString() } : {}),
          },
        }
      : {}),
  };
}

// People console (issue 13) ---------------------------------------------------------------------

/** A campaign's coupons (optionally only redeemed ones), a page at a time in `_id` order. */
export function pageCampaignCoupons(
  campaignId: string,
  afterId: string | null,
  limit: number,
  onlyRedeemed = false,
): Promise<CouponDoc[]> {
  const _ = command();
  return many<CouponDoc>(
    db()
      .collection(COLLECTIONS.coupons)
      .where({
        campaignId,
        ...(onlyRedeemed ? { redeemedAt: _.neq(null) } : {}),
        ...(afterId ? { _id: _.gt(afterId) } : {}),
      })
      .orderBy('_id', 'asc')
      .limit(limit),
  );
}
