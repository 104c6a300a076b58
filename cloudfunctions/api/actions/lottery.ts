/**
 * 大转盘: `lottery.status` and `lottery.spin`. The server draws (crypto RNG, weights over prizes
 * whose stock remains), commits, and answers the sector; the client only animates to it.
 *
 * Exactly-once per requestId: the write that consumes a spin also records the requestId on the
 * user document (`spins.requests.<id>` must not exist), so concurrent or retried calls with the
 * same requestId consume one spin; the others wait for the winner's recorded answer.
 */
import { randomInt } from 'node:crypto';
import type { Campaign } from '../../_shared/campaign';
import { requireCampaign, requireUser, riskOf } from '../../_shared/context';
import type { ApiResults } from '../../_shared/contracts';
import { command } from '../../_shared/db';
import type { ActionContext } from '../../_shared/dispatch';
import {
  chooseSpinSource,
  drawPrize,
  fallbackPrize,
  sectorIndexOf,
  spinAllowance,
  type SpinCounters,
} from '../../_shared/domain/lottery';
import type { RiskDecision } from '../../_shared/domain/risk';
import { shanghaiDayKey } from '../../_shared/domain/time';
import { fail } from '../../_shared/errors';
import { takeStock, type CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCounters, type CounterIncrements } from '../../_shared/repositories/counters';
import {
  couponFromTemplate,
  couponIdFor,
  issueCoupon,
  toCoupon,
} from '../../_shared/repositories/coupons';
import { findSpin, recordSpin, spinIdFor } from '../../_shared/repositories/spins';
import { findUser, updateUserIf, type UserDoc } from '../../_shared/repositories/users';

type SpinAnswer = ApiResults['lottery.spin'];

/** How often a call that lost the requestId race re-reads the winner's answer. */
const AWAIT_RESULT_POLLS = 40;
const AWAIT_RESULT_INTERVAL_MS = 100;
/** Concurrent spins of the same user (different requestIds) may each need a fresh read. */
const MAX_CONSUME_ATTEMPTS = 5;

export async function lotteryStatus(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['lottery.status']> {
  const campaign = await requireCampaign(now, { running: false });
  const user = await requireUser(caller.openid);
  return spinAllowance(spinCounters(user, campaign.config, now));
}

export async function spin(
  { requestId }: { requestId: string },
  { caller, now }: ActionContext,
): Promise<SpinAnswer> {
  const campaignDoc = await requireCampaign(now, { running: true });
  const campaign = campaignDoc.config;
  let user = await requireUser(caller.openid);
  const spinId = spinIdFor(caller.openid, requestId);
  if (user.spins.requests[requestId]) return awaitRecordedSpin(spinId);
  const risk = await riskOf(caller, campaign);

  // Consume one spin, recording the requestId in the same conditional write.
  let counters = spinCounters(user, campaign, now);
  for (let attempt = 0; ; attempt++) {
    const source = chooseSpinSource(counters);
    if (!source) return fail('NO_SPINS_LEFT', '今天的抽奖次数用完了，邀请好友可再得机会');
    if (await consumeSpin(user, source, requestId, now)) break;
    if (attempt + 1 >= MAX_CONSUME_ATTEMPTS) return fail('CONFLICT', '抽奖太频繁，请稍后再试');
    const fresh = await findUser(caller.openid);
    if (!fresh) return fail('NOT_FOUND', '请先进入活动页面');
    user = fresh;
    if (user.spins.requests[requestId]) return awaitRecordedSpin(spinId);
    counters = spinCounters(user, campaign, now);
  }
  const spinsLeft = spinAllowance(counters).spinsLeft - 1;

  const prize = await drawAndTake(campaignDoc, risk);
  const increments: CounterIncrements = { spins: 1, [`prizes.${prize.id}.issued`]: 1 };
  if (user.spins.total === 0) increments.spinners = 1;
  const answer: SpinAnswer = {
    sectorIndex: sectorIndexOf(campaign, prize.id),
    prize: { id: prize.id, name: prize.name, kind: prize.kind },
    spinsLeft,
  };
  const template = campaign.couponTemplates.find((t) => t.id === prize.couponTemplateId);
  if (prize.kind === 'coupon' && template) {
    const coupon = couponFromTemplate({
      id: couponIdFor(`spin:${spinId}`),
      owner: caller.openid,
      campaignId: campaignDoc._id,
      template,
      source: 'lottery',
      now,
    });
    await issueCoupon(coupon);
    answer.coupon = toCoupon(coupon, now);
    increments.couponsIssued = 1;
  }
  if (prize.kind === 'resource' && prize.resourceUrl) answer.resourceUrl = prize.resourceUrl;

  await recordSpin({
    _id: spinId,
    owner: caller.openid,
    requestId,
    campaignId: campaignDoc._id,
    prizeId: prize.id,
    at: now,
    answer,
  });
  await bumpCounters(campaignDoc._id, increments);
  return answer;
}

/**
 * Weighted draw over prizes whose stock remains; a limited prize is only won if its stock can
 * be taken (conditional decrement), else the fallback: stock never goes below zero. A
 * downgraded (risky) user only ever gets the fallback.
 */
async function drawAndTake(campaignDoc: CampaignDoc, risk: RiskDecision) {
  const prizes = campaignDoc.config.lottery.prizes;
  if (risk === 'downgrade') return fallbackPrize(prizes);
  const drawn = drawPrize(
    prizes.map((p) => ({
      ...p,
      remaining: p.stock === null ? null : (campaignDoc.stock[p.id] ?? 0),
    })),
    (max) => randomInt(max),
  );
  if (drawn.stock === null) return drawn;
  return (await takeStock(campaignDoc, drawn.id)) ? drawn : fallbackPrize(prizes);
}

async function consumeSpin(
  user: UserDoc,
  source: 'free' | 'bonus',
  requestId: string,
  now: Date,
): Promise<boolean> {
  const _ = command();
  const today = shanghaiDayKey(now);
  const requestPath = `spins.requests.${requestId}`;
  const common = { [requestPath]: now, 'spins.total': _.inc(1) };
  const unseen = { [requestPath]: _.exists(false) };
  if (source === 'bonus') {
    return updateUserIf(
      user._id,
      { ...unseen, 'progress.bonusBalance': _.gt(0) },
      { ...common, 'progress.bonusBalance': _.inc(-1) },
    );
  }
  if (user.spins.dayKey === today) {
    return updateUserIf(
      user._id,
      { ...unseen, 'spins.dayKey': today, 'spins.freeUsed': user.spins.freeUsed },
      { ...common, 'spins.freeUsed': _.inc(1) },
    );
  }
  // First free spin of a new Shanghai day: the daily count starts again.
  return updateUserIf(
    user._id,
    { ...unseen, 'spins.dayKey': user.spins.dayKey },
    { ...common, 'spins.dayKey': today, 'spins.freeUsed': 1 },
  );
}

function spinCounters(user: UserDoc, campaign: Campaign, now: Date): SpinCounters {
  const today = shanghaiDayKey(now);
  return {
    dailyFreeSpins: campaign.lottery.dailyFreeSpins,
    freeUsedToday: user.spins.dayKey === today ? user.spins.freeUsed : 0,
    bonusBalance: user.progress.bonusBalance,
  };
}

/** The answer recorded by the call that consumed the spin for this requestId. */
async function awaitRecordedSpin(spinId: string): Promise<SpinAnswer> {
  for (let poll = 0; poll < AWAIT_RESULT_POLLS; poll++) {
    const recorded = await findSpin(spinId);
    if (recorded) return recorded.answer;
    await new Promise((resolve) => setTimeout(resolve, AWAIT_RESULT_INTERVAL_MS));
  }
  return fail('CONFLICT', '抽奖结果处理中，请稍后在卡包查看');
}
