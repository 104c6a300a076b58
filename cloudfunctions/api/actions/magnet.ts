/**
 * `magnet.claim`: the lead magnet (引流抓手) within its claim window, once per participant, and
 * the qualifying action that verifies the invite the participant arrived with.
 *
 * The claim write (`claimOnce`) is the record: it holds what was decided (the coupon's id, the
 * resource, the invite's verdict) before any other effect. The coupon and the inviter's credit
 * follow (`finishClaim`); a retry, by requestId or any other, finds the claim and finishes them.
 */
import { displayUrl } from '../../_shared/cloud';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { verdictFor } from '../../_shared/domain/qualify';
import { claimWindowPhase } from '../../_shared/domain/schedule';
import {
  rankAfter,
  rankForFact,
  tagCounterMoves,
  tagOfRank,
  templateForTag,
} from '../../_shared/domain/tags';
import { fail } from '../../_shared/errors';
import { finishClaim, magnetCouponId } from '../../_shared/flows/claim';
import { broughtBy } from '../../_shared/domain/tally';
import { withDays } from '../../_shared/domain/trends';
import { creditIncrements } from '../../_shared/flows/qualify';
import { refuseBlocked, requireCampaign, requireParticipant, riskOf } from '../../_shared/guards';
import type { CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCommunity } from '../../_shared/repositories/community';
import {
  addIncrements,
  bumpCounters,
  type CounterIncrements,
} from '../../_shared/repositories/counters';
import { toCoupon } from '../../_shared/repositories/coupons';
import {
  claimOnce,
  findParticipantById,
  type ParticipantClaim,
  type ParticipantDoc,
} from '../../_shared/repositories/participants';

type Answer = ApiResults['magnet.claim'];
type Claimed = ParticipantDoc & { claim: ParticipantClaim };

export async function claimMagnet(
  { requestId }: { requestId: string },
  { caller, now }: ActionContext,
): Promise<Answer> {
  const campaignDoc = await requireCampaign(now, { running: true });
  const campaign = campaignDoc.config;
  const participant = await requireParticipant(campaignDoc._id, caller.openid);
  if (participant.claim) return answer(participant as Claimed, campaignDoc, now, true);
  refuseBlocked(participant);

  const window = claimWindowPhase(campaign, now);
  if (window === 'upcoming') return fail('CLAIM_WINDOW_CLOSED', '领取还没开始，请稍后再来');
  if (window === 'over') return fail('CLAIM_WINDOW_CLOSED', '领取时间已过，下次早点来哦');
  const risk = await riskOf(caller, campaign, now);

  // People console (issue 13): the magnet's coupon as the member's growth tag has it
  const template = templateForTag(
    campaign.magnet.reward.couponTemplateId,
    tagOfRank(participant.tagRank),
    campaign.couponTemplates,
  );
  const claim: ParticipantClaim = {
    at: now,
    requestId,
    couponId: template ? magnetCouponId(participant._id) : null,
    resourceUrl: campaign.magnet.reward.resourceUrl ?? null,
    couponTemplateId: template?.id ?? null,
    riskRank: risk.rank,
  };
  const tagRank = rankForFact('claimed', campaign.growthTags.rules);
  // The pending invite is judged in the same write: verified, or refused for risk.
  const verdict = verdictFor({
    invite: participant.invite,
    action: 'claim',
    campaign,
    risk: risk.decision,
    now,
  });
  if (!(await claimOnce(participant._id, claim, verdict, tagRank))) {
    // A concurrent claim of the same participant got there first: answer what it claimed.
    const winner = await findParticipantById(participant._id);
    if (winner?.claim) return answer(winner as Claimed, campaignDoc, now, true);
    return fail('CONFLICT', '领取冲突，请重试');
  }
  const claimed: Claimed = {
    ...participant,
    claim,
    invite:
      participant.invite && verdict ? { ...participant.invite, ...verdict } : participant.invite,
  };
  const increments: CounterIncrements = {
    claims: 1,
    [`channels.${participant.channel}.claims`]: 1,
    ...(risk.failed ? { riskChecksFailed: 1 } : {}),
    ...(verdict?.status === 'rejected' ? { 'rejected.RISK': 1 } : {}),
    ...tagCounterMoves(participant.tagRank, rankAfter(participant.tagRank, tagRank)),
  };
  return answer(claimed, campaignDoc, now, false, increments);
}

/**
 * Finishes what the claim decided and answers it. The call that made the claim counts it;
 * a retry only finishes (the reconciler recounts whatever a dead call left uncounted).
 */
async function answer(
  participant: Claimed,
  campaignDoc: CampaignDoc,
  now: Date,
  alreadyClaimed: boolean,
  increments?: CounterIncrements,
): Promise<Answer> {
  const effects = await finishClaim(participant, campaignDoc, now);
  if (increments) {
    if (effects.issuedNow) {
      increments.couponsIssued = 1;
      increments[`channels.${participant.channel}.couponsIssued`] = 1;
    }
    // a verified friend counts for the channel that brought their inviter (issue 10)
    addIncrements(increments, creditIncrements(effects.credit, broughtBy(participant)));
    await bumpCounters(campaignDoc._id, withDays(increments, now));
    // People console (issue 13): a claim in a leader's tree counts in their figures
    await bumpCommunity(participant.campaignId, participant.invite?.leaders ?? [], 'claims', now);
  }
  const { claim } = participant;
  return {
    reward: {
      // a cloud fileID (an operator's upload) becomes a temporary URL the phone can open
      ...(claim.resourceUrl ? { resourceUrl: await displayUrl(claim.resourceUrl) } : {}),
      ...(effects.coupon ? { coupon: toCoupon(effects.coupon, now) } : {}),
    },
    alreadyClaimed,
  };
}
