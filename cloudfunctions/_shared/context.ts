/** Lookups most visitor actions start with, and the refusals that go with them. */
import type { Campaign } from './campaign';
import { userRiskRank, type Caller } from './cloud';
import { campaignPhase } from './domain/schedule';
import { riskDecision, type RiskDecision } from './domain/risk';
import { fail } from './errors';
import { activeCampaign, type CampaignDoc } from './repositories/campaigns';
import { findUser, type UserDoc } from './repositories/users';

/** The active campaign, or CAMPAIGN_NOT_ACTIVE; `running` also requires now ∈ [startAt, endAt). */
export async function requireCampaign(
  now: Date,
  options: { running: boolean },
): Promise<CampaignDoc> {
  const campaign = await activeCampaign(now);
  if (!campaign) return fail('CAMPAIGN_NOT_ACTIVE', '活动暂未开始');
  if (options.running) {
    const phase = campaignPhase(campaign.config, now);
    if (phase === 'upcoming') return fail('CAMPAIGN_NOT_ACTIVE', '活动还没开始，敬请期待');
    if (phase === 'over') return fail('CAMPAIGN_NOT_ACTIVE', '活动已结束，感谢参与');
  }
  return campaign;
}

/** The caller's user document; the Mini Program calls `session.enter` before anything else. */
export async function requireUser(openid: string): Promise<UserDoc> {
  const user = await findUser(openid);
  if (!user) return fail('NOT_FOUND', '请先进入活动页面');
  return user;
}

/** Consults the risk service; a blocked caller is refused here. */
export async function riskOf(caller: Caller, campaign: Campaign): Promise<RiskDecision> {
  const decision = riskDecision(await userRiskRank(caller), campaign.invite);
  if (decision === 'block') return fail('RISK_BLOCKED', '当前账号存在风险，暂时无法参与');
  return decision;
}
