/**
 * A simulated campaign end to end through the functions (issue 14): visitors arrive in bursts —
 * waves that start all at once, as a store opening with a QR code on every table makes them —
 * over one Shanghai day. Each enters (half of them with an earlier visitor's invite), most claim
 * and spin, some ask for the group, look at their card and share, and one in ten shows the gift
 * coupon to a cashier who scans it. Then the clock moves past the abandonment window, the hourly
 * job runs (its reconciler walks every participant), and every invariant of the reliability work
 * is checked from the store's records (test/chaos/invariants.ts), the dashboard against them too.
 */
import { createHash } from 'node:crypto';
import { ABANDONED_AFTER_MS } from '../../cloudfunctions/_shared/limits';
import { timerEvent } from '../../test/support/emulator';
import { recount, violations, type CampaignFacts } from '../../test/chaos/invariants';
import { freshEmulator, must, percentile, round, section, timed, type Answer } from './support';

export interface CampaignResult {
  visitors: number;
  waves: number;
  /** visitors starting at the same moment, per wave */
  burst: number;
  calls: number;
  refused: Record<string, number>;
  wallSeconds: number;
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  reconcile: { seconds: number; roundTrips: number; participants: number };
  violations: string[];
  dashboardMatches: boolean;
  funnel: Record<string, number>;
}

/** A stable share of visitors, from their id. */
function chance(id: string, salt: string, rate: number): boolean {
  return createHash('sha1').update(`${salt}:${id}`).digest().readUInt32BE(0) / 2 ** 32 < rate;
}

export async function simulateCampaign(visitors: number, burst = 2000): Promise<CampaignResult> {
  const log = section(
    `A campaign of ${visitors.toLocaleString('en')} visitors, in bursts of ${burst.toLocaleString('en')}`,
  );
  // the hourly job walks every participant in one run: give it room in the emulator (see
  // docs/PERFORMANCE.md for what that means on CloudBase)
  const emulator = await freshEmulator({ functionTimeoutMs: { cron: 30 * 60_000 } });
  const campaign = await must(emulator, 'admin', 'demo-admin', { action: 'campaign.get' });
  const config = campaign.config as Record<string, any>;
  const facts: CampaignFacts = {
    campaignId: campaign.id,
    stock: Object.fromEntries(
      (config.lottery.prizes as Array<{ id: string; stock: number | null }>)
        .filter((p) => p.stock !== null)
        .map((p) => [p.id, p.stock as number]),
    ),
    invitesRequired: config.blackCard.invitesRequired,
    repurchase: Boolean(config.repurchase?.couponTemplateId),
  };

  const codes: string[] = [];
  const latencies: number[] = [];
  const refused: Record<string, number> = {};
  let calls = 0;
  const call = async (fn: 'api' | 'admin', openid: string, event: object): Promise<Answer> => {
    calls++;
    const start = performance.now();
    const { result } = await emulator.invoke<Answer>(fn, event, { openid });
    latencies.push(performance.now() - start);
    if (!result.ok) {
      const key = `${(event as { action: string }).action} ${result.error?.code}`;
      refused[key] = (refused[key] ?? 0) + 1;
    }
    return result;
  };

  async function journey(index: number): Promise<void> {
    const openid = `v${index}`;
    const invited = codes.length > 0 && chance(openid, 'invited', 0.5);
    const inviteCode = invited ? codes[index % codes.length] : undefined;
    const entered = await call('api', openid, {
      action: 'session.enter',
      landing: true,
      ...(inviteCode ? { inviteCode } : { channel: index % 3 ? 'poster' : 'table' }),
    });
    if (!entered.ok) return;
    if (!chance(openid, 'claims', 0.85)) return;
    await call('api', openid, { action: 'magnet.claim', requestId: `claim-${openid}` });
    if (chance(openid, 'spins', 0.8)) {
      await call('api', openid, { action: 'lottery.spin', requestId: `spin-${openid}-1` });
      if (chance(openid, 'spins-twice', 0.3)) {
        await call('api', openid, { action: 'lottery.spin', requestId: `spin-${openid}-2` });
      }
    }
    await call('api', openid, { action: 'wallet.list' });
    if (chance(openid, 'shares', 0.25)) {
      await call('api', openid, { action: 'blackcard.get' });
      codes.push(entered.data.inviteCode);
    }
    if (chance(openid, 'group', 0.3)) await call('api', openid, { action: 'group.get' });
    if (chance(openid, 'redeems', 0.1)) {
      const wallet = await call('api', openid, { action: 'wallet.list' });
      const gift = (wallet.data?.coupons ?? []).find(
        (c: { source: string }) => c.source === 'magnet',
      );
      if (gift) {
        const token = await call('api', openid, { action: 'coupon.token', couponId: gift.id });
        if (token.ok)
          await call('admin', 'demo-staff', { action: 'coupon.redeem', token: token.data.token });
      }
    }
  }

  const waves = Math.ceil(visitors / burst);
  const run = await timed(async () => {
    for (let wave = 0; wave < waves; wave++) {
      const first = wave * burst;
      const size = Math.min(burst, visitors - first);
      await Promise.all(Array.from({ length: size }, (_, i) => journey(first + i)));
      // the next wave a quarter of an hour later (one Shanghai day holds them all)
      await emulator.advanceClock(15 * 60_000 * (24 / Math.max(24, waves)));
      if (wave % 10 === 9) log(`${(first + size).toLocaleString('en')} visitors …`);
    }
  });
  log(
    `${visitors.toLocaleString('en')} visitors, ${calls.toLocaleString('en')} calls in ${round(run.ms / 1000, 1)} s`,
  );

  await emulator.advanceClock(ABANDONED_AFTER_MS + 60_000);
  const cron = await timed(() =>
    emulator.invoke<Answer>('cron', timerEvent(new Date(Date.now())), {
      openid: '',
      source: 'wx_trigger',
    }),
  );
  if (!cron.value.result.ok) throw new Error(`cron: ${JSON.stringify(cron.value.result)}`);
  const reconciled = cron.value.result.data?.reconciled as { participants?: number } | null;
  log(`the hourly job: ${round(cron.ms / 1000, 1)} s, ${cron.value.dbCalls} round trips`);

  const snapshot = emulator.store.exportSnapshot();
  const problems = violations(snapshot, facts);
  const truth = recount(snapshot, facts);
  const stats = await must(emulator, 'admin', 'demo-admin', { action: 'stats.overview' });
  const funnel = Object.fromEntries(
    (stats.funnel as Array<{ key: string; count: number }>).map((s) => [s.key, s.count]),
  );
  const dashboardMatches = Object.entries(funnel).every(([key, n]) => n === (truth.get(key) ?? 0));
  log(
    problems.length === 0 && dashboardMatches
      ? 'every invariant holds after the reconciler; the dashboard shows what the records say'
      : `${problems.length} violations${dashboardMatches ? '' : ', the dashboard differs from the records'}`,
  );
  await emulator.close();
  return {
    visitors,
    waves,
    burst,
    calls,
    refused,
    wallSeconds: round(run.ms / 1000, 1),
    callsPerSecond: round(calls / (run.ms / 1000), 0),
    p50Ms: round(percentile(latencies, 50), 1),
    p99Ms: round(percentile(latencies, 99), 1),
    reconcile: {
      seconds: round(cron.ms / 1000, 1),
      roundTrips: cron.value.dbCalls,
      participants: reconciled?.participants ?? 0,
    },
    violations: problems.slice(0, 20),
    dashboardMatches,
    funnel,
  };
}
