/**
 * Operator studio (issue 9): what a qualifying action (a claim, or a first spin once the claim
 * window closed) adds to the dashboard's counters, the same for both: the invite verified and
 * its channel, a refusal by the inviter's daily cap, a card unlocked.
 */
import type { CounterIncrements } from '../repositories/counters';
import type { CreditOutcome } from './credit';

export function creditIncrements(credit: CreditOutcome | null, channel: string): CounterIncrements {
  const increments: CounterIncrements = {};
  if (!credit?.judgedNow) return increments;
  if (credit.counted) {
    increments.invitesVerified = 1;
    increments[`channels.${channel}.verified`] = 1;
  } else {
    increments['rejected.INVITER_DAILY_CAP'] = 1;
  }
  if (credit.unlockedNow) increments.cardsUnlocked = 1;
  return increments;
}
