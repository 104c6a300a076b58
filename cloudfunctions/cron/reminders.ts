/**
 * The reminders the hourly job sends (订阅消息, Rewards issue 12), each at most once per cause
 * (flows/reminders), to those who accepted one:
 * - a coupon or voucher expires within 24 h (`expiring:<coupon>`): one run sends it, the next
 *   finds the cause taken;
 * - the black card's rights changed (`rights:<campaign>:<digest>:<member>`): told to the card's
 *   holders a page per run, remembering where it got to, once per change of the rights;
 * - a group has room again for someone who found the pool full (`group-ready:<participant>:<wait>`);
 * - owners: each new pool alert (`alert:<alert>:<owner>`), instead of opening the dashboard.
 */
import type { Campaign } from '../_shared/campaign';
import { PAGES, withQuery } from '../../miniprogram/utils/routes';
import { chooseGroup } from '../_shared/domain/group';
import { formatShanghai } from '../_shared/domain/time';
import { sendReminder, subscriptionsOf } from '../_shared/flows/reminders';
import { contentDigest } from '../_shared/ids';
import { RECONCILE_PAGE } from '../_shared/limits';
import type { KeyCursor } from '../_shared/paging';
import { findOwners } from '../_shared/repositories/admins';
import { alertId, type OperatorAlert } from '../_shared/repositories/alerts';
import type { CampaignDoc } from '../_shared/repositories/campaigns';
import { findCouponsExpiring } from '../_shared/repositories/coupons';
import { findAllGroups } from '../_shared/repositories/groups';
import { findJob, recordJobRun } from '../_shared/repositories/jobs';
import {
  endGroupWait,
  pageCardHolders,
  pageGroupWaiting,
} from '../_shared/repositories/participants';

const HOUR_MS = 60 * 60 * 1000;
/** Holders told of a change of rights per run (the rest in the next runs). */
const HOLDERS_PER_RUN = 2000;

export interface RemindersReport {
  couponsExpiring: number;
  rightsChanged: number;
  groupReady: number;
  poolAlerts: number;
}

export async function sendReminders(
  campaignDoc: CampaignDoc | null,
  alerts: readonly OperatorAlert[],
  dayKey: string,
  now: Date,
): Promise<RemindersReport> {
  const report: RemindersReport = {
    couponsExpiring: 0,
    rightsChanged: 0,
    groupReady: 0,
    poolAlerts: 0,
  };
  if (!campaignDoc) return report;
  const campaign = campaignDoc.config;
  report.poolAlerts = await remindOwners(campaign, alerts, dayKey, now);
  report.couponsExpiring = await remindExpiring(campaign, now);
  report.rightsChanged = await announceRightsChange(campaignDoc, now);
  report.groupReady = await remindGroupWaiters(campaignDoc, now);
  return report;
}

/** Time as a template's `time` keyword takes it: 2025年3月10日 15:00. */
function timeText(at: Date): string {
  return formatShanghai(at, 'YYYY年M月D日 HH:mm');
}

async function remindOwners(
  campaign: Campaign,
  alerts: readonly OperatorAlert[],
  dayKey: string,
  now: Date,
): Promise<number> {
  if (alerts.length === 0 || !campaign.reminders.poolAlert) return 0;
  const owners = await findOwners();
  const subscriptions = await subscriptionsOf(owners.map((o) => o._id));
  let sent = 0;
  for (const alert of alerts) {
    for (const owner of owners) {
      const outcome = await sendReminder(
        {
          event: 'poolAlert',
          to: owner._id,
          cause: `alert:${alertId(alert, dayKey)}:${owner._id}`,
          page: PAGES.groups,
          vars: { message: alert.message, at: timeText(now) },
        },
        campaign,
        now,
        subscriptions,
      );
      if (outcome === 'sent') sent++;
    }
  }
  return sent;
}

async function remindExpiring(campaign: Campaign, now: Date): Promise<number> {
  if (!campaign.reminders.couponExpiring) return 0;
  const until = new Date(now.getTime() + 24 * HOUR_MS);
  let sent = 0;
  let after: KeyCursor | null = null;
  for (;;) {
    const page = await findCouponsExpiring(now, until, after, RECONCILE_PAGE);
    if (page.length === 0) break;
    const last = page[page.length - 1];
    after = { value: last.expiresAt, id: last._id };
    const subscriptions = await subscriptionsOf(page.map((c) => c.owner));
    for (const coupon of page) {
      const outcome = await sendReminder(
        {
          event: 'couponExpiring',
          to: coupon.owner,
          cause: `expiring:${coupon._id}`,
          page: withQuery(PAGES.coupon, { id: coupon._id }),
          vars: { title: coupon.title, label: coupon.label, expiresAt: timeText(coupon.expiresAt) },
        },
        campaign,
        now,
        subscriptions,
      );
      if (outcome === 'sent') sent++;
    }
    if (page.length < RECONCILE_PAGE) break;
  }
  return sent;
}

interface RightsAnnouncement {
  /** the rights holders were last told of (or found on the first run) */
  digest: string;
  /** a change being told: its digest, when it was seen, and the last holder told */
  pending: { digest: string; since: Date; after: string | null } | null;
}

/**
 * Tells card holders once per change of the rights (权益会不断更新). The first run only notes the
 * rights as they are; a later run that finds them changed starts telling the holders who had the
 * card before the change (newer ones saw the new rights), a page of them per run.
 */
async function announceRightsChange(campaignDoc: CampaignDoc, now: Date): Promise<number> {
  const campaign = campaignDoc.config;
  const rights = campaign.blackCard.rights;
  const digest = contentDigest(
    JSON.stringify(rights.map((r) => [r.id, r.title, r.description, r.quota, r.period])),
  );
  const jobId = `rights:${campaignDoc._id}`;
  const stored = (await findJob(jobId))?.lastReport as RightsAnnouncement | null | undefined;
  const state: RightsAnnouncement = stored ?? { digest, pending: null };
  if (state.digest !== digest && state.pending?.digest !== digest) {
    state.pending = { digest, since: now, after: null };
  }
  if (!stored && !state.pending) {
    await recordJobRun(jobId, { ...state }, now);
    return 0;
  }
  const pending = state.pending;
  if (!pending) return 0;
  let sent = 0;
  let told = 0;
  const titles = rights.map((r) => r.title).join('、');
  while (told < HOLDERS_PER_RUN) {
    const page = await pageCardHolders(
      campaignDoc._id,
      pending.since,
      pending.after,
      RECONCILE_PAGE,
    );
    if (page.length === 0) {
      state.digest = pending.digest;
      state.pending = null;
      break;
    }
    const subscriptions = await subscriptionsOf(page.map((p) => p.openid));
    for (const holder of page) {
      const outcome = await sendReminder(
        {
          event: 'rightsChanged',
          to: holder.openid,
          cause: `rights:${campaignDoc._id}:${pending.digest}:${holder._id}`,
          page: PAGES.blackcard,
          vars: { rights: titles, count: rights.length },
        },
        campaign,
        now,
        subscriptions,
      );
      if (outcome === 'sent') sent++;
    }
    told += page.length;
    pending.after = page[page.length - 1]._id;
  }
  await recordJobRun(jobId, { ...state }, now);
  return sent;
}

/** People who found the pool full are told once a group has room again. */
async function remindGroupWaiters(campaignDoc: CampaignDoc, now: Date): Promise<number> {
  const campaign = campaignDoc.config;
  const room = chooseGroup(await findAllGroups(), now);
  if (!room) return 0;
  let sent = 0;
  let after: string | null = null;
  for (;;) {
    const page = await pageGroupWaiting(campaignDoc._id, after, RECONCILE_PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]._id;
    const subscriptions = await subscriptionsOf(page.map((p) => p.openid));
    for (const waiting of page) {
      const since = waiting.groupWaitingAt as Date;
      if (!waiting.group) {
        const outcome = await sendReminder(
          {
            event: 'groupReady',
            to: waiting.openid,
            cause: `group-ready:${waiting._id}:${since.getTime()}`,
            page: PAGES.group,
            vars: { group: room.name, expiresAt: timeText(room.expiresAt) },
          },
          campaign,
          now,
          subscriptions,
        );
        if (outcome === 'sent') sent++;
      }
      await endGroupWait(waiting._id, since);
    }
    if (page.length < RECONCILE_PAGE) break;
  }
  return sent;
}
