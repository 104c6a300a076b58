/**
 * Vesting (People console, issue 13): the bonus spins an invite earned move from
 * `vestingBalance` to the spendable balance once their time came, each credit once
 * (`vestCredit`, keyed by the invitee). Run by a spin before it counts the allowance, and by the
 * reconciler for everyone; nothing is written while nothing is due.
 */
import { dueToVest } from '../domain/fraud';
import { vestCredit, type ParticipantDoc } from '../repositories/participants';

/** Vests what is due; answers how many credits this run vested. */
export async function vestDueCredits(
  participant: Pick<ParticipantDoc, '_id' | 'progress'>,
  now: Date,
): Promise<number> {
  let vested = 0;
  for (const [code, credit] of dueToVest(participant.progress.credits, now)) {
    if (await vestCredit(participant._id, code, credit.bonus ?? 0, now)) vested++;
  }
  return vested;
}
