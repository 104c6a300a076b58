/**
 * `session.enter`: the first call of every visit. Creates the person on their first ever visit
 * and records the invite they arrived with (SPEC §3 Invites): one inviter per invitee, forever,
 * only for a new person; otherwise the refusal and its reason are kept for the admin. Then the
 * person enters the active campaign (their participant document), once per campaign.
 *
 * Resumable: each write is keyed by what it records (the person, the participant, the inviter's
 * first invite), and the participant is built from the person document, not from this call's
 * memory, so a call that died between the two is finished by the next one with the same answer.
 *
 * Retention (issue 15): a member's first visit on a later Shanghai day is their return, recorded
 * once (`markReturned`) and counted in their cohort's windows (domain/cohorts).
 */
import { randomBytes } from 'node:crypto';
import type { Campaign } from '../../_shared/campaign';
import { participantId } from '../../_shared/collections';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { isReturn, returnIncrements } from '../../_shared/domain/cohorts';
import { ancestorsOf } from '../../_shared/domain/community';
import { evaluateInvite, type InviteRejection } from '../../_shared/domain/invite';
import { generateInviteCode } from '../../_shared/domain/invite-code';
import { campaignStatus } from '../../_shared/domain/lifecycle';
import {
  rankAfter,
  rankForFact,
  startingRank,
  tagCounterMoves,
  tagOfRank,
} from '../../_shared/domain/tags';
import { shanghaiDayKey } from '../../_shared/domain/time';
import { withDays } from '../../_shared/domain/trends';
import { fail } from '../../_shared/errors';
import { assessRisk } from '../../_shared/guards';
import { INVITE_CODES_PER_DAY } from '../../_shared/limits';
import { findAdmin } from '../../_shared/repositories/admins';
import { activeCampaign, type CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCommunity } from '../../_shared/repositories/community';
import {
  addIncrements,
  bumpCounters,
  type CounterIncrements,
} from '../../_shared/repositories/counters';
import {
  createParticipant,
  findParticipant,
  findParticipantById,
  markEntered,
  markFirstInvite,
  markReturned,
  newParticipant,
  type ParticipantDoc,
  type ParticipantInvite,
} from '../../_shared/repositories/participants';
import { registeredChannelCodes } from '../../_shared/repositories/channels';
import { recordRejection } from '../../_shared/repositories/rejections';
import { landingView } from './landing';
import { publicProfiles } from '../../_shared/profiles';
import { SHARE_CHANNEL } from '../../../miniprogram/utils/scene';
import {
  createUser,
  findUser,
  findUserByInviteCode,
  findUsersByIds,
  newUser,
  noteInviteCode,
  type ArrivalInvite,
  type UserDoc,
} from '../../_shared/repositories/users';

type Answer = ApiResults['session.enter'];
type Params = { inviteCode?: string; channel?: string; scene?: string; landing?: true };
type Caller = ActionContext['caller'];

const MAX_CODE_ATTEMPTS = 5;

export async function enterSession(
  params: Params,
  { caller, now }: ActionContext,
): Promise<Answer> {
  const code = params.inviteCode?.toUpperCase();
  const campaignDoc = await activeCampaign(now);
  const channel = await channelOf(params.channel, code, campaignDoc?.config ?? null, now);
  // Operator studio (issue 9): admins learn their role here (the 管理 entry); visitors learn
  // nothing. Read beside the person, so it costs a round trip but no waiting.
  const [existing, admin] = await Promise.all([findUser(caller.openid), findAdmin(caller.openid)]);
  const person: NewPerson = existing
    ? { user: existing, created: false, inviter: null, inviterHere: null }
    : await createPerson(caller, code, channel, params, campaignDoc, now);
  const { user } = person;

  let participant: ParticipantDoc | null = null;
  let enteredNow = false;
  if (campaignDoc) {
    const entry = await enterCampaign(user, campaignDoc, channel, now, person);
    participant = entry.participant;
    enteredNow = entry.enteredNow;
  }
  const isNew = person.created || (enteredNow && participant?.isNewUser === true);

  // A returning visitor opening someone's link: refused, and kept for the admin (bounded).
  const arrivedWithIt =
    code === user.invite?.inviterCode && user.invite?.campaignId === (campaignDoc?._id ?? null);
  const role = admin ? { role: admin.role } : {};
  // Performance (issue 14): the landing's first screen in the same answer
  const landing = params.landing
    ? { landing: await landingView(campaignDoc, participant, now) }
    : {};
  if (code && !isNew && !arrivedWithIt) {
    const reason = await refuseReturningInvite(user, code, campaignDoc, now);
    return {
      ...(await answerOf(user, participant, false, { status: 'rejected', reason }, null)),
      ...role,
      ...landing,
    };
  }
  // The invite as it stands in this campaign (a person's arrival in an earlier one is history).
  const invite = campaignDoc ? (participant?.invite ?? null) : user.invite;
  const standing = invite && (invite.status === 'pending' || invite.status === 'verified');
  const inviter = standing && invite.inviterId ? await inviterOf(person, invite.inviterId) : null;
  return {
    ...(await answerOf(user, participant, isNew, inviteView(invite), inviter)),
    ...role,
    ...landing,
  };
}

/** Who invited them: the person their arrival just read, or read now. */
function inviterOf(person: NewPerson, inviterId: string): Promise<UserDoc | null> {
  return person.inviter?._id === inviterId ? Promise.resolve(person.inviter) : findUser(inviterId);
}

/**
 * A person as this call found or made them, and what their arrival read of the inviter (the
 * person, and their participant here), so that nothing is read twice.
 */
interface NewPerson {
  user: UserDoc;
  created: boolean;
  inviter: UserDoc | null;
  inviterHere: ParticipantDoc | null;
}

/** The first ever visit: the person, with a fresh invite code and the invite judged once. */
async function createPerson(
  caller: Caller,
  code: string | undefined,
  channel: string,
  params: Params,
  campaignDoc: CampaignDoc | null,
  now: Date,
): Promise<NewPerson> {
  const arrival = code ? await inviteOnArrival(caller, code, campaignDoc, now) : null;
  const invite = arrival?.invite ?? null;
  const inviter = arrival?.inviter ?? null;
  const inviterHere = arrival?.inviterHere ?? null;
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
    const user = newUser({
      openid: caller.openid,
      inviteCode: generateInviteCode((n) => randomBytes(n)),
      campaignId: campaignDoc?._id ?? null,
      channel,
      scene: params.scene ?? null,
      now,
      invite,
    });
    const created = await createUser(user);
    if (created === 'created') return { user, created: true, inviter, inviterHere };
    if (created === 'exists') {
      // A concurrent first visit of the same person won the insert: this call is a revisit.
      const winner = await findUser(caller.openid);
      if (winner) return { user: winner, created: false, inviter: null, inviterHere: null };
    }
  }
  return fail('CONFLICT', '生成邀请码冲突，请重试');
}

/** What a new person's invite code amounts to: pending, or refused with a reason. */
async function inviteOnArrival(
  caller: Caller,
  code: string,
  campaignDoc: CampaignDoc | null,
  now: Date,
): Promise<{ invite: ArrivalInvite; inviter: UserDoc | null; inviterHere: ParticipantDoc | null }> {
  const inviter = await findUserByInviteCode(code);
  const base = {
    inviterId: inviter?._id ?? null,
    inviterCode: code,
    campaignId: campaignDoc?._id ?? null,
    at: now,
  };
  // Operator studio (issue 9): an operator's 结束 ends the campaign for invites too
  const ended =
    campaignDoc && campaignStatus(campaignDoc.status, campaignDoc.config, now) === 'ended';
  if (!campaignDoc || ended) {
    return {
      invite: { ...base, status: 'rejected', reason: 'CAMPAIGN_ENDED' },
      inviter,
      inviterHere: null,
    };
  }
  const campaign = campaignDoc.config;
  const inviterHere = inviter ? await findParticipant(campaignDoc._id, inviter._id) : null;
  const today = shanghaiDayKey(now);
  const progress = inviterHere?.progress;
  // Only worth asking the risk service when there is an invite to judge.
  const risk = inviter ? await assessRisk(caller, campaign, now) : null;
  const evaluation = evaluateInvite({
    invitee: { openid: caller.openid, isNew: true },
    inviter: inviter ? { openid: inviter._id } : null,
    campaign,
    now,
    // An early refusal only: the cap is enforced again when the friend qualifies.
    inviterVerifiedToday: progress?.dayKey === today ? progress.verifiedToday : 0,
    inviteeRisk: risk?.decision ?? 'allow',
    // People console (issue 13): a blocked inviter's link brings them nothing
    inviterBlocked: Boolean(inviter?.blocked),
  });
  // Distribution (issue 10): the friend is credited to the inviter's channel ("brought by")
  const inviterChannel = inviterHere?.enteredAt ? inviterHere.channel : inviter?.firstTouch.channel;
  // People console (issue 13): the risk rank as evidence, and the tree the newcomer joins
  const evidence = { riskRank: risk?.rank ?? null, ...(inviterChannel ? { inviterChannel } : {}) };
  const invite: ArrivalInvite =
    evaluation.status === 'pending' && inviter
      ? { ...base, ...evidence, status: 'pending', ...(await treeAbove(inviter, inviterHere)) }
      : evaluation.status === 'pending'
        ? { ...base, ...evidence, status: 'pending' }
        : { ...base, ...evidence, status: 'rejected', reason: evaluation.reason };
  return { invite, inviter, inviterHere };
}

/**
 * People console (issue 13): the tree above a newcomer (domain/community) and which of them are
 * leaders now — one read of the ancestors above the inviter, whom this arrival already read.
 */
async function treeAbove(
  inviter: UserDoc,
  inviterHere: ParticipantDoc | null,
): Promise<{ ancestors: string[]; leaders: string[] }> {
  const ancestors = ancestorsOf(inviter._id, inviterHere?.invite?.ancestors);
  const above = ancestors.slice(1);
  const leaders = [
    ...(inviter.leader ? [inviter._id] : []),
    ...(above.length ? await findUsersByIds(above) : []).filter((u) => u.leader).map((u) => u._id),
  ];
  return { ancestors, leaders };
}

/**
 * The person enters the campaign, once. A first visit carries the invite judged on arrival; the
 * inviter becomes one (their own participant document exists from then on, even before they
 * visit the campaign themselves).
 */
async function enterCampaign(
  user: UserDoc,
  campaignDoc: CampaignDoc,
  visitChannel: string,
  now: Date,
  person: NewPerson,
): Promise<{ participant: ParticipantDoc; enteredNow: boolean }> {
  // A person made a moment ago has no participant yet (one a concurrent first visit of theirs
  // made is found by the insert below): nothing to read.
  const existing = person.created ? null : await findParticipant(campaignDoc._id, user._id);
  if (existing?.enteredAt) {
    await noteReturn(existing as ParticipantDoc & { enteredAt: Date }, now);
    return { participant: existing, enteredNow: false };
  }
  const channel =
    user.firstTouch.campaignId === campaignDoc._id ? user.firstTouch.channel : visitChannel;
  if (existing) return enterKnownInviter(existing, user, channel, now);

  const firstVisitHere = user.firstTouch.campaignId === campaignDoc._id;
  const participant = newParticipant({
    id: participantId(campaignDoc._id, user._id),
    campaignId: campaignDoc._id,
    user,
    channel,
    isNewUser: firstVisitHere,
    invite: firstVisitHere && user.invite ? participantInvite(user.invite) : null,
    now,
    entered: true,
    person: user,
  });
  if (!(await createParticipant(participant))) {
    // A concurrent call of this person entered first, or a friend's arrival made them known.
    const winner = await findParticipantById(participant._id);
    if (!winner) return fail('CONFLICT', '进入活动冲突，请重试');
    if (!winner.enteredAt) return enterKnownInviter(winner, user, channel, now);
    return { participant: winner, enteredNow: false };
  }
  await afterEntry(participant, now, campaignDoc.config, person.inviterHere);
  return { participant, enteredNow: true };
}

/**
 * Retention (issue 15): a member's first visit on a later day than their entry, once; the call
 * that records it counts it in their cohort. Later returns change nothing (and cost no write).
 */
async function noteReturn(member: ParticipantDoc & { enteredAt: Date }, now: Date) {
  if (member.returnedAt || !isReturn(member.enteredAt, now)) return;
  if (await markReturned(member._id, now)) {
    await bumpCounters(member.campaignId, returnIncrements(member, now));
  }
}

/** Someone known only because a friend arrived with their code now visits themselves. */
async function enterKnownInviter(
  known: ParticipantDoc,
  user: UserDoc,
  channel: string,
  now: Date,
): Promise<{ participant: ParticipantDoc; enteredNow: boolean }> {
  // People console (issue 13): they bring the person's tag and block into the campaign
  const blocked = user.blocked ? { at: user.blocked.at, reason: user.blocked.reason } : null;
  const carried = { tagRank: startingRank(user), blocked };
  if (await markEntered(known._id, channel, now, carried)) {
    const tagRank = rankAfter(known.tagRank, carried.tagRank);
    const participant = { ...known, channel, enteredAt: now, tagRank, blocked };
    await bumpCounters(known.campaignId, withDays(visitorIncrements(participant), now));
    return { participant, enteredNow: true };
  }
  const again = await findParticipantById(known._id);
  return { participant: again ?? known, enteredNow: false };
}

function participantInvite(invite: ArrivalInvite): ParticipantInvite {
  return {
    inviterId: invite.inviterId ?? '',
    inviterCode: invite.inviterCode,
    status: invite.status,
    ...(invite.reason ? { reason: invite.reason } : {}),
    at: invite.at,
    ...(invite.inviterChannel ? { inviterChannel: invite.inviterChannel } : {}),
    // People console (issue 13): evidence for a review, and the tree for leaders' figures
    ...(invite.riskRank !== undefined ? { riskRank: invite.riskRank } : {}),
    ...(invite.ancestors ? { ancestors: invite.ancestors, leaders: invite.leaders ?? [] } : {}),
  };
}

function visitorIncrements(participant: ParticipantDoc): CounterIncrements {
  return {
    visitors: 1,
    [`channels.${participant.channel}.visitors`]: 1,
    // People console (issue 13): members by growth tag
    [`tags.${tagOfRank(participant.tagRank)}`]: 1,
  };
}

async function afterEntry(
  participant: ParticipantDoc,
  now: Date,
  campaign: Campaign,
  inviterHere: ParticipantDoc | null,
): Promise<void> {
  const increments = visitorIncrements(participant);
  const invite = participant.invite;
  if (invite?.status === 'rejected' && invite.reason) increments[`rejected.${invite.reason}`] = 1;
  if (invite?.status === 'pending') {
    // The inviter's participant as this arrival read it: a write it shows done is not repeated
    // (the document exists; the first invite is marked, and a mark is never taken back).
    const inviter = inviterHere?._id ?? (await ensureInviter(participant.campaignId, invite, now));
    // People console (issue 13): a friend arriving through their link is a share the rules tag
    const sharedRank = rankForFact('shared', campaign.growthTags.rules);
    const firstInvite =
      !inviterHere?.progress.firstInviteAt && (await markFirstInvite(inviter, now, sharedRank));
    if (firstInvite) {
      increments.inviters = 1;
      if (inviterHere?.enteredAt) {
        addIncrements(
          increments,
          tagCounterMoves(inviterHere.tagRank, rankAfter(inviterHere.tagRank, sharedRank)),
        );
      }
    }
    await bumpCommunity(participant.campaignId, invite.leaders ?? [], 'members', now);
  }
  await bumpCounters(participant.campaignId, withDays(increments, now));
}

/** The inviter's participant document in this campaign, made if they have not visited it yet. */
async function ensureInviter(
  campaignId: string,
  invite: ParticipantInvite,
  now: Date,
): Promise<string> {
  const id = participantId(campaignId, invite.inviterId);
  await createParticipant(
    newParticipant({
      id,
      campaignId,
      user: { _id: invite.inviterId, inviteCode: invite.inviterCode },
      channel: 'direct',
      isNewUser: false,
      invite: null,
      now,
      entered: false,
    }),
  );
  return id;
}

/**
 * A returning visitor arriving with someone's code: refused (SELF_INVITE for their own code,
 * NOT_NEW_USER, UNKNOWN_CODE), counted once per reason and day, and at most
 * INVITE_CODES_PER_DAY distinct codes a day are looked at: beyond that, RATE_LIMITED.
 */
async function refuseReturningInvite(
  user: UserDoc,
  code: string,
  campaignDoc: CampaignDoc | null,
  now: Date,
): Promise<InviteRejection> {
  const dayKey = shanghaiDayKey(now);
  const attempt = await noteInviteCode(user, code, dayKey, INVITE_CODES_PER_DAY);
  if (attempt === 'limited') {
    return fail('RATE_LIMITED', '今天打开的邀请链接太多了，请直接进入活动');
  }
  let reason: InviteRejection;
  if (code === user.inviteCode) reason = 'SELF_INVITE';
  else reason = (await findUserByInviteCode(code)) ? 'NOT_NEW_USER' : 'UNKNOWN_CODE';
  if (attempt === 'counted' && campaignDoc) {
    const first = await recordRejection({
      campaignId: campaignDoc._id,
      invitee: user._id,
      inviteCode: code,
      reason,
      dayKey,
      at: now,
    });
    if (first) await bumpCounters(campaignDoc._id, { [`rejected.${reason}`]: 1 });
  }
  return reason;
}

async function answerOf(
  user: UserDoc,
  participant: ParticipantDoc | null,
  isNew: boolean,
  invite: Answer['invite'],
  inviter: UserDoc | null,
): Promise<Answer> {
  // Distribution (issue 10): the visitor's own profile, and who invited them
  const [profile, inviterProfile] = await publicProfiles([user, ...(inviter ? [inviter] : [])]);
  return {
    inviteCode: user.inviteCode,
    isNew,
    invite,
    claimed: participant?.claim != null,
    profile,
    ...(inviterProfile ? { inviter: inviterProfile } : {}),
    // People console (issue 13): a leader (团长) finds their community page
    ...(user.leader ? { leader: user.leader.level } : {}),
  };
}

/**
 * Known channel codes count as themselves — the campaign's, or any registered channel (a code
 * printed for an earlier campaign still counts); a link with an invite counts as a share.
 */
async function channelOf(
  channel: string | undefined,
  code: string | undefined,
  campaign: Campaign | null,
  now: Date,
): Promise<string> {
  const known = (wanted: string) =>
    campaign?.channels.some((c) => c.code === wanted) ||
    // the registry is read only for a channel the campaign does not list
    registeredChannelCodes(now).then((codes) => codes.has(wanted));
  if (channel && (await known(channel))) return channel;
  if (code) return SHARE_CHANNEL;
  return channel ? 'other' : 'direct';
}

function inviteView(invite: ParticipantInvite | ArrivalInvite | null): Answer['invite'] {
  if (!invite) return { status: 'none' };
  return invite.reason
    ? { status: invite.status, reason: invite.reason }
    : { status: invite.status };
}
