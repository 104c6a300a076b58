/**
 * 群活码: a pool of WeChat group QR codes handed out in turn. A group QR expires after 7 days
 * and stops admitting scanners at 200 members, so each QR has a hand-out `capacity` (default
 * 180, leaving room for people who join by other means) and operators rotate QRs before expiry.
 * Sticky hand-out (the same group again for the same user) and the atomic count live in the
 * repository; this module decides which group is next and what operators should be told.
 */
import { formatShanghai } from './time';

export interface GroupQr {
  id: string;
  name: string;
  /** Cloud storage fileID of the QR image. */
  qrUrl: string;
  expiresAt: Date;
  capacity: number;
  handedOut: number;
  active: boolean;
  createdAt: Date;
}

export type GroupAlertKind = 'POOL_NEARLY_FULL' | 'QR_EXPIRING' | 'QR_EXPIRED';

export interface GroupAlert {
  kind: GroupAlertKind;
  groupId?: string;
  /** For operators, in Chinese. */
  message: string;
}

export const POOL_ALERT_RATIO = 0.8;
export const EXPIRY_WARNING_MS = 24 * 60 * 60 * 1000;

/** Active, QR not expired (expiresAt is the first instant it no longer works), and room left. */
export function canHandOut(group: GroupQr, now: Date): boolean {
  return (
    group.active && now.getTime() < group.expiresAt.getTime() && group.handedOut < group.capacity
  );
}

/**
 * Whether a participant may be handed a group yet (`groups.after`): after claiming the magnet,
 * or after unlocking the black card.
 */
export function groupGate(
  campaign: { groups: { after: 'claim' | 'blackcard' } },
  participant: { claim: unknown; progress: { unlockedAt: Date | null } },
): 'open' | 'claim-first' | 'card-first' {
  if (campaign.groups.after === 'claim' && !participant.claim) return 'claim-first';
  if (campaign.groups.after === 'blackcard' && !participant.progress.unlockedAt)
    return 'card-first';
  return 'open';
}

/**
 * A group already handed to someone stays theirs while its QR still admits people (active and
 * not expired), even once it is full: they hold one of its seats.
 */
export function keepsGroup(group: GroupQr, now: Date): boolean {
  return group.active && now.getTime() < group.expiresAt.getTime();
}

/** Pool order: oldest first, so one group fills before the next one starts. */
function inPoolOrder<G extends GroupQr>(groups: readonly G[]): G[] {
  return [...groups].sort(
    (a, b) =>
      a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The group to hand to a user who has none yet, or null (→ GROUP_UNAVAILABLE + fallback contact). */
export function chooseGroup<G extends GroupQr>(groups: readonly G[], now: Date): G | null {
  return inPoolOrder(groups).find((g) => canHandOut(g, now)) ?? null;
}

/**
 * What the operators should act on, in pool order:
 * - POOL_NEARLY_FULL: hand-outs ≥ 80 % of the capacity of the active, unexpired groups
 *   (an empty pool counts as full: everyone is being sent to the fallback contact);
 * - QR_EXPIRING: an active QR expires within 24 h;
 * - QR_EXPIRED: an active QR has expired and should be replaced (cron retires it).
 */
export function groupPoolAlerts(groups: readonly GroupQr[], now: Date): GroupAlert[] {
  const t = now.getTime();
  const active = inPoolOrder(groups).filter((g) => g.active);
  const live = active.filter((g) => t < g.expiresAt.getTime());
  const alerts: GroupAlert[] = [];

  const capacity = live.reduce((sum, g) => sum + g.capacity, 0);
  const used = live.reduce((sum, g) => sum + Math.min(g.handedOut, g.capacity), 0);
  if (capacity === 0) {
    alerts.push({
      kind: 'POOL_NEARLY_FULL',
      message: '群活码池里没有可用的群，新用户只能看到客服二维码，请尽快上传新的群二维码',
    });
  } else if (used >= capacity * POOL_ALERT_RATIO) {
    const percent = Math.floor((used / capacity) * 100);
    alerts.push({
      kind: 'POOL_NEARLY_FULL',
      message: `群活码池已使用 ${percent}%（${used}/${capacity}），请尽快上传新的群二维码`,
    });
  }

  for (const g of active) {
    const left = g.expiresAt.getTime() - t;
    if (left <= 0) {
      alerts.push({
        kind: 'QR_EXPIRED',
        groupId: g.id,
        message: `「${g.name}」的群二维码已于 ${formatShanghai(g.expiresAt, 'M月D日 HH:mm')} 过期，请上传新的二维码`,
      });
    } else if (left <= EXPIRY_WARNING_MS) {
      alerts.push({
        kind: 'QR_EXPIRING',
        groupId: g.id,
        message: `「${g.name}」的群二维码将于 ${formatShanghai(g.expiresAt, 'M月D日 HH:mm')} 过期，请提前更换`,
      });
    }
  }
  return alerts;
}
