/**
 * `stats.overview`: the operator's dashboard. Every figure comes from counters maintained on
 * each write, plus a handful of bounded, indexed reads; nothing scans users, so it costs the
 * same at 100 users and at 1,000,000.
 */
import type { AdminResults, InviteRejectionReason } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { fail } from '../../_shared/errors';
import { ALERTS_SHOWN, TOP_INVITERS } from '../../_shared/limits';
import { findRecentAlerts } from '../../_shared/repositories/alerts';
import { findActiveCampaign } from '../../_shared/repositories/campaigns';
import { readCounters } from '../../_shared/repositories/counters';
import { findAllGroups } from '../../_shared/repositories/groups';
import { findTopInviters } from '../../_shared/repositories/participants';
import { readStock, remainingByPrize } from '../../_shared/repositories/stock';

type Overview = AdminResults['stats.overview'];

const FUNNEL: Array<{ key: string; label: string }> = [
  { key: 'visitors', label: '访客' },
  { key: 'claims', label: '领取福利' },
  { key: 'spinners', label: '参与抽奖' },
  { key: 'inviters', label: '发起邀请' },
  { key: 'invitesVerified', label: '有效邀请' },
  { key: 'cardsUnlocked', label: '解锁黑卡' },
  { key: 'groupHandouts', label: '领取群码' },
  { key: 'couponsIssued', label: '发券' },
  { key: 'couponsRedeemed', label: '核销' },
];

const REJECTION_REASONS: InviteRejectionReason[] = [
  'SELF_INVITE',
  'NOT_NEW_USER',
  'UNKNOWN_CODE',
  'INVITER_DAILY_CAP',
  'RISK',
  'CAMPAIGN_ENDED',
];

export async function overview(_params: object, _context: ActionContext): Promise<Overview> {
  const campaignDoc = await findActiveCampaign();
  if (!campaignDoc) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
  const campaign = campaignDoc.config;
  const [counters, groups, alerts, inviters, stock] = await Promise.all([
    readCounters(campaignDoc._id),
    findAllGroups(),
    findRecentAlerts(ALERTS_SHOWN),
    findTopInviters(campaignDoc._id, TOP_INVITERS),
    readStock(campaignDoc._id),
  ]);
  const remaining = remainingByPrize(stock);
  const count = (key: string) => counters.get(key) ?? 0;

  return {
    funnel: FUNNEL.map((step) => ({ ...step, count: count(step.key) })),
    channels: [
      ...campaign.channels,
      // visits without a known channel code are shown, not lost
      { code: 'direct', name: '直接访问' },
      { code: 'other', name: '其他' },
    ]
      .map((channel) => {
        const visitors = count(`channels.${channel.code}.visitors`);
        const verified = count(`channels.${channel.code}.verified`);
        const cost = 'cost' in channel ? channel.cost : undefined;
        return {
          code: channel.code,
          name: channel.name,
          visitors,
          verified,
          ...(cost !== undefined ? { cost } : {}),
          ...(cost !== undefined && verified > 0
            ? { costPerVerified: Math.round(cost / verified) }
            : {}),
        };
      })
      .filter((c) => c.visitors > 0 || campaign.channels.some((known) => known.code === c.code)),
    prizes: campaign.lottery.prizes.map((prize) => ({
      id: prize.id,
      name: prize.name,
      stock: prize.stock === null ? null : (remaining.get(prize.id) ?? 0),
      issued: count(`prizes.${prize.id}.issued`),
    })),
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      qrUrl: g.qrUrl,
      handedOut: g.handedOut,
      capacity: g.capacity,
      expiresAt: g.expiresAt.toISOString(),
      active: g.active,
    })),
    alerts: alerts.map((a) => ({
      id: a._id,
      kind: a.kind,
      message: a.message,
      ...(a.groupId ? { groupId: a.groupId } : {}),
      at: a.at.toISOString(),
    })),
    rejectedInvites: REJECTION_REASONS.map((reason) => ({
      reason,
      count: count(`rejected.${reason}`),
    })).filter((r) => r.count > 0),
    // The invite code is the operator-facing reference: never an openid.
    topInviters: inviters.map((u) => ({ userRef: u.inviteCode, verified: u.progress.verified })),
  };
}
