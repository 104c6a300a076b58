/**
 * `session.enter`: the first call of every visit. Creates the visitor on the first ever visit
 * and records the invite they arrived with (SPEC §3 Invites): one inviter per invitee, forever,
 * only for a new user; otherwise the refusal and its reason are kept for the admin.
 */
import { randomBytes } from 'node:crypto';
import type { Campaign } from '../../_shared/campaign';
import { userRiskRank } from '../../_shared/cloud';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { evaluateInvite, type InviteRejection } from '../../_shared/domain/invite';
import { generateInviteCode } from '../../_shared/domain/invite-code';
import { riskDecision } from '../../_shared/domain/risk';
import { shanghaiDayKey } from '../../_shared/domain/time';
import { fail } from '../../_shared/errors';
import { activeCampaign } from '../../_shared/repositories/campaigns';
import { bumpCounters, type CounterIncrements } from '../../_shared/repositories/counters';
import { recordRejection } from '../../_shared/repositories/rejections';
import {
  createUser,
  findUser,
  findUserByInviteCode,
  newUser,
  updateUserIf,
  type UserDoc,
  type UserInvite,
} from '../../_shared/repositories/users';
import { command } from '../../_shared/db';

type Answer = ApiResults['session.enter'];
type Params = { inviteCode?: string; channel?: string; scene?: string };

const MAX_CODE_ATTEMPTS = 5;
/** Channel of a visit that came through a friend's share (SPEC §3: `?inv=CODE&ch=share`). */
const SHARE_CHANNEL = 'share';

export async function enterSession(
  params: Params,
  { caller, now }: ActionContext,
): Promise<Answer> {
  const code = params.inviteCode?.toUpperCase();
  const existing = await findUser(caller.openid);
  const campaign = (await activeCampaign(now))?.config ?? null;

  if (existing) return revisit(existing, code, campaign, now);

  const channel = channelOf(params.channel, code, campaign);
  const invite = code ? await inviteOnArrival(caller, code, campaign, now) : null;
  for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
    const inviteCode = generateInviteCode((n) => randomBytes(n));
    const user = newUser({
      openid: caller.openid,
      inviteCode,
      channel,
      scene: params.scene ?? null,
      now,
      invite,
    });
    const created = await createUser(user);
    if (created === 'created') {
      await afterFirstVisit(user, campaign, now);
      return { inviteCode, isNew: true, invite: inviteView(invite), claimed: false };
    }
    if (created === 'exists') {
      // A concurrent first visit of the same user won the insert: this call is a revisit.
      const winner = await findUser(caller.openid);
      if (winner) return revisitAnswer(winner, inviteView(winner.invite));
    }
  }
  return fail('CONFLICT', '生成邀请码冲突，请重试');
}

/**
 * A returning visitor. Arriving with someone's code again changes nothing but is recorded once
 * (NOT_NEW_USER, or SELF_INVITE for their own code); without a code they see their own invite.
 */
async function revisit(
  user: UserDoc,
  code: string | undefined,
  campaign: Campaign | null,
  now: Date,
): Promise<Answer> {
  const answer = (invite: Answer['invite']) => revisitAnswer(user, invite);
  if (!code || code === user.invite?.inviterCode) return answer(inviteView(user.invite));
  let reason: InviteRejection;
  if (code === user.inviteCode) reason = 'SELF_INVITE';
  else reason = (await findUserByInviteCode(code)) ? 'NOT_NEW_USER' : 'UNKNOWN_CODE';
  const firstTime = await recordRejection({ invitee: user._id, inviteCode: code, reason, now });
  if (firstTime && campaign) await bumpCounters(campaign.id, { [`rejected.${reason}`]: 1 });
  return answer({ status: 'rejected', reason });
}

function revisitAnswer(user: UserDoc, invite: Answer['invite']): Answer {
  return { inviteCode: user.inviteCode, isNew: false, invite, claimed: user.claim !== null };
}

/** What a new user's invite code amounts to: pending, or refused with a reason. */
async function inviteOnArrival(
  caller: ActionContext['caller'],
  code: string,
  campaign: Campaign | null,
  now: Date,
): Promise<UserInvite> {
  const inviter = await findUserByInviteCode(code);
  const base = { inviterId: inviter?._id ?? '', inviterCode: code, at: now };
  if (!campaign) return { ...base, status: 'rejected', reason: 'CAMPAIGN_ENDED' };
  const today = shanghaiDayKey(now);
  const evaluation = evaluateInvite({
    invitee: { openid: caller.openid, isNew: true },
    inviter: inviter ? { openid: inviter._id } : null,
    campaign,
    now,
    inviterVerifiedToday: inviter?.progress.dayKey === today ? inviter.progress.verifiedToday : 0,
    // Only worth asking the risk service when there is an invite to judge.
    inviteeRisk: inviter ? riskDecision(await userRiskRank(caller), campaign.invite) : 'allow',
  });
  return evaluation.status === 'pending'
    ? { ...base, status: 'pending' }
    : { ...base, status: 'rejected', reason: evaluation.reason };
}

async function afterFirstVisit(user: UserDoc, campaign: Campaign | null, now: Date): Promise<void> {
  const invite = user.invite;
  const increments: CounterIncrements = { visitors: 1, [`channels.${user.channel}.visitors`]: 1 };
  if (invite?.status === 'pending') {
    const _ = command();
    // The inviter's first friend makes them an inviter in the funnel: decided atomically.
    const first = await updateUserIf(
      invite.inviterId,
      { 'progress.firstInviteAt': _.eq(null) },
      { 'progress.firstInviteAt': now, 'progress.pending': _.inc(1) },
    );
    if (first) increments.inviters = 1;
    else await updateUserIf(invite.inviterId, {}, { 'progress.pending': _.inc(1) });
  }
  if (invite?.status === 'rejected' && invite.reason) increments[`rejected.${invite.reason}`] = 1;
  if (campaign) await bumpCounters(campaign.id, increments);
}

/** Known channel codes count as themselves; a link with an invite counts as a share. */
function channelOf(
  channel: string | undefined,
  code: string | undefined,
  campaign: Campaign | null,
): string {
  const known = new Set(campaign?.channels.map((c) => c.code) ?? []);
  if (channel && known.has(channel)) return channel;
  if (code) return SHARE_CHANNEL;
  return channel ? 'other' : 'direct';
}

function inviteView(invite: UserInvite | null): Answer['invite'] {
  if (!invite) return { status: 'none' };
  return invite.reason
    ? { status: invite.status, reason: invite.reason }
    : { status: invite.status };
}
