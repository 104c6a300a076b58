/**
 * 团长 (community leaders: 小当家, 大当家, People console issue 13): the community a leader's
 * invite tree brought, and where the leader stands on the config's reward ladder.
 *
 * Decisions:
 * - A member who arrives through an invite records the tree above them (`invite.ancestors`, the
 *   inviter first, at most LEADER_TREE_DEPTH people: the inviter's own ancestors, which the
 *   arrival reads anyway, plus the inviter) and which of those are leaders then
 *   (`invite.leaders`, one read of the ancestors). Events of a member (arrival, claim,
 *   redemption) add to the figures of `invite.leaders` as they happen: nothing walks the tree
 *   when a leader looks.
 * - The figures are recounted hourly from the records (ancestors × the leaders of now), like the
 *   dashboard's counters, so a member promoted after their tree grew sees its whole community
 *   after the next run, and whatever a dead call left uncounted is corrected.
 * - Weeks run Monday to Sunday in Shanghai.
 */
import type { LeaderRules } from '../campaign';
import type { LeaderMetric, WeekFigure } from '../contracts';
import { DAY_MS, SHANGHAI_OFFSET_MS, shanghaiDayStart, formatShanghai } from './time';

/** How deep a member's recorded tree goes (a 大当家 above a 小当家 above their members…). */
export const LEADER_TREE_DEPTH = 8;

export const LEADER_METRICS: readonly LeaderMetric[] = ['members', 'claims', 'redemptions'];

/** The Shanghai week of `at`, as a field-safe key: `w20250303` (its Monday). */
export function weekKey(at: Date): string {
  const dayStart = shanghaiDayStart(at);
  const weekday = new Date(dayStart.getTime() + SHANGHAI_OFFSET_MS).getUTCDay(); // 0 = Sunday
  const monday = new Date(dayStart.getTime() - ((weekday + 6) % 7) * DAY_MS);
  return `w${formatShanghai(monday, 'YYYYMMDD')}`;
}

export function previousWeekKey(at: Date): string {
  return weekKey(new Date(at.getTime() - 7 * DAY_MS));
}

/** The tree a new member records: their inviter, then the inviter's own ancestors. */
export function ancestorsOf(inviter: string, inviterAncestors: readonly string[] = []): string[] {
  return [...new Set([inviter, ...inviterAncestors])].slice(0, LEADER_TREE_DEPTH);
}

/** A leader's stored figures: totals and, per week key, the same three. */
export interface CommunityFigures {
  members?: number;
  claims?: number;
  redemptions?: number;
  weeks?: Record<string, Partial<Record<LeaderMetric, number>>>;
}

/** The increments one event makes on a leader's figures. */
export function communityIncrements(metric: LeaderMetric, at: Date): Record<string, number> {
  return { [metric]: 1, [`weeks.${weekKey(at)}.${metric}`]: 1 };
}

export function weekFigures(
  stats: CommunityFigures | null,
  now: Date,
): Record<LeaderMetric, WeekFigure> {
  const thisWeek = stats?.weeks?.[weekKey(now)] ?? {};
  const lastWeek = stats?.weeks?.[previousWeekKey(now)] ?? {};
  const figure = (metric: LeaderMetric): WeekFigure => ({
    total: stats?.[metric] ?? 0,
    thisWeek: thisWeek[metric] ?? 0,
    lastWeek: lastWeek[metric] ?? 0,
  });
  return {
    members: figure('members'),
    claims: figure('claims'),
    redemptions: figure('redemptions'),
  };
}

/** Where a leader stands on the ladder: each step reached or not, and the next one. */
export function ladderPosition(rules: LeaderRules, figures: Record<LeaderMetric, WeekFigure>) {
  const value = figures[rules.metric].total;
  const steps = rules.ladder.map((step) => ({ ...step, reached: value >= step.threshold }));
  const next = steps.find((step) => !step.reached);
  return {
    metric: rules.metric,
    steps,
    ...(next ? { next: { title: next.title, remaining: next.threshold - value } } : {}),
  };
}

/** Leader openid → flat figures (`members`, `weeks.w20250303.claims`…), recounted from records. */
export type CommunityTally = Map<string, Map<string, number>>;

function addTo(tally: CommunityTally, leader: string, metric: LeaderMetric, at: Date): void {
  const figures = tally.get(leader) ?? new Map<string, number>();
  for (const [path, by] of Object.entries(communityIncrements(metric, at))) {
    figures.set(path, (figures.get(path) ?? 0) + by);
  }
  tally.set(leader, figures);
}

/** Adds a member's arrival and claim to the leaders of now above them. */
export function tallyMember(
  tally: CommunityTally,
  p: {
    enteredAt: Date | null;
    claim: { at: Date } | null;
    invite: { ancestors?: string[] } | null;
  },
  leaders: ReadonlySet<string>,
): void {
  for (const leader of p.invite?.ancestors ?? []) {
    if (!leaders.has(leader)) continue;
    if (p.enteredAt) addTo(tally, leader, 'members', p.enteredAt);
    if (p.claim) addTo(tally, leader, 'claims', p.claim.at);
  }
}

/** Adds one redemption of a member's coupon to the leaders of now above them. */
export function tallyRedemption(
  tally: CommunityTally,
  ancestors: readonly string[],
  leaders: ReadonlySet<string>,
  at: Date,
): void {
  for (const leader of ancestors) if (leaders.has(leader)) addTo(tally, leader, 'redemptions', at);
}
