/**
 * Operator studio (issue 9): the steps around saving a campaign config, shared by `campaign.put`,
 * the editor's `campaign.create` / `campaign.update` / `campaign.adjustStock` and publishing.
 *
 * The config write is the record; what follows is keyed by the campaign and idempotent: its
 * counter shards (created empty once, so every later increment is one round trip) and its stock
 * shards brought to the config by deltas (`syncStock`). A save interrupted between the two is
 * finished by the next save, by publishing, or (for the visitor slot's campaign) by the reconciler.
 */
import type { Campaign } from '../campaign';
import { COLLECTIONS, emptyCounterShards } from '../collections';
import { countWhere, insert } from '../db';
import { planStockChange } from '../domain/stock';
import { COUNTER_SHARDS } from '../limits';
import { readStock, syncStock, type StockSync } from '../repositories/stock';

/** A cut below what is already won, found before anything is written (null: none). */
export interface StockCut {
  prizeId: string;
  index: number;
  won: number;
  message: string;
}

export async function stockCut(campaign: Campaign): Promise<StockCut | null> {
  const stock = await readStock(campaign.id);
  for (const [index, prize] of campaign.lottery.prizes.entries()) {
    if (prize.stock === null) continue;
    const plan = planStockChange(
      stock.filter((s) => s.prizeId === prize.id),
      prize.stock,
    );
    if (!plan.ok) {
      const message = `「${prize.name}」已发出 ${plan.won} 件，库存不能少于 ${plan.won}`;
      return { prizeId: prize.id, index, won: plan.won, message };
    }
  }
  return null;
}

/** The campaign's counter and stock shards, as its config says (idempotent). */
export async function prepareCampaign(campaign: Campaign): Promise<StockSync> {
  const present = await countWhere(COLLECTIONS.counters, { campaignId: campaign.id });
  if (present < COUNTER_SHARDS) {
    // a duplicate is a shard made earlier: `insert` answers it, nothing is overwritten
    for (const shard of emptyCounterShards(campaign.id)) await insert(COLLECTIONS.counters, shard);
  }
  return syncStock(campaign.id, campaign.lottery.prizes);
}
