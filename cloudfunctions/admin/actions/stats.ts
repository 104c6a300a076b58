/**
 * `stats.overview`: the operator's dashboard. Every figure comes from counters maintained on
 * each write, plus a handful of bounded, indexed reads; nothing scans users, so it costs the
 * same at 100 users and at 1,000,000.
 */
import type { Campaign } from '../../_shared/campaign';
import { GROWTH_TAGS } from '../../_shared/constants';
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
import {
  CHANNEL_FIGURES,
  UNLISTED_CHANNELS,
  channelEconomics,
  type ChannelCounts,
} from '../../_shared/domain/channels';
import { findChannels, type ChannelDoc } from '../../_shared/repositories/channels';
import { cohortsView, repurchaseView, trendView } from './retention';

type Overview = AdminResults['stats.overview'];
type Step = Overview['funnel'][number];

/**
 * A funnel step and what it is read against. A share (`占访客 62%`) is only taken against a step
 * this one is a subset of; a count of things per person (`人均 2.5 次`) against those people.
 * Spinning and sharing do not need a claim, so spinners and inviters are shares of visitors.
 */
interface StepDefinition {
  key: string;
  label: string;
  unit: Step['unit'];
  base?: { key: string; describe: (base: number, count: number) => string };
}

const percent = (part: number, whole: number) => `${Math.round((part / whole) * 100)}%`;
/** 2 → `2`, 2.5 → `2.5`, 7/3 → `2.3` */
const average = (total: number, people: number) => String(Math.round((total / people) * 10) / 10);

const shareOf = (key: string, noun: string): StepDefinition['base'] => ({
  key,
  describe: (base, count) => `占${noun} ${percent(count, base)}`,
});

function funnelSteps(groupsAfter: Campaign['groups']['after']): StepDefinition[] {
  return [
    { key: 'visitors', label: '访客', unit: '人' },
    { key: 'claims', label: '领取福利', unit: '人', base: shareOf('visitors', '访客') },
    { key: 'spinners', label: '参与抽奖', unit: '人', base: shareOf('visitors', '访客') },
    {
      key: 'spins',
      label: '抽奖次数',
      unit: '次',
      base: { key: 'spinners', describe: (base, count) => `人均 ${average(count, base)} 次` },
    },
    { key: 'inviters', label: '发起邀请', unit: '人', base: shareOf('visitors', '访客') },
    {
      // each verified invite is one friend who arrived with a code and claimed
      key: 'invitesVerified',
      label: '有效邀请',
      unit: '人',
      base: { key: 'inviters', describe: (base, count) => `人均邀请 ${average(count, base)} 位` },
    },
    { key: 'cardsUnlocked', label: '解锁黑卡', unit: '人', base: shareOf('inviters', '邀请人') },
    {
      key: 'groupHandouts',
      label: '领取群码',
      unit: '人',
      // who may ask for a group QR (SPEC §2 groups.after)
      base:
        groupsAfter === 'claim'
          ? shareOf('claims', '领取人数')
          : shareOf('cardsUnlocked', '黑卡会员'),
    },
    {
      key: 'groupJoins',
      label: '确认入群',
      unit: '人',
      base: shareOf('groupHandouts', '领到群码的'),
    },
    { key: 'couponsIssued', label: '发券', unit: '张' },
    {
      key: 'couponsRedeemed',
      label: '核销',
      unit: '张',
      base: { key: 'couponsIssued', describe: (base, count) => `核销率 ${percent(count, base)}` },
    },
  ];
}

function funnel(groupsAfter: Campaign['groups']['after'], count: (key: string) => number): Step[] {
  return funnelSteps(groupsAfter).map(({ key, label, unit, base }) => {
    const step: Step = { key, label, unit, count: count(key) };
    if (!base) return step;
    const baseCount = count(base.key);
    return {
      ...step,
      baseKey: base.key,
      ...(baseCount > 0 ? { rateLabel: base.describe(baseCount, step.count) } : {}),
    };
  });
}

const REJECTION_REASONS: InviteRejectionReason[] = [
  'SELF_INVITE',
  'NOT_NEW_USER',
  'UNKNOWN_CODE',
  'INVITER_DAILY_CAP',
  'RISK',
  'CAMPAIGN_ENDED',
  // People console (issue 13)
  'BLOCKED',
  'REVIEW_REJECTED',
];

export async function overview(_params: object, { now }: ActionContext): Promise<Overview> {
  const campaignDoc = await findActiveCampaign();
  if (!campaignDoc) return fail('CAMPAIGN_NOT_ACTIVE', '没有进行中的活动');
  const campaign = campaignDoc.config;
  const [counters, groups, alerts, inviters, stock, registry] = await Promise.all([
    readCounters(campaignDoc._id),
    findAllGroups(),
    findRecentAlerts(ALERTS_SHOWN),
    findTopInviters(campaignDoc._id, TOP_INVITERS),
    readStock(campaignDoc._id),
    findChannels(),
  ]);
  const remaining = remainingByPrize(stock);
  const count = (key: string) => counters.get(key) ?? 0;
  const channels = channelsView(campaignDoc._id, campaign, registry, counters);
  // Retention (issue 15): the channels as named above, and the campaign's days so far
  const named = channels.map(({ code, name }) => ({ code, name }));
  const trend = trendView(campaign, counters, named, now);

  return {
    funnel: funnel(campaign.groups.after, count),
    // Distribution (issue 10): every channel's figures, costs and returns
    channels,
    prizes: campaign.lottery.prizes.map((prize) => ({
      id: prize.id,
      name: prize.name,
      stock: prize.stock === null ? null : (remaining.get(prize.id) ?? 0),
      issued: count(`prizes.${prize.id}.issued`),
      kind: prize.kind,
      fallback: prize.fallback,
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
    serverNow: now.toISOString(),
    // People console (issue 13): members by growth tag, and invites waiting for review (counters)
    tags: GROWTH_TAGS.map((tag) => ({ tag, count: Math.max(0, count(`tags.${tag}`)) })),
    heldInvites: Math.max(0, count('invitesHeld')),
    // Retention (issue 15)
    trend,
    cohorts: cohortsView(counters, trend.days, named, now),
    repurchase: repurchaseView(campaign, counters, named),
    riskChecksFailed: count('riskChecksFailed'),
  };
}

// Distribution (issue 10) ----------------------------------------------------------------------

type ChannelRow = Overview['channels'][number];

/**
 * The campaign's channels and the registered ones (the registry's name and spend win), then the
 * buckets for visits without a known channel and any other code the counters hold (a friend
 * brought by someone who came through an older campaign's channel), when they hold figures.
 */
function channelsView(
  campaignId: string,
  campaign: Campaign,
  registry: readonly ChannelDoc[],
  counters: ReadonlyMap<string, number>,
): ChannelRow[] {
  const count = (key: string) => counters.get(key) ?? 0;
  const listed = new Map<string, { name: string; cost?: number }>();
  for (const c of campaign.channels) listed.set(c.code, { name: c.name, cost: c.cost });
  for (const doc of registry) {
    const own = Object.prototype.hasOwnProperty.call(doc.costs, campaignId)
      ? doc.costs[campaignId]
      : undefined;
    listed.set(doc._id, { name: doc.name, cost: own ?? listed.get(doc._id)?.cost });
  }
  const rows = [...listed].map(([code, { name, cost }]) => channelRow(code, name, cost, count));
  const others = new Map<string, string>(UNLISTED_CHANNELS.map((c) => [c.code, c.name]));
  for (const path of counters.keys()) {
    const code = /^channels\.([^.]+)\./.exec(path)?.[1];
    if (code && !others.has(code)) others.set(code, code);
  }
  for (const [code, name] of others) {
    if (listed.has(code)) continue;
    const row = channelRow(code, name, undefined, count);
    if (CHANNEL_FIGURES.some((figure) => row[figure] > 0)) rows.push(row);
  }
  return rows;
}

function channelRow(
  code: string,
  name: string,
  cost: number | undefined,
  count: (key: string) => number,
): ChannelRow {
  const counts = Object.fromEntries(
    CHANNEL_FIGURES.map((figure) => [figure, count(`channels.${code}.${figure}`)]),
  ) as unknown as ChannelCounts;
  return {
    code,
    name,
    ...counts,
    ...(cost !== undefined ? { cost } : {}),
    ...channelEconomics(counts, cost),
  };
}
