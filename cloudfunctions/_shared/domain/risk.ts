/**
 * 风控: what a risk rank from `riskControl.getUserRiskRank` (scene 1, marketing; 0 = safest,
 * 4 = riskiest) means for a claim, a spin or an invite.
 */
import type { InviteRules } from '../campaign';

/** allow: as normal; downgrade: only the fallback prize and the invite does not count; block: refused. */
export type RiskDecision = 'allow' | 'downgrade' | 'block';

/**
 * `rank` null means the risk service was unavailable (or not configured): the user is not
 * punished for our outage, so it allows. A rank that is not a finite number counts as unavailable.
 */
export function riskDecision(
  rank: number | null,
  rules: Pick<InviteRules, 'riskRankBlock' | 'riskRankDowngrade'>,
): RiskDecision {
  if (rank === null || !Number.isFinite(rank)) return 'allow';
  if (rank >= rules.riskRankBlock) return 'block';
  if (rank >= rules.riskRankDowngrade) return 'downgrade';
  return 'allow';
}

/** What operators are told when the risk service keeps failing (everyone is let through). */
export function riskCheckAlert(errCode: number | undefined): { kind: string; message: string } {
  return {
    kind: 'RISK_CHECK_FAILING',
    message: `风控检查调用失败${errCode !== undefined ? `（错误码 ${errCode}）` : ''}，访客暂时都会被放行：请确认已开通「安全风控」，并在云函数 config.json 中声明 riskControl.getUserRiskRank 权限`,
  };
}
