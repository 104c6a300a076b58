/**
 * The operators' dashboard (admin subpackage). `admin.whoami` decides what shows: nothing but a
 * polite refusal for a visitor, the way to the redeem page for staff, and for owners the
 * `stats.overview` figures: funnel, channels, prize stock, the group pool (群活码) with its
 * alerts, top inviters and rejected invites. Every figure comes from the server's counters; the
 * page only formats them. Pull down to refresh.
 *
 * Distribution (issue 10): each channel shows what it brought (visitors, claims, spinners, the
 * members its claimers brought and its K-factor, coupons issued and redeemed) and what that cost
 * and returned (per claim, per member, per redemption; estimated takings, 营收 and ROI).
 *
 * Retention (issue 15): today against yesterday, a figure day by day (the last 7 days or the
 * whole campaign, for all channels or one), return visits by cohort, repurchase (复购) per
 * channel, and this campaign against the previous one (`campaign.list`).
 */
import type { AdminResults, CampaignSummary } from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin } from '../../../services/api';
import { toast } from '../../../services/ui';
import { askForReminders, preloadReminders, remindersOffered } from '../../../services/reminders';
import type { BarItem } from '../../../components/bar-chart/index';
import { formatCount, formatDateTime, formatFen } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { groupView, poolRoom } from '../../../utils/pool';
import { openPage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
// People console (issue 13): the refusal reasons' labels live with the console's
import { staffConsolePage, type Admin } from '../../behaviors/console-page';
import { REJECTION_LABELS, TAG_LABELS } from '../../utils/labels';
import {
  DEFAULT_CHOICE,
  chartView,
  cohortsView,
  historyView,
  repurchaseView,
  todayView,
  type TrendChoice,
  type TrendRange,
} from '../../utils/retention';

type Overview = AdminResults['stats.overview'];

const ALERT_KINDS: Record<string, string> = {
  // raised for a pool nearly full *and* for one with no group left: 告急 fits both
  POOL_NEARLY_FULL: '群池告急',
  QR_EXPIRING: '即将过期',
  QR_EXPIRED: '已过期',
};

/** The headline figures, by funnel key (labels come from the answer). */
const SUMMARY_KEYS = ['visitors', 'claims', 'invitesVerified', 'couponsRedeemed'];

/**
 * The funnel as the server reads it: each step with its count and how it compares with the step
 * it belongs to (`rateLabel`). People (人) are the funnel's bars; spins and coupons are counts.
 */
function funnelView(funnel: Overview['funnel']): BarItem[] {
  return funnel.map((step) => ({
    label: step.label,
    value: step.count,
    unit: step.unit === '人' ? '' : ` ${step.unit}`,
    hint: step.rateLabel ?? '',
    bar: step.unit === '人',
  }));
}

function prizeView(prize: Overview['prizes'][number]) {
  // 谢谢参与 hands nothing out: how often the wheel stopped on it is what reads naturally
  if (prize.kind === 'none') {
    return {
      id: prize.id,
      name: prize.name,
      stockText: '',
      issuedText: `抽中 ${formatCount(prize.issued)} 次`,
      soldOut: false,
    };
  }
  return {
    id: prize.id,
    name: prize.name,
    stockText: prize.stock === null ? '不限量' : `剩余 ${formatCount(prize.stock)}`,
    issuedText: `已发 ${formatCount(prize.issued)}`,
    soldOut: prize.stock === 0,
  };
}

/** 0.76 → `76%`, −0.9 → `-90%` */
const percentOf = (ratio: number) => `${Math.round(ratio * 100)}%`;

function channelView(c: Overview['channels'][number]) {
  const paid = c.cost !== undefined;
  return {
    code: c.code,
    name: c.name,
    visitors: formatCount(c.visitors),
    claims: formatCount(c.claims),
    spinners: formatCount(c.spinners),
    // friends the channel's claimers brought, and how many each claimer brought (K 值)
    verified: formatCount(c.verified),
    couponsIssued: formatCount(c.couponsIssued),
    couponsRedeemed: formatCount(c.couponsRedeemed),
    costText: paid ? `投放 ${formatFen(c.cost as number)}` : '',
    // what a visitor who claimed cost (获客成本): every paid channel brings claims
    perClaimText:
      c.costPerClaim !== undefined
        ? `每位领取 ${formatFen(c.costPerClaim)}`
        : paid
          ? '暂无领取'
          : '',
    // members brought per claimer (K 值); the real cost of a member (the claimers and the
    // friends they brought); per redemption; what the redeemed coupons gave away
    unitText: [
      ...(c.kFactor !== undefined && c.claims > 0 ? [`K 值 ${c.kFactor}`] : []),
      ...(c.costPerVerified !== undefined ? [`每位会员 ${formatFen(c.costPerVerified)}`] : []),
      ...(c.costPerRedemption !== undefined ? [`每次核销 ${formatFen(c.costPerRedemption)}`] : []),
      ...(c.redeemedValue > 0 ? [`核销面值 ${formatFen(c.redeemedValue)}`] : []),
    ].join(' · '),
    returnsText:
      c.revenue > 0
        ? [
            `估算收入 ${formatFen(c.revenue)}`,
            ...(c.profit !== undefined ? [`营收 ${formatFen(c.profit)}`] : []),
            ...(c.roi !== undefined ? [`ROI ${percentOf(c.roi)}`] : []),
          ].join(' · ')
        : '',
    losing: c.profit !== undefined && c.profit < 0,
  };
}

function overviewView(overview: Overview) {
  const byKey = new Map(overview.funnel.map((step) => [step.key, step]));
  const nowMs = Date.parse(overview.serverNow);
  return {
    summary: SUMMARY_KEYS.flatMap((key) => {
      const step = byKey.get(key);
      return step ? [{ key, label: step.label, value: formatCount(step.count) }] : [];
    }),
    funnel: funnelView(overview.funnel),
    channels: overview.channels.map(channelView),
    prizes: overview.prizes.map(prizeView),
    pool: {
      ...poolRoom(overview.groups, nowMs),
      groups: overview.groups.map((g) => ({ id: g.id, name: g.name, ...groupView(g, nowMs) })),
    },
    alerts: overview.alerts.map((a) => ({
      id: a.id,
      kindText: ALERT_KINDS[a.kind] ?? '提醒',
      message: a.message,
      time: formatDateTime(a.at),
    })),
    topInviters: overview.topInviters.map((u, index) => ({
      rank: index + 1,
      userRef: u.userRef,
      verified: formatCount(u.verified),
    })),
    rejected: overview.rejectedInvites.map((r) => ({
      reason: r.reason,
      label: REJECTION_LABELS[r.reason] ?? r.reason,
      count: formatCount(r.count),
    })),
    updatedText: overview.serverNow ? `更新于 ${formatDateTime(overview.serverNow)}` : '',
    // People console (issue 13)
    tags: (overview.tags ?? []).map((t) => ({
      tag: t.tag,
      label: TAG_LABELS[t.tag],
      count: formatCount(t.count),
    })),
    heldText: overview.heldInvites ? formatCount(overview.heldInvites) : '',
    // Retention (issue 15)
    today: todayView(overview.trend),
    cohorts: cohortsView(overview.cohorts),
    repurchase: repurchaseView(overview.repurchase),
    riskText: overview.riskChecksFailed
      ? `风控检查失败 ${formatCount(overview.riskChecksFailed)} 次（访客已放行）`
      : '',
  };
}

const emptyOverview: Overview = {
  funnel: [],
  channels: [],
  prizes: [],
  groups: [],
  alerts: [],
  rejectedInvites: [],
  topInviters: [],
  serverNow: '',
  trend: { days: [], today: '', series: [], channels: [] },
  cohorts: { days: [], channels: [], all: { key: 'all', label: '全部', visitors: 0, windows: [] } },
  repurchase: { redeemers: 0, repeatRedeemers: 0, channels: [], redeemedValue: 0 },
  riskChecksFailed: 0,
};

interface Runtime {
  /** Retention (issue 15): the answer the chart is drawn from, and what the operator chose */
  overview: Overview | null;
  choice: TrendChoice;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({
  overview: null,
  choice: DEFAULT_CHOICE,
}));

const noHistory = { shown: false, previousTitle: '', rows: [] as Array<Record<string, string>> };

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [staffConsolePage],

  data: {
    name: '',
    ...overviewView(emptyOverview),
    chart: chartView(emptyOverview.trend, DEFAULT_CHOICE),
    history: noHistory,
    // Rewards (issue 12)
    alertRemindersOffered: false,
    alertRemindersOn: false,
  },

  methods: {
    onLoad() {
      // Rewards (issue 12): the pool alert's template, ready for a tap
      void preloadReminders().then(() =>
        this.setData({ alertRemindersOffered: remindersOffered(['poolAlert']) }),
      );
      return this.load();
    },

    async fetch(me: Admin) {
      if (me.role !== 'owner') {
        this.setData({ state: 'staff', name: me.name });
        return;
      }
      // Retention (issue 15): the campaigns, to compare this one with the previous one
      const [overview, campaigns] = await Promise.all([
        callAdmin('stats.overview', {}),
        callAdmin('campaign.list', {}),
      ]);
      if (!overview.ok) {
        this.failed(overview.error);
        return;
      }
      const runtime = runtimeOf(this);
      runtime.overview = overview.data;
      this.setData({
        state: 'ready',
        name: me.name,
        message: '',
        ...overviewView(overview.data),
        chart: chartView(overview.data.trend, runtime.choice),
        history: campaigns.ok ? this.historyOf(campaigns.data.campaigns) : noHistory,
      });
    },

    /** The campaign visitors see against the previous one. */
    historyOf(campaigns: CampaignSummary[]) {
      const active = campaigns.find((c) => c.active);
      const serverNow = runtimeOf(this).overview?.serverNow ?? '';
      return active ? historyView(campaigns, active.id, serverNow) : noHistory;
    },

    // Retention (issue 15): the chart's figure, range and channel
    choose(change: Partial<TrendChoice>) {
      const runtime = runtimeOf(this);
      runtime.choice = { ...runtime.choice, ...change };
      if (runtime.overview)
        this.setData({ chart: chartView(runtime.overview.trend, runtime.choice) });
    },

    onPickFigure(event: WechatMiniprogram.TouchEvent) {
      this.choose({ figure: String(event.currentTarget.dataset.key ?? 'visitors') });
    },

    onPickRange(event: WechatMiniprogram.TouchEvent) {
      this.choose({ range: String(event.currentTarget.dataset.key ?? 'week') as TrendRange });
    },

    onPickChannel(event: WechatMiniprogram.PickerChange) {
      const index = Number(event.detail.value);
      const channels = runtimeOf(this).overview?.trend.channels ?? [];
      this.choose({ channel: index > 0 ? (channels[index - 1]?.code ?? '') : '' });
    },

    onOpenRedeem() {
      openPage(ROUTES.redeem);
    },

    onOpenGroups() {
      openPage(ROUTES.groups);
    },

    onOpenChannels() {
      openPage(ROUTES.channels);
    },

    // Operator studio (issue 9)
    onOpenCampaigns() {
      openPage(ROUTES.campaigns);
    },

    onOpenAdmins() {
      openPage(ROUTES.admins);
    },

    // Rewards (issue 12) ---------------------------------------------------------------------

    onOpenLedger() {
      openPage(ROUTES.ledger);
    },

    onOpenWinners() {
      openPage(ROUTES.winners);
    },

    /** WeChat's reminder sheet for the pool alerts, from the tap. */
    async onAskAlertReminders() {
      if (await askForReminders(['poolAlert'])) {
        this.setData({ alertRemindersOn: true });
        toast('已订阅预警通知');
      }
    },

    // People console (issue 13)
    onOpenConsole(event: WechatMiniprogram.TouchEvent) {
      const page = String(event.currentTarget.dataset.page ?? '') as keyof typeof ROUTES;
      if (page in ROUTES) openPage(ROUTES[page]);
    },

    onOpenTag(event: WechatMiniprogram.TouchEvent) {
      const tag = String(event.currentTarget.dataset.tag ?? '');
      openPage(ROUTES.members, tag ? { tag } : {});
    },
  },
});
