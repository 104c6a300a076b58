/**
 * `group.get` and `group.confirmJoined` (群活码). Sticky: a user who was handed a group gets the
 * same group again while its QR works. Otherwise the first group in pool order with room, counted
 * atomically; the seat is given back if a concurrent call of the same user recorded another.
 */
import { displayUrl } from '../../_shared/cloud';
import { requireCampaign, requireUser } from '../../_shared/context';
import type { ApiResults } from '../../_shared/contracts';
import { command } from '../../_shared/db';
import type { ActionContext } from '../../_shared/dispatch';
import { chooseGroup, type GroupQr } from '../../_shared/domain/group';
import { fail } from '../../_shared/errors';
import { bumpCounters } from '../../_shared/repositories/counters';
import {
  findGroup,
  findLiveGroups,
  releaseGroupSeat,
  takeGroupSeat,
} from '../../_shared/repositories/groups';
import { findUser, updateUserIf, type UserDoc } from '../../_shared/repositories/users';

type GroupAnswer = ApiResults['group.get'];

export async function getGroup(
  _params: object,
  { caller, now }: ActionContext,
): Promise<GroupAnswer> {
  const campaignDoc = await requireCampaign(now, { running: false });
  const campaign = campaignDoc.config;
  const user = await requireUser(caller.openid);
  if (campaign.groups.after === 'claim' && !user.claim) {
    return fail('FORBIDDEN', '领取福利后即可加入福利群');
  }
  if (campaign.groups.after === 'blackcard' && !user.progress.unlockedAt) {
    return fail(
      'BLACK_CARD_LOCKED',
      `邀请 ${campaign.blackCard.invitesRequired} 位好友解锁黑卡后即可入群`,
    );
  }

  const current = user.group ? await findGroup(user.group.groupId) : null;
  if (current && qrWorks(current, now)) return view(current);

  const unavailable = async () => {
    const contact = campaign.groups.fallbackContact;
    return fail('GROUP_UNAVAILABLE', '群暂时满员，请添加客服，我们拉你入群', {
      fallbackContact: { ...contact, qrUrl: await displayUrl(contact.qrUrl) },
    });
  };
  let candidates = await findLiveGroups(now);
  for (;;) {
    const group = chooseGroup(candidates, now);
    if (!group) return unavailable();
    if (!(await takeGroupSeat(group, now))) {
      // Filled up meanwhile: the next one in pool order.
      candidates = candidates.filter((g) => g.id !== group.id);
      continue;
    }
    if (await recordHandOut(user, group.id, now)) {
      await bumpCounters(campaignDoc._id, { groupHandouts: 1 });
      return view(group);
    }
    // A concurrent call of this user recorded a group first: give the seat back, answer theirs.
    await releaseGroupSeat(group.id);
    const winner = (await findUser(user._id))?.group;
    const theirs = winner ? await findGroup(winner.groupId) : null;
    if (theirs && qrWorks(theirs, now)) return view(theirs);
    return unavailable();
  }
}

export async function confirmJoined(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['group.confirmJoined']> {
  const user = await requireUser(caller.openid);
  if (!user.group) return fail('NOT_FOUND', '请先获取群二维码');
  if (user.joinedAt) return { joinedAt: user.joinedAt.toISOString() };
  // Personal-WeChat joins cannot be verified: this is the user's word, recorded with its time.
  const first = await updateUserIf(
    caller.openid,
    { joinedAt: command().eq(null) },
    { joinedAt: now },
  );
  if (first) {
    const campaign = await requireCampaign(now, { running: false });
    await bumpCounters(campaign._id, { groupJoins: 1 });
    return { joinedAt: now.toISOString() };
  }
  const again = await findUser(caller.openid);
  return { joinedAt: (again?.joinedAt ?? now).toISOString() };
}

/** Records the hand-out on the user unless another call did (sticky, one group per user). */
function recordHandOut(user: UserDoc, groupId: string, now: Date): Promise<boolean> {
  const condition = user.group
    ? { 'group.groupId': user.group.groupId } // replacing a group whose QR stopped working
    : { group: command().eq(null) };
  // `_.set`: replace the whole field (an object value would be merged as dot paths).
  return updateUserIf(user._id, condition, { group: command().set({ groupId, at: now }) });
}

/** A group already handed to the user stays theirs while its QR still admits people. */
function qrWorks(group: GroupQr, now: Date): boolean {
  return group.active && now.getTime() < group.expiresAt.getTime();
}

async function view(group: GroupQr): Promise<GroupAnswer> {
  return {
    groupId: group.id,
    name: group.name,
    qrUrl: await displayUrl(group.qrUrl),
    expiresAt: group.expiresAt.toISOString(),
  };
}
