/**
 * Campaign configs; exactly one has `active: true`. Limited prizes' remaining stock is kept
 * apart, in sharded documents (repositories/stock), so that winners do not all write this one.
 *
 * Visitor functions keep the active campaign for CAMPAIGN_CACHE_TTL_MS per warm container:
 * every action needs it, and an operator's edit reaching visitors a few seconds later is
 * harmless.
 *
 * Operator studio (issue 9): the lifecycle (domain/lifecycle.ts) and the editor's saves.
 *
 * | operation         | rule                                                                    |
 * | ----------------- | ----------------------------------------------------------------------- |
 * | createCampaign    | one campaign per id (unique `_id`)                                      |
 * | saveIfCurrent     | a save applies only to the version the editor loaded, never to an ended |
 * |                   | campaign (`where({_id, updatedAt: loaded, status ≠ ended})`)            |
 * | changeStatus      | a status moves only from the one the decision read                       |
 * | takeVisitorSlot   | exactly one campaign holds the visitor slot: one transaction moves it,  |
 * |                   | and every move writes the slot marker, so two moves never both commit    |
 */
import type { Campaign } from '../campaign';
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import {
  byId,
  command,
  first,
  insert,
  many,
  readInTransaction,
  updateWhere,
  type TransactionLike,
} from '../db';
import type { StoredStatus } from '../domain/lifecycle';
import { isTransactionConflict } from '../errors';
import { CAMPAIGN_CACHE_TTL_MS, CAMPAIGNS_LISTED } from '../limits';

export interface CampaignDoc {
  /** the campaign's own `id` */
  _id: string;
  config: Campaign;
  active: boolean;
  /** the config's version: every save stamps a later one */
  updatedAt: Date;
  // Operator studio (issue 9); absent on documents put before the lifecycle (= published)
  status?: StoredStatus;
  statusAt?: Date;
  createdAt?: Date;
  clonedFrom?: string;
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
 * never see two active campaigns or none. The previous one is kept for history (ended). Answers
 * false when a concurrent switch won (the caller reports CONFLICT).
 */
export async function activateCampaign(
  campaign: Campaign,
  previousId: string | null,
  now: Date,
): Promise<boolean> {
  const doc: Omit<CampaignDoc, '_id'> = {
    config: campaign,
    active: true,
    updatedAt: now,
    status: 'published',
    statusAt: now,
    createdAt: now,
  };
  const taken = await takeVisitorSlot({ id: campaign.id, set: doc }, previousId, now);
  return taken === 'taken';
}

// Operator studio (issue 9) ------------------------------------------------------------------

/**
 * Which campaign holds the visitor slot, written by every move of it. Kept in `jobs` (small
 * operational state), so `campaigns` holds campaigns only.
 */
const SLOT_ID = 'visitor-slot';

interface SlotDoc {
  _id: typeof SLOT_ID;
  campaignId: string | null;
  at: Date;
}

export function findCampaign(id: string): Promise<CampaignDoc | null> {
  return byId<CampaignDoc>(COLLECTIONS.campaigns, id);
}

/** Campaigns, newest first. */
export function listCampaigns(): Promise<CampaignDoc[]> {
  return many<CampaignDoc>(
    db().collection(COLLECTIONS.campaigns).orderBy('createdAt', 'desc').limit(CAMPAIGNS_LISTED),
  );
}

/** Rule: one campaign per id. False when the id is taken. */
export function createCampaign(doc: CampaignDoc): Promise<boolean> {
  return insert(COLLECTIONS.campaigns, doc);
}

/**
 * Rule: a save replaces the config only if the campaign is still at the version the editor
 * loaded (`loaded`), and has not ended. False otherwise (someone saved meanwhile, or it ended).
 */
export async function saveIfCurrent(
  id: string,
  config: Campaign,
  loaded: Date,
  version: Date,
): Promise<boolean> {
  const _ = command();
  const saved = await updateWhere(
    COLLECTIONS.campaigns,
    { _id: id, updatedAt: loaded, status: _.neq('ended') },
    { config: _.set(config), updatedAt: version },
  );
  return saved === 1;
}

/** Rule: a stored status moves only from the one the decision read (absent = before the lifecycle). */
export async function changeStatus(
  id: string,
  from: StoredStatus | undefined,
  to: StoredStatus,
  now: Date,
): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.campaigns,
    { _id: id, status: from ?? _.exists(false) },
    { status: to, statusAt: now },
  );
  return changed === 1;
}

export type SlotMove = 'taken' | 'conflict' | 'not-draft';

/**
 * Rule: exactly one campaign holds the visitor slot. In one transaction: the campaign that held
 * it (`expected`, as the caller read it) lets go and ends; `campaign` takes it, either a stored
 * draft being published (`{ id }`) or a whole document written now (`{ id, set }`, campaign.put).
 * Every move writes the slot marker, so two concurrent moves conflict and one of them loses
 * (`conflict`), also when the slot was empty; a marker that names another campaign than the
 * caller read means someone moved it meanwhile (`conflict`).
 */
export async function takeVisitorSlot(
  campaign: { id: string; set?: Omit<CampaignDoc, '_id'> },
  expected: string | null,
  now: Date,
): Promise<SlotMove> {
  try {
    return await db().runTransaction(async (transaction: TransactionLike) => {
      const campaigns = transaction.collection(COLLECTIONS.campaigns);
      const jobs = transaction.collection(COLLECTIONS.jobs);
      const slot = (await readInTransaction<SlotDoc>(transaction, COLLECTIONS.jobs, SLOT_ID))
        ?.campaignId;
      // No marker yet: the slot was last moved before the marker existed; trust the read.
      if (slot !== undefined && slot !== expected) return 'conflict';
      if (!campaign.set) {
        const target = await readInTransaction<CampaignDoc>(
          transaction,
          COLLECTIONS.campaigns,
          campaign.id,
        );
        if (!target || target.status !== 'draft') return 'not-draft';
      }
      if (expected && expected !== campaign.id) {
        const previous = await readInTransaction<CampaignDoc>(
          transaction,
          COLLECTIONS.campaigns,
          expected,
        );
        if (previous) {
          const ends = previous.status === 'ended' ? {} : { status: 'ended', statusAt: now };
          await campaigns.doc(expected).update({ data: { active: false, ...ends } });
        }
      }
      if (campaign.set) await campaigns.doc(campaign.id).set({ data: campaign.set });
      else {
        await campaigns.doc(campaign.id).update({
          data: { active: true, status: 'published', statusAt: now },
        });
      }
      const marker: Omit<SlotDoc, '_id'> = { campaignId: campaign.id, at: now };
      await jobs.doc(SLOT_ID).set({ data: marker });
      return 'taken' as const;
    });
  } catch (error) {
    if (isTransactionConflict(error)) return 'conflict';
    throw error;
  }
}
