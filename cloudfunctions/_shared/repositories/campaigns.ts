/**
 * Campaign configs; exactly one has `active: true`. The active campaign document also holds the
 * remaining stock of every limited prize (`stock.<prizeId>`), so the draw reads stock with the
 * config, and taking one is a conditional decrement of that one document.
 *
 * Visitor functions keep the active campaign for CACHE_TTL_MS per warm container: every action
 * needs it, and an operator's edit reaching visitors a few seconds later is harmless. Stock in
 * the cached copy may be stale; the conditional decrement is the truth (a lost race gets the
 * fallback), and the copy is corrected by what the decrement answers.
 */
import type { Campaign } from '../campaign';
import { COLLECTIONS } from '../collections';
import { command, first, insert, updateWhere } from '../db';
import { CAMPAIGN_CACHE_TTL_MS } from '../limits';

export interface CampaignDoc {
  /** the campaign's own `id` */
  _id: string;
  config: Campaign;
  active: boolean;
  updatedAt: Date;
  /** remaining stock of each limited prize (prizes with `stock: null` are not listed) */
  stock: Record<string, number>;
}

let cache: { doc: CampaignDoc | null; fetchedAt: number } | null = null;

/** The active campaign, from this container's cache when fresh. */
export async function activeCampaign(now: Date): Promise<CampaignDoc | null> {
  if (
    cache &&
    now.getTime() - cache.fetchedAt < CAMPAIGN_CACHE_TTL_MS &&
    cache.fetchedAt <= now.getTime()
  ) {
    return cache.doc;
  }
  const doc = await findActiveCampaign();
  cache = { doc, fetchedAt: now.getTime() };
  return doc;
}

/** Reads the database, no cache (admin edits must see what is stored). */
export function findActiveCampaign(): Promise<CampaignDoc | null> {
  return first<CampaignDoc>(COLLECTIONS.campaigns, { active: true });
}

/** Takes one unit of a limited prize; false when none is left (a lost race). */
export async function takeStock(campaign: CampaignDoc, prizeId: string): Promise<boolean> {
  const _ = command();
  const path = `stock.${prizeId}`;
  const taken =
    (await updateWhere(
      COLLECTIONS.campaigns,
      { _id: campaign._id, [path]: _.gt(0) },
      { [path]: _.inc(-1) },
    )) === 1;
  // Keep the cached copy honest so the next draws in this container know.
  const left = campaign.stock[prizeId] ?? 0;
  campaign.stock[prizeId] = taken ? Math.max(0, left - 1) : 0;
  return taken;
}

export function insertCampaign(doc: CampaignDoc): Promise<boolean> {
  return insert(COLLECTIONS.campaigns, doc);
}

export function updateCampaign(id: string, data: object): Promise<number> {
  return updateWhere(COLLECTIONS.campaigns, { _id: id }, data);
}
