/**
 * `campaign.get` / `campaign.put`: the operator reads and replaces the campaign config. A config
 * is validated in full first; an invalid one changes nothing and the old config stays active.
 *
 * Operator studio (issue 9): `campaign.get` also reads any campaign by `id` and says its status;
 * `campaign.put` stays for scripts and the emulator's seed (it replaces a config without a version
 * check, and a new id takes the visitor slot at once). The editor uses `campaign.create`,
 * `campaign.update` and `campaign.setStatus` (actions/studio.ts).
 */
import { parseCampaign, problemText, type CampaignProblem } from '../../_shared/campaign';
import type { AdminResults, ValidationIssue } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { campaignStatus } from '../../_shared/domain/lifecycle';
import { fail } from '../../_shared/errors';
import { prepareCampaign } from '../../_shared/flows/campaign-save';
import {
  activateCampaign,
  findActiveCampaign,
  findCampaign,
  updateCampaignConfig,
} from '../../_shared/repositories/campaigns';
import { syncStock } from '../../_shared/repositories/stock';
import { publishMomentsSnapshot } from '../../_shared/moments';

export async function getCampaign(
  { id }: { id?: string },
  { now }: ActionContext,
): Promise<AdminResults['campaign.get']> {
  const doc = id ? await findCampaign(id) : await findActiveCampaign();
  if (!doc) return fail('NOT_FOUND', id ? '没有这个活动' : '还没有活动配置');
  return {
    config: doc.config,
    updatedAt: doc.updatedAt.toISOString(),
    id: doc._id,
    status: campaignStatus(doc.status, doc.config, now),
    active: doc.active,
  };
}

/**
 * Saves the config, then brings the stock shards to it by deltas (`syncStock`): raising a
 * prize's stock from 20 to 30 adds 10 units whatever was won meanwhile, and saving an unchanged
 * config changes no stock at all. A cut below what is already won is refused before anything is
 * written. A save interrupted half-way is finished by saving again (every step is idempotent).
 */
export async function putCampaign(
  { config }: { config: Record<string, unknown> },
  { now }: ActionContext,
): Promise<AdminResults['campaign.put']> {
  const campaign = parsedOrRefused(config);
  const stock = await syncStock(campaign.id, campaign.lottery.prizes);
  if (!stock.ok) {
    const message = `奖品 ${stock.prizeId} 已发出 ${stock.won} 件，库存不能少于 ${stock.won}`;
    const index = campaign.lottery.prizes.findIndex((p) => p.id === stock.prizeId);
    return fail('BAD_REQUEST', message, {
      issues: [{ path: `config.lottery.prizes.${index}.stock`, message }],
    });
  }
  const active = await findActiveCampaign();
  if (active && active._id === campaign.id) {
    await updateCampaignConfig(campaign.id, campaign, now);
  } else {
    if (!(await activateCampaign(campaign, active?._id ?? null, now))) {
      // Two operators switching campaigns at once: one wins, the other is told to retry.
      return fail('CONFLICT', '另一位运营同时修改了活动，请刷新后重试');
    }
    await prepareCampaign(campaign);
  }
  // Distribution (issue 10): pages opened from Moments read the campaign from this snapshot
  await publishMomentsSnapshot(
    { _id: campaign.id, config: campaign, active: true, updatedAt: now },
    now,
  );
  return { id: campaign.id, updatedAt: now.toISOString() };
}

/** The parsed config, or BAD_REQUEST with every problem placed at its field (`config.…`). */
export function parsedOrRefused(config: unknown) {
  const parsed = parseCampaign(config);
  if (parsed.ok) return parsed.campaign;
  return fail(
    'BAD_REQUEST',
    `活动配置有 ${parsed.problems.length} 处问题：\n${parsed.problems.map(problemText).join('\n')}`,
    { issues: parsed.problems.map(toIssue) },
  );
}

/** One problem as a BAD_REQUEST issue of the `config` param. */
export function toIssue({ field, message }: CampaignProblem): ValidationIssue {
  return { path: field ? `config.${field}` : 'config', message };
}
