/**
 * Operator studio (issue 9) `campaign.simulate`: the what-if projection (domain/simulate.ts) of a
 * config being edited, or of a stored campaign (`id`, default the visitor slot's), against the
 * group pool as it stands. The editor shows it as a chart with its warnings before 发布.
 */
import type { Campaign } from '../../_shared/campaign';
import type { AdminResults, TrafficAssumptionsInput } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { simulate, simulateBands } from '../../_shared/domain/simulate';
import { fail } from '../../_shared/errors';
import { findActiveCampaign, findCampaign } from '../../_shared/repositories/campaigns';
import { findAllGroups } from '../../_shared/repositories/groups';
import { parsedOrRefused } from './campaign';

export async function simulateCampaign(
  params: {
    id?: string;
    config?: Record<string, unknown>;
    assumptions?: TrafficAssumptionsInput;
    bands?: { runs: number; seed: number };
  },
  { now }: ActionContext,
): Promise<AdminResults['campaign.simulate']> {
  let campaign: Campaign;
  if (params.config) {
    campaign = parsedOrRefused(params.config);
  } else {
    const doc = params.id ? await findCampaign(params.id) : await findActiveCampaign();
    if (!doc) return fail('NOT_FOUND', '没有这个活动');
    campaign = doc.config;
  }
  const input = { campaign, assumptions: params.assumptions, pool: { room: await poolRoom(now) } };
  const projection = simulate(input);
  if (params.bands) projection.bands = simulateBands(input, params.bands);
  return projection;
}

/** Seats left in the pool's groups that still take people (a QR due to expire gets renewed). */
async function poolRoom(now: Date): Promise<number> {
  const groups = await findAllGroups();
  return groups
    .filter((g) => g.active && g.expiresAt.getTime() > now.getTime())
    .reduce((room, g) => room + Math.max(0, g.capacity - g.handedOut), 0);
}
