/**
 * Operator studio (issue 9): what a qualifying action (a claim, or a first spin once the claim
 * window closed) adds to the dashboard's counters, the same for both: the invite verified and
 * its channel, a refusal (the inviter's daily cap, a blocked inviter) or a hold for review
 * (People console, issue 13), a card unlocked, and the inviter's growth tag moving.
 */
import { tagCounterMoves } from '../domain/tags';
import { addIncrements, type CounterIncrements } from '../repositories/counters';
import type { CreditOutcome } from './credit';

export function creditIncrements(credit: CreditOutcome | null, channel: string): CounterIncrements {
  const increments: CounterIncrements = {};
  if (!credit?.judgedNow) return increments;
  if (credit.counted) {
    increments.invitesVerified = 1;
    increments[`channels.${channel}.verified`] = 1;
  } else if (credit.held) {
    increments.invitesHeld = 1;
  } else if (credit.blocked) {
    increments['rejected.BLOCKED'] = 1;
  } else {
    increments['rejected.INVITER_DAILY_CAP'] = 1;
  }
  if (credit.unlockedNow) increments.cardsUnlocked = 1;
  if (credit.inviterTag) {
    addIncrements(increments, tagCounterMoves(credit.inviterTag.from, credit.inviterTag.to));
  }
  return increments;
}
