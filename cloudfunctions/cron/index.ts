/**
 * `cron`: the hourly timer trigger (cloudbaserc.json, cron/config.json). Raises operator
 * alerts, expires coupons, retires expired group QRs, then runs the reconciler. It runs only for
 * timer invocations: a timer event carries no OPENID and the trigger's own shape, while every
 * call from the Mini Program carries the caller's OPENID — anyone else gets FORBIDDEN.
 */
import { randomUUID } from 'node:crypto';
import { caller } from '../_shared/cloud';
import type { ActionError, Envelope } from '../_shared/contracts';
import { groupPoolAlerts } from '../_shared/domain/group';
import { shanghaiDayKey } from '../_shared/domain/time';
import { raiseAlert } from '../_shared/repositories/alerts';
import { findActiveCampaign } from '../_shared/repositories/campaigns';
import { markExpiredCoupons } from '../_shared/repositories/coupons';
import { findAllGroups, retireExpiredGroups } from '../_shared/repositories/groups';
import { recordJobRun } from '../_shared/repositories/jobs';
import { advanceJob } from '../_shared/flows/export';
import { findRunningExports } from '../_shared/repositories/exports';
import { reconcile, type ReconcileReport } from './reconcile';
import { publishMomentsSnapshot } from '../_shared/moments';
import { sendReminders, type RemindersReport } from './reminders';
import type { OperatorAlert } from '../_shared/repositories/alerts';

export interface CronReport {
  ranAt: string;
  couponsExpired: number;
  groupsRetired: number;
  alertsRaised: number;
  reconciled: ReconcileReport | null;
  /** Rewards (issue 12): subscribe messages sent by this run */
  reminders: RemindersReport;
  /** People console (issue 13): export jobs advanced by this run */
  exportsAdvanced?: number;
}

/**
 * What CloudBase passes a timer-triggered function: `{ Type: 'Timer', TriggerName, Time }`
 * (Tencent SCF's timer event; the Message field is optional).
 */
export function isTimerEvent(event: unknown): boolean {
  if (!event || typeof event !== 'object' || Array.isArray(event)) return false;
  const e = event as Record<string, unknown>;
  return (
    typeof e.Type === 'string' &&
    e.Type.toLowerCase() === 'timer' &&
    typeof e.TriggerName === 'string' &&
    typeof e.Time === 'string'
  );
}

export async function main(
  event?: unknown,
  context: { request_id?: string } = {},
): Promise<Envelope<CronReport>> {
  const requestId = context.request_id ?? randomUUID();
  const failure = (error: ActionError) => ({ ok: false as const, error });
  try {
    if (caller().openid || !isTimerEvent(event)) {
      return failure({ code: 'FORBIDDEN', message: '定时任务只能由定时触发器运行' });
    }
    const now = new Date();
    // Alerts first: a QR that just expired is reported before it leaves the pool.
    const dayKey = shanghaiDayKey(now);
    const raised: OperatorAlert[] = [];
    for (const alert of groupPoolAlerts(await findAllGroups(), now)) {
      if (await raiseAlert(alert, dayKey, now)) raised.push(alert);
    }
    const alertsRaised = raised.length;
    const couponsExpired = await markExpiredCoupons(now);
    const groupsRetired = await retireExpiredGroups(now);
    const campaign = await findActiveCampaign();
    const reconciled = campaign ? await reconcile(campaign, now) : null;
    // Distribution (issue 10): the Moments snapshot's claim count and image URL, renewed hourly
    if (campaign) await publishMomentsSnapshot(campaign, now);
    // Rewards (issue 12): reminders, after the repairs (a repaired claim may have a reminder)
    const reminders = await sendReminders(campaign, raised, dayKey, now);
    const report: CronReport = {
      ranAt: now.toISOString(),
      couponsExpired,
      groupsRetired,
      alertsRaised,
      reconciled,
      reminders,
      exportsAdvanced: await advanceExports(now),
    };
    await recordJobRun('cron', { ...report }, now);
    return { ok: true, data: report };
  } catch (error) {
    console.error(`[cron] ${requestId}`, error);
    return failure({ code: 'INTERNAL', message: 'cron failed', requestId });
  }
}

/** People console (issue 13): exports nobody is watching keep moving, a few pages per job. */
async function advanceExports(now: Date): Promise<number> {
  const jobs = await findRunningExports(EXPORTS_PER_RUN);
  for (const job of jobs) await advanceJob(job._id, now, EXPORT_PAGES_PER_RUN);
  return jobs.length;
}

const EXPORTS_PER_RUN = 5;
const EXPORT_PAGES_PER_RUN = 20;
