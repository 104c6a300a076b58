/**
 * What owners do to members, each recorded in the audit log (who, what, when, why):
 * - `users.setTag`: the growth tag (成长标签 S/A/B/C) set by hand — the rules never undo it — or
 *   handed back to the rules (null). By invite code: the dashboard shows people by invite code.
 * - `users.block` / `users.unblock` (People console, issue 13): a blocked member gets
 *   RISK_BLOCKED on claim, spin and redemption; what follows a block is in flows/block.
 * - `users.promote`: makes a member a leader (团长: 小当家 / 大当家), or no longer one.
 */
import type { AdminResults, GrowthTag, LeaderLevel } from '../../_shared/contracts';
import { LEADER_TITLES } from '../../_shared/constants';
import type { ActionContext } from '../../_shared/dispatch';
import {
  earnedRank,
  manualRank,
  startingRank,
  tagCounterMoves,
  tagOfRank,
} from '../../_shared/domain/tags';
import { fail } from '../../_shared/errors';
import { finishBlock } from '../../_shared/flows/block';
import type { AdminDoc } from '../../_shared/repositories/admins';
import { findActiveCampaign, type CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCounters } from '../../_shared/repositories/counters';
import { findParticipant, mirrorBlock, setTagRank } from '../../_shared/repositories/participants';
import {
  blockUser,
  findUser,
  setLeader,
  setManualTag,
  unblockUser,
  type UserDoc,
} from '../../_shared/repositories/users';
import { recordAct, requireMember } from '../members';

type Context = ActionContext & { auth: AdminDoc };

const MAX_ATTEMPTS = 3;

export async function setTag(
  params: { userRef: string; growthTag: GrowthTag | null; reason?: string },
  { now, auth }: Context,
): Promise<AdminResults['users.setTag']> {
  const user = await requireMember(params.userRef);
  const to = params.growthTag;
  const from = user.growthTag ?? null;
  const campaignDoc = await findActiveCampaign();
  if (from !== to) {
    const mark = { at: now, by: auth._id, byName: auth.name, ...reasonOf(params.reason) };
    if (!(await setManualTag(user._id, from, to, mark))) {
      return fail('CONFLICT', '这位会员的标签刚被修改过，请刷新后重试');
    }
    await recordAct({
      cause: `tag:${user._id}:${now.getTime()}`,
      action: 'tag',
      auth,
      at: now,
      member: user,
      campaignId: campaignDoc?._id ?? null,
      reason: params.reason,
      detail: `标签 ${from ?? '自动'} → ${to ?? '自动（按规则）'}`,
    });
  }
  const person = { ...user, growthTag: to };
  const rank = campaignDoc ? await applyTag(person, campaignDoc) : startingRank(person);
  return { userRef: user.inviteCode, growthTag: tagOfRank(rank), manual: to !== null };
}

/**
 * The member's rank in the active campaign follows the person's tag: the manual one, or what the
 * rules give for what they did. Answers the rank in force.
 */
async function applyTag(person: UserDoc, campaignDoc: CampaignDoc): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const p = await findParticipant(campaignDoc._id, person._id);
    if (!p) return startingRank(person);
    const target = person.growthTag
      ? manualRank(person.growthTag)
      : earnedRank(p, campaignDoc.config.growthTags.rules, person.tagRank);
    if (p.tagRank === target) return target;
    if (await setTagRank(p._id, p.tagRank ?? null, target)) {
      if (p.enteredAt) await bumpCounters(campaignDoc._id, tagCounterMoves(p.tagRank, target));
      return target;
    }
  }
  return fail('CONFLICT', '会员标签正在变化，请稍后重试');
}

export async function block(
  params: { userRef: string; reason: string },
  { now, auth }: Context,
): Promise<AdminResults['users.block']> {
  let user = await requireMember(params.userRef);
  if (!user.blocked) {
    const record = { at: now, by: auth._id, byName: auth.name, reason: params.reason };
    // The record first: the steps that follow are keyed by it (flows/block).
    if (await blockUser(user._id, record)) user = { ...user, blocked: record };
    else user = (await findUser(user._id)) ?? user;
  }
  const blocked = user.blocked;
  if (!blocked) return fail('CONFLICT', '这位会员刚被解除停用，请刷新后重试');
  const campaignDoc = await findActiveCampaign();
  await recordAct({
    cause: `block:${user._id}:${blocked.at.getTime()}`,
    action: 'block',
    auth: { _id: blocked.by, name: blocked.byName },
    at: blocked.at,
    member: user,
    campaignId: campaignDoc?._id ?? null,
    reason: blocked.reason,
    detail: '停用：不能领取、抽奖、核销；待验证和待审核的邀请作废',
  });
  // A retry (or a second operator) finishes what an earlier call left; each step happens once.
  const effects = campaignDoc
    ? await finishBlock(user, campaignDoc, now)
    : { voided: 0, revoked: 0, increments: {} };
  if (campaignDoc) await bumpCounters(campaignDoc._id, effects.increments);
  return {
    userRef: user.inviteCode,
    blocked: true,
    voided: effects.voided,
    revoked: effects.revoked,
  };
}

export async function unblock(
  params: { userRef: string; reason: string },
  { now, auth }: Context,
): Promise<AdminResults['users.unblock']> {
  const user = await requireMember(params.userRef);
  const campaignDoc = await findActiveCampaign();
  const blocked = user.blocked;
  if (blocked) {
    if (!(await unblockUser(user._id, blocked.at))) {
      return fail('CONFLICT', '这位会员的状态刚被修改过，请刷新后重试');
    }
    await recordAct({
      cause: `unblock:${user._id}:${blocked.at.getTime()}`,
      action: 'unblock',
      auth,
      at: now,
      member: user,
      campaignId: campaignDoc?._id ?? null,
      reason: params.reason,
      detail: '恢复参与（已作废的邀请不恢复）',
    });
  }
  const participant = campaignDoc ? await findParticipant(campaignDoc._id, user._id) : null;
  if (participant?.blocked) await mirrorBlock(participant._id, null);
  return { userRef: user.inviteCode, blocked: false };
}

export async function promote(
  params: { userRef: string; level: number; reason?: string },
  { now, auth }: Context,
): Promise<AdminResults['users.promote']> {
  const user = await requireMember(params.userRef);
  const level: LeaderLevel | null = params.level === 1 ? 1 : params.level === 2 ? 2 : null;
  const from = user.leader?.level ?? null;
  if (from !== level) {
    const to = level ? { level, at: now, by: auth._id } : null;
    if (!(await setLeader(user._id, from, to))) {
      return fail('CONFLICT', '这位会员的团长身份刚被修改过，请刷新后重试');
    }
    const campaignDoc = await findActiveCampaign();
    await recordAct({
      cause: `promote:${user._id}:${now.getTime()}`,
      action: 'promote',
      auth,
      at: now,
      member: user,
      campaignId: campaignDoc?._id ?? null,
      reason: params.reason,
      detail: level
        ? `设为${LEADER_TITLES[level]}`
        : `不再担任${from ? LEADER_TITLES[from] : '团长'}`,
    });
  }
  return { userRef: user.inviteCode, leader: level };
}

function reasonOf(reason: string | undefined): { reason?: string } {
  return reason ? { reason } : {};
}
