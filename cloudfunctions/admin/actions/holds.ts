/**
 * The review queue (People console, issue 13): invites the velocity rule put on hold, with the
 * evidence an owner weighs — how fast the friend arrived and claimed, the risk ranks WeChat gave,
 * the inviter's recent credits and their invite tree — and the owner's verdict:
 * - `holds.approve`: the invite is verified and its inviter credited, exactly once (flows/credit,
 *   the same steps as a claim's credit), also when two owners approve it at the same moment;
 * - `holds.reject`: the invite is refused (REVIEW_REJECTED); the inviter gets nothing from it.
 * The invitee's status is the record (held → verified / rejected); the credit follows it, and the
 * reconciler finishes an approval whose call died in between.
 */
import { participantId } from '../../_shared/collections';
import type { AdminResults, HoldEvidence } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { tagOfRank } from '../../_shared/domain/tags';
import { fail } from '../../_shared/errors';
import { broughtBy } from '../../_shared/domain/tally';
import { creditInviter } from '../../_shared/flows/credit';
import { creditIncrements } from '../../_shared/flows/qualify';
import { MEMBERS_PAGE } from '../../_shared/limits';
import type { AdminDoc } from '../../_shared/repositories/admins';
import { findActiveCampaign, type CampaignDoc } from '../../_shared/repositories/campaigns';
import { addIncrements, bumpCounters } from '../../_shared/repositories/counters';
import { withDays } from '../../_shared/domain/trends';
import {
  approveHeldInvite,
  countHeldInvites,
  findInviteesOf,
  findParticipant,
  findParticipantById,
  pageHeldInvites,
  rejectHeldInvite,
  type ParticipantDoc,
} from '../../_shared/repositories/participants';
import { findUsersByIds } from '../../_shared/repositories/users';
import { nicknameOf } from '../../_shared/user';
import { cursorOf, readCursor, recordAct, requireMember } from '../members';
import { participantsOf } from './members';

type Context = ActionContext & { auth: AdminDoc };

/** How many of an inviter's other invitees a review reads (their states and arrival times). */
const SIBLINGS_READ = 1000;
const ARRIVALS_SHOWN = 10;

export async function listHolds(
  params: { cursor?: string; limit?: number },
  _context: ActionContext,
): Promise<AdminResults['holds.list']> {
  const after = readCursor(params.cursor);
  const campaignDoc = await requireActive();
  const limit = params.limit ?? MEMBERS_PAGE;
  const [page, total] = await Promise.all([
    pageHeldInvites(
      campaignDoc._id,
      after ? { at: after.at, inviteCode: after.code } : null,
      limit,
    ),
    countHeldInvites(campaignDoc._id),
  ]);
  const inviterIds = [...new Set(page.map((p) => p.invite!.inviterId))];
  const [people, inviters, siblings] = await Promise.all([
    findUsersByIds([...page.map((p) => p.openid), ...inviterIds]),
    participantsOf(campaignDoc._id, inviterIds),
    findInviteesOf(campaignDoc._id, inviterIds, SIBLINGS_READ),
  ]);
  const person = new Map(people.map((u) => [u._id, u]));
  const last = page[page.length - 1];
  return {
    holds: page.map((p) => evidenceOf(p, inviters.get(p.invite!.inviterId), siblings, person)),
    ...(page.length === limit && last ? { next: cursorOf(last.invite!.at, last.inviteCode) } : {}),
    total,
  };
}

function evidenceOf(
  p: ParticipantDoc,
  inviter: ParticipantDoc | undefined,
  allSiblings: readonly ParticipantDoc[],
  people: Map<string, { _id: string; inviteCode: string }>,
): HoldEvidence {
  const invite = p.invite!;
  const siblings = allSiblings.filter(
    (s) => s.invite?.inviterId === invite.inviterId && s._id !== p._id,
  );
  const count = (status: string) => siblings.filter((s) => s.invite?.status === status).length;
  const claimedAt = p.claim?.at;
  const inviterUser = people.get(invite.inviterId);
  return {
    invitee: {
      userRef: p.inviteCode,
      nickname: nicknameOf(people.get(p.openid)),
      channel: p.channel,
      arrivedAt: invite.at.toISOString(),
      ...(claimedAt
        ? {
            claimedAt: claimedAt.toISOString(),
            secondsToClaim: Math.round((claimedAt.getTime() - invite.at.getTime()) / 1000),
          }
        : {}),
      riskRanks: { arrival: invite.riskRank ?? null, claim: p.claim?.riskRank ?? null },
    },
    inviter: {
      userRef: inviterUser?.inviteCode ?? invite.inviterCode,
      nickname: nicknameOf(inviterUser),
      tag: tagOfRank(inviter?.tagRank),
      verified: inviter?.progress.verified ?? 0,
      blocked: Boolean(inviter?.blocked),
      recentCredits: (inviter?.progress.recentCredits ?? []).map((at) => at.toISOString()),
      ...(inviter?.invite?.inviterCode ? { invitedBy: inviter.invite.inviterCode } : {}),
    },
    siblings: {
      total: siblings.length,
      verified: count('verified'),
      pending: count('pending'),
      held: count('held'),
      rejected: count('rejected'),
      arrivals: siblings
        .map((s) => s.invite!.at)
        .sort((a, b) => b.getTime() - a.getTime())
        .slice(0, ARRIVALS_SHOWN)
        .map((at) => at.toISOString()),
    },
    heldAt: (p.claim?.at ?? invite.at).toISOString(),
  };
}

export async function approveHold(
  params: { userRef: string; reason?: string },
  context: Context,
): Promise<AdminResults['holds.approve']> {
  const { campaignDoc, user, invitee } = await review(params, context, 'approved');
  const credit = await creditInviter(invitee, campaignDoc.config, context.now);
  if (credit.judgedNow) {
    // the hold leaves the queue; the credit counts like a claim's (flows/qualify)
    const increments = addIncrements(
      { invitesHeld: -1 },
      creditIncrements(credit, broughtBy(invitee)),
    );
    await bumpCounters(campaignDoc._id, withDays(increments, context.now));
  }
  const inviterCode = invitee.invite!.inviterCode;
  const [after, inviter] = await Promise.all([
    findParticipantById(invitee._id),
    findParticipantById(participantId(campaignDoc._id, invitee.invite!.inviterId)),
  ]);
  const status = after?.invite?.status === 'verified' ? 'verified' : 'rejected';
  return {
    userRef: user.inviteCode,
    status,
    ...(status === 'rejected' && after?.invite?.reason ? { reason: after.invite.reason } : {}),
    inviter: { userRef: inviterCode, verified: inviter?.progress.verified ?? 0 },
  };
}

export async function rejectHold(
  params: { userRef: string; reason: string },
  context: Context,
): Promise<AdminResults['holds.reject']> {
  const { user } = await review(params, context, 'rejected');
  return { userRef: user.inviteCode, status: 'rejected', reason: 'REVIEW_REJECTED' };
}

/**
 * The owner's verdict, recorded once: the invitee's held invite becomes verified or rejected with
 * the review (who, when, why). A concurrent review of the same invite may have recorded it; then
 * this call goes on with theirs if it is the same verdict, and is refused otherwise. The call
 * that recorded a rejection counts it; an approval is counted where its credit is judged.
 */
async function review(
  params: { userRef: string; reason?: string },
  { now, auth }: Context,
  decision: 'approved' | 'rejected',
) {
  const campaignDoc = await requireActive();
  const user = await requireMember(params.userRef);
  let invitee = await requireInvite(campaignDoc, user._id);
  const record = {
    at: now,
    by: auth._id,
    byName: auth.name,
    decision,
    ...(params.reason ? { reason: params.reason } : {}),
  };
  const approving = decision === 'approved';
  if (invitee.invite!.status === 'held') {
    if (await (approving ? approveHeldInvite : rejectHeldInvite)(invitee._id, record)) {
      const verdict = approving
        ? { status: 'verified' as const, verifiedAt: now }
        : { status: 'rejected' as const, reason: 'REVIEW_REJECTED' as const };
      invitee = { ...invitee, invite: { ...invitee.invite!, ...verdict, review: record } };
      if (!approving) {
        await bumpCounters(campaignDoc._id, { invitesHeld: -1, 'rejected.REVIEW_REJECTED': 1 });
      }
    } else {
      invitee = (await findParticipantById(invitee._id)) ?? invitee;
    }
  }
  const invite = invitee.invite!;
  const made = invite.review;
  if (made?.decision !== decision) {
    const told = !made
      ? '这条邀请不在待审核状态'
      : made.decision === 'approved'
        ? '这条邀请已审核通过'
        : '这条邀请已被驳回';
    return fail('CONFLICT', told);
  }
  await recordAct({
    cause: `${approving ? 'approve' : 'reject'}:${invitee._id}`,
    action: approving ? 'approve' : 'reject',
    auth: { _id: made.by, name: made.byName },
    at: made.at,
    member: user,
    campaignId: campaignDoc._id,
    reason: made.reason ?? null,
    detail: `${approving ? '通过' : '驳回'}待审核邀请（邀请人 ${invite.inviterCode}）`,
  });
  return { campaignDoc, user, invitee };
}

async function requireActive(): Promise<CampaignDoc> {
  const campaignDoc = await findActiveCampaign();
  if (!campaignDoc) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
  return campaignDoc;
}

async function requireInvite(campaignDoc: CampaignDoc, openid: string): Promise<ParticipantDoc> {
  const invitee = await findParticipant(campaignDoc._id, openid);
  if (!invitee?.invite?.inviterId) return fail('NOT_FOUND', '这位会员没有需要审核的邀请');
  return invitee;
}
