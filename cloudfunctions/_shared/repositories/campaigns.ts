/**
 * Campaign configs; exactly one has `active: true`. Limited prizes' remaining stock is kept
 * apart, in sharded documents (repositories/stock), so that winners do not all write this one.
 *
 * Visitor functions keep the active campaign for CAMPAIGN_CACHE_TTL_MS per warm container:
 * every action needs it, and an operator's edit reaching visitors a few seconds later is
 * harmless.
 */
import type { Campaign } from '../campaign';
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import { first, updateWhere } from '../db';
import { isTransactionConflict } from '../errors';
import { CAMPAIGN_CACHE_TTL_MS } from '../limits';

export interface CampaignDoc {
  /** the campaign's own `id` */
  _id: string;
  config: Campaign;
  active: boolean;
  updatedAt: Date;
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

/** Replaces the config of a stored campaign. */
export async function updateCampaignConfig(id: string, config: Campaign, now: Date): Promise<void> {
  await updateWhere(
    COLLECTIONS.campaigns,
    { _id: id },
    { config: db().command.set(config), updatedAt: now },
  );
}

/**
 * Makes `campaign` the active one in one transaction (document operations only), so visitors
 * never see two active campaigns or none. The previous one is kept for history. Answers false
 * when a concurrent switch won (the caller reports CONFLICT).
 */
export async function activateCampaign(
  campaign: Campaign,
  previousId: string | null,
  now: Date,
): Promise<boolean> {
  const doc: Omit<CampaignDoc, '_id'> = { config: campaign, active: true, updatedAt: now };
  try {
    await db().runTransaction(async (transaction: TransactionLike) => {
      const campaigns = transaction.collection(COLLECTIONS.campaigns);
      if (previousId) await campaigns.doc(previousId).update({ data: { active: false } });
      await campaigns.doc(campaign.id).set({ data: doc });
    });
    return true;
  } catch (error) {
    if (isTransactionConflict(error)) return false;
    throw error;
  }
}

/** The part of a CloudBase transaction used here (the SDK types it as `any`). */
interface TransactionLike {
  collection(name: string): {
    doc(id: string): {
      update(options: { data: object }): Promise<unknown>;
      set(options: { data: object }): Promise<unknown>;
    };
  };
}

/** People console (issue 13): a campaign by id, active or kept for history (exports read it). */
export function findCampaign(id: string): Promise<CampaignDoc | null> {
  return first<CampaignDoc>(COLLECTIONS.campaigns, { _id: id });
}
