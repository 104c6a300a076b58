/**
 * People console (issue 13), finding and reading members (owners only):
 * - `users.find`: by invite code typed in, or by what a scanner read (a coupon's redemption QR);
 * - `users.get`: the member page — first touch, claim, spins and prizes, coupons, who invited
 *   them and whom they invited (two levels, with states and reasons), refusals of returning
 *   visitors who opened their link, group, risk rank, tag, block, leader figures, and the audit of
 *   what operators did to them;
 * - `users.list`: the campaign's members, newest first, optionally by tag or block, a page at a
 *   time (≤ 100 per call, cursor on an index), with the tag distribution from the counters.
 * Nothing here answers an openid: the invite code is the reference.
 */
import { participantId } from '../../_shared/collections';
import type { AdminResults, GrowthTag, MemberPage } from '../../_shared/contracts';
import { GROWTH_TAGS } from '../../_shared/constants';
import type { ActionContext } from '../../_shared/dispatch';
import { verifyRedeemToken } from '../../_shared/domain/redeem-token';
import { ranksShowing, tagOfRank } from '../../_shared/domain/tags';
import { fail } from '../../_shared/errors';
import {
  MEMBER_AUDIT,
  MEMBER_INVITEES,
  MEMBER_SECOND_LEVEL,
  MEMBERS_PAGE,
} from '../../_shared/limits';
import { findAuditOf } from '../../_shared/repositories/audit';
import { findActiveCampaign } from '../../_shared/repositories/campaigns';
import { findCommunity } from '../../_shared/repositories/community';
import { readCounters } from '../../_shared/repositories/counters';
import { findCoupon, findCouponsOf, toCoupon } from '../../_shared/repositories/coupons';
import { findGroup } from '../../_shared/repositories/groups';
import {
  countInviteesIn,
  findInviteesOf,
  findParticipant,
  findParticipantById,
  findParticipantsByIds,
  pageMembers,
  type ParticipantDoc,
} from '../../_shared/repositories/participants';
import { findRejectionsOfCode } from '../../_shared/repositories/rejections';
import { REDEEM_TOKEN_SECRET, secret } from '../../_shared/repositories/secrets';
import {
  findUser,
  findUserByInviteCode,
  findUsersByIds,
  type UserDoc,
} from '../../_shared/repositories/users';
import { nicknameOf } from '../../_shared/user';
import {
  auditEntryOf,
  channelName,
  cursorOf,
  inviteOf,
  memberSummary,
  readCursor,
  requireMember,
} from '../members';

const INVITE_CODE = /^[A-Za-z0-9]{4,12}$/;
/** Refusals of returning visitors a member page lists. */
const REFUSALS_SHOWN = 20;

export async function findMember(
  { code }: { code: string },
  { now }: ActionContext,
): Promise<AdminResults['users.find']> {
  const text = code.trim();
  let user: UserDoc | null = null;
  let via: AdminResults['users.find']['via'] = 'inviteCode';
  if (INVITE_CODE.test(text)) {
    user = await findUserByInviteCode(text.toUpperCase());
  } else {
    // A coupon's redemption QR names its coupon. A lookup accepts one whose minute has passed
    // (it still names the coupon: checked at the epoch, it is never stale); a forged one is not.
    const check = verifyRedeemToken(text, await secret(REDEEM_TOKEN_SECRET, now), new Date(0));
    if (check.ok) {
      const coupon = await findCoupon(check.couponId);
      user = coupon ? await findUser(coupon.owner) : null;
      via = 'coupon';
    } else if (check.reason === 'forged') {
      return fail('BAD_TOKEN', '这个码无法识别，请让会员刷新后重新出示');
    }
    // Issue 12's signed member code (the unlocked black card) is read here: verify it, and
    // answer its owner with `via: 'member'`.
  }
  if (!user) return fail('NOT_FOUND', '没有找到这位会员，请核对邀请码');
  const campaignDoc = await findActiveCampaign();
  const participant = campaignDoc ? await findParticipant(campaignDoc._id, user._id) : null;
  return { member: memberSummary(user, participant, campaignDoc?.config ?? null), via };
}

export async function getMember(
  { userRef }: { userRef: string },
  { now }: ActionContext,
): Promise<MemberPage> {
  const user = await requireMember(userRef);
  const campaignDoc = await findActiveCampaign();
  const campaign = campaignDoc?.config ?? null;
  const campaignId = campaignDoc?._id ?? null;
  const [participant, coupons, audit] = await Promise.all([
    campaignId ? findParticipant(campaignId, user._id) : null,
    findCouponsOf(user._id),
    findAuditOf(user._id, MEMBER_AUDIT),
  ]);
  const tree = campaignId ? await inviteTree(campaignId, user, participant) : null;
  const progress = participant?.progress;
  const [pending, held, group, community] = await Promise.all([
    campaignId ? countInviteesIn(campaignId, user._id, 'pending') : 0,
    campaignId ? countInviteesIn(campaignId, user._id, 'held') : 0,
    participant?.group ? findGroup(participant.group.groupId) : null,
    campaignId && user.leader ? findCommunity(campaignId, user._id) : null,
  ]);
  const couponLabel = new Map(coupons.map((c) => [c._id, c.title]));
  const spins = Object.values(participant?.spins.log ?? {}).sort(
    (a, b) => b.at.getTime() - a.at.getTime(),
  );
  const firstTouch = user.firstTouch;
  return {
    member: {
      ...memberSummary(user, participant, campaign),
      createdAt: user.createdAt.toISOString(),
      firstTouch: {
        channel: firstTouch.channel,
        channelName: channelName(firstTouch.channel, campaign),
        ...(firstTouch.scene ? { scene: firstTouch.scene } : {}),
        at: firstTouch.at.toISOString(),
      },
      riskRank: highestRiskRank(participant),
      ...(user.blocked
        ? { blockedAt: user.blocked.at.toISOString(), blockedReason: user.blocked.reason }
        : {}),
    },
    campaign: campaignDoc ? { id: campaignDoc._id, title: campaignDoc.config.title } : null,
    claim: participant?.claim
      ? {
          at: participant.claim.at.toISOString(),
          ...(participant.claim.couponId && couponLabel.has(participant.claim.couponId)
            ? { coupon: couponLabel.get(participant.claim.couponId) }
            : {}),
          ...(typeof participant.claim.riskRank === 'number'
            ? { riskRank: participant.claim.riskRank }
            : {}),
        }
      : null,
    spins: spins.map((s) => ({
      at: s.at.toISOString(),
      prize: s.name,
      kind: s.kind,
      ...(s.couponId && couponLabel.has(s.couponId) ? { coupon: couponLabel.get(s.couponId) } : {}),
    })),
    coupons: coupons.map((c) => toCoupon(c, now)),
    invitedBy: tree?.invitedBy ?? null,
    invitees: tree?.invitees ?? [],
    refusals: tree?.refusals ?? [],
    progress: {
      verified: progress?.verified ?? 0,
      pending,
      held,
      bonusBalance: progress?.bonusBalance ?? 0,
      ...(progress?.unlockedAt ? { unlockedAt: progress.unlockedAt.toISOString() } : {}),
    },
    group:
      participant?.group && group
        ? {
            name: group.name,
            at: participant.group.at.toISOString(),
            ...(participant.joinedAt ? { joinedAt: participant.joinedAt.toISOString() } : {}),
          }
        : null,
    ...(campaignId && user.leader
      ? {
          leaderFigures: {
            members: community?.members ?? 0,
            claims: community?.claims ?? 0,
            redemptions: community?.redemptions ?? 0,
          },
        }
      : {}),
    audit: audit.map(auditEntryOf),
    serverNow: now.toISOString(),
  };
}

/** Who invited the member, whom they invited and whom those invited, and refused visitors. */
async function inviteTree(campaignId: string, user: UserDoc, participant: ParticipantDoc | null) {
  const own = participant?.invite ?? null;
  const first = await findInviteesOf(campaignId, [user._id], MEMBER_INVITEES);
  const [second, inviterHere, refused] = await Promise.all([
    findInviteesOf(
      campaignId,
      first.map((p) => p.openid),
      MEMBER_SECOND_LEVEL,
    ),
    own?.inviterId ? findParticipantById(participantId(campaignId, own.inviterId)) : null,
    findRejectionsOfCode(campaignId, user.inviteCode, REFUSALS_SHOWN),
  ]);
  const people = new Map(
    (
      await findUsersByIds([
        ...(own?.inviterId ? [own.inviterId] : []),
        ...first.map((p) => p.openid),
        ...second.map((p) => p.openid),
        ...refused.map((r) => r.invitee),
      ])
    ).map((u) => [u._id, u]),
  );
  const byInviter = new Map<string, ParticipantDoc[]>();
  for (const p of second) {
    const list = byInviter.get(p.invite!.inviterId) ?? [];
    list.push(p);
    byInviter.set(p.invite!.inviterId, list);
  }
  const inviter = own?.inviterId ? people.get(own.inviterId) : undefined;
  return {
    invitedBy: own
      ? {
          userRef: own.inviterCode,
          nickname: nicknameOf(inviter),
          ...(inviterHere ? { tag: tagOfRank(inviterHere.tagRank) } : {}),
          status: own.status,
          ...(own.reason ? { reason: own.reason } : {}),
          at: own.at.toISOString(),
          ...(own.verifiedAt ? { verifiedAt: own.verifiedAt.toISOString() } : {}),
          ...(typeof own.riskRank === 'number' ? { riskRank: own.riskRank } : {}),
        }
      : null,
    invitees: first.map((p) => ({
      ...inviteOf(p, people.get(p.openid)),
      invitees: (byInviter.get(p.openid) ?? []).map((q) => inviteOf(q, people.get(q.openid))),
    })),
    refusals: refused.flatMap((r) => {
      const visitor = people.get(r.invitee);
      return visitor
        ? [{ userRef: visitor.inviteCode, reason: r.reason, at: r.at.toISOString() }]
        : [];
    }),
  };
}

function highestRiskRank(p: ParticipantDoc | null): number | null {
  const ranks = [
    p?.invite?.riskRank,
    p?.claim?.riskRank,
    ...Object.values(p?.spins.log ?? {}).map((s) => s.riskRank),
  ].filter((r): r is number => typeof r === 'number');
  return ranks.length ? Math.max(...ranks) : null;
}

export async function listMembers(
  params: { tag?: GrowthTag; blocked?: boolean; cursor?: string; limit?: number },
  _context: ActionContext,
): Promise<AdminResults['users.list']> {
  const after = readCursor(params.cursor);
  const campaignDoc = await findActiveCampaign();
  if (!campaignDoc) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
  const limit = params.limit ?? MEMBERS_PAGE;
  const [page, counters] = await Promise.all([
    pageMembers(
      campaignDoc._id,
      {
        ...(params.tag ? { tagRanks: ranksShowing(params.tag) } : {}),
        ...(params.blocked !== undefined ? { blocked: params.blocked } : {}),
      },
      after ? { enteredAt: after.at, inviteCode: after.code } : null,
      limit,
    ),
    readCounters(campaignDoc._id),
  ]);
  const people = new Map((await findUsersByIds(page.map((p) => p.openid))).map((u) => [u._id, u]));
  const last = page[page.length - 1];
  return {
    members: page.flatMap((p) => {
      const user = people.get(p.openid);
      return user ? [memberSummary(user, p, campaignDoc.config)] : [];
    }),
    ...(page.length === limit && last?.enteredAt
      ? { next: cursorOf(last.enteredAt, last.inviteCode) }
      : {}),
    tags: GROWTH_TAGS.map((tag) => ({ tag, count: Math.max(0, counters.get(`tags.${tag}`) ?? 0) })),
  };
}

/** The participants of the people a page names, by openid (shared by the review queue). */
export async function participantsOf(
  campaignId: string,
  openids: readonly string[],
): Promise<Map<string, ParticipantDoc>> {
  const found = await findParticipantsByIds(openids.map((id) => participantId(campaignId, id)));
  return new Map([...found.values()].map((p) => [p.openid, p]));
}
