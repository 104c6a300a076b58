/**
 * 大转盘: the server-side draw and the spin allowance. The server draws and commits; the client
 * only animates to `sectorIndexOf` the returned prize.
 */
import type { Campaign, Prize } from '../campaign';

export type StockedPrize = Prize & {
  /** Stock left now: null = unlimited, 0 = gone. */
  remaining: number | null;
};

/** The configured fallback (兜底) prize: what a lost stock race or a risk downgrade gets. */
export function fallbackPrize<P extends Prize>(prizes: readonly P[]): P {
  const fallback = prizes.find((p) => p.fallback);
  // The schema guarantees exactly one; reaching this is a programming error.
  if (!fallback) throw new Error('campaign has no fallback prize');
  return fallback;
}

/**
 * Draws one prize, weighted, among prizes with a positive weight whose stock remains.
 * `randomInt(n)` returns a uniform integer in [0, n) (`crypto.randomInt` in production);
 * weights are whole numbers (schema), so the odds are exact. When nothing is drawable (all
 * stock gone, or only zero weights left) the fallback is returned.
 * The caller still decrements stock atomically and falls back if it loses that race.
 */
export function drawPrize(
  prizes: readonly StockedPrize[],
  randomInt: (maxExclusive: number) => number,
): Prize {
  const drawable = prizes.filter((p) => p.weight > 0 && (p.remaining === null || p.remaining > 0));
  const total = drawable.reduce((sum, p) => sum + p.weight, 0);
  if (total === 0) return withoutRemaining(fallbackPrize(prizes));
  const pick = randomInt(total);
  if (!Number.isInteger(pick) || pick < 0 || pick >= total) {
    throw new RangeError(`randomInt(${total}) returned ${pick}`);
  }
  let cumulative = 0;
  for (const prize of drawable) {
    cumulative += prize.weight;
    if (pick < cumulative) return withoutRemaining(prize);
  }
  // Unreachable: pick < total = the last cumulative sum.
  throw new Error('weighted draw fell off the end');
}

/** The drawn prize as configured, so callers never persist a stock snapshot by accident. */
function withoutRemaining(prize: StockedPrize): Prize {
  const { remaining: _remaining, ...rest } = prize;
  return rest;
}

/** The wheel sector the client animates to; -1 if the prize is no longer on the wheel. */
export function sectorIndexOf(campaign: Pick<Campaign, 'lottery'>, prizeId: string): number {
  return campaign.lottery.prizes.findIndex((p) => p.id === prizeId);
}

export interface SpinCounters {
  dailyFreeSpins: number;
  /** Free spins used on the current Shanghai day (0 on a new day). */
  freeUsedToday: number;
  /** Bonus spins earned by verified invites and not yet used; carries over days. */
  bonusBalance: number;
}

export interface SpinAllowance {
  spinsLeft: number;
  freeSpinsLeft: number;
  bonusSpinsLeft: number;
}

export function spinAllowance(counters: SpinCounters): SpinAllowance {
  const freeSpinsLeft = Math.max(0, counters.dailyFreeSpins - counters.freeUsedToday);
  const bonusSpinsLeft = Math.max(0, counters.bonusBalance);
  return { spinsLeft: freeSpinsLeft + bonusSpinsLeft, freeSpinsLeft, bonusSpinsLeft };
}

/** Which allowance a spin consumes: today's free spins first (they expire at midnight, bonus spins do not). */
export function chooseSpinSource(counters: SpinCounters): 'free' | 'bonus' | null {
  const allowance = spinAllowance(counters);
  if (allowance.freeSpinsLeft > 0) return 'free';
  if (allowance.bonusSpinsLeft > 0) return 'bonus';
  return null;
}

/** The stock to start a campaign with: every limited prize at its configured stock. */
export function initialStock(prizes: readonly Prize[]): Record<string, number> {
  return Object.fromEntries(
    prizes.filter((p) => p.stock !== null).map((p) => [p.id, p.stock as number]),
  );
}
