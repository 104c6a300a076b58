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
