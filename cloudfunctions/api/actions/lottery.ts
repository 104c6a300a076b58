/**
 * 大转盘: `lottery.status` and `lottery.spin`. The server draws (crypto RNG, weights over prizes
 * whose stock remains), records, and answers the sector; the client only animates to it.
 *
 * A spin, in order:
 * 1. Read the participant: a record under this requestId means an earlier call decided it;
 *    finish and answer that (a retry, or a duplicate sent at the same time).
 * 2. Read the stock (one query over the campaign's shards). If this spin already holds a unit
 *    (an earlier call died after taking it), that prize is the decision; else draw, and take a
 *    unit of a limited prize (`holdStock`, at most once per spin); none left → the fallback.
 * 3. `consumeSpin`: consume the allowance and record the result in one write. From here on the
 *    spin exists exactly once and its requestId answers it. Once the claim window has closed, a
 *    first spin is the qualifying action of an invited friend (domain/qualify.ts): the invite's
 *    verdict is written in this same write.
 * 4. `finishSpin`: the coupon, keyed by the spin, and the inviter's credit, keyed by the invitee.
 * A unit held by a call that never reached 3 is given back by the reconciler.
 */
import { randomInt } from 'node:crypto';
import type { Campaign, Prize } from '../../_shared/campaign';
import { displayUrl } from '../../_shared/cloud';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import {
  chooseSpinSource,
  drawPrize,
  fallbackPrize,
  sectorIndexOf,
  spinAllowance,
  type SpinCounters,
} from '../../_shared/domain/lottery';
import { verdictFor } from '../../_shared/domain/qualify';
import { dueToVest } from '../../_shared/domain/fraud';
import type { RiskDecision } from '../../_shared/domain/risk';
import { shardOrder } from '../../_shared/domain/stock';
import {
  rankAfter,
  rankForFact,
  tagCounterMoves,
  tagOfRank,
  templateForTag,
} from '../../_shared/domain/tags';
import { shanghaiDayKey } from '../../_shared/domain/time';
import { withDays } from '../../_shared/domain/trends';
import { fail } from '../../_shared/errors';
import { broughtBy } from '../../_shared/domain/tally';
import { creditIncrements } from '../../_shared/flows/qualify';
import { finishSpin } from '../../_shared/flows/spin';
import { vestDueCredits } from '../../_shared/flows/vesting';
import { refuseBlocked, requireCampaign, requireParticipant, riskOf } from '../../_shared/guards';
import { couponIdFor, seedOf, spinIdFor } from '../../_shared/ids';
import type { CampaignDoc } from '../../_shared/repositories/campaigns';
import {
  addIncrements,
  bumpCounters,
  type CounterIncrements,
} from '../../_shared/repositories/counters';
import { toCoupon } from '../../_shared/repositories/coupons';
import {
  consumeSpin,
  findParticipantById,
  type ParticipantDoc,
  type SpinRecord,
} from '../../_shared/repositories/participants';
import {
  holdStock,
  readStock,
  releaseStock,
  remainingByPrize,
  type StockShard,
} from '../../_shared/repositories/stock';
import { spinLogKey } from '../../_shared/user';

type SpinAnswer = ApiResults['lottery.spin'];

/** Concurrent spins of the same participant (other requestIds) may each need a fresh read. */
const MAX_CONSUME_ATTEMPTS = 5;

export async function lotteryStatus(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['lottery.status']> {
  const campaign = await requireCampaign(now, { running: false });
  const participant = await requireParticipant(campaign._id, caller.openid);
  return spinAllowance(spinCounters(participant, campaign.config, now));
}

export async function spin(
  { requestId }: { requestId: string },
  { caller, now }: ActionContext,
): Promise<SpinAnswer> {
  const campaignDoc = await requireCampaign(now, { running: true });
  const campaign = campaignDoc.config;
  let participant = await requireParticipant(campaignDoc._id, caller.openid);
  const earlier = recordOf(participant, requestId);
  if (earlier) return answer(earlier, participant, campaignDoc, now);
  refuseBlocked(participant);
  // People console (issue 13): bonus spins whose vesting time came are spendable now
  if (await vestDueCredits(participant, now)) {
    participant = (await findParticipantById(participant._id)) ?? participant;
  }
  let counters = spinCounters(participant, campaign, now);
  if (!chooseSpinSource(counters)) return noSpinsLeft();
  const risk = await riskOf(caller, campaign, now);

  const spinId = spinIdFor(participant._id, requestId);
  const { prize, stockShard } = await decidePrize(
    campaignDoc,
    spinId,
    participant._id,
    risk.decision,
    now,
  );
  for (let attempt = 0; ; attempt++) {
    const source = chooseSpinSource(counters);
    if (!source) {
      if (stockShard) await releaseStock(stockShard, spinId);
      return noSpinsLeft();
    }
    const firstSpin = participant.spins.total === 0;
    const verdict = verdictFor({
      invite: participant.invite,
      action: 'spin',
      campaign,
      risk: risk.decision,
      now,
    });
    const record = spinRecord({
      requestId,
      spinId,
      prize,
      stockShard,
      campaign,
      now,
      spinsLeft: spinAllowance(counters).spinsLeft - 1,
      verifiedInvite: verdict?.status === 'verified',
      participant,
      riskRank: risk.rank,
    });
    const tagRank = rankForFact('spun', campaign.growthTags.rules);
    if (
      await consumeSpin(participant, source, record, dailyRules(campaign, now), verdict, tagRank)
    ) {
      const increments: CounterIncrements = {
        spins: 1,
        [`prizes.${prize.id}.issued`]: 1,
        ...(firstSpin ? { spinners: 1, [`channels.${participant.channel}.spinners`]: 1 } : {}),
        ...(risk.failed ? { riskChecksFailed: 1 } : {}),
        ...(verdict?.status === 'rejected' ? { 'rejected.RISK': 1 } : {}),
        ...tagCounterMoves(participant.tagRank, rankAfter(participant.tagRank, tagRank)),
      };
      const spun =
        verdict && participant.invite
          ? { ...participant, invite: { ...participant.invite, ...verdict } }
          : participant;
      return answer(record, spun, campaignDoc, now, increments);
    }
    // Someone else's write got in first: a duplicate of this very request, or another spin of
    // the same participant that used the allowance this one counted on.
    const fresh = await findParticipantById(participant._id);
    if (!fresh) return fail('NOT_FOUND', '请先进入活动页面');
    const theirs = recordOf(fresh, requestId);
    if (theirs) {
      // A duplicate sent at the same moment drew on its own and won the record: give back the
      // unit this call took for a prize the record does not name.
      if (stockShard && theirs.stockShard !== stockShard) await releaseStock(stockShard, spinId);
      return answer(theirs, fresh, campaignDoc, now);
    }
    if (attempt + 1 >= MAX_CONSUME_ATTEMPTS) return fail('CONFLICT', '抽奖太频繁，请稍后再试');
    participant = fresh;
    counters = spinCounters(participant, campaign, now);
  }
}

/**
 * The prize of this spin, and the stock shard holding its unit (limited prizes). A unit this
 * spin already holds decides it; otherwise a weighted draw over what has stock left, and a unit
 * taken; none left → the fallback. A downgraded (risky) participant only ever gets the fallback.
 */
async function decidePrize(
  campaignDoc: CampaignDoc,
  spinId: string,
  owner: string,
  risk: RiskDecision,
  now: Date,
): Promise<{ prize: Prize; stockShard: string | null }> {
  const prizes = campaignDoc.config.lottery.prizes;
  const fallback = { prize: fallbackPrize(prizes), stockShard: null };
  const stock = await readStock(campaignDoc._id, spinId);
  const held = stock.find((s) => s.heldBySpin);
  if (held) {
    const prize = prizes.find((p) => p.id === held.prizeId);
    if (prize) return { prize, stockShard: held.id };
    await releaseStock(held.id, spinId); // the prize left the wheel meanwhile
    return fallback;
  }
  if (risk === 'downgrade') return fallback;
  const remaining = remainingByPrize(stock);
  const drawn = drawPrize(
    prizes.map((p) => ({ ...p, remaining: p.stock === null ? null : (remaining.get(p.id) ?? 0) })),
    (max) => randomInt(max),
  );
  if (drawn.stock === null) return { prize: drawn, stockShard: null };
  const shard = await holdUnit(
    stock.filter((s) => s.prizeId === drawn.id),
    spinId,
    { owner, at: now },
  );
  return shard ? { prize: drawn, stockShard: shard } : fallback;
}

/** Tries the prize's shards that had units left, starting where this spin's id points. */
async function holdUnit(
  shards: readonly StockShard[],
  spinId: string,
  holder: { owner: string; at: Date },
): Promise<string | null> {
  for (const shard of shardOrder(shards, seedOf(spinId))) {
    if (await holdStock(shard.id, spinId, holder)) return shard.id;
  }
  return null;
}

function spinRecord(fields: {
  requestId: string;
  spinId: string;
  prize: Prize;
  stockShard: string | null;
  campaign: Campaign;
  now: Date;
  spinsLeft: number;
  verifiedInvite: boolean;
  // People console (issue 13): the member's tag picks the coupon's variant; the rank is evidence
  participant: Pick<ParticipantDoc, 'tagRank'>;
  riskRank: number | null;
}): SpinRecord {
  const { prize, campaign } = fields;
  const template =
    prize.kind === 'coupon'
      ? templateForTag(
          prize.couponTemplateId,
          tagOfRank(fields.participant.tagRank),
          campaign.couponTemplates,
        )
      : undefined;
  return {
    requestId: fields.requestId,
    spinId: fields.spinId,
    at: fields.now,
    prizeId: prize.id,
    name: prize.name,
    kind: prize.kind,
    sectorIndex: sectorIndexOf(campaign, prize.id),
    // Rewards (issue 12): a physical prize's voucher is a wallet item too, keyed by the spin
    couponId: template || prize.kind === 'physical' ? couponIdFor(`spin:${fields.spinId}`) : null,
    couponTemplateId: template?.id ?? null,
    resourceUrl: prize.kind === 'resource' ? (prize.resourceUrl ?? null) : null,
    spinsLeft: Math.max(0, fields.spinsLeft),
    stockShard: fields.stockShard,
    ...(fields.verifiedInvite ? { verifiedInvite: true } : {}),
    riskRank: fields.riskRank,
  };
}

/**
 * Finishes what the record decided and answers it. The call that recorded the spin counts it;
 * a retry only finishes (the reconciler recounts whatever a dead call left uncounted).
 */
async function answer(
  record: SpinRecord,
  participant: ParticipantDoc,
  campaignDoc: CampaignDoc,
  now: Date,
  increments?: CounterIncrements,
): Promise<SpinAnswer> {
  const effects = await finishSpin(record, participant, campaignDoc, now);
  if (increments) {
    if (effects.issuedNow) {
      increments.couponsIssued = 1;
      increments[`channels.${participant.channel}.couponsIssued`] = 1;
    }
    // a verified friend counts for the channel that brought their inviter (issue 10)
    addIncrements(increments, creditIncrements(effects.credit, broughtBy(participant)));
    await bumpCounters(campaignDoc._id, withDays(increments, now));
  }
  return {
    sectorIndex: record.sectorIndex,
    prize: { id: record.prizeId, name: record.name, kind: record.kind },
    ...(effects.coupon ? { coupon: toCoupon(effects.coupon, now) } : {}),
    ...(record.resourceUrl ? { resourceUrl: await displayUrl(record.resourceUrl) } : {}),
    spinsLeft: record.spinsLeft,
  };
}

function recordOf(participant: ParticipantDoc, requestId: string): SpinRecord | undefined {
  const key = spinLogKey(requestId);
  const log = participant.spins.log;
  return Object.prototype.hasOwnProperty.call(log, key) ? log[key] : undefined;
}

function dailyRules(campaign: Campaign, now: Date) {
  return { dayKey: shanghaiDayKey(now), dailyFreeSpins: campaign.lottery.dailyFreeSpins };
}

function spinCounters(participant: ParticipantDoc, campaign: Campaign, now: Date): SpinCounters {
  const today = shanghaiDayKey(now);
  // People console (issue 13): vested bonus not moved yet counts (a spin moves it first)
  const due = dueToVest(participant.progress.credits, now).reduce(
    (sum, [, credit]) => sum + (credit.bonus ?? 0),
    0,
  );
  return {
    dailyFreeSpins: campaign.lottery.dailyFreeSpins,
    freeUsedToday: participant.spins.dayKey === today ? participant.spins.freeUsed : 0,
    bonusBalance: participant.progress.bonusBalance + due,
  };
}

function noSpinsLeft(): never {
  return fail('NO_SPINS_LEFT', '今天的抽奖次数用完了，邀请好友可再得机会');
}
