/**
 * KOC (key opinion customers, People console issue 13): the campaign's top inviters — with
 * nickname, tag, verified friends and conversion (verified of those who arrived through their
 * link) — overall or of one channel, read from indexes; and `koc.grant`, a reward from the owner,
 * exactly once per grant (flows/grant).
 */
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { describeCouponTemplate } from '../../_shared/domain/coupon';
import { tagOfRank } from '../../_shared/domain/tags';
import { fail } from '../../_shared/errors';
import { finishGrant } from '../../_shared/flows/grant';
import { auditIdFor, couponIdFor } from '../../_shared/ids';
import { KOC_ROWS } from '../../_shared/limits';
import type { AdminDoc } from '../../_shared/repositories/admins';
import { findAudit, type AuditDoc } from '../../_shared/repositories/audit';
import { findActiveCampaign, type CampaignDoc } from '../../_shared/repositories/campaigns';
import { bumpCounters } from '../../_shared/repositories/counters';
import { withDays } from '../../_shared/domain/trends';
import { countArrivals, findTopInviters } from '../../_shared/repositories/participants';
import { findUsersByIds } from '../../_shared/repositories/users';
import { nicknameOf } from '../../_shared/user';
import { channelName, recordAct, requireMember } from '../members';

type Context = ActionContext & { auth: AdminDoc };

export async function listKoc(
  params: { channel?: string; limit?: number },
  _context: ActionContext,
): Promise<AdminResults['koc.list']> {
  const campaignDoc = await requireActive();
  const campaign = campaignDoc.config;
  const top = await findTopInviters(campaignDoc._id, params.limit ?? KOC_ROWS, params.channel);
  const [people, arrivals] = await Promise.all([
    findUsersByIds(top.map((p) => p.openid)),
    Promise.all(top.map((p) => countArrivals(campaignDoc._id, p.openid))),
  ]);
  const person = new Map(people.map((u) => [u._id, u]));
  return {
    campaign: { id: campaignDoc._id, title: campaign.title },
    ...(params.channel ? { channel: params.channel } : {}),
    entries: top.map((p, index) => {
      const user = person.get(p.openid);
      const verified = p.progress.verified;
      return {
        rank: index + 1,
        userRef: p.inviteCode,
        nickname: nicknameOf(user),
        tag: tagOfRank(p.tagRank),
        verified,
        arrivals: arrivals[index],
        conversion: arrivals[index] > 0 ? Math.min(1, verified / arrivals[index]) : 0,
        channel: p.channel,
        ...(user?.leader ? { leader: user.leader.level } : {}),
        blocked: Boolean(user?.blocked),
      };
    }),
    channels: [...campaign.channels.map((c) => c.code), 'direct'].map((code) => ({
      code,
      name: channelName(code, campaign),
    })),
    rewards: [
      ...campaign.couponTemplates
        .filter((t) => !t.variantOf)
        .map((t) => ({
          kind: 'template' as const,
          id: t.id,
          title: t.title,
          label: describeCouponTemplate(t),
        })),
      ...campaign.lottery.prizes
        .filter((p) => p.kind === 'physical')
        .map((p) => ({ kind: 'prize' as const, id: p.id, title: p.name, label: '实物奖品' })),
    ],
  };
}

export async function grant(
  params: {
    userRef: string;
    requestId: string;
    templateId?: string;
    prizeId?: string;
    reason?: string;
  },
  { now, auth }: Context,
): Promise<AdminResults['koc.grant']> {
  const campaignDoc = await requireActive();
  const user = await requireMember(params.userRef);
  const reward = rewardOf(campaignDoc, params);
  const grantId = auditIdFor(`grant:${campaignDoc._id}:${params.requestId}`);
  let entry = await findAudit(grantId);
  let alreadyGranted = entry !== null;
  if (!entry) {
    const recorded = await recordAct({
      cause: `grant:${campaignDoc._id}:${params.requestId}`,
      action: 'grant',
      auth,
      at: now,
      member: user,
      campaignId: campaignDoc._id,
      reason: params.reason,
      detail: `奖励：${reward.title}${reward.label && reward.label !== reward.title ? `（${reward.label}）` : ''}`,
      grant: {
        ...reward,
        couponId: reward.templateId ? couponIdFor(`grant:${grantId}`) : null,
      },
    });
    alreadyGranted = !recorded;
    entry = await findAudit(grantId);
  }
  if (!entry || !sameGrant(entry, user._id, reward)) {
    return fail('CONFLICT', '这个请求编号已用于另一次发放，请重新操作');
  }
  const { coupon, issuedNow } = await finishGrant(entry, campaignDoc.config);
  if (issuedNow && coupon) {
    await bumpCounters(campaignDoc._id, withDays({ couponsIssued: 1 }, coupon.issuedAt));
  }
  return {
    grantId,
    userRef: user.inviteCode,
    title: reward.title,
    label: reward.label,
    ...(coupon ? { couponId: coupon._id } : {}),
    alreadyGranted,
  };
}

type Reward = Omit<NonNullable<AuditDoc['grant']>, 'couponId'>;

function rewardOf(
  campaignDoc: CampaignDoc,
  params: { templateId?: string; prizeId?: string },
): Reward {
  const campaign = campaignDoc.config;
  if (params.templateId) {
    const template = campaign.couponTemplates.find((t) => t.id === params.templateId);
    if (!template) return badReward('templateId', `优惠券模板 ${params.templateId} 不存在`);
    return {
      kind: 'template',
      id: template.id,
      title: template.title,
      label: describeCouponTemplate(template),
      templateId: template.id,
    };
  }
  const prize = campaign.lottery.prizes.find((p) => p.id === params.prizeId);
  if (!prize || prize.kind === 'none') {
    return badReward('prizeId', `奖品 ${params.prizeId} 不存在`);
  }
  const template =
    prize.kind === 'coupon'
      ? campaign.couponTemplates.find((t) => t.id === prize.couponTemplateId)
      : undefined;
  return {
    kind: 'prize',
    id: prize.id,
    title: prize.name,
    label: template ? describeCouponTemplate(template) : '实物奖品',
    templateId: template?.id ?? null,
  };
}

function sameGrant(entry: AuditDoc, target: string, reward: Reward): boolean {
  return (
    entry.target === target && entry.grant?.kind === reward.kind && entry.grant.id === reward.id
  );
}

function badReward(path: string, message: string): never {
  return fail('BAD_REQUEST', message, { issues: [{ path, message }] });
}

async function requireActive(): Promise<CampaignDoc> {
  const campaignDoc = await findActiveCampaign();
  if (!campaignDoc) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
  return campaignDoc;
}
