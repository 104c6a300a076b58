/**
 * What operators see of members (People console, issue 13): the invite code is the reference,
 * never the openid; names of operators, never theirs either. Shared by the member, review, KOC
 * and audit actions.
 */
import type { Campaign } from '../_shared/campaign';
import type { AuditAction, AuditEntry, MemberInvite, MemberSummary } from '../_shared/contracts';
import { auditIdFor } from '../_shared/ids';
import { isManualRank, startingRank, tagOfRank } from '../_shared/domain/tags';
import { fail } from '../_shared/errors';
import type { AdminDoc } from '../_shared/repositories/admins';
import { recordAudit, type AuditDoc } from '../_shared/repositories/audit';
import type { ParticipantDoc } from '../_shared/repositories/participants';
import { findUserByInviteCode, type UserDoc } from '../_shared/repositories/users';
import { nicknameOf } from '../_shared/user';

/** The person an operator names by invite code (any case), or NOT_FOUND. */
export async function requireMember(userRef: string): Promise<UserDoc> {
  const user = await findUserByInviteCode(userRef.trim().toUpperCase());
  if (!user) return fail('NOT_FOUND', `找不到会员 ${userRef}`);
  return user;
}

const BUILT_IN_CHANNELS: Record<string, string> = { direct: '直接访问', other: '其他' };

export function channelName(code: string, campaign: Campaign | null): string {
  return campaign?.channels.find((c) => c.code === code)?.name ?? BUILT_IN_CHANNELS[code] ?? code;
}

/** The tag in force: the member's rank in the campaign, else what the person carries. */
export function rankOf(user: UserDoc, participant: ParticipantDoc | null): number {
  return participant?.tagRank ?? startingRank(user);
}

export function memberSummary(
  user: UserDoc,
  participant: ParticipantDoc | null,
  campaign: Campaign | null,
): MemberSummary {
  const rank = rankOf(user, participant);
  const channel = user.firstTouch.channel;
  return {
    userRef: user.inviteCode,
    nickname: nicknameOf(user),
    tag: tagOfRank(rank),
    tagManual: isManualRank(rank) || Boolean(user.growthTag),
    blocked: Boolean(user.blocked),
    ...(user.leader ? { leader: user.leader.level } : {}),
    channel,
    channelName: channelName(channel, campaign),
    ...(participant?.enteredAt ? { enteredAt: participant.enteredAt.toISOString() } : {}),
    claimed: Boolean(participant?.claim),
    verified: participant?.progress.verified ?? 0,
  };
}

/** An invite as seen from either side; `person` is the other party when known. */
export function inviteOf(
  p: Pick<ParticipantDoc, 'invite' | 'inviteCode' | 'tagRank'>,
  person: UserDoc | undefined,
): MemberInvite {
  const invite = p.invite!;
  return {
    userRef: p.inviteCode,
    nickname: nicknameOf(person),
    tag: tagOfRank(p.tagRank),
    status: invite.status,
    ...(invite.reason ? { reason: invite.reason } : {}),
    at: invite.at.toISOString(),
    ...(invite.verifiedAt ? { verifiedAt: invite.verifiedAt.toISOString() } : {}),
  };
}

export function auditEntryOf(doc: AuditDoc): AuditEntry {
  return {
    id: doc._id,
    at: doc.at.toISOString(),
    action: doc.action,
    by: doc.byName,
    ...(doc.targetRef ? { userRef: doc.targetRef } : {}),
    ...(doc.reason ? { reason: doc.reason } : {}),
    detail: doc.detail,
  };
}

/**
 * Records an operator's act in the audit log, once per `cause` (the entry's id derives from it,
 * so a retried or finished act is not recorded twice).
 */
export function recordAct(act: {
  cause: string;
  action: AuditAction;
  auth: Pick<AdminDoc, '_id' | 'name'>;
  at: Date;
  member: Pick<UserDoc, '_id' | 'inviteCode'> | null;
  campaignId: string | null;
  reason?: string | null;
  detail: string;
  grant?: AuditDoc['grant'];
}): Promise<boolean> {
  return recordAudit({
    _id: auditIdFor(act.cause),
    at: act.at,
    action: act.action,
    by: act.auth._id,
    byName: act.auth.name,
    target: act.member?._id ?? null,
    targetRef: act.member?.inviteCode ?? null,
    campaignId: act.campaignId,
    reason: act.reason ?? null,
    detail: act.detail,
    ...(act.grant ? { grant: act.grant } : {}),
  });
}

/**
 * A list's position as an opaque cursor: a time and an invite code (`<ms base 36>.<code>`), the
 * index order the lists page in. Never an openid.
 */
export function cursorOf(at: Date, code: string): string {
  return `${at.getTime().toString(36)}.${code}`;
}

export function readCursor(cursor: string | undefined): { at: Date; code: string } | null {
  if (cursor === undefined) return null;
  const match = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{1,48})$/.exec(cursor);
  const ms = match ? parseInt(match[1], 36) : NaN;
  if (!match || !Number.isFinite(ms)) {
    return fail('BAD_REQUEST', 'invalid cursor: pass back the `next` of the previous page', {
      issues: [{ path: 'cursor', message: 'must be the `next` of a previous page' }],
    });
  }
  return { at: new Date(ms), code: match[2] };
}
