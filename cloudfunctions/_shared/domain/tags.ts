/**
 * 成长标签 (growth tags, S/A/B/C): what a member's acts earn under the config's rules, and the
 * tag an operator sets by hand, which the rules never undo. S = a direct need, A = active,
 * B = claimed, C = new.
 *
 * Decisions:
 * - A participant stores one number, `tagRank`: 1–4 for C…S earned by the rules, 11–14 for C…S
 *   set by an operator. Every write that records an act the rules name (the claim, a spin, a
 *   friend's arrival, a credit, the card, the group, a redemption) raises it with `$max`, folded
 *   into the write that already happens: tags cost no extra write on the hot paths, a rule can
 *   never lower a tag, and a manual rank (≥ 11) outranks every rule rank, so no rule changes it.
 * - Tags belong to the person: the person document keeps the highest rank the rules gave in any
 *   campaign (`users.tagRank`, raised by the reconciler) and the operator's tag
 *   (`users.growthTag`), and a participant starts a new campaign from them, not from C.
 * - The dashboard's distribution counts the campaign's members (participants who entered) by
 *   the tag in force: `tags.<letter>` counters moved by the call that moved the tag, recounted
 *   by the reconciler from the records.
 */
import type { TagFact, TagRules } from '../campaign';
import type { GrowthTag } from '../contracts';

export const RULE_RANKS: Readonly<Record<GrowthTag, number>> = { C: 1, B: 2, A: 3, S: 4 };
const TAG_OF_RULE_RANK: readonly GrowthTag[] = ['C', 'C', 'B', 'A', 'S'];
/** A manual rank is its rule rank plus this: above every rule rank. */
const MANUAL_OFFSET = 10;

export const NEW_MEMBER_RANK = RULE_RANKS.C;

export function isManualRank(rank: number | null | undefined): boolean {
  return typeof rank === 'number' && rank > MANUAL_OFFSET;
}

/** The tag a rank stands for; a missing rank (an older document) is a new member's C. */
export function tagOfRank(rank: number | null | undefined): GrowthTag {
  if (typeof rank !== 'number' || !Number.isFinite(rank)) return 'C';
  const rule = isManualRank(rank) ? rank - MANUAL_OFFSET : rank;
  return TAG_OF_RULE_RANK[Math.max(0, Math.min(4, Math.round(rule)))];
}

export function manualRank(tag: GrowthTag): number {
  return RULE_RANKS[tag] + MANUAL_OFFSET;
}

/** The two ranks that show `tag` (earned or set by hand): what a filter by tag matches. */
export function ranksShowing(tag: GrowthTag): [number, number] {
  return [RULE_RANKS[tag], manualRank(tag)];
}

/** The rank an act raises a member to under `rules`, or null when the rules do not name it. */
export function rankForFact(fact: TagFact, rules: TagRules): number | null {
  const tag = rules[fact];
  return tag ? RULE_RANKS[tag] : null;
}

/** What the rules read of a participant: which of the named acts they did in the campaign. */
export interface TagFactsSource {
  claim: unknown;
  spins: { total: number };
  progress: { firstInviteAt: Date | null; verified: number; unlockedAt: Date | null };
  joinedAt: Date | null;
  firstRedeemedAt?: Date | null;
}

export function factsOf(p: TagFactsSource): Record<TagFact, boolean> {
  return {
    claimed: Boolean(p.claim),
    spun: p.spins.total > 0,
    shared: p.progress.firstInviteAt !== null,
    verified: p.progress.verified > 0,
    cardUnlocked: p.progress.unlockedAt !== null,
    joinedGroup: p.joinedAt !== null,
    redeemed: Boolean(p.firstRedeemedAt),
  };
}

/** The rank the rules give for what a participant did, starting from what the person carries. */
export function earnedRank(p: TagFactsSource, rules: TagRules, carried = NEW_MEMBER_RANK): number {
  const facts = factsOf(p);
  let rank = Math.max(NEW_MEMBER_RANK, isManualRank(carried) ? NEW_MEMBER_RANK : carried);
  for (const fact of Object.keys(facts) as TagFact[]) {
    const raised = facts[fact] ? rankForFact(fact, rules) : null;
    if (raised !== null) rank = Math.max(rank, raised);
  }
  return rank;
}

/** A participant's rank after an act (a manual rank stays: `$max` never passes it). */
export function rankAfter(current: number | null | undefined, raisedTo: number | null): number {
  const from = typeof current === 'number' ? current : NEW_MEMBER_RANK;
  return raisedTo === null ? from : Math.max(from, raisedTo);
}

/**
 * The counter moves when a member's tag changes: `{ 'tags.C': -1, 'tags.B': 1 }`, or nothing
 * when the letter stays. Only members (participants who entered) are counted.
 */
export function tagCounterMoves(
  from: number | null | undefined,
  to: number | null | undefined,
): Record<string, number> {
  const before = tagOfRank(from);
  const after = tagOfRank(to);
  return before === after ? {} : { [`tags.${before}`]: -1, [`tags.${after}`]: 1 };
}

/** Where a new member of a campaign starts: the operator's tag, else what the person carries. */
export function startingRank(person: {
  growthTag?: GrowthTag | null;
  tagRank?: number | null;
}): number {
  if (person.growthTag) return manualRank(person.growthTag);
  return Math.max(NEW_MEMBER_RANK, person.tagRank ?? NEW_MEMBER_RANK);
}

/**
 * The coupon template a member gets where `baseId` is configured: a template that names it in
 * `variantOf` and the member's tag in `segment`, else the base itself.
 */
export function templateForTag<T extends { id: string; segment?: string; variantOf?: string }>(
  baseId: string | undefined,
  tag: GrowthTag,
  templates: readonly T[],
): T | undefined {
  if (baseId === undefined) return undefined;
  const variant = templates.find((t) => t.variantOf === baseId && t.segment === tag);
  return variant ?? templates.find((t) => t.id === baseId);
}
