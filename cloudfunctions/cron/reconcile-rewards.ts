/**
 * The reconciler's repairs for rewards (Rewards, issue 12), through the same steps the actions
 * use, so each still happens once:
 * - ladder steps a count reached but no credit granted (the call died between the credit and the
 *   grant), and granted steps whose reward was never issued;
 * - redemptions without their ledger record (the call died between the two writes), coupons and
 *   rights alike, looking back LEDGER_REPAIR_MS;
 * - reversals whose coupon or right's use was not given back.
 *
 * Retention (issue 15): redemptions whose repurchase coupon was never issued (the call died after
 * the redemption), and reversals whose member still counts the redemption or whose repurchase
 * coupon is still usable.
 */
import type { Campaign } from '../_shared/campaign';
import { grantMilestones, issueMilestoneReward } from '../_shared/flows/milestones';
import { marksRedemption } from '../_shared/flows/redeem';
import { couponLedgerRecord, finishReversal, rightLedgerRecord } from '../_shared/flows/redemption';
import {
  issueRepurchase,
  repurchaseCouponId,
  repurchaseCouponOf,
} from '../_shared/flows/repurchase';
import { participantId } from '../_shared/collections';
import type { CampaignDoc } from '../_shared/repositories/campaigns';
import { findParticipantsByIds } from '../_shared/repositories/participants';
import { RECONCILE_PAGE } from '../_shared/limits';
import {
  findCouponsByIds,
  findRedeemedSince,
  type CouponDoc,
} from '../_shared/repositories/coupons';
import type { ParticipantDoc } from '../_shared/repositories/participants';
import {
  findRedemptionsByIds,
  findReversedSince,
  recordRedemption,
  type RedemptionDoc,
} from '../_shared/repositories/redemptions';
import { findRightUses, findRightUsesSince } from '../_shared/repositories/right-uses';

/**
 * How far back redemptions and reversals are checked: far beyond an hourly run's gap, so one
 * missed run is still repaired, and a reversal is only possible within 24 h of its redemption.
 */
export const LEDGER_REPAIR_MS = 3 * 24 * 60 * 60 * 1000;

/** The wallet items a participant's granted steps should have issued. */
export function milestoneCouponIds(p: ParticipantDoc): string[] {
  return Object.values(p.progress.milestones ?? {}).map((grant) => grant.couponId);
}

/** Grants the steps `p`'s count reached, and issues granted steps' missing rewards. */
export async function finishMilestones(
  p: ParticipantDoc,
  campaign: Campaign,
  existing: ReadonlySet<string>,
  now: Date,
): Promise<{ granted: number; issued: number }> {
  let issued = 0;
  for (const grant of Object.values(p.progress.milestones ?? {})) {
    if (!existing.has(grant.couponId) && (await issueMilestoneReward(p, grant, campaign))) issued++;
  }
  return { granted: await grantMilestones(p, campaign, now), issued };
}

export interface LedgerRepairs {
  recorded: number;
  reversalsFinished: number;
  /** Retention (issue 15) */
  repurchaseIssued: number;
}

export async function repairLedger(campaignDoc: CampaignDoc, now: Date): Promise<LedgerRepairs> {
  const campaignId = campaignDoc._id;
  const since = new Date(now.getTime() - LEDGER_REPAIR_MS);
  const repairs: LedgerRepairs = { recorded: 0, reversalsFinished: 0, repurchaseIssued: 0 };

  let after: string | null = null;
  for (;;) {
    const page = await findRedeemedSince(campaignId, since, after, RECONCILE_PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]._id;
    repairs.recorded += await recordMissing(page.map(couponLedgerRecord));
    repairs.repurchaseIssued += await issueMissingRepurchases(page, campaignDoc);
    if (page.length < RECONCILE_PAGE) break;
  }

  after = null;
  for (;;) {
    const page = await findRightUsesSince(campaignId, since, after, RECONCILE_PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]._id;
    const records = page.flatMap((use) =>
      Object.entries(use.uses)
        .filter(([, entry]) => entry.at >= since)
        .map(([key]) => rightLedgerRecord(use, key)),
    );
    repairs.recorded += await recordMissing(records);
    if (page.length < RECONCILE_PAGE) break;
  }

  after = null;
  for (;;) {
    const page = await findReversedSince(campaignId, since, after, RECONCILE_PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]._id;
    for (const record of await unfinishedReversals(page)) {
      const effects = await finishReversal(record);
      if (effects.givenBack || effects.count || effects.withdrawn) repairs.reversalsFinished++;
    }
    if (page.length < RECONCILE_PAGE) break;
  }
  return repairs;
}

/** Retention (issue 15): the repurchase coupons a page of redeemed coupons earned and lacks. */
async function issueMissingRepurchases(
  page: readonly CouponDoc[],
  campaignDoc: CampaignDoc,
): Promise<number> {
  const owed = page.flatMap((coupon) => {
    const due = repurchaseCouponOf(coupon, campaignDoc.config);
    return due ? [{ coupon, due }] : [];
  });
  if (owed.length === 0) return 0;
  const issued = new Set((await findCouponsByIds(owed.map((o) => o.due._id))).map((c) => c._id));
  let repaired = 0;
  for (const { coupon, due } of owed) {
    if (!issued.has(due._id) && (await issueRepurchase(coupon, campaignDoc.config))) repaired++;
  }
  return repaired;
}

/** Writes the ledger records that do not exist yet (one read for the lot). */
async function recordMissing(records: readonly RedemptionDoc[]): Promise<number> {
  let recorded = 0;
  for (let i = 0; i < records.length; i += RECONCILE_PAGE) {
    const chunk = records.slice(i, i + RECONCILE_PAGE);
    const known = new Set((await findRedemptionsByIds(chunk.map((r) => r._id))).map((r) => r._id));
    for (const record of chunk) {
      if (!known.has(record._id) && (await recordRedemption(record))) recorded++;
    }
  }
  return recorded;
}

/**
 * Reversals whose coupon is still redeemed by that redemption, or whose use still counts; and
 * (issue 15) whose member still counts the redemption, or whose repurchase coupon is unused.
 */
async function unfinishedReversals(page: readonly RedemptionDoc[]): Promise<RedemptionDoc[]> {
  const couponRecords = page.filter((r) => !r.use);
  const repurchaseOf = (r: RedemptionDoc) => repurchaseCouponId(r.itemId, r.seq ?? 1);
  const coupons = new Map(
    (
      await findCouponsByIds([
        ...couponRecords.map((r) => r.itemId),
        ...couponRecords.filter((r) => r.kind === 'coupon').map(repurchaseOf),
      ])
    ).map((c) => [c._id, c]),
  );
  const holders = await findParticipantsByIds(
    couponRecords.map((r) => participantId(r.campaignId, r.owner)),
  );
  const uses = new Map(
    (await findRightUses(page.flatMap((r) => (r.use ? [r.use.docId] : [])))).map((u) => [u._id, u]),
  );
  return page.filter((record) => {
    if (record.use) {
      const entry = uses.get(record.use.docId)?.uses[record.use.key];
      return Boolean(entry && entry.reversedAt === null);
    }
    const coupon = coupons.get(record.itemId);
    const repurchase = record.kind === 'coupon' ? coupons.get(repurchaseOf(record)) : undefined;
    const holder = holders.get(participantId(record.campaignId, record.owner));
    return (
      Boolean(coupon?.redeemedAt && coupon.redemptions === record.seq) ||
      Boolean(holder && marksRedemption(holder, record)) ||
      Boolean(repurchase && !repurchase.redeemedAt && !repurchase.withdrawnAt)
    );
  });
}
