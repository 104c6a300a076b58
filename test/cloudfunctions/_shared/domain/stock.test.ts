import {
  planStockChange,
  shardOrder,
  splitStock,
  type StockShardState,
} from '../../../../cloudfunctions/_shared/domain/stock';

const shard = (id: string, configured: number, left: number): StockShardState => ({
  id,
  configured,
  left,
});

describe('splitStock', () => {
  it('spreads units evenly, the first shards taking the remainder', () => {
    expect(splitStock(10, 4)).toEqual([3, 3, 2, 2]);
    expect(splitStock(3, 4)).toEqual([1, 1, 1, 0]);
    expect(splitStock(0, 4)).toEqual([0, 0, 0, 0]);
    expect(splitStock(8, 4)).toEqual([2, 2, 2, 2]);
    expect(splitStock(7, 1)).toEqual([7]);
  });

  it('refuses what is not a whole number of units or shards', () => {
    expect(() => splitStock(-1, 4)).toThrow(RangeError);
    expect(() => splitStock(1.5, 4)).toThrow(RangeError);
    expect(() => splitStock(4, 0)).toThrow(RangeError);
    expect(() => splitStock(4, 1.5)).toThrow(RangeError);
  });
});

describe('planStockChange', () => {
  it('takes a cut from the shards with the most left, ties in id order (the same plan every time)', () => {
    const shards = [shard('s2', 5, 3), shard('s0', 5, 3), shard('s1', 5, 1)];
    expect(planStockChange(shards, 11)).toEqual({
      ok: true,
      changes: [
        { shardId: 's0', configured: 5, by: -3 },
        { shardId: 's2', configured: 5, by: -1 },
      ],
    });
  });

  const shards = [shard('a', 5, 2), shard('b', 5, 4), shard('c', 5, 0), shard('d', 5, 5)];

  it('changes nothing when the target is what the shards hold', () => {
    expect(planStockChange(shards, 20)).toEqual({ ok: true, changes: [] });
    expect(planStockChange([], 7)).toEqual({ ok: true, changes: [] });
  });

  it('spreads a raise over the shards, each change tied to the configured it was planned from', () => {
    expect(planStockChange(shards, 26)).toEqual({
      ok: true,
      changes: [
        { shardId: 'a', configured: 5, by: 2 },
        { shardId: 'b', configured: 5, by: 2 },
        { shardId: 'c', configured: 5, by: 1 },
        { shardId: 'd', configured: 5, by: 1 },
      ],
    });
    // a raise smaller than the shard count leaves some shards alone
    expect(planStockChange(shards, 21).ok && planStockChange(shards, 21)).toEqual({
      ok: true,
      changes: [{ shardId: 'a', configured: 5, by: 1 }],
    });
  });

  it('takes a cut from the units left, largest first, never from what was won', () => {
    // 11 left of 20; cut by 7: d (5) then b (2 of 4)
    expect(planStockChange(shards, 13)).toEqual({
      ok: true,
      changes: [
        { shardId: 'd', configured: 5, by: -5 },
        { shardId: 'b', configured: 5, by: -2 },
      ],
    });
    // ties in what is left go by id, so a plan is the same whoever makes it
    expect(planStockChange([shard('y', 3, 3), shard('x', 3, 3)], 4)).toEqual({
      ok: true,
      changes: [{ shardId: 'x', configured: 3, by: -2 }],
    });
    expect(planStockChange([shard('x', 3, 3), shard('y', 3, 3)], 1)).toEqual({
      ok: true,
      changes: [
        { shardId: 'x', configured: 3, by: -3 },
        { shardId: 'y', configured: 3, by: -2 },
      ],
    });
  });

  it('cuts down to exactly what was won, and refuses below it', () => {
    // won = 20 − 11 = 9
    const toWon = planStockChange(shards, 9);
    expect(toWon.ok && toWon.changes.reduce((sum, c) => sum + c.by, 0)).toBe(-11);
    expect(toWon.ok && toWon.changes.every((c) => c.by < 0)).toBe(true);
    expect(planStockChange(shards, 8)).toEqual({ ok: false, won: 9 });
    expect(planStockChange(shards, 0)).toEqual({ ok: false, won: 9 });
  });
});

describe('shardOrder', () => {
  const shards = [shard('a', 1, 1), shard('b', 1, 0), shard('c', 1, 1), shard('d', 1, 1)];

  it('tries only shards with units left, starting where the seed points, wrapping around', () => {
    expect(shardOrder(shards, 0).map((s) => s.id)).toEqual(['a', 'c', 'd']);
    expect(shardOrder(shards, 1).map((s) => s.id)).toEqual(['c', 'd', 'a']);
    expect(shardOrder(shards, 2).map((s) => s.id)).toEqual(['d', 'a', 'c']);
    expect(shardOrder(shards, 5).map((s) => s.id)).toEqual(['d', 'a', 'c']);
    expect(shardOrder(shards, -4).map((s) => s.id)).toEqual(['c', 'd', 'a']);
    expect(shardOrder(shards, 2.9).map((s) => s.id)).toEqual(['d', 'a', 'c']);
  });

  it('has nothing to try when every shard is empty', () => {
    expect(shardOrder([shard('a', 1, 0)], 3)).toEqual([]);
  });
});
