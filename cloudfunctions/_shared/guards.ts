/** Lookups most visitor actions start with, and the refusals that go with them. */
import type { Campaign } from './campaign';
import { userRiskRank, type Caller } from './cloud';
import { riskCheckAlert, riskDecision, type RiskDecision } from './domain/risk';
import { campaignStatus } from './domain/lifecycle';
import { shanghaiDayKey } from './domain/time';
import { fail } from './errors';
import { raiseAlert } from './repositories/alerts';
import { activeCampaign, type CampaignDoc } from './repositories/campaigns';
import { findParticipant, type ParticipantDoc } from './repositories/participants';

/**
 * The active campaign, or CAMPAIGN_NOT_ACTIVE; `running` also requires it to be live (now in
 * [startAt, endAt), not ended by its operator). Operator studio (issue 9): a paused campaign is
 * refused to everything, with a friendly message (its pages show a closed state).
 */
export async function requireCampaign(
  now: Date,
  options: { running: boolean },
): Promise<CampaignDoc> {
  const campaign = await activeCampaign(now);
  if (!campaign) return fail('CAMPAIGN_NOT_ACTIVE', '活动暂未开始');
  const status = campaignStatus(campaign.status, campaign.config, now);
  if (status === 'paused') return fail('CAMPAIGN_NOT_ACTIVE', PAUSED_MESSAGE);
  if (options.running) {
    if (status === 'scheduled') return fail('CAMPAIGN_NOT_ACTIVE', '活动还没开始，敬请期待');
    if (status === 'ended') return fail('CAMPAIGN_NOT_ACTIVE', '活动已结束，感谢参与');
  }
  return campaign;
}

/** What a visitor of a paused campaign reads. */
export const PAUSED_MESSAGE = '活动暂停中，请稍后再来';

/** The caller in this campaign; the Mini Program calls `session.enter` before anything else. */
export async function requireParticipant(
  campaignId: string,
  openid: string,
): Promise<ParticipantDoc> {
  const participant = await findParticipant(campaignId, openid);
  if (!participant || !participant.enteredAt) return fail('NOT_FOUND', '请先进入活动页面');
  return participant;
}

export interface RiskCheck {
  decision: RiskDecision;
  /** the service did not answer: the caller counts it, and operators are alerted */
  failed: boolean;
  /** People console (issue 13): the rank itself, kept as evidence (null: unknown) */
  rank: number | null;
}

/** Days on which this container already raised the failing-risk-check alert. */
const alertedDays = new Set<string>();

/** Consults the risk service; a blocked caller is refused here. */
export async function riskOf(caller: Caller, campaign: Campaign, now: Date): Promise<RiskCheck> {
  const check = await assessRisk(caller, campaign, now);
  if (check.decision === 'block') return fail('RISK_BLOCKED', '当前账号存在风险，暂时无法参与');
  return check;
}

/** The risk decision without refusing anyone (to judge an invite, not the caller's action). */
export async function assessRisk(
  caller: Caller,
  campaign: Campaign,
  now: Date,
): Promise<RiskCheck> {
  const answer = await userRiskRank(caller);
  if (answer.failed) await alertRiskFailing(answer.errCode, now);
  return {
    decision: riskDecision(answer.rank, campaign.invite),
    failed: answer.failed,
    rank: answer.rank,
  };
}

async function alertRiskFailing(errCode: number | undefined, now: Date): Promise<void> {
  const dayKey = shanghaiDayKey(now);
  if (alertedDays.has(dayKey)) return;
  await raiseAlert(riskCheckAlert(errCode), dayKey, now);
  alertedDays.add(dayKey);
}

// People console (issue 13) ---------------------------------------------------------------------

/**
 * The reward paths (claim, spin, showing a coupon's redemption QR) refuse a member an operator
 * blocked. The participant carries a mirror of the person's block (kept by `users.block` and
 * repaired by the reconciler), so the guard costs no read; the visitor is not told the reason.
 */
export function refuseBlocked(member: { blocked?: { at: Date } | null } | null | undefined): void {
  if (member?.blocked) fail('RISK_BLOCKED', '当前账号暂时无法参与活动，如有疑问请联系门店');
}
