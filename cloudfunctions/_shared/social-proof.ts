/**
 * Distribution (issue 10): social proof (社交证明) a visitor reads — how many people claimed
 * (已有 N 人领取, from the counters), what is left of the limited prizes (仅剩 N 份, from the stock
 * shards) and who won what lately (the wheel's 中奖播报, masked names only). Never a scan: the
 * counters are one query over the campaign's shards, the stock one over its shards, recent wins
 * one indexed query over the latest spinners (bounded) and one read of their profiles.
 *
 * Each is kept per warm container for DISTRIBUTION_CACHE_TTL_MS, as the campaign is: a visitor
 * action costs 0 reads for them while warm, and at most 2 (or 2 for the wins) once per 10 s.
 */
import type { Campaign } from './campaign';
import type { ApiResults, PublicCampaign } from './contracts';
import { publicName } from './domain/mask';
import { DISTRIBUTION_CACHE_TTL_MS, RECENT_SPINNERS_READ, RECENT_WINS_SHOWN } from './limits';
import { readCounters } from './repositories/counters';
import { findRecentSpinners } from './repositories/participants';
import { readStock, remainingByPrize } from './repositories/stock';
import { findProfiles } from './repositories/users';

type SocialProof = PublicCampaign['socialProof'];
type Wins = ApiResults['lottery.recentWins']['wins'];

/** A per-container cache of one value per campaign, fresh for DISTRIBUTION_CACHE_TTL_MS. */
function cached<T>(read: (campaignId: string, campaign: Campaign, now: Date) => Promise<T>) {
  let entry: { campaignId: string; value: T; at: number } | null = null;
  return async (campaignId: string, campaign: Campaign, now: Date): Promise<T> => {
    const at = now.getTime();
    if (
      entry &&
      entry.campaignId === campaignId &&
      at - entry.at < DISTRIBUTION_CACHE_TTL_MS &&
      entry.at <= at
    ) {
      return entry.value;
    }
    const value = await read(campaignId, campaign, now);
    entry = { campaignId, value, at };
    return value;
  };
}

/** 已有 N 人领取 and 仅剩 N 份 of each limited prize (stock as stored: holds count as taken). */
export async function readSocialProof(
  campaignId: string,
  campaign: Campaign,
): Promise<SocialProof> {
  const [counters, stock] = await Promise.all([readCounters(campaignId), readStock(campaignId)]);
  const remaining = remainingByPrize(stock);
  return {
    claimed: counters.get('claims') ?? 0,
    limited: campaign.lottery.prizes
      .filter((p) => p.stock !== null && p.kind !== 'none')
      .map((p) => ({ id: p.id, name: p.name, left: remaining.get(p.id) ?? 0 })),
  };
}

export const socialProof = cached((campaignId, campaign) => readSocialProof(campaignId, campaign));

/** The latest prizes won (谢谢参与 is not a win), newest first, by masked nickname. */
export const recentWins = cached(async (campaignId): Promise<Wins> => {
  const spinners = await findRecentSpinners(campaignId, RECENT_SPINNERS_READ);
  const wins = spinners
    .flatMap((p) =>
      Object.values(p.spins.log)
        .filter((record) => record.kind !== 'none')
        .map((record) => ({ openid: p.openid, prize: record.name, at: record.at })),
    )
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, RECENT_WINS_SHOWN);
  if (wins.length === 0) return [];
  const profiles = new Map(
    (await findProfiles(wins.map((w) => w.openid))).map((u) => [u._id, u.profile]),
  );
  return wins.map((w) => ({
    who: publicName(profiles.get(w.openid)?.nickname),
    prize: w.prize,
    at: w.at.toISOString(),
  }));
});
