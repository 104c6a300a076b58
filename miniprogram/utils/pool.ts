/**
 * The group pool (群活码) as operators see it, on the dashboard and on the groups page: each
 * group's state and the pool's room, judged at the server's time (the phone's clock may be off).
 * The thresholds are those of the server's alerts (SPEC §3): ≥ 80 % handed out, a QR expiring
 * within 24 h.
 */
import { formatCount, formatDateTime } from './format';

export const POOL_WARN_RATIO = 0.8;
export const EXPIRY_WARN_MS = 24 * 60 * 60 * 1000;

export interface PoolGroup {
  handedOut: number;
  capacity: number;
  expiresAt: string;
  active: boolean;
}

const percentOf = (part: number, whole: number): number =>
  whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 0;

/** One group: its status badge, whether it needs the operator, and its figures as shown. */
export function groupView(group: PoolGroup, nowMs: number) {
  const left = Date.parse(group.expiresAt) - nowMs;
  const expired = left <= 0;
  const live = group.active && !expired;
  const full = group.handedOut >= group.capacity;
  const nearlyFull = live && group.handedOut >= group.capacity * POOL_WARN_RATIO;
  const expiring = live && left <= EXPIRY_WARN_MS;
  let status = '发放中';
  let statusClass = '';
  if (!group.active) [status, statusClass] = ['已停用', 'badge--muted'];
  else if (expired) [status, statusClass] = ['已过期', 'badge--danger'];
  else if (full) [status, statusClass] = ['已满', 'badge--danger'];
  else if (expiring) [status, statusClass] = ['即将过期', 'badge--accent'];
  else if (nearlyFull) [status, statusClass] = ['将满', 'badge--accent'];
  return {
    expired,
    nearlyFull,
    expiring,
    status,
    statusClass,
    usedText: `${formatCount(group.handedOut)}/${formatCount(group.capacity)}`,
    percent: percentOf(group.handedOut, group.capacity),
    expiresText: formatDateTime(group.expiresAt),
  };
}

/**
 * The room left in the groups that can still hand out (active, QR not expired). No such group is
 * as bad as a full pool: every newcomer is sent to the fallback contact.
 */
export function poolRoom(groups: readonly PoolGroup[], nowMs: number) {
  const live = groups.filter((g) => g.active && Date.parse(g.expiresAt) > nowMs);
  const capacity = live.reduce((sum, g) => sum + g.capacity, 0);
  const used = live.reduce((sum, g) => sum + Math.min(g.handedOut, g.capacity), 0);
  return {
    empty: live.length === 0,
    usedText: live.length ? `已发 ${formatCount(used)}/${formatCount(capacity)}` : '没有可发放的群',
    percent: percentOf(used, capacity),
    warn: live.length === 0 || used >= capacity * POOL_WARN_RATIO,
  };
}
