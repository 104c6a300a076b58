import { demoCampaign } from '../../../../cloudfunctions/_shared/demo-campaign';
import type { Prize } from '../../../../cloudfunctions/_shared/campaign';
import {
  chooseSpinSource,
  drawPrize,
  fallbackPrize,
  sectorIndexOf,
  spinAllowance,
} from '../../../../cloudfunctions/_shared/domain/lottery';
import type { StockedPrize } from '../../../../cloudfunctions/_shared/domain/lottery';

/** A deterministic uniform integer source (mulberry32), so the statistics are reproducible. */
function seededRandomInt(seed: number) {
  let a = seed >>> 0;
  return (maxExclusive: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return Math.floor(unit * maxExclusive);
  };
}

const campaign = demoCampaign(new Date('2025-03-10T04:00:00Z'));
const unlimited = (prizes: Prize[]): StockedPrize[] =>
  prizes.map((p) => ({ ...p, remaining: null }));

describe('drawPrize', () => {
  it('follows the weights (100k seeded draws)', () => {
    const prizes = unlimited(campaign.lottery.prizes);
    const total = prizes.reduce((s, p) => s + p.weight, 0);
    const counts = new Map<string, number>();
    const randomInt = seededRandomInt(20250310);
    const draws = 100_000;
    for (let i = 0; i < draws; i++) {
      const prize = drawPrize(prizes, randomInt);
      counts.set(prize.id, (counts.get(prize.id) ?? 0) + 1);
    }
    for (const p of prizes) {
      const expected = (draws * p.weight) / total;
      // 5 standard deviations of a binomial count: a fair draw never misses, a skewed one does.
      const sigma = Math.sqrt(expected * (1 - p.weight / total));
      expect(Math.abs((counts.get(p.id) ?? 0) - expected)).toBeLessThan(5 * sigma + 1);
    }
  });

  it('maps each random number to exactly one prize, in configured order', () => {
    const prizes = unlimited(campaign.lottery.prizes);
    const total = prizes.reduce((s, p) => s + p.weight, 0);
    const seen = new Map<string, number>();
    for (let r = 0; r < total; r++) {
      const id = drawPrize(prizes, () => r).id;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect(Object.fromEntries(seen)).toEqual(
      Object.fromEntries(prizes.map((p) => [p.id, p.weight])),
    );
  });

  it('never draws a prize whose stock is gone', () => {
    const prizes = campaign.lottery.prizes.map((p) => ({
      ...p,
      remaining: p.id === 'tumbler' || p.id === 'cash-50-10' ? 0 : p.stock,
    }));
    const randomInt = seededRandomInt(7);
    for (let i = 0; i < 20_000; i++) {
      expect(['tumbler', 'cash-50-10']).not.toContain(drawPrize(prizes, randomInt).id);
    }
  });

  it('never draws a zero-weight prize', () => {
    const prizes = unlimited(campaign.lottery.prizes).map((p) =>
      p.id === 'thanks' ? { ...p, weight: 0 } : p,
    );
    const total = prizes.reduce((s, p) => s + p.weight, 0);
    for (let r = 0; r < total; r++) expect(drawPrize(prizes, () => r).id).not.toBe('thanks');
  });

  it('gives the fallback when every limited prize is gone, even a zero-weight fallback', () => {
    const prizes = campaign.lottery.prizes.map((p) => ({
      ...p,
      weight: p.fallback ? 0 : p.weight,
      remaining: p.fallback ? null : 0,
    }));
    const randomInt = jest.fn(() => 0);
    expect(drawPrize(prizes, randomInt)).toMatchObject({ id: 'thanks', fallback: true });
    expect(fallbackPrize(prizes).id).toBe('thanks');
    expect(randomInt).not.toHaveBeenCalled();
  });

  it('draws only among what is left', () => {
    const prizes = campaign.lottery.prizes.map((p) => ({
      ...p,
      remaining: p.id === 'tumbler' ? 1 : p.fallback ? null : 0,
    }));
    const randomInt = jest.fn((n: number) => n - 1);
    expect(drawPrize(prizes, randomInt).id).toBe('thanks');
    expect(randomInt).toHaveBeenCalledWith(5 + 300); // tumbler + thanks
    expect(drawPrize(prizes, () => 0).id).toBe('tumbler');
  });

  it('returns the prize as configured, without the stock snapshot', () => {
    const drawn = drawPrize(unlimited(campaign.lottery.prizes), () => 0);
    expect(drawn).toEqual(campaign.lottery.prizes[0]);
    expect(drawn).not.toHaveProperty('remaining');
  });

  it('rejects a random source that breaks its contract', () => {
    const prizes = unlimited(campaign.lottery.prizes);
    expect(() => drawPrize(prizes, (n) => n)).toThrow(RangeError);
    expect(() => drawPrize(prizes, () => -1)).toThrow(RangeError);
  });
});

describe('sectorIndexOf', () => {
  it('is the prize’s position on the wheel', () => {
    expect(sectorIndexOf(campaign, 'tumbler')).toBe(0);
    expect(sectorIndexOf(campaign, 'thanks')).toBe(7);
    expect(sectorIndexOf(campaign, 'removed-prize')).toBe(-1);
  });
});

describe('spin allowance', () => {
  it('adds today’s free spins and the bonus balance', () => {
    expect(spinAllowance({ dailyFreeSpins: 1, freeUsedToday: 0, bonusBalance: 3 })).toEqual({
      spinsLeft: 4,
      freeSpinsLeft: 1,
      bonusSpinsLeft: 3,
    });
    expect(spinAllowance({ dailyFreeSpins: 1, freeUsedToday: 1, bonusBalance: 0 })).toEqual({
      spinsLeft: 0,
      freeSpinsLeft: 0,
      bonusSpinsLeft: 0,
    });
  });

  it('never goes negative when the free allowance was lowered after use', () => {
    expect(spinAllowance({ dailyFreeSpins: 1, freeUsedToday: 3, bonusBalance: 2 })).toEqual({
      spinsLeft: 2,
      freeSpinsLeft: 0,
      bonusSpinsLeft: 2,
    });
  });

  it('spends free spins before bonus spins', () => {
    expect(chooseSpinSource({ dailyFreeSpins: 2, freeUsedToday: 1, bonusBalance: 5 })).toBe('free');
    expect(chooseSpinSource({ dailyFreeSpins: 2, freeUsedToday: 2, bonusBalance: 5 })).toBe(
      'bonus',
    );
    expect(chooseSpinSource({ dailyFreeSpins: 2, freeUsedToday: 2, bonusBalance: 0 })).toBeNull();
  });
});
