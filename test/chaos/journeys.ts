/**
 * A burst of visitors as a flaky network and impatient people make it: each visitor enters
 * (most with a friend's invite), claims, spins a few times, asks for the group, and some show a
 * coupon that a cashier scans. Every call is retried with the same params (the same requestId, the
 * same token) while it fails with INTERNAL/CONFLICT or times out — as the Mini Program's retries
 * do — except by visitors who give up at their first failure and never come back.
 */
import { createHash } from 'node:crypto';

export interface Answer {
  ok: boolean;
  data?: any;
  error?: { code: string; message?: string };
}

/** One call to a function as a user; rejects when the invocation timed out / the link broke. */
export type Invoke = (fn: 'api' | 'admin', openid: string, event: object) => Promise<Answer>;

export interface BurstOptions {
  visitors: number;
  /** how many of the first visitors invite the others (round robin) */
  inviters: number;
  spinsEach: number;
  /** every n-th visitor shows their gift coupon at the counter */
  redeemEvery: number;
  /** share of visitors who stop at their first failure (decided from their id, reproducibly) */
  abandonRate: number;
  attempts?: number;
}

export interface BurstRecord {
  /** requestId → the answer the visitor got (only for spins that were answered) */
  spins: Map<string, { openid: string; answer: any }>;
  /** coupon redemptions that were answered ok, with the token and the cashier */
  redemptions: Array<{ couponId: string; token: string; cashier: string; redeemedAt: string }>;
  gaveUp: number;
  calls: number;
}

const CASHIERS = ['demo-staff', 'demo-admin'];

function retryable(answer: Answer): boolean {
  return !answer.ok && (answer.error?.code === 'INTERNAL' || answer.error?.code === 'CONFLICT');
}

/** A stable share of visitors, from their id (no RNG, so a failing run can be replayed). */
function gives(openid: string, rate: number): boolean {
  return createHash('sha256').update(openid).digest().readUInt32BE(0) / 2 ** 32 < rate;
}

class GaveUp extends Error {}

export async function runBurst(invoke: Invoke, options: BurstOptions): Promise<BurstRecord> {
  const record: BurstRecord = { spins: new Map(), redemptions: [], gaveUp: 0, calls: 0 };
  const attempts = options.attempts ?? 60;
  const codes: string[] = [];
  const codeKnown: Array<Promise<string>> = [];
  const resolvers: Array<(code: string) => void> = [];
  for (let i = 0; i < options.inviters; i++) {
    codeKnown.push(new Promise((resolve) => resolvers.push(resolve)));
  }

  async function call(openid: string, fn: 'api' | 'admin', event: object, patient: boolean) {
    for (let attempt = 0; attempt < attempts; attempt++) {
      record.calls++;
      let answer: Answer | null = null;
      try {
        answer = await invoke(fn, openid, event);
      } catch {
        answer = null; // timed out, or the emulator went away: try again
      }
      if (answer && !retryable(answer)) return answer;
      if (!patient) throw new GaveUp();
    }
    throw new Error(`${openid} ${JSON.stringify(event)} still failing after ${attempts} attempts`);
  }

  async function journey(index: number) {
    const openid = `chaos-${index.toString().padStart(4, '0')}`;
    const patient = !gives(openid, options.abandonRate);
    const inviter = index >= options.inviters ? index % options.inviters : -1;
    const inviteCode = inviter >= 0 ? await codeKnown[inviter] : undefined;
    try {
      const entered = await call(
        openid,
        'api',
        { action: 'session.enter', ...(inviteCode ? { inviteCode } : {}) },
        patient,
      );
      if (index < options.inviters) {
        if (entered.ok) {
          codes[index] = entered.data.inviteCode;
          resolvers[index](entered.data.inviteCode);
        } else throw new Error(`inviter ${openid} could not enter: ${entered.error?.code}`);
      }
      await call(openid, 'api', { action: 'magnet.claim', requestId: `claim-${openid}` }, patient);
      for (let n = 0; n < options.spinsEach; n++) {
        const requestId = `spin-${openid}-${n}`;
        const spin = await call(openid, 'api', { action: 'lottery.spin', requestId }, patient);
        if (spin.ok) record.spins.set(requestId, { openid, answer: spin.data });
      }
      await call(openid, 'api', { action: 'group.get' }, patient);
      if (index % options.redeemEvery === 0) {
        const wallet = await call(openid, 'api', { action: 'wallet.list' }, patient);
        const gift = (wallet.data?.coupons ?? []).find((c: any) => c.source === 'magnet');
        if (gift) {
          const token = await call(
            openid,
            'api',
            { action: 'coupon.token', couponId: gift.id },
            patient,
          );
          const cashier = CASHIERS[index % CASHIERS.length];
          const redeemed = await call(
            cashier,
            'admin',
            { action: 'coupon.redeem', token: token.data.token },
            patient,
          );
          if (redeemed.ok) {
            record.redemptions.push({
              couponId: gift.id,
              token: token.data.token,
              cashier,
              redeemedAt: redeemed.data.redeemedAt,
            });
          }
        }
      }
    } catch (error) {
      if (!(error instanceof GaveUp)) throw error;
      record.gaveUp++;
      // An inviter who gave up before entering still lets their friends arrive (with no code).
      if (index < options.inviters && !codes[index]) resolvers[index]('');
    }
  }

  await Promise.all(Array.from({ length: options.visitors }, (_, i) => journey(i)));
  return record;
}
