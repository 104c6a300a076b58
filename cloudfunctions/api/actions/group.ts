/**
 * `group.get` and `group.confirmJoined` (群活码). Sticky: a participant who was handed a group
 * gets the same group again while its QR works. Otherwise the first group in pool order with
 * room: a seat is taken in the group (`takeSeat`, at most one per participant), then recorded on
 * the participant (`holdGroup`). A call that died between the two left a seat that the next call
 * finds and records; if nobody comes back, the reconciler gives it back.
 */
import { displayUrl } from '../../_shared/cloud';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { chooseGroup, groupGate, keepsGroup, type GroupQr } from '../../_shared/domain/group';
import { rankAfter, rankForFact, tagCounterMoves } from '../../_shared/domain/tags';
import { fail } from '../../_shared/errors';
import { requireCampaign, requireParticipant } from '../../_shared/guards';
import { seatKeyFor } from '../../_shared/ids';
import type { CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCounters } from '../../_shared/repositories/counters';
import { withDays } from '../../_shared/domain/trends';
import {
  findGroup,
  findLiveGroups,
  releaseSeat,
  takeSeat,
} from '../../_shared/repositories/groups';
import {
  confirmJoined as recordJoined,
  findParticipantById,
  holdGroup,
  waitForGroup,
  type ParticipantDoc,
} from '../../_shared/repositories/participants';

type GroupAnswer = ApiResults['group.get'];

export async function getGroup(
  _params: object,
  { caller, now }: ActionContext,
): Promise<GroupAnswer> {
  const campaignDoc = await requireCampaign(now, { running: false });
  const campaign = campaignDoc.config;
  const participant = await requireParticipant(campaignDoc._id, caller.openid);
  const gate = groupGate(campaign, participant);
  if (gate === 'claim-first') return fail('FORBIDDEN', '领取福利后即可加入福利群');
  if (gate === 'card-first') {
    return fail(
      'BLACK_CARD_LOCKED',
      `邀请 ${campaign.blackCard.invitesRequired} 位好友解锁黑卡后即可入群`,
    );
  }

  const current = participant.group ? await findGroup(participant.group.groupId) : null;
  if (current && keepsGroup(current, now)) return view(current);

  const seatKey = seatKeyFor(participant._id);
  const tried = new Set<string>();
  for (;;) {
    const candidates = await findLiveGroups(now, seatKey);
    // A seat this participant already holds (a call that died before recording it, or a
    // concurrent call of theirs) comes first.
    const seated = candidates.find((g) => g.seated);
    if (seated) return record(participant, seated, seatKey, campaignDoc, now);
    const group = chooseGroup(
      candidates.filter((g) => !tried.has(g.id)),
      now,
    );
    if (!group) {
      // Rewards (issue 12): told by a reminder when a group has room again
      await waitForGroup(participant._id, now);
      return unavailable(campaignDoc);
    }
    if (await takeSeat(group, { key: seatKey, holder: participant._id }, now)) {
      return record(participant, group, seatKey, campaignDoc, now);
    }
    // Filled up meanwhile, or a concurrent call of this participant took a seat: look again.
    tried.add(group.id);
  }
}

/**
 * Records the seat on the participant. If a concurrent call of the same participant recorded
 * another group first, this seat goes back and theirs is the answer.
 */
async function record(
  participant: ParticipantDoc,
  group: GroupQr,
  seatKey: string,
  campaignDoc: CampaignDoc,
  now: Date,
): Promise<GroupAnswer> {
  if (await holdGroup(participant, group.id, now)) {
    const previous = participant.group?.groupId;
    // Moving from a group whose QR stopped working: that seat is no longer theirs.
    if (previous && previous !== group.id) await releaseSeat(previous, seatKey);
    if (!previous) await bumpCounters(campaignDoc._id, withDays({ groupHandouts: 1 }, now));
    return view(group);
  }
  const winner = (await findParticipantById(participant._id))?.group;
  if (winner?.groupId !== group.id) await releaseSeat(group.id, seatKey);
  const theirs = winner ? await findGroup(winner.groupId) : null;
  if (theirs && keepsGroup(theirs, now)) return view(theirs);
  return unavailable(campaignDoc);
}

async function unavailable(campaignDoc: CampaignDoc): Promise<never> {
  const contact = campaignDoc.config.groups.fallbackContact;
  return fail('GROUP_UNAVAILABLE', '群暂时满员，请添加客服，我们拉你入群', {
    fallbackContact: { ...contact, qrUrl: await displayUrl(contact.qrUrl) },
  });
}

export async function confirmJoined(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['group.confirmJoined']> {
  const campaign = await requireCampaign(now, { running: false });
  const participant = await requireParticipant(campaign._id, caller.openid);
  if (!participant.group) return fail('NOT_FOUND', '请先获取群二维码');
  if (participant.joinedAt) return { joinedAt: participant.joinedAt.toISOString() };
  // Personal-WeChat joins cannot be verified: this is the participant's word, with its time.
  // People console (issue 13): joining is an act the tag rules may name.
  const tagRank = rankForFact('joinedGroup', campaign.config.growthTags.rules);
  if (await recordJoined(participant._id, now, tagRank)) {
    const moves = tagCounterMoves(participant.tagRank, rankAfter(participant.tagRank, tagRank));
    await bumpCounters(campaign._id, withDays({ groupJoins: 1, ...moves }, now));
    return { joinedAt: now.toISOString() };
  }
  const again = await findParticipantById(participant._id);
  return { joinedAt: (again?.joinedAt ?? now).toISOString() };
}

async function view(group: GroupQr): Promise<GroupAnswer> {
  return {
    groupId: group.id,
    name: group.name,
    qrUrl: await displayUrl(group.qrUrl),
    expiresAt: group.expiresAt.toISOString(),
  };
}
