/**
 * The chaos scenario both chaos tests run: the campaign set up for contention, a burst under
 * faults, then — faults off — the cashiers' rescans, every answered spin asked again, the clock
 * past the abandonment window, one reconciler run, and the invariants.
 */
import type { StoreSnapshot } from '../../emulator/store';
import { ABANDONED_AFTER_MS } from '../../cloudfunctions/_shared/limits';
import { recount, violations, type CampaignFacts } from './invariants';
import {
  runBurst,
  type Answer,
  type BurstOptions,
  type BurstRecord,
  type Invoke,
} from './journeys';

export const BURST: BurstOptions = {
  visitors: 500,
  inviters: 100,
  spinsEach: 3,
  redeemEvery: 5,
  abandonRate: 0.1,
};

/** What the scenario needs of an emulator, in process or behind its gateway. */
export interface ChaosTarget {
  invoke: Invoke;
  /** the timer trigger's run of `cron` */
  runCron(): Promise<Answer>;
  advanceClock(ms: number): Promise<void>;
  exportSnapshot(): Promise<StoreSnapshot>;
}

/** Limited prizes that will run out, and a group pool smaller than the crowd. */
export async function prepare(target: ChaosTarget): Promise<CampaignFacts> {
  const owner = (event: object) => target.invoke('admin', 'demo-admin', event);
  const current = await owner({ action: 'campaign.get' });
  const config = JSON.parse(JSON.stringify(current.data.config));
  for (const prize of config.lottery.prizes) {
    if (prize.id === 'tumbler') Object.assign(prize, { weight: 400, stock: 40 });
    if (prize.id === 'tote') Object.assign(prize, { weight: 300, stock: 30 });
    if (prize.id === 'cash-5') Object.assign(prize, { weight: 300, stock: 60 });
  }
  const put = await owner({ action: 'campaign.put', config });
  if (!put.ok) throw new Error(`campaign.put: ${JSON.stringify(put.error)}`);
  const stats = await owner({ action: 'stats.overview' });
  for (const group of stats.data.groups) {
    const upsert = await owner({
      action: 'groups.upsert',
      id: group.id,
      name: group.name,
      qrUrl: group.qrUrl,
      expiresAt: group.expiresAt,
      capacity: 100,
    });
    if (!upsert.ok) throw new Error(`groups.upsert: ${JSON.stringify(upsert.error)}`);
  }
  // Past the campaign cache of warm containers, so the burst sees this config.
  await target.advanceClock(60_000);
  const stock: Record<string, number> = {};
  for (const prize of config.lottery.prizes)
    if (prize.stock !== null) stock[prize.id] = prize.stock;
  return {
    campaignId: config.id,
    stock,
    invitesRequired: config.blackCard.invitesRequired,
    repurchase: Boolean(config.repurchase),
  };
}

/** After the burst: rescans, retries, the reconciler, and every invariant. */
export async function settle(
  target: ChaosTarget,
  facts: CampaignFacts,
  burst: BurstRecord,
): Promise<string[]> {
  const problems: string[] = [];
  // The cashier who redeemed is told so however often they rescan; anyone else is refused.
  for (const r of burst.redemptions) {
    const again = await target.invoke('admin', r.cashier, {
      action: 'coupon.redeem',
      token: r.token,
    });
    if (!again.ok || again.data.redeemedAt !== r.redeemedAt) {
      problems.push(
        `rescan of ${r.couponId} by ${r.cashier}: ${JSON.stringify(again.error ?? again.data)}`,
      );
    }
    const other = r.cashier === 'demo-staff' ? 'demo-admin' : 'demo-staff';
    const refused = await target.invoke('admin', other, {
      action: 'coupon.redeem',
      token: r.token,
    });
    if (refused.error?.code !== 'COUPON_ALREADY_REDEEMED') {
      problems.push(`${r.couponId} scanned by another cashier: ${JSON.stringify(refused)}`);
    }
  }
  // Every answered spin answers the same again (a temporary URL may come from another host:
  // the emulator's port changes when it restarts).
  const same = (a: unknown) => JSON.stringify(a).replace(/https?:\/\/[^/"]+\//g, '/');
  for (const [requestId, { openid, answer }] of burst.spins) {
    const again = await target.invoke('api', openid, { action: 'lottery.spin', requestId });
    if (!again.ok || same(again.data) !== same(answer)) {
      problems.push(
        `spin ${requestId}: first ${JSON.stringify(answer)}, now ${JSON.stringify(again)}`,
      );
    }
  }
  await target.advanceClock(ABANDONED_AFTER_MS + 60_000);
  const cron = await target.runCron();
  if (!cron.ok) problems.push(`cron: ${JSON.stringify(cron.error)}`);
  const snapshot = await target.exportSnapshot();
  problems.push(...violations(snapshot, facts));

  // Through the public API: the dashboard shows what the records say.
  const stats = await target.invoke('admin', 'demo-admin', { action: 'stats.overview' });
  const truth = recount(snapshot, facts);
  for (const step of stats.data.funnel as Array<{ key: string; count: number }>) {
    if (step.count !== (truth.get(step.key) ?? 0)) {
      problems.push(`dashboard ${step.key}: ${step.count}, records ${truth.get(step.key) ?? 0}`);
    }
  }
  for (let i = 0; i < BURST.inviters; i++) {
    const openid = `chaos-${i.toString().padStart(4, '0')}`;
    const card = await target.invoke('api', openid, { action: 'blackcard.get' });
    if (card.ok && card.data.pending < 0) problems.push(`${openid}: pending ${card.data.pending}`);
  }
  return problems;
}

export { runBurst };
