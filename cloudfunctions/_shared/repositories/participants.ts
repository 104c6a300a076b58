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
 * | creditInvitee    | an invitee is judged once per inviter; daily cap and bonus cap hold;   |
 * |                  | a credit decided below the next ladder step is applied only below it   |
 * | unlockCard       | the black card unlocks once, on the stored count                       |
 * | markFirstInvite  | an inviter becomes an inviter once                                     |
 * | holdGroup        | one group per participant (sticky; replaced only when its QR died)     |
 *
 * Reads: findRecentSpinners (issue 10) is bounded and indexed (`recent_spinners`).
 * | markMilestone    | a ladder step is granted once, on the stored count (issue 12)          |
 * | waitForGroup     | a participant who found no room is told once per wait (issue 12)       |
 *
 * People console (issue 13):
 *
 * | operation          | rule                                                                 |
 * | ------------------ | -------------------------------------------------------------------- |
 * | holdCredit         | an invitee judged once per inviter: held when the velocity window,   |
 * |                    | as read, is full                                                     |
 * | settleHeldInvite   | a held credit shows on the invitee (verified → held), once           |
 * | approveHeldInvite  | an owner approves a held invite once (held → verified)               |
 * | rejectHeldInvite   | an owner rejects a held invite once (held → rejected)                |
 * | voidInvite         | a blocked member's pending/held/verified invite is refused, once     |
 * | settleRefusedInvite| a credit refused for a blocked inviter shows on the invitee, once    |
 * | revokeCredit       | a counted credit of a blocked invitee is taken back once             |
 * | vestCredit         | a credit's bonus spins become spendable once                         |
 * | mirrorBlock        | the person's block (or its lifting) reaches the participant          |
 * | setTagRank         | an operator's tag replaces exactly the rank it was decided from      |
 * | raiseTagRank       | the rules only ever raise a tag (`$max`; a manual rank outranks all) |
 * | markRedeemed       | a redemption counts on its owner's participant (and raises the tag)  |
 *
 * Retention (issue 15):
 *
 * | operation          | rule                                                                 |
 * | ------------------ | -------------------------------------------------------------------- |
 * | markReturned       | a member's first return (a later Shanghai day) is recorded once      |
 * | markRedeemed       | … from the redemption count read: the caller knows first from repeat |
 * | unmarkRedeemed     | a reversed redemption stops counting, once, from the count read      |
 */
import { db } from '../cloud';
import { COLLECTIONS, participantId } from '../collections';
import { byId, byIds, command, countWhere, insert, many, updateWhere } from '../db';
import type { WindowFact } from '../domain/fraud';
import type { CreditDecision, FigureRange, InviteRejection } from '../domain/invite';
import type { InviteVerdict } from '../domain/qualify';
import { milestoneKey, type MilestoneGrant } from '../domain/milestones';
import { pageById } from '../paging';
import type { ParticipantClaim, ParticipantDoc, ParticipantInvite, SpinRecord } from '../user';
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

/**
 * A participant known only as an inviter visits the campaign themselves: once. People console
 * (issue 13): they start from the person's tag (`$max`, so what they earned meanwhile stays) and
 * carry the person's block.
 */
export function markEntered(
  id: string,
  channel: string,
  now: Date,
  person?: { tagRank: number; blocked: { at: Date; reason: string } | null },
): Promise<boolean> {
  const _ = command();
  const carried = person
    ? { tagRank: _.max(person.tagRank), blocked: person.blocked ? _.set(person.blocked) : null }
    : {};
  return updateIf(id, { enteredAt: _.eq(null) }, { enteredAt: now, channel, ...carried });
}

/**
 * Rule: one claim per participant. The invite the participant arrived with changes in the same
 * write (verified, or refused for risk), so a claim and its invite verdict never disagree.
 */
export function claimOnce(
  id: string,
  claim: ParticipantClaim,
  invite: InviteVerdict | null,
  /** People console (issue 13): the tag rank the rules give a claim (domain/tags) */
  tagRank: number | null = null,
): Promise<boolean> {
  const _ = command();
  // `_.set`: an object value in an update is otherwise merged field by field (dot paths).
  return updateIf(
    id,
    { claim: _.eq(null) },
    { claim: _.set(claim), ...verdictUpdate(invite), ...raise(tagRank) },
  );
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
  /** People console (issue 13): the tag rank the rules give a spin (domain/tags) */
  tagRank: number | null = null,
): Promise<boolean> {
  const _ = command();
  const path = `spins.log.${spinLogKey(record.requestId)}`;
  const unseen = { [path]: _.exists(false) };
  const common = {
    [path]: _.set(record),
    'spins.total': _.inc(1),
    'spins.lastAt': record.at,
    ...verdictUpdate(invite),
    ...raise(tagRank),
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
  options: CreditOptions = {},
): Promise<boolean> {
  const _ = command();
  const creditPath = `progress.credits.${inviteeCode}`;
  const condition: Record<string, unknown> = {
    // an owner's approval credits the entry the velocity rule held, once
    [options.fromHeld ? `${creditPath}.held` : creditPath]: options.fromHeld
      ? true
      : _.exists(false),
    'progress.dayKey': decision.sameDay ? decision.dayKey : _.neq(decision.dayKey),
    ...windowCondition(options.window),
  };
  // the caller decided the credit reaches no ladder step (domain/milestones nextLadderCount)
  if (options.below !== undefined) condition['progress.verified'] = _.lt(options.below);
  const { verifiedToday, bonusEarnedToday } = decision.requires;
  if (verifiedToday) condition['progress.verifiedToday'] = rangeCondition(verifiedToday);
  if (bonusEarnedToday) condition['progress.bonusEarnedToday'] = rangeCondition(bonusEarnedToday);
  if (!decision.counts) {
    return updateIf(inviterId, condition, { [creditPath]: _.set({ at: now, counted: false }) });
  }
  const vesting = options.vestsAt instanceof Date && decision.bonusSpins > 0;
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
    [creditPath]: _.set({
      at: now,
      counted: true,
      bonus: decision.bonusSpins,
      ...(vesting ? { vestsAt: options.vestsAt } : {}),
    }),
    'progress.verified': _.inc(1),
    // a balance that spins spend concurrently: always an increment (vesting: spendable later)
    [vesting ? 'progress.vestingBalance' : 'progress.bonusBalance']: _.inc(decision.bonusSpins),
    ...daily,
    ...(options.keep
      ? { 'progress.recentCredits': _.push({ each: [now], slice: -options.keep }) }
      : {}),
    ...raise(options.tagRank ?? null),
  });
}

/** People console (issue 13): what a credit's update adds to the decision's facts. */
export interface CreditOptions {
  /** the velocity window as the decision read it (domain/fraud) */
  window?: WindowFact[];
  /** a credit records its time among the last `keep` (0: the window is not tracked) */
  keep?: number;
  /** an owner approves a held invite: its entry must still be held */
  fromHeld?: boolean;
  /** the tag rank the rules give an inviter whose invite counted */
  tagRank?: number | null;
  /** vesting: the bonus spins wait in `vestingBalance` until then */
  vestsAt?: Date | null;
  /**
   * The stored count is below this (the credit leaves it below the next ladder step, so the
   * unlock and the steps need no write and no second read): part of the decision, so part of
   * the condition.
   */
  below?: number;
}

function windowCondition(window: WindowFact[] | undefined): Record<string, unknown> {
  const _ = command();
  return Object.fromEntries(
    (window ?? []).map((fact) => [
      `progress.recentCredits.${fact.index}`,
      'absent' in fact ? _.exists(false) : fact.equals,
    ]),
  );
}

/** `$max` of the tag rank: a rule only ever raises it, and never passes a manual rank. */
function raise(tagRank: number | null): Record<string, unknown> {
  return tagRank === null ? {} : { tagRank: command().max(tagRank) };
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
export function unlockCard(
  id: string,
  invitesRequired: number,
  now: Date,
  tagRank: number | null = null,
): Promise<boolean> {
  const _ = command();
  return updateIf(
    id,
    { 'progress.unlockedAt': _.eq(null), 'progress.verified': _.gte(invitesRequired) },
    { 'progress.unlockedAt': now, ...raise(tagRank) },
  );
}

/** Rule: the first friend to arrive with a participant's code makes them an inviter, once. */
export function markFirstInvite(
  id: string,
  now: Date,
  tagRank: number | null = null,
): Promise<boolean> {
  return updateIf(
    id,
    { 'progress.firstInviteAt': command().eq(null) },
    { 'progress.firstInviteAt': now, ...raise(tagRank) },
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
  // Retention (issue 15): the first hand-out's time stays (the daily hand-outs are first ones)
  const firstAt = participant.group ? (participant.group.firstAt ?? participant.group.at) : now;
  return updateIf(participant._id, condition, { group: _.set({ groupId, at: now, firstAt }) });
}

/** Personal-WeChat joins cannot be verified: the participant's word, recorded once. */
export function confirmJoined(
  id: string,
  now: Date,
  tagRank: number | null = null,
): Promise<boolean> {
  return updateIf(id, { joinedAt: command().eq(null) }, { joinedAt: now, ...raise(tagRank) });
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

/** The inviters with the most verified invites in a campaign (People console: of a channel). */
export function findTopInviters(
  campaignId: string,
  limit: number,
  channel?: string,
): Promise<ParticipantDoc[]> {
  return many<ParticipantDoc>(
    participants()
      .where({
        campaignId,
        ...(channel ? { channel } : {}),
        'progress.verified': command().gt(0),
      })
      .orderBy('progress.verified', 'desc')
      .limit(limit)
      .field({
        _id: true,
        openid: true,
        inviteCode: true,
        channel: true,
        tagRank: true,
        blocked: true,
        'progress.verified': true,
      }),
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

// People console (issue 13) ---------------------------------------------------------------------

/** Rule: an invitee is judged once per inviter; held while the velocity window, as read, is full. */
export function holdCredit(
  inviterId: string,
  inviteeCode: string,
  window: WindowFact[],
  now: Date,
): Promise<boolean> {
  const creditPath = `progress.credits.${inviteeCode}`;
  return updateIf(
    inviterId,
    { [creditPath]: command().exists(false), ...windowCondition(window) },
    { [creditPath]: command().set({ at: now, counted: false, held: true }) },
  );
}

/** A refusal of the credit (the inviter is blocked), recorded once. */
export function refuseCredit(
  inviterId: string,
  inviteeCode: string,
  reason: 'BLOCKED',
  now: Date,
  fromHeld: boolean,
): Promise<boolean> {
  const _ = command();
  const creditPath = `progress.credits.${inviteeCode}`;
  return updateIf(
    inviterId,
    { [fromHeld ? `${creditPath}.held` : creditPath]: fromHeld ? true : _.exists(false) },
    { [creditPath]: _.set({ at: now, counted: false, reason }) },
  );
}

/** The inviter held the credit: the invitee's verified invite shows as held (not if approved). */
export function settleHeldInvite(id: string): Promise<boolean> {
  return updateIf(
    id,
    { 'invite.status': 'verified', 'invite.review': command().exists(false) },
    { 'invite.status': 'held', 'invite.verifiedAt': command().remove() },
  );
}

type Review = NonNullable<ParticipantInvite['review']>;

/** Rule: an owner approves a held invite once; the credit follows (flows/credit). */
export function approveHeldInvite(id: string, review: Review): Promise<boolean> {
  return updateIf(
    id,
    { 'invite.status': 'held' },
    {
      'invite.status': 'verified',
      'invite.verifiedAt': review.at,
      'invite.review': command().set(review),
    },
  );
}

/** Rule: an owner rejects a held invite once. */
export function rejectHeldInvite(id: string, review: Review): Promise<boolean> {
  return updateIf(
    id,
    { 'invite.status': 'held' },
    {
      'invite.status': 'rejected',
      'invite.reason': 'REVIEW_REJECTED',
      'invite.review': command().set(review),
    },
  );
}

/**
 * Rule: the invite of a member who was blocked is refused (BLOCKED), once, from the status it
 * was read in. A pending or held one never credits; a verified one's credit is taken back next.
 */
export function voidInvite(
  id: string,
  from: 'pending' | 'held' | 'verified',
  now: Date,
): Promise<boolean> {
  return updateIf(
    id,
    { 'invite.status': from },
    {
      'invite.status': 'rejected',
      'invite.reason': 'BLOCKED',
      'invite.voidedAt': now,
      'invite.verifiedAt': command().remove(),
    },
  );
}

/** A credit refused because the inviter is blocked shows on the invitee, once. */
export function settleRefusedInvite(id: string, reason: InviteRejection): Promise<boolean> {
  return updateIf(
    id,
    { 'invite.status': command().in(['verified', 'pending']) },
    {
      'invite.status': 'rejected',
      'invite.reason': reason,
      'invite.verifiedAt': command().remove(),
    },
  );
}

/**
 * Rule: the counted credit of an invitee who was blocked is taken back once: −1 verified, and its
 * bonus spins out of the balance they wait or sit in (as far as they were not spent). The black
 * card stays unlocked (a card never locks again).
 */
export function revokeCredit(
  inviterId: string,
  inviteeCode: string,
  take: { from: 'bonusBalance' | 'vestingBalance'; spins: number },
  now: Date,
): Promise<boolean> {
  const _ = command();
  const creditPath = `progress.credits.${inviteeCode}`;
  const balance = `progress.${take.from}`;
  return updateIf(
    inviterId,
    {
      [`${creditPath}.counted`]: true,
      [`${creditPath}.revokedAt`]: _.exists(false),
      ...(take.spins > 0 ? { [balance]: _.gte(take.spins) } : {}),
    },
    {
      [`${creditPath}.revokedAt`]: now,
      'progress.verified': _.inc(-1),
      ...(take.spins > 0 ? { [balance]: _.inc(-take.spins) } : {}),
    },
  );
}

/** Rule: a credit's bonus spins become spendable once (vesting). */
export function vestCredit(id: string, inviteeCode: string, bonus: number, now: Date) {
  const _ = command();
  const creditPath = `progress.credits.${inviteeCode}`;
  return updateIf(
    id,
    {
      [`${creditPath}.counted`]: true,
      [`${creditPath}.vestedAt`]: _.exists(false),
      [`${creditPath}.revokedAt`]: _.exists(false),
      'progress.vestingBalance': _.gte(bonus),
    },
    {
      [`${creditPath}.vestedAt`]: now,
      'progress.vestingBalance': _.inc(-bonus),
      'progress.bonusBalance': _.inc(bonus),
    },
  );
}

/** The person's block reaches the participant (null lifts it); true when this call changed it. */
export function mirrorBlock(
  id: string,
  blocked: { at: Date; reason: string } | null,
): Promise<boolean> {
  const _ = command();
  return blocked
    ? updateIf(id, { 'blocked.at': _.neq(blocked.at) }, { blocked: _.set(blocked) })
    : updateIf(id, { 'blocked.at': _.exists(true) }, { blocked: null });
}

/** Rule: an operator's tag replaces exactly the rank it was decided from. */
export function setTagRank(id: string, from: number | null, to: number): Promise<boolean> {
  return updateIf(id, { tagRank: from === null ? command().exists(false) : from }, { tagRank: to });
}

/** The rules raise a tag (the reconciler's repair); never lowers it, never passes a manual one. */
export function raiseTagRank(id: string, rank: number): Promise<boolean> {
  return updateIf(id, { tagRank: command().lt(rank) }, { tagRank: rank }).then(
    async (raised) =>
      raised || updateIf(id, { tagRank: command().exists(false) }, { tagRank: rank }),
  );
}

/**
 * Rule: a redemption counts once on its owner's participant (keyed by the coupon), with the tag
 * the rules give it.
 */
export function markRedeemed(
  id: string,
  couponId: string,
  at: Date,
  tagRank: number | null,
  /** Retention (issue 15): the member's count as read (absent on a member from before it) */
  seen: number | undefined,
): Promise<boolean> {
  const _ = command();
  return updateIf(
    id,
    {
      [`redeemed.${couponId}`]: _.exists(false),
      redemptions: seen === undefined ? _.exists(false) : seen,
    },
    {
      [`redeemed.${couponId}`]: at,
      firstRedeemedAt: _.min(at as unknown as number),
      redemptions: (seen ?? 0) + 1,
      ...raise(tagRank),
    },
  );
}

/**
 * Retention (issue 15), rule: a reversed redemption (the one made `at`) stops counting on its
 * member, once, from the count read. A later redemption of the same coupon has another time, so
 * it is never taken back by an earlier one's reversal. The tag it gave stays (tags only rise).
 */
export function unmarkRedeemed(
  id: string,
  couponId: string,
  at: Date,
  seen: number,
): Promise<boolean> {
  const _ = command();
  return updateIf(
    id,
    { [`redeemed.${couponId}`]: at, redemptions: seen },
    { [`redeemed.${couponId}`]: _.remove(), redemptions: seen - 1 },
  );
}

// Retention (issue 15) ---------------------------------------------------------------------------

/**
 * Rule: a member's first return — a visit on a later Shanghai day than their entry — is recorded
 * once (the caller decided it is a later day; the record never moves after).
 */
export function markReturned(id: string, now: Date): Promise<boolean> {
  return updateIf(
    id,
    { enteredAt: command().neq(null), returnedAt: command().eq(null) },
    {
      returnedAt: now,
    },
  );
}

export interface MemberFilter {
  /** the ranks that show the tag asked for (domain/tags.ranksShowing) */
  tagRanks?: number[];
  blocked?: boolean;
}

/**
 * One page of a campaign's members (participants who entered), newest first, with an optional
 * filter on the tag or the block; `after` is where the previous page ended (entry time and invite
 * code: an index order that never needs an openid).
 */
export function pageMembers(
  campaignId: string,
  filter: MemberFilter,
  after: { enteredAt: Date; inviteCode: string } | null,
  limit: number,
): Promise<ParticipantDoc[]> {
  const _ = command();
  const where: Record<string, unknown> = {
    campaignId,
    enteredAt: after ? _.lte(after.enteredAt) : _.neq(null),
  };
  if (filter.tagRanks) where.tagRank = _.in(filter.tagRanks);
  if (filter.blocked !== undefined) where['blocked.at'] = _.exists(filter.blocked);
  const query = after
    ? _.and([
        where,
        _.or([
          { enteredAt: _.lt(after.enteredAt) },
          { enteredAt: after.enteredAt, inviteCode: _.gt(after.inviteCode) },
        ]),
      ])
    : where;
  return many<ParticipantDoc>(
    participants()
      .where(query)
      .orderBy('enteredAt', 'desc')
      .orderBy('inviteCode', 'asc')
      .limit(limit),
  );
}

/** The review queue: held invites of a campaign, oldest first, after the one `after` names. */
export function pageHeldInvites(
  campaignId: string,
  after: { at: Date; inviteCode: string } | null,
  limit: number,
): Promise<ParticipantDoc[]> {
  const _ = command();
  const where = { campaignId, 'invite.status': 'held' };
  const query = after
    ? _.and([
        where,
        _.or([
          { 'invite.at': _.gt(after.at) },
          { 'invite.at': after.at, inviteCode: _.gt(after.inviteCode) },
        ]),
      ])
    : where;
  return many<ParticipantDoc>(
    participants()
      .where(query)
      .orderBy('invite.at', 'asc')
      .orderBy('inviteCode', 'asc')
      .limit(limit),
  );
}

export function countHeldInvites(campaignId: string): Promise<number> {
  return countWhere(COLLECTIONS.participants, { campaignId, 'invite.status': 'held' });
}

/** The invitees of several inviters at once (index: campaignId + invite.inviterId), ≤ limit. */
export function findInviteesOf(
  campaignId: string,
  inviterIds: readonly string[],
  limit: number,
): Promise<ParticipantDoc[]> {
  if (inviterIds.length === 0) return Promise.resolve([]);
  return many<ParticipantDoc>(
    participants()
      .where({ campaignId, 'invite.inviterId': command().in([...inviterIds]) })
      .orderBy('createdAt', 'desc')
      .limit(limit),
  );
}

/** An inviter's invitees in the given states (a block voids them), at most `limit`. */
export function findInviteesIn(
  campaignId: string,
  inviterId: string,
  statuses: readonly string[],
  limit: number,
): Promise<ParticipantDoc[]> {
  return many<ParticipantDoc>(
    participants()
      .where({
        campaignId,
        'invite.inviterId': inviterId,
        'invite.status': command().in([...statuses]),
      })
      .limit(limit),
  );
}

/** Friends who arrived new through an inviter's link (index: campaignId + invite.inviterId). */
export function countArrivals(campaignId: string, inviterId: string): Promise<number> {
  return countWhere(COLLECTIONS.participants, { campaignId, 'invite.inviterId': inviterId });
}

/** An inviter's invitees in one state (derived, like the pending count). */
export function countInviteesIn(
  campaignId: string,
  inviterId: string,
  status: string,
): Promise<number> {
  return countWhere(COLLECTIONS.participants, {
    campaignId,
    'invite.inviterId': inviterId,
    'invite.status': status,
  });
}

/** A campaign's participants matching `where`, a page at a time in `_id` order (exports). */
export function pageParticipantsWhere(
  campaignId: string,
  where: Record<string, unknown>,
  afterId: string | null,
  limit: number,
): Promise<ParticipantDoc[]> {
  const _ = command();
  return many<ParticipantDoc>(
    participants()
      .where({ campaignId, ...where, ...(afterId ? { _id: _.gt(afterId) } : {}) })
      .orderBy('_id', 'asc')
      .limit(limit),
  );
}

export function countParticipantsWhere(
  campaignId: string,
  where: Record<string, unknown>,
): Promise<number> {
  return countWhere(COLLECTIONS.participants, { campaignId, ...where });
}
