/**
 * `campaign.get` / `campaign.put`: the operator reads and replaces the campaign config. A config
 * is validated in full first; an invalid one changes nothing and the old config stays active.
 */
import {
  parseCampaign,
  problemText,
  type Campaign,
  type CampaignProblem,
} from '../../_shared/campaign';
import { db } from '../../_shared/cloud';
import { COLLECTIONS, emptyCounterShards } from '../../_shared/collections';
import type { AdminResults, ValidationIssue } from '../../_shared/contracts';
import { command, insert } from '../../_shared/db';
import type { ActionContext } from '../../_shared/dispatch';
import { initialStock } from '../../_shared/domain/lottery';
import { fail, isTransactionConflict } from '../../_shared/errors';
import { findActiveCampaign, type CampaignDoc } from '../../_shared/repositories/campaigns';
import { readCounters } from '../../_shared/repositories/counters';

export async function getCampaign(
  _params: object,
  _context: ActionContext,
): Promise<AdminResults['campaign.get']> {
  const doc = await findActiveCampaign();
  if (!doc) return fail('NOT_FOUND', '还没有活动配置');
  return { config: doc.config, updatedAt: doc.updatedAt.toISOString() };
}

export async function putCampaign(
  { config }: { config: Record<string, unknown> },
  { now }: ActionContext,
): Promise<AdminResults['campaign.put']> {
  const parsed = parseCampaign(config);
  if (!parsed.ok) {
    return fail(
      'BAD_REQUEST',
      `活动配置有 ${parsed.problems.length} 处问题：\n${parsed.problems.map(problemText).join('\n')}`,
      {
        issues: parsed.problems.map(toIssue),
      },
    );
  }
  const campaign = parsed.campaign;
  const active = await findActiveCampaign();
  if (active && active._id === campaign.id) {
    await db()
      .collection(COLLECTIONS.campaigns)
      .doc(campaign.id)
      .update({
        data: {
          config: command().set(campaign),
          stock: command().set(await stockAfterEdit(campaign)),
          updatedAt: now,
        },
      });
  } else {
    await activateNew(campaign, active, now);
  }
  return { id: campaign.id, updatedAt: now.toISOString() };
}

/**
 * A new campaign replaces the active one in one transaction (document operations only), so
 * visitors never see two active campaigns or none. The old one is kept for history.
 */
async function activateNew(
  campaign: Campaign,
  active: CampaignDoc | null,
  now: Date,
): Promise<void> {
  const doc: Omit<CampaignDoc, '_id'> = {
    config: campaign,
    active: true,
    updatedAt: now,
    stock: await stockAfterEdit(campaign),
  };
  try {
    await db().runTransaction(async (transaction: TransactionLike) => {
      const campaigns = transaction.collection(COLLECTIONS.campaigns);
      if (active) await campaigns.doc(active._id).update({ data: { active: false } });
      await campaigns.doc(campaign.id).set({ data: doc });
    });
  } catch (error) {
    // Two operators switching campaigns at once: one wins, the other is told to retry.
    if (isTransactionConflict(error))
      return fail('CONFLICT', '另一位运营同时修改了活动，请刷新后重试');
    throw error;
  }
  for (const shard of emptyCounterShards(campaign.id)) await insert(COLLECTIONS.counters, shard);
}

/**
 * Remaining stock = configured stock − already issued (never below zero), so raising a prize's
 * stock from 20 to 30 after 20 were won makes 10 more available.
 */
async function stockAfterEdit(campaign: Campaign): Promise<Record<string, number>> {
  const counters = await readCounters(campaign.id);
  const stock = initialStock(campaign.lottery.prizes);
  for (const id of Object.keys(stock)) {
    stock[id] = Math.max(0, stock[id] - (counters.get(`prizes.${id}.issued`) ?? 0));
  }
  return stock;
}

function toIssue({ field, message }: CampaignProblem): ValidationIssue {
  return { path: field ? `config.${field}` : 'config', message };
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
