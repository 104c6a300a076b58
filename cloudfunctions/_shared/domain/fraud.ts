/**
 * 羊毛党 brakes on inviter credits (People console, issue 13): the checks made before an inviter
 * is credited for an invitee who qualified.
 *
 * - A blocked inviter is credited nothing: the invite is refused (BLOCKED).
 * - Velocity: with a rule of `maxVerified` within `withinMinutes`, an inviter is credited at most
 *   that many invites in any such window; further invites are put *on hold* until the owner
 *   reviews them (their bonus spins and black-card progress wait). The window is the inviter's
 *   last `maxVerified` credit times (`progress.recentCredits`): the invite is held when the oldest
 *   of them is still inside the window. The credit's update is conditioned on exactly those facts
 *   (the entry it read at the window's edge, and no more entries than it read), so invites that
 *   qualify at the same moment cannot all slip through.
 * - An owner's approval credits a held invite: velocity does not apply (a person decided), and it
 *   does not count toward the window either.
 * - Vesting (`vestingHours`): the bonus spins an invite earns become spendable that many hours
 *   after it counted (kept in `progress.vestingBalance` until then).
 */
import type { InviteRules } from '../campaign';

export type VelocityRule = NonNullable<InviteRules['velocity']>;

/** A fact about `progress.recentCredits` the decision relied on. */
export type WindowFact = { index: number; equals: Date } | { index: number; absent: true };

export type CreditScreen =
  | { outcome: 'refuse'; reason: 'BLOCKED' }
  | {
      outcome: 'credit' | 'hold';
      /** the facts the update's condition must hold */
      window: WindowFact[];
      /** a credit appends its time and keeps the last `keep` (0: the window is not tracked) */
      keep: number;
    };

const MINUTE_MS = 60_000;

export function screenCredit(input: {
  inviterBlocked: boolean;
  /** the inviter's recent credit times, oldest first */
  recentCredits: readonly Date[];
  velocity: VelocityRule | undefined;
  now: Date;
  /** an owner approves a held invite */
  approving: boolean;
}): CreditScreen {
  if (input.inviterBlocked) return { outcome: 'refuse', reason: 'BLOCKED' };
  const { velocity, recentCredits: recent, now } = input;
  if (!velocity || input.approving) return { outcome: 'credit', window: [], keep: 0 };
  const n = velocity.maxVerified;
  if (recent.length < n) {
    // room in the window whatever the times: it stays so while fewer than n are recorded
    return { outcome: 'credit', window: [{ index: n - 1, absent: true }], keep: n };
  }
  const edge = recent.length - n;
  const oldest = recent[edge];
  const inWindow = now.getTime() - oldest.getTime() < velocity.withinMinutes * MINUTE_MS;
  return {
    outcome: inWindow ? 'hold' : 'credit',
    window: [
      { index: edge, equals: oldest },
      { index: recent.length, absent: true },
    ],
    keep: n,
  };
}

/** When the bonus of a credit made at `at` becomes spendable (null: at once). */
export function vestsAt(at: Date, vestingHours: number): Date | null {
  return vestingHours > 0 ? new Date(at.getTime() + vestingHours * 60 * MINUTE_MS) : null;
}

/** How a credit entry stands for vesting. */
export interface VestingCredit {
  counted: boolean;
  bonus?: number;
  vestsAt?: Date | null;
  vestedAt?: Date | null;
  revokedAt?: Date | null;
}

/** The credits whose bonus is due to vest by `now` (counted, not revoked, not vested yet). */
export function dueToVest<C extends VestingCredit>(
  credits: Record<string, C>,
  now: Date,
): Array<[string, C]> {
  return Object.entries(credits).filter(
    ([, c]) =>
      c.counted &&
      !c.revokedAt &&
      !c.vestedAt &&
      c.vestsAt instanceof Date &&
      c.vestsAt.getTime() <= now.getTime() &&
      (c.bonus ?? 0) > 0,
  );
}
