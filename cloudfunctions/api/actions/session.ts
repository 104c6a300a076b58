/**
 * `session.enter`: the first call of every visit. Creates the person on their first ever visit
 * and records the invite they arrived with (SPEC §3 Invites): one inviter per invitee, forever,
 * only for a new person; otherwise the refusal and its reason are kept for the admin. Then the
 * person enters the active campaign (their participant document), once per campaign.
 *
 * Resumable: each write is keyed by what it records (the person, the participant, the inviter's
 * first invite), and the participant is built from the person document, not from this call's
 * memory, so a call that died between the two is finished by the next one with the same answer.
 */
import { randomBytes } from 'node:crypto';
import type { Campaign } from '../../_shared/campaign';
import { participantId } from '../../_shared/collections';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { evaluateInvite, type InviteRejection } from '../../_shared/domain/invite';
import { generateInviteCode } from '../../_shared/domain/invite-code';
import { campaignStatus } from '../../_shared/domain/lifecycle';
import { shanghaiDayKey } from '../../_shared/domain/time';
import { fail } from '../../_shared/errors';
import { assessRisk } from '../../_shared/guards';
import { INVITE_CODES_PER_DAY } from '../../_shared/limits';
import { findAdmin } from '../../_shared/repositories/admins';
import { activeCampaign, type CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCounters, type CounterIncrements } from '../../_shared/repositories/counters';
import {
  createParticipant,
  findParticipant,
  findParticipantById,
  markEntered,
  markFirstInvite,
  newParticipant,
  type ParticipantDoc,
  type ParticipantInvite,
} from '../../_shared/repositories/participants';
import { registeredChannelCodes } from '../../_shared/repositories/channels';
import { recordRejection } from '../../_shared/repositories/rejections';
import { publicProfiles } from '../../_shared/profiles';
import { SHARE_CHANNEL } from '../../../miniprogram/utils/scene';
import {
  createUser,
  findUser,
  findUserByInviteCode,
  newUser,
  noteInviteCode,
  type ArrivalInvite,
  type UserDoc,
} from '../../_shared/repositories/users';

type Answer = ApiResults['session.enter'];
type Params = { inviteCode?: string; channel?: string; scene?: string };
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
  const person = existing
    ? { user: existing, created: false }
    : await createPerson(caller, code, channel, params, campaignDoc, now);
  const { user } = person;

  let participant: ParticipantDoc | null = null;
  let enteredNow = false;
  if (campaignDoc) {
    const entry = await enterCampaign(user, campaignDoc, channel, now);
    participant = entry.participant;
    enteredNow = entry.enteredNow;
  }
  const isNew = person.created || (enteredNow && participant?.isNewUser === true);

  // A returning visitor opening someone's link: refused, and kept for the admin (bounded).
  const arrivedWithIt =
    code === user.invite?.inviterCode && user.invite?.campaignId === (campaignDoc?._id ?? null);
  const role = admin ? { role: admin.role } : {};
  if (code && !isNew && !arrivedWithIt) {
    const reason = await refuseReturningInvite(user, code, campaignDoc, now);
    return {
      ...(await answerOf(user, participant, false, { status: 'rejected', reason }, null)),
      ...role,
    };
  }
  // The invite as it stands in this campaign (a person's arrival in an earlier one is history).
  const invite = campaignDoc ? (participant?.invite ?? null) : user.invite;
  const standing = invite && (invite.status === 'pending' || invite.status === 'verified');
  const inviter = standing && invite.inviterId ? await findUser(invite.inviterId) : null;
  return { ...(await answerOf(user, participant, isNew, inviteView(invite), inviter)), ...role };
}

/** The first ever visit: the person, with a fresh invite code and the invite judged once. */
async function createPerson(
  caller: Caller,
  code: string | undefined,
  channel: string,
  params: Params,
  campaignDoc: CampaignDoc | null,
  now: Date,
): Promise<{ user: UserDoc; created: boolean }> {
  const invite = code ? await inviteOnArrival(caller, code, campaignDoc, now) : null;
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
    if (created === 'created') return { user, created: true };
    if (created === 'exists') {
      // A concurrent first visit of the same person won the insert: this call is a revisit.
      const winner = await findUser(caller.openid);
      if (winner) return { user: winner, created: false };
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
): Promise<ArrivalInvite> {
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
  if (!campaignDoc || ended) return { ...base, status: 'rejected', reason: 'CAMPAIGN_ENDED' };
  const campaign = campaignDoc.config;
  const inviterHere = inviter ? await findParticipant(campaignDoc._id, inviter._id) : null;
  const today = shanghaiDayKey(now);
  const progress = inviterHere?.progress;
  const evaluation = evaluateInvite({
    invitee: { openid: caller.openid, isNew: true },
    inviter: inviter ? { openid: inviter._id } : null,
    campaign,
    now,
    // An early refusal only: the cap is enforced again when the friend qualifies.
    inviterVerifiedToday: progress?.dayKey === today ? progress.verifiedToday : 0,
    // Only worth asking the risk service when there is an invite to judge.
    inviteeRisk: inviter ? (await assessRisk(caller, campaign, now)).decision : 'allow',
  });
  // Distribution (issue 10): the friend is credited to the inviter's channel ("brought by")
  const inviterChannel = inviterHere?.enteredAt ? inviterHere.channel : inviter?.firstTouch.channel;
  const brought = inviterChannel ? { inviterChannel } : {};
  return evaluation.status === 'pending'
    ? { ...base, ...brought, status: 'pending' }
    : { ...base, ...brought, status: 'rejected', reason: evaluation.reason };
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
): Promise<{ participant: ParticipantDoc; enteredNow: boolean }> {
  const existing = await findParticipant(campaignDoc._id, user._id);
  if (existing?.enteredAt) return { participant: existing, enteredNow: false };
  const channel =
    user.firstTouch.campaignId === campaignDoc._id ? user.firstTouch.channel : visitChannel;
  if (existing) return enterKnownInviter(existing, channel, now);

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
  });
  if (!(await createParticipant(participant))) {
    // A concurrent call of this person entered first, or a friend's arrival made them known.
    const winner = await findParticipantById(participant._id);
    if (!winner) return fail('CONFLICT', '进入活动冲突，请重试');
    if (!winner.enteredAt) return enterKnownInviter(winner, channel, now);
    return { participant: winner, enteredNow: false };
  }
  await afterEntry(participant, now);
  return { participant, enteredNow: true };
}

/** Someone known only because a friend arrived with their code now visits themselves. */
async function enterKnownInviter(
  known: ParticipantDoc,
  channel: string,
  now: Date,
): Promise<{ participant: ParticipantDoc; enteredNow: boolean }> {
  if (await markEntered(known._id, channel, now)) {
    const participant = { ...known, channel, enteredAt: now };
    await bumpCounters(known.campaignId, visitorIncrements(participant));
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
  };
}

function visitorIncrements(participant: ParticipantDoc): CounterIncrements {
  return { visitors: 1, [`channels.${participant.channel}.visitors`]: 1 };
}

async function afterEntry(participant: ParticipantDoc, now: Date): Promise<void> {
  const increments = visitorIncrements(participant);
  const invite = participant.invite;
  if (invite?.status === 'rejected' && invite.reason) increments[`rejected.${invite.reason}`] = 1;
  if (invite?.status === 'pending') {
    const inviter = await ensureInviter(participant.campaignId, invite, now);
    if (await markFirstInvite(inviter, now)) increments.inviters = 1;
  }
  await bumpCounters(participant.campaignId, increments);
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
