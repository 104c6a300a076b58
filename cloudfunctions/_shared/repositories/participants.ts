/**
 * A person in one campaign (`participants`, `_id` = `<campaignId>:<openid>`). Every rule that
 * keeps a visitor's own figures right under concurrency and retries is one named operation
 * here: a single conditional update whose condition is exactly the facts its decision used.
 * Actions read, ask the domain, and call these; they never compose conditions themselves.
 *
 * | operation        | rule                                                                   |
 * | ---------------- | ---------------------------------------------------------------------- |
 * | createParticipant| one document per person and campaign (unique `_id`)                    |
 * | claimOnce        | one claim per participant; the invite changes in the same write        |
 * | consumeSpin      | a spin is consumed in the write that records its result (per requestId)|
 * | creditInvitee    | an invitee is judged once per inviter; daily cap and bonus cap hold    |
 * | unlockCard       | the black card unlocks once, on the stored count                       |
 * | markFirstInvite  | an inviter becomes an inviter once                                     |
 * | holdGroup        | one group per participant (sticky; replaced only when its QR died)     |
 *
 * Reads: findRecentSpinners (issue 10) is bounded and indexed (`recent_spinners`).
 * | markMilestone    | a ladder step is granted once, on the stored count (issue 12)          |
 * | waitForGroup     | a participant who found no room is told once per wait (issue 12)       |
 */
import { db } from '../cloud';
import { COLLECTIONS, participantId } from '../collections';
import { byId, byIds, command, countWhere, insert, many, updateWhere } from '../db';
import type { CreditDecision, FigureRange } from '../domain/invite';
import type { InviteVerdict } from '../domain/qualify';
import { milestoneKey, type MilestoneGrant } from '../domain/milestones';
import { pageById } from '../paging';
import type { ParticipantClaim, ParticipantDoc, SpinRecord } from '../user';
import { spinLogKey } from '../user';

export type { ParticipantClaim, ParticipantDoc, ParticipantInvite, SpinRecord } from '../user';
export { newParticipant } from '../user';

export function findParticipant(
  campaignId: string,
  openid: string,
): Promise<ParticipantDoc | null> {
  return byId<ParticipantDoc>(COLLECTIONS.participants, participantId(campaignId, openid));
}

export function findParticipantById(id: string): Promise<ParticipantDoc | null> {
  return byId<ParticipantDoc>(COLLECTIONS.participants, id);
}

/** Participants by id, any number (in rounds of CloudBase's 1000 per get()). */
export async function findParticipantsByIds(
  ids: readonly string[],
): Promise<Map<string, ParticipantDoc>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, ParticipantDoc>();
  for (let i = 0; i < unique.length; i += 1000) {
    const docs = await byIds<ParticipantDoc>(COLLECTIONS.participants, unique.slice(i, i + 1000));
    for (const doc of docs) found.set(doc._id, doc);
  }
  return found;
}

/** Inserts the participant; false when it exists already (a concurrent or earlier call). */
export function createParticipant(doc: ParticipantDoc): Promise<boolean> {
  return insert(COLLECTIONS.participants, doc);
}

function updateIf(id: string, condition: object, data: object): Promise<boolean> {
  return updateWhere(COLLECTIONS.participants, { _id: id, ...condition }, data).then(
    (n) => n === 1,
  );
}

/** A participant known only as an inviter visits the campaign themselves: once. */
export function markEntered(id: string, channel: string, now: Date): Promise<boolean> {
  return updateIf(id, { enteredAt: command().eq(null) }, { enteredAt: now, channel });
}

/**
 * Rule: one claim per participant. The invite the participant arrived with changes in the same
 * write (verified, or refused for risk), so a claim and its invite verdict never disagree.
 */
export function claimOnce(
  id: string,
  claim: ParticipantClaim,
  invite: InviteVerdict | null,
): Promise<boolean> {
  const _ = command();
  // `_.set`: an object value in an update is otherwise merged field by field (dot paths).
  return updateIf(id, { claim: _.eq(null) }, { claim: _.set(claim), ...verdictUpdate(invite) });
}

/** The fields a qualifying write sets on the participant's invite (domain/qualify.ts). */
function verdictUpdate(invite: InviteVerdict | null): Record<string, unknown> {
  if (!invite) return {};
  return invite.status === 'verified'
    ? { 'invite.status': 'verified', 'invite.verifiedAt': invite.verifiedAt }
    : { 'invite.status': 'rejected', 'invite.reason': invite.reason };
}

export type SpinSource = 'free' | 'bonus';

/**
 * Rule: a spin is consumed in the same write that records its result under its requestId, so
 * the same requestId never consumes twice and a consumed spin always has its result. A free
 * spin needs room under today's free allowance; a bonus spin needs a positive balance.
 * Operator studio (issue 9): when the spin is the qualifying action (the claim window closed),
 * the invite's verdict is written in the same write, as `claimOnce` does for a claim.
 */
export function consumeSpin(
  participant: ParticipantDoc,
  source: SpinSource,
  record: SpinRecord,
  rules: { dayKey: string; dailyFreeSpins: number },
  invite: InviteVerdict | null = null,
): Promise<boolean> {
  const _ = command();
  const path = `spins.log.${spinLogKey(record.requestId)}`;
  const unseen = { [path]: _.exists(false) };
  const common = {
    [path]: _.set(record),
    'spins.total': _.inc(1),
    'spins.lastAt': record.at,
    ...verdictUpdate(invite),
  };
  if (source === 'bonus') {
    return updateIf(
      participant._id,
      { ...unseen, 'progress.bonusBalance': _.gt(0) },
      { ...common, 'progress.bonusBalance': _.inc(-1) },
    );
  }
  if (participant.spins.dayKey === rules.dayKey) {
    return updateIf(
      participant._id,
      { ...unseen, 'spins.dayKey': rules.dayKey, 'spins.freeUsed': _.lt(rules.dailyFreeSpins) },
      { ...common, 'spins.freeUsed': _.inc(1) },
    );
  }
  // The first free spin of a new Shanghai day: the daily count starts again.
  return updateIf(
    participant._id,
    { ...unseen, 'spins.dayKey': participant.spins.dayKey },
    { ...common, 'spins.dayKey': rules.dayKey, 'spins.freeUsed': 1 },
  );
}

/**
 * Rule: an inviter judges each invitee once (`progress.credits.<inviteeCode>`), and the daily
 * figures the decision used (verified today under the cap, bonus earned today) are part of the
 * condition. Many invitees of one inviter may qualify at the same moment: increments never
 * overwrite what others added, and a decision made on figures that moved meanwhile does not
 * apply (the caller decides again from a fresh read).
 */
export function creditInvitee(
  inviterId: string,
  inviteeCode: string,
  decision: CreditDecision,
  now: Date,
): Promise<boolean> {
  const _ = command();
  const creditPath = `progress.credits.${inviteeCode}`;
  const condition: Record<string, unknown> = {
    [creditPath]: _.exists(false),
    'progress.dayKey': decision.sameDay ? decision.dayKey : _.neq(decision.dayKey),
  };
  const { verifiedToday, bonusEarnedToday } = decision.requires;
  if (verifiedToday) condition['progress.verifiedToday'] = rangeCondition(verifiedToday);
  if (bonusEarnedToday) condition['progress.bonusEarnedToday'] = rangeCondition(bonusEarnedToday);
  if (!decision.counts) {
    return updateIf(inviterId, condition, { [creditPath]: _.set({ at: now, counted: false }) });
  }
  const daily = decision.sameDay
    ? {
        'progress.verifiedToday': _.inc(1),
        'progress.bonusEarnedToday': _.inc(decision.bonusSpins),
      }
    : {
        'progress.dayKey': decision.dayKey,
        'progress.verifiedToday': 1,
        'progress.bonusEarnedToday': decision.bonusSpins,
      };
  return updateIf(inviterId, condition, {
    [creditPath]: _.set({ at: now, counted: true }),
    'progress.verified': _.inc(1),
    // a balance that spins spend concurrently: always an increment
    'progress.bonusBalance': _.inc(decision.bonusSpins),
    ...daily,
  });
}

function rangeCondition(range: FigureRange): unknown {
  const _ = command();
  if (range.min !== undefined && range.max !== undefined) {
    if (range.min !== range.max) throw new Error('a figure range is one-sided or exact');
    return range.min;
  }
  if (range.min !== undefined) return _.gte(range.min);
  if (range.max !== undefined) return _.lte(range.max);
  throw new Error('empty figure range');
}

/** An invitee counted optimistically at their claim was refused by the inviter's daily cap. */
export function settleCappedInvite(id: string): Promise<boolean> {
  const _ = command();
  return updateIf(
    id,
    { 'invite.status': 'verified' },
    {
      'invite.status': 'rejected',
      'invite.reason': 'INVITER_DAILY_CAP',
      'invite.verifiedAt': _.remove(),
    },
  );
}

/**
 * Rule: the black card unlocks once, on the stored count (not on what a caller read): when
 * invitees qualify together, whichever increment reaches `invitesRequired` sees it here.
 */
export function unlockCard(id: string, invitesRequired: number, now: Date): Promise<boolean> {
  const _ = command();
  return updateIf(
    id,
    { 'progress.unlockedAt': _.eq(null), 'progress.verified': _.gte(invitesRequired) },
    { 'progress.unlockedAt': now },
  );
}

/** Rule: the first friend to arrive with a participant's code makes them an inviter, once. */
export function markFirstInvite(id: string, now: Date): Promise<boolean> {
  return updateIf(
    id,
    { 'progress.firstInviteAt': command().eq(null) },
    { 'progress.firstInviteAt': now },
  );
}

/**
 * Rule: one group per participant. The first hand-out is recorded only if none was; replacing a
 * group whose QR stopped working only if it is still that group.
 */
export function holdGroup(
  participant: Pick<ParticipantDoc, '_id' | 'group'>,
  groupId: string,
  now: Date,
): Promise<boolean> {
  const _ = command();
  const condition = participant.group
    ? { 'group.groupId': participant.group.groupId }
    : { group: _.eq(null) };
  return updateIf(participant._id, condition, { group: _.set({ groupId, at: now }) });
}

/** Personal-WeChat joins cannot be verified: the participant's word, recorded once. */
export function confirmJoined(id: string, now: Date): Promise<boolean> {
  return updateIf(id, { joinedAt: command().eq(null) }, { joinedAt: now });
}

/** The invitees of one inviter in a campaign, newest first. */
export function findInvitees(
  campaignId: string,
  inviterId: string,
  limit: number,
): Promise<ParticipantDoc[]> {
  return many<ParticipantDoc>(
    participants()
      .where({ campaignId, 'invite.inviterId': inviterId })
      .orderBy('createdAt', 'desc')
      .limit(limit)
      .field({ _id: true, openid: true, invite: true, createdAt: true }),
  );
}

/** Invitees who arrived and have not qualified yet (derived, so it can never drift). */
export function countPendingInvitees(campaignId: string, inviterId: string): Promise<number> {
  return countWhere(COLLECTIONS.participants, {
    campaignId,
    'invite.inviterId': inviterId,
    'invite.status': 'pending',
  });
}

/** The inviters with the most verified invites in a campaign. */
export function findTopInviters(campaignId: string, limit: number): Promise<ParticipantDoc[]> {
  return many<ParticipantDoc>(
    participants()
      .where({ campaignId, 'progress.verified': command().gt(0) })
      .orderBy('progress.verified', 'desc')
      .limit(limit)
      .field({ _id: true, inviteCode: true, 'progress.verified': true }),
  );
}

/** One page of a campaign's participants in `_id` order (the reconciler walks them all). */
export function pageParticipants(
  campaignId: string,
  afterId: string | null,
  limit: number,
): Promise<ParticipantDoc[]> {
  const _ = command();
  return many<ParticipantDoc>(
    participants()
      .where({ campaignId, ...(afterId ? { _id: _.gt(afterId) } : {}) })
      .orderBy('_id', 'asc')
      .limit(limit),
  );
}

/**
 * Distribution (issue 10): the campaign's latest spinners, newest first, with their spin records
 * (for the wheel's recent wins): bounded and indexed (campaignId + spins.lastAt), never a scan.
 */
export function findRecentSpinners(
  campaignId: string,
  limit: number,
): Promise<Array<Pick<ParticipantDoc, '_id' | 'openid' | 'spins'>>> {
  return many<Pick<ParticipantDoc, '_id' | 'openid' | 'spins'>>(
    participants()
      .where({ campaignId, 'spins.lastAt': command().gt(new Date(0)) })
      .orderBy('spins.lastAt', 'desc')
      .limit(limit)
      .field({ _id: true, openid: true, 'spins.log': true, 'spins.lastAt': true }),
  );
}

// Rewards (issue 12) ---------------------------------------------------------------------------

/**
 * Rule: a ladder step is granted once, on the stored count (not on what a caller read): when
 * friends qualify together, whichever credit brings the count to the step sees it here. The mark
 * holds the reward decided (its id derives from the mark), so the grant is finished from it.
 */
export function markMilestone(id: string, grant: MilestoneGrant): Promise<boolean> {
  const _ = command();
  const path = `progress.milestones.${milestoneKey(grant.invites)}`;
  return updateIf(
    id,
    { [path]: _.exists(false), 'progress.verified': _.gte(grant.invites) },
    { [path]: _.set(grant) },
  );
}

/** Rule: a participant without a group who found the pool full waits once (until told). */
export function waitForGroup(id: string, now: Date): Promise<boolean> {
  const _ = command();
  return updateIf(id, { group: _.eq(null), groupWaitingAt: _.eq(null) }, { groupWaitingAt: now });
}

/** The wait that started at `since` is over (told, or handed a group): once. */
export function endGroupWait(id: string, since: Date): Promise<boolean> {
  return updateIf(id, { groupWaitingAt: since }, { groupWaitingAt: null });
}

/** One page of a campaign's participants waiting for a group (index: campaignId + groupWaitingAt). */
export function pageGroupWaiting(
  campaignId: string,
  afterId: string | null,
  limit: number,
): Promise<ParticipantDoc[]> {
  return pageById<ParticipantDoc>(
    COLLECTIONS.participants,
    { campaignId, groupWaitingAt: command().neq(null) },
    afterId,
    limit,
    { _id: true, openid: true, group: true, groupWaitingAt: true },
  );
}

/** One page of a campaign's card holders unlocked before `before` (index: campaignId + unlockedAt). */
export function pageCardHolders(
  campaignId: string,
  before: Date,
  afterId: string | null,
  limit: number,
): Promise<ParticipantDoc[]> {
  return pageById<ParticipantDoc>(
    COLLECTIONS.participants,
    { campaignId, 'progress.unlockedAt': command().lt(before) },
    afterId,
    limit,
    { _id: true, openid: true },
  );
}

function participants() {
  return db().collection(COLLECTIONS.participants);
}
