/**
 * What follows a block (People console, issue 13). The person's block (`users.blockUser`) is the
 * record; these steps follow it in the active campaign, each keyed by what it changes, so
 * `users.block`, its retries and the reconciler run them alike and each happens once:
 *
 * 1. the participant mirrors the block (the reward paths' guard reads it: claim, spin, coupon QR);
 * 2. their own invite is refused (BLOCKED): a pending or held one never credits their inviter,
 *    whose pending count — counted from the invitees — drops at once; a verified one is refused
 *    and its credit taken back from the inviter (−1 verified, its bonus spins as far as unspent);
 * 3. the invites they are owed are refused: their invitees still pending or held (what is left
 *    beyond one call's share is refused by the credit flow when it comes to it, and by the
 *    reconciler's next run).
 *
 * Unblocking lifts the mirror; nothing refused comes back (the audit log says what was done).
 */
import { broughtBy, verifiedAtOf } from '../domain/tally';
import { withDays } from '../domain/trends';
import type { CampaignDoc } from '../repositories/campaigns';
import type { CounterIncrements } from '../repositories/counters';
import { participantId } from '../collections';
import {
  findInviteesIn,
  findParticipant,
  findParticipantById,
  mirrorBlock,
  revokeCredit,
  voidInvite,
  type ParticipantDoc,
} from '../repositories/participants';
import type { UserDoc } from '../user';

/** Invitees refused per call (the rest by the credit flow and the reconciler). */
const INVITEES_PER_CALL = 200;

export interface BlockEffects {
  /** invites refused (theirs and the ones they were owed) */
  voided: number;
  /** credits taken back from their inviter */
  revoked: number;
  /** counter moves for the caller to bump once */
  increments: CounterIncrements;
}

export async function finishBlock(
  user: Pick<UserDoc, '_id' | 'blocked'>,
  campaignDoc: CampaignDoc,
  now: Date,
): Promise<BlockEffects> {
  const effects: BlockEffects = { voided: 0, revoked: 0, increments: {} };
  const block = user.blocked;
  if (!block) return effects;
  const participant = await findParticipant(campaignDoc._id, user._id);
  if (!participant) return effects;
  await mirrorBlock(participant._id, { at: block.at, reason: block.reason });
  await refuseOwnInvite(participant, now, effects);
  await revokeInviterCredit(participant, now, effects);
  const owed = await findInviteesIn(
    campaignDoc._id,
    user._id,
    ['pending', 'held'],
    INVITEES_PER_CALL,
  );
  for (const invitee of owed) await refuse(invitee, now, effects);
  return effects;
}

async function refuseOwnInvite(p: ParticipantDoc, now: Date, effects: BlockEffects) {
  const status = p.invite?.status;
  if (status === 'pending' || status === 'held' || status === 'verified') {
    await refuse(p, now, effects);
  }
}

/** One invite refused (BLOCKED) from the status it was read in, with its counter moves. */
async function refuse(p: ParticipantDoc, now: Date, effects: BlockEffects): Promise<void> {
  const from = p.invite?.status;
  if (from !== 'pending' && from !== 'held' && from !== 'verified') return;
  if (!(await voidInvite(p._id, from, now))) return;
  effects.voided++;
  add(effects.increments, 'rejected.BLOCKED', 1);
  if (from === 'held') add(effects.increments, 'invitesHeld', -1);
  if (from === 'verified') {
    // Retention (issue 15): taken back from the day it was verified on
    const moves = { invitesVerified: -1, [`channels.${broughtBy(p)}.verified`]: -1 };
    for (const [path, by] of Object.entries(withDays(moves, verifiedAtOf(p)))) {
      add(effects.increments, path, by);
    }
  }
}

/**
 * The credit a blocked member's invite earned their inviter is taken back, once (also when an
 * earlier run refused the invite and died before this).
 */
async function revokeInviterCredit(
  p: ParticipantDoc,
  now: Date,
  effects: BlockEffects,
): Promise<void> {
  const invite = p.invite;
  const refused = invite?.status === 'verified' || invite?.reason === 'BLOCKED';
  const inviterId = invite?.inviterId;
  if (!refused || !inviterId) return;
  for (let attempt = 0; attempt < 3; attempt++) {
    const inviter = await findParticipantById(participantId(p.campaignId, inviterId));
    const credits = inviter?.progress.credits ?? {};
    const credit = Object.prototype.hasOwnProperty.call(credits, p.inviteCode)
      ? credits[p.inviteCode]
      : undefined;
    if (!inviter || !credit?.counted || credit.revokedAt) return;
    const waiting = Boolean(credit.vestsAt) && !credit.vestedAt;
    const from = waiting ? 'vestingBalance' : 'bonusBalance';
    const balance =
      (waiting ? inviter.progress.vestingBalance : inviter.progress.bonusBalance) ?? 0;
    // spins already spent cannot be taken back: what is left of this credit's bonus is
    const spins = Math.min(credit.bonus ?? 0, balance);
    if (await revokeCredit(inviter._id, p.inviteCode, { from, spins }, now)) {
      effects.revoked++;
      return;
    }
  }
}

function add(increments: CounterIncrements, path: string, by: number): void {
  increments[path] = (increments[path] ?? 0) + by;
}
