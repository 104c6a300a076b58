/**
 * Rewards (issue 12): the black card at the counter.
 * - `member.lookup`: staff scan a member code (会员码); they see the member's rights as the
 *   current config has them, with what is left of each quota this period, and get a ticket (for
 *   them only, a few minutes) to redeem one.
 * - `member.useRight`: one use of a right. The use is counted in the write that records it under
 *   the staff member's request (`useRight`), so a quota is never overdrawn under concurrent
 *   scans and a retried request answers the use it made; the ledger record follows, keyed by it.
 *
 * A retry that straddles the end of a period (a request at 23:59:59 on the last day of the month,
 * retried after midnight) is counted in the new period: the period is part of where uses live.
 */
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import {
  STAFF_TICKET_TTL_MS,
  signStaffTicket,
  verifyMemberCode,
  verifyStaffTicket,
  type MemberCodeCheck,
} from '../../_shared/domain/member-code';
import { describeQuota, periodAt, rightPeriod } from '../../_shared/domain/quota';
import { fail } from '../../_shared/errors';
import { rightLedgerRecord, toRedemptionEntry } from '../../_shared/flows/redemption';
import { requireCampaign } from '../../_shared/guards';
import { rightUseKeyFor } from '../../_shared/ids';
import type { AdminDoc } from '../../_shared/repositories/admins';
import type { CampaignDoc } from '../../_shared/repositories/campaigns';
import { findParticipant, type ParticipantDoc } from '../../_shared/repositories/participants';
import { recordRedemption } from '../../_shared/repositories/redemptions';
import { findRightUses, useRight, type RightUseDoc } from '../../_shared/repositories/right-uses';
import { REDEEM_TOKEN_SECRET, secret } from '../../_shared/repositories/secrets';
import { findUserByInviteCode } from '../../_shared/repositories/users';
import { rightUsage, rightUsages, rightUseDocId } from '../../_shared/rights';
import { TOKEN_PROBLEMS, redeemerOf } from './redeem';

type Context = ActionContext & { auth: AdminDoc };

const CODE_PROBLEMS = {
  ...TOKEN_PROBLEMS,
  malformed: '这不是会员码',
  stale: '会员码已过期，请让顾客刷新黑卡页面后重新出示',
} as const;

export async function lookupMember(
  { code }: { code: string },
  { caller, now }: Context,
): Promise<AdminResults['member.lookup']> {
  const check = verifyMemberCode(code, await secret(REDEEM_TOKEN_SECRET, now), now);
  const { campaignDoc, member } = await memberOf(check, now, CODE_PROBLEMS);
  const ticket = signStaffTicket(
    {
      inviteCode: member.inviteCode,
      staff: caller.openid,
      expiresAt: new Date(now.getTime() + STAFF_TICKET_TTL_MS),
    },
    await secret(REDEEM_TOKEN_SECRET, now),
  );
  return {
    ticket,
    member: {
      ref: member.inviteCode,
      label: `黑卡会员 ${member.inviteCode}`,
      unlockedAt: member.progress.unlockedAt?.toISOString() ?? null,
      active: member.joinedAt !== null,
    },
    rights: await rightUsages(member._id, campaignDoc.config.blackCard.rights, now),
  };
}

export async function useMemberRight(
  { ticket, rightId, requestId }: { ticket: string; rightId: string; requestId: string },
  { caller, now, auth }: Context,
): Promise<AdminResults['member.useRight']> {
  const key = await secret(REDEEM_TOKEN_SECRET, now);
  const check = verifyStaffTicket(ticket, caller.openid, key, now);
  const { campaignDoc, member } = await memberOf(check, now, {
    ...CODE_PROBLEMS,
    stale: '服务已超时，请重新扫描会员码',
  });
  // Always the current config: a right withdrawn meanwhile cannot be used.
  const right = campaignDoc.config.blackCard.rights.find((r) => r.id === rightId);
  if (!right) return fail('NOT_FOUND', '这项权益已下架');
  if (!member.joinedAt) return fail('BLACK_CARD_LOCKED', '会员尚未入群，权益还未激活');

  const by = redeemerOf(auth);
  const docId = rightUseDocId(member._id, right, now);
  const useKey = rightUseKeyFor(caller.openid, requestId);
  const counted = await useRight(
    {
      _id: docId,
      campaignId: campaignDoc._id,
      participantId: member._id,
      owner: member.openid,
      ownerCode: member.inviteCode,
      rightId: right.id,
      periodKey: periodAt(rightPeriod(right), now).key,
    },
    useKey,
    {
      at: now,
      title: right.title,
      label: describeQuota(right),
      staff: by.openid,
      staffName: by.name,
      store: by.store,
      reversedAt: null,
    },
    right.quota ?? null,
  );
  const [use] = await findRightUses([docId]);
  const mine = use && Object.prototype.hasOwnProperty.call(use.uses, useKey);
  if (!counted && !mine) {
    return fail('RIGHT_USED_UP', `「${right.title}」${rightUsage(right, use?.used ?? 0).leftText}`);
  }
  // counted now, or by this request before (a retry): the ledger record follows, once
  const record = rightLedgerRecord(use as RightUseDoc, useKey);
  await recordRedemption(record);
  return {
    redemption: toRedemptionEntry(record, now, { owner: auth.role === 'owner' }),
    right: rightUsage(right, use?.used ?? 0),
  };
}

/** The member a verified code or ticket names, in the active campaign, with an unlocked card. */
async function memberOf(
  check: MemberCodeCheck,
  now: Date,
  problems: Record<'malformed' | 'forged' | 'stale', string>,
): Promise<{ campaignDoc: CampaignDoc; member: ParticipantDoc }> {
  if (!check.ok) return fail('BAD_TOKEN', problems[check.reason]);
  const campaignDoc = await requireCampaign(now, { running: false });
  const user = await findUserByInviteCode(check.inviteCode);
  const member = user ? await findParticipant(campaignDoc._id, user._id) : null;
  if (!member) return fail('NOT_FOUND', '没有找到这位会员');
  if (!member.progress.unlockedAt) return fail('BLACK_CARD_LOCKED', '这位顾客还没有解锁黑卡');
  return { campaignDoc, member };
}
