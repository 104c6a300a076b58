/**
 * `cron`: the hourly timer trigger (cloudbaserc.json). Expires coupons, retires expired group
 * QRs and raises operator alerts. Timer invocations carry no OPENID, so this function does not
 * use the visitor/admin dispatcher; it still answers the envelope, and never throws.
 */
import { randomUUID } from 'node:crypto';
import type { Envelope } from '../_shared/contracts';
import { groupPoolAlerts } from '../_shared/domain/group';
import { shanghaiDayKey } from '../_shared/domain/time';
import { raiseAlert } from '../_shared/repositories/alerts';
import { markExpiredCoupons } from '../_shared/repositories/coupons';
import { findAllGroups, retireExpiredGroups } from '../_shared/repositories/groups';

export interface CronReport {
  ranAt: string;
  couponsExpired: number;
  groupsRetired: number;
  alertsRaised: number;
}

export async function main(
  _event?: unknown,
  context: { request_id?: string } = {},
): Promise<Envelope<CronReport>> {
  const now = new Date();
  try {
    // Alerts first: a QR that just expired is reported before it leaves the pool.
    const dayKey = shanghaiDayKey(now);
    let alertsRaised = 0;
    for (const alert of groupPoolAlerts(await findAllGroups(), now)) {
      if (await raiseAlert(alert, dayKey, now)) alertsRaised++;
    }
    const couponsExpired = await markExpiredCoupons(now);
    const groupsRetired = await retireExpiredGroups(now);
    return {
      ok: true,
      data: { ranAt: now.toISOString(), couponsExpired, groupsRetired, alertsRaised },
    };
  } catch (error) {
    const requestId = context.request_id ?? randomUUID();
    console.error(`[cron] ${requestId}`, error);
    return { ok: false, error: { code: 'INTERNAL', message: 'cron failed', requestId } };
  }
}
