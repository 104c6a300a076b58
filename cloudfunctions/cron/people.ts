/**
 * The reconciler's People console part (issue 13): what retries cannot finish for members, through
 * the same steps the actions use, and the leaders' figures recounted from the records.
 *
 * - every redeemed coupon is counted on its owner's participant (the tag a redemption gives);
 * - every grant has its coupon;
 * - a blocked person's steps are finished (the mirror, their invite and the ones they were owed
 *   refused, the credit taken back); a lifted block leaves no mirror behind;
 * - tags follow the records: the operator's tag where one is set, else at least what the rules
 *   give for what the member did (raised, never lowered), and the person carries the highest;
 * - bonus spins whose vesting time came are made spendable;
 * - each leader's figures equal what the records say (members and claims of the tree, redemptions
 *   of their coupons, by week), corrected by the difference.
 */
import type { CampaignDoc } from '../_shared/repositories/campaigns';
import { participantId } from '../_shared/collections';
import { tallyMember, tallyRedemption, type CommunityTally } from '../_shared/domain/community';
import { earnedRank, isManualRank, manualRank } from '../_shared/domain/tags';
import { finishBlock } from '../_shared/flows/block';
import { finishGrant } from '../_shared/flows/grant';
import { finishRedemption } from '../_shared/flows/redeem';
import { vestDueCredits } from '../_shared/flows/vesting';
import { LEADERS_MAX, RECONCILE_PAGE } from '../_shared/limits';
import { pageGrants } from '../_shared/repositories/audit';
import { correctCommunity, findCommunities } from '../_shared/repositories/community';
import { findCouponsByIds, pageCampaignCoupons } from '../_shared/repositories/coupons';
import {
  findParticipantsByIds,
  mirrorBlock,
  raiseTagRank,
  setTagRank,
  type ParticipantDoc,
} from '../_shared/repositories/participants';
import { carryTagRank, findLeaders, findUsersByIds } from '../_shared/repositories/users';

export interface PeopleReport {
  redemptionsCounted: number;
  grantsIssued: number;
  blocksFinished: number;
  blocksLifted: number;
  tagsRepaired: number;
  creditsVested: number;
  leadersCorrected: number;
}

export interface PeopleRun {
  leaders: ReadonlySet<string>;
  community: CommunityTally;
  report: PeopleReport;
}

/** Before the participants are walked: redemptions and grants (they change what is tallied). */
export async function preparePeople(campaignDoc: CampaignDoc): Promise<PeopleRun> {
  const run: PeopleRun = {
    leaders: new Set((await findLeaders(LEADERS_MAX)).map((u) => u._id)),
    community: new Map(),
    report: {
      redemptionsCounted: 0,
      grantsIssued: 0,
      blocksFinished: 0,
      blocksLifted: 0,
      tagsRepaired: 0,
      creditsVested: 0,
      leadersCorrected: 0,
    },
  };
  await countRedemptions(campaignDoc, run);
  await issueGrants(campaignDoc, run);
  return run;
}

async function countRedemptions(campaignDoc: CampaignDoc, run: PeopleRun): Promise<void> {
  const campaignId = campaignDoc._id;
  const rules = campaignDoc.config.growthTags.rules;
  let after: string | null = null;
  for (;;) {
    const page = await pageCampaignCoupons(campaignId, after, RECONCILE_PAGE, true);
    if (page.length === 0) break;
    after = page[page.length - 1]._id;
    const holders = await findParticipantsByIds(
      page.map((c) => participantId(campaignId, c.owner)),
    );
    for (const coupon of page) {
      const holder = holders.get(participantId(campaignId, coupon.owner));
      if (!holder || !coupon.redeemedAt) continue;
      if (!Object.prototype.hasOwnProperty.call(holder.redeemed ?? {}, coupon._id)) {
        if ((await finishRedemption(coupon, holder, rules)).markedNow) {
          run.report.redemptionsCounted++;
        }
      }
      tallyRedemption(
        run.community,
        holder.invite?.ancestors ?? [],
        run.leaders,
        coupon.redeemedAt,
      );
    }
    if (page.length < RECONCILE_PAGE) break;
  }
}

async function issueGrants(campaignDoc: CampaignDoc, run: PeopleRun): Promise<void> {
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const page = await pageGrants(campaignDoc._id, after, RECONCILE_PAGE);
    if (page.length === 0) break;
    const last = page[page.length - 1];
    after = { at: last.at, id: last._id };
    const wanted = page.flatMap((g) => (g.grant?.couponId ? [g.grant.couponId] : []));
    const existing = new Set((await findCouponsByIds(wanted)).map((c) => c._id));
    for (const entry of page) {
      const couponId = entry.grant?.couponId;
      if (!couponId || existing.has(couponId)) continue;
      if ((await finishGrant(entry, campaignDoc.config)).issuedNow) run.report.grantsIssued++;
    }
    if (page.length < RECONCILE_PAGE) break;
  }
}

/** A page of participants: blocks, tags and vesting brought to what the records say. */
export async function repairMembers(
  page: readonly ParticipantDoc[],
  campaignDoc: CampaignDoc,
  now: Date,
  run: PeopleRun,
): Promise<void> {
  const people = new Map((await findUsersByIds(page.map((p) => p.openid))).map((u) => [u._id, u]));
  const rules = campaignDoc.config.growthTags.rules;
  for (const p of page) {
    const user = people.get(p.openid);
    if (user?.blocked) {
      const effects = await finishBlock(user, campaignDoc, now);
      if (!p.blocked || effects.voided > 0 || effects.revoked > 0) run.report.blocksFinished++;
    } else if (p.blocked && (await mirrorBlock(p._id, null))) {
      run.report.blocksLifted++;
    }
    run.report.creditsVested += await vestDueCredits(p, now);

    const earned = earnedRank(p, rules, p.enteredAt ? user?.tagRank : undefined);
    const target = user?.growthTag ? manualRank(user.growthTag) : null;
    let repaired = false;
    if (target !== null) {
      if (p.tagRank !== target) repaired = await setTagRank(p._id, p.tagRank ?? null, target);
    } else if (isManualRank(p.tagRank)) {
      repaired = await setTagRank(p._id, p.tagRank ?? null, earned);
    } else if ((p.tagRank ?? 0) < earned) {
      repaired = await raiseTagRank(p._id, earned);
    }
    if (repaired) run.report.tagsRepaired++;
    if (user && (user.tagRank ?? 0) < earned) await carryTagRank(user._id, earned);
  }
}

/** After the walk: a fresh participant counts in the figures of the leaders above them. */
export function tallyPeople(p: ParticipantDoc, run: PeopleRun): void {
  tallyMember(run.community, p, run.leaders);
}

/** Each leader's stored figures moved to the recount. */
export async function settlePeople(
  campaignDoc: CampaignDoc,
  run: PeopleRun,
): Promise<PeopleReport> {
  const stored = new Map(
    (await findCommunities(campaignDoc._id, LEADERS_MAX)).map((doc) => [doc.leader, doc]),
  );
  for (const leader of run.leaders) {
    const truth = run.community.get(leader) ?? new Map<string, number>();
    const diff = await correctCommunity(campaignDoc._id, leader, stored.get(leader) ?? null, truth);
    if (Object.keys(diff).length > 0) run.report.leadersCorrected++;
  }
  return run.report;
}
