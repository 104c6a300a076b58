/**
 * Database round trips of every action (the walk the round-trip test holds to its budgets), and
 * the reads and writes of one engaged visitor's journey — against the quotas of CloudBase's plans.
 */
import { startBackend } from '../../test/support/emulator';
import { BUDGETS, budgetKey, walkEveryAction, type Measured } from '../../test/support/round-trips';
import { editCampaign, freshEmulator, must, section } from './support';

export interface RoundTripRow extends Measured {
  budget: number | null;
}

export async function roundTrips(): Promise<RoundTripRow[]> {
  const log = section('Database round trips per call (warm containers), reads / writes, budget');
  const backend = await startBackend();
  const walked = await walkEveryAction(backend);
  await backend.close();
  return walked.map((m) => {
    const budget = BUDGETS[budgetKey(m)] ?? null;
    log(`${budgetKey(m).padEnd(78)} ${m.calls} (${m.reads} r / ${m.writes} w)  ≤ ${budget}`);
    return { ...m, budget };
  });
}

export interface JourneyStep {
  action: string;
  reads: number;
  writes: number;
  calls: number;
}

export interface Journey {
  steps: JourneyStep[];
  /** of the friend's claim, what crediting the inviter costs (against a claim without invite) */
  credit: { reads: number; writes: number };
  totals: { reads: number; writes: number; functionCalls: number };
}

/**
 * An invited friend's journey: enter with the invite, claim (crediting the inviter), spin (the
 * wheel stops on a limited coupon prize: the dearest common spin), the wallet, the inviter's black
 * card, the group. The inviter accepted no reminder (as most have not).
 */
export async function journey(): Promise<Journey> {
  const log = section('One engaged visitor: reads and writes');
  const emulator = await freshEmulator();
  await editCampaign(emulator, (config) => {
    for (const prize of config.lottery.prizes) {
      if (prize.id === 'off-20') Object.assign(prize, { weight: 1_000_000, stock: 1000 });
    }
  });
  const { inviteCode } = await must(emulator, 'api', 'inviter', {
    action: 'session.enter',
    landing: true,
  });
  await must(emulator, 'api', 'inviter', { action: 'magnet.claim', requestId: 'claim-inviter' });
  // a warm container, as a busy campaign's are: the campaign and its social proof are cached
  const steps: JourneyStep[] = [];
  const step = async (action: string, openid: string, event: object) => {
    const res = await emulator.invoke('api', event, { openid });
    if (!(res.result as { ok: boolean }).ok)
      throw new Error(`${action}: ${JSON.stringify(res.result)}`);
    steps.push({ action, reads: res.dbReads, writes: res.dbWrites, calls: res.dbCalls });
    log(`${action.padEnd(44)} ${res.dbReads} reads, ${res.dbWrites} writes`);
    return res;
  };
  await step('session.enter (with the invite, landing)', 'friend', {
    action: 'session.enter',
    inviteCode,
    landing: true,
  });
  const claim = await step('magnet.claim (credits the inviter)', 'friend', {
    action: 'magnet.claim',
    requestId: 'claim-friend',
  });
  await step('lottery.spin (a limited coupon prize)', 'friend', {
    action: 'lottery.spin',
    requestId: 'spin-friend',
  });
  await step('wallet.list', 'friend', { action: 'wallet.list' });
  await step('blackcard.get', 'friend', { action: 'blackcard.get' });
  await step('group.get (first hand-out)', 'friend', { action: 'group.get' });

  // the same claim without an invite: the difference is the inviter's credit
  await must(emulator, 'api', 'alone', { action: 'session.enter' });
  const alone = await emulator.invoke(
    'api',
    { action: 'magnet.claim', requestId: 'claim-alone' },
    { openid: 'alone' },
  );
  const credit = {
    reads: claim.dbReads - alone.dbReads,
    writes: claim.dbWrites - alone.dbWrites,
  };
  await emulator.close();
  const totals = {
    reads: steps.reduce((n, s) => n + s.reads, 0),
    writes: steps.reduce((n, s) => n + s.writes, 0),
    functionCalls: steps.length,
  };
  log(`the journey: ${totals.reads} reads, ${totals.writes} writes, ${totals.functionCalls} calls`);
  log(`of it, the inviter's credit: ${credit.reads} reads, ${credit.writes} writes`);
  return { steps, credit, totals };
}

export interface PlanCapacity {
  plan: string;
  readsPerDay: number;
  writesPerDay: number;
  callsPerMonth: number | null;
  /** where the figures come from */
  source: 'published' | 'assumed';
  visitorsByReads: number;
  visitorsByWrites: number;
  visitorsByCalls: number | null;
  /** engaged visitors a day: the least of the three */
  engagedPerDay: number;
  /** which quota binds first */
  binding: 'reads' | 'writes' | 'function calls';
}

/**
 * CloudBase's base plan, from WeChat's quota page ("Resource Quota": reads 50,000/day, writes
 * 30,000/day, 200,000 function calls/month, QPS 30, 20 concurrent connections —
 * https://developers.weixin.qq.com/miniprogram/en/dev/wxcloud/basis/concepts/quota.html). The
 * other plans publish their concurrent connections only (README, What-if simulator); their
 * daily reads and writes are assumed to scale with them, as the simulator assumes for QPS.
 */
const PLANS: Array<{ plan: string; connections: number }> = [
  { plan: '基础版 1', connections: 20 },
  { plan: '基础版 2', connections: 50 },
  { plan: '专业版 1', connections: 100 },
  { plan: '专业版 2', connections: 200 },
  { plan: '专业版 3', connections: 300 },
  { plan: '旗舰版 1', connections: 400 },
  { plan: '旗舰版 2', connections: 500 },
];
const BASE = { readsPerDay: 50_000, writesPerDay: 30_000, callsPerMonth: 200_000 };

export function planCapacity(journeyTotals: Journey['totals']): PlanCapacity[] {
  return PLANS.map(({ plan, connections }, i) => {
    const scale = connections / PLANS[0].connections;
    const readsPerDay = BASE.readsPerDay * scale;
    const writesPerDay = BASE.writesPerDay * scale;
    const callsPerMonth = i === 0 ? BASE.callsPerMonth : null;
    const visitorsByReads = Math.floor(readsPerDay / journeyTotals.reads);
    const visitorsByWrites = Math.floor(writesPerDay / journeyTotals.writes);
    const visitorsByCalls =
      callsPerMonth === null ? null : Math.floor(callsPerMonth / 30 / journeyTotals.functionCalls);
    const limits: Array<[PlanCapacity['binding'], number]> = [
      ['reads', visitorsByReads],
      ['writes', visitorsByWrites],
      ...(visitorsByCalls === null
        ? []
        : [['function calls', visitorsByCalls] as [PlanCapacity['binding'], number]]),
    ];
    const [binding, engagedPerDay] = limits.reduce((a, b) => (b[1] < a[1] ? b : a));
    return {
      plan,
      readsPerDay,
      writesPerDay,
      callsPerMonth,
      source: i === 0 ? 'published' : 'assumed',
      visitorsByReads,
      visitorsByWrites,
      visitorsByCalls,
      engagedPerDay,
      binding,
    };
  });
}
