/**
 * 阶梯奖励: rewards on the way to (and beyond) the black card, on the inviter's verified invites
 * (`1 → a coupon`, `3 → the black card`, `5 → a prize`). The black card's own step is
 * `blackCard.invitesRequired`; the others are `blackCard.milestones`. Each is granted once: the
 * grant is a mark on the inviter's participant (`progress.milestones.m_<invites>`) written only
 * while it is absent and the stored count has reached the step, and its reward's id derives from
 * the mark (flows/milestones).
 */
import type { Campaign } from '../campaign';

export type { Milestone } from '../campaign';
import type { Milestone } from '../campaign';

/** What a granted step recorded: the reward decided when it was granted. */
export interface MilestoneGrant {
  at: Date;
  invites: number;
  /** as the ladder named it when granted */
  title: string;
  /** the reward's wallet item (coupon or prize voucher) */
  couponId: string;
  couponTemplateId: string | null;
  prizeId: string | null;
}

export interface LadderStep {
  invites: number;
  title: string;
  kind: 'coupon' | 'prize' | 'blackcard';
  /** the verified count has reached it */
  reached: boolean;
}

/** Where a step's mark lives in `progress.milestones`: never an Object.prototype name. */
export function milestoneKey(invites: number): string {
  return `m_${invites}`;
}

/** A milestone's reward as people read it: its own title, else the coupon's or the prize's name. */
export function milestoneTitle(campaign: Campaign, milestone: Milestone): string {
  if (milestone.title) return milestone.title;
  if (milestone.prizeId) {
    return campaign.lottery.prizes.find((p) => p.id === milestone.prizeId)?.name ?? '神秘奖品';
  }
  return (
    campaign.couponTemplates.find((t) => t.id === milestone.couponTemplateId)?.title ?? '优惠券'
  );
}

/** The whole ladder in order: the configured steps and the black card's. */
export function ladderOf(campaign: Campaign, verified: number): LadderStep[] {
  const steps: LadderStep[] = campaign.blackCard.milestones.map((m) => ({
    invites: m.invites,
    title: milestoneTitle(campaign, m),
    kind: m.prizeId ? 'prize' : 'coupon',
    reached: verified >= m.invites,
  }));
  const required = campaign.blackCard.invitesRequired;
  steps.push({
    invites: required,
    title: '解锁黑卡',
    kind: 'blackcard',
    reached: verified >= required,
  });
  // the black card first among steps at the same count: it is the headline
  return steps.sort(
    (a, b) =>
      a.invites - b.invites || Number(b.kind === 'blackcard') - Number(a.kind === 'blackcard'),
  );
}

/** Configured steps the count has reached and that were not granted yet. */
export function dueMilestones(
  campaign: Campaign,
  progress: { verified: number; milestones?: Record<string, MilestoneGrant> },
): Milestone[] {
  const marks = progress.milestones ?? {};
  return campaign.blackCard.milestones.filter(
    (m) =>
      progress.verified >= m.invites &&
      !Object.prototype.hasOwnProperty.call(marks, milestoneKey(m.invites)),
  );
}

/** Configured steps not granted yet, whatever the count (a concurrent credit may reach them). */
export function pendingMilestones(
  campaign: Campaign,
  milestones: Record<string, MilestoneGrant> | undefined,
): Milestone[] {
  const marks = milestones ?? {};
  return campaign.blackCard.milestones.filter(
    (m) => !Object.prototype.hasOwnProperty.call(marks, milestoneKey(m.invites)),
  );
}

/**
 * The count at which an inviter's next credit would do more than count: the black card while it
 * is locked, or a ladder step not granted yet; null when nothing waits. A credit the read shows
 * below it (`verified + 1 < next`) can put that in its condition (`verified < next - 1`) and then
 * knows, without reading the inviter again, that neither the unlock nor a step is due.
 */
export function nextLadderCount(
  campaign: Campaign,
  progress: {
    verified: number;
    unlockedAt: Date | null;
    milestones?: Record<string, MilestoneGrant>;
  },
): number | null {
  const counts = pendingMilestones(campaign, progress.milestones).map((m) => m.invites);
  if (progress.unlockedAt === null) counts.push(campaign.blackCard.invitesRequired);
  const ahead = counts.filter((n) => n > progress.verified);
  return ahead.length ? Math.min(...ahead) : null;
}
