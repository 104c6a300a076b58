/**
 * A campaign's lifecycle: draft → scheduled → live → paused → ended.
 *
 * Only what an operator decides is stored (`StoredStatus`): a draft, published, paused, ended.
 * Whether a published campaign is still waiting (scheduled), running (live) or over (ended) is
 * a function of its dates and `now`, so a campaign starts and ends on time with no job to flip
 * it, and every function reading it agrees at every instant.
 *
 * Decisions:
 * - One campaign occupies the visitor slot (`active: true`): the published, paused or ended one
 *   visitors last saw. Publishing a draft moves the slot to it; the campaign that held the slot
 *   ends (it is no longer seen). An ended campaign keeps the slot until another is published, so
 *   visitors read "活动已结束" rather than nothing.
 * - A paused campaign whose end passed is ended: pausing never extends a campaign.
 * - An ended campaign is history: it cannot be resumed or edited, only cloned.
 * - Asking for the status a campaign already has changes nothing and is not an error (a retried
 *   call answers as the first did).
 */
import type { CampaignStatus, CampaignStatusTarget } from '../contracts';
import { campaignPhase, type TimeWindow } from './schedule';

export type StoredStatus = 'draft' | 'published' | 'paused' | 'ended';

/**
 * What visitors and operators see now. A stored document without a status predates the
 * lifecycle: it was published when it was put.
 */
export function campaignStatus(
  stored: StoredStatus | undefined,
  window: TimeWindow,
  now: Date,
): CampaignStatus {
  const status = stored ?? 'published';
  if (status === 'draft' || status === 'ended') return status;
  const phase = campaignPhase(window, now);
  if (phase === 'over') return 'ended';
  if (status === 'paused') return 'paused';
  return phase === 'upcoming' ? 'scheduled' : 'live';
}

/** Whether visitors may take part now (claim, spin, invite): the campaign is live. */
export function isRunning(status: CampaignStatus): boolean {
  return status === 'live';
}

export type StatusChange =
  /** nothing to write: the campaign already has the asked status */
  | { kind: 'unchanged' }
  /** a draft takes the visitor slot (the slot's previous campaign ends) */
  | { kind: 'publish' }
  /** a conditional write of the stored status: from what was read, to the new one */
  | { kind: 'set'; from: StoredStatus | undefined; to: StoredStatus }
  | { kind: 'refused'; message: string };

/**
 * What asking for `target` does to a campaign that is `current` now (stored as `stored`).
 * `live` means "publish or resume": a campaign whose start is still ahead is scheduled until then.
 */
export function planStatusChange(
  current: CampaignStatus,
  stored: StoredStatus | undefined,
  target: CampaignStatusTarget,
): StatusChange {
  const set = (to: StoredStatus): StatusChange => ({ kind: 'set', from: stored, to });
  const refused = (message: string): StatusChange => ({ kind: 'refused', message });
  if (current === 'ended') {
    return target === 'ended'
      ? { kind: 'unchanged' }
      : refused('活动已结束，不能再开启；可以复制它，改好时间后作为新活动发布');
  }
  switch (target) {
    case 'live':
      if (current === 'draft') return { kind: 'publish' };
      if (current === 'paused') return set('published');
      return { kind: 'unchanged' };
    case 'paused':
      if (current === 'draft') return refused('草稿还没有发布，无需暂停');
      if (current === 'paused') return { kind: 'unchanged' };
      return set('paused');
    case 'ended':
      if (current === 'draft') return refused('草稿还没有发布，无需结束');
      return set('ended');
  }
}

/** A draft can be published only while its end is still ahead. */
export function publishRefusal(window: TimeWindow, now: Date): string | null {
  return campaignPhase(window, now) === 'over'
    ? '活动结束时间已过，请先把活动时间改到以后再发布'
    : null;
}

/**
 * The instant a save is stamped with: `now`, or just after the version it replaces when the
 * clock has not moved (two saves within one millisecond must still be different versions, or a
 * stale editor could overwrite the first).
 */
export function nextVersion(previous: Date, now: Date): Date {
  return new Date(Math.max(now.getTime(), previous.getTime() + 1));
}
