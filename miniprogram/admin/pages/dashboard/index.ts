/**
 * The operators' dashboard (admin subpackage). `admin.whoami` decides what shows: nothing but a
 * polite refusal for a visitor, the way to the redeem page for staff, and for owners the
 * `stats.overview` figures: funnel, channels, prize stock, the group pool (群活码) with its
 * alerts, top inviters and rejected invites. Every figure comes from the server's counters; the
 * page only formats them. Pull down to refresh.
 */
import type {
  AdminResults,
  InviteRejectionReason,
} from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { refreshOnPullDown } from '../../../services/ui';
import { formatCount, formatDateTime, formatFen } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';

type Overview = AdminResults['stats.overview'];
type State = 'loading' | 'refused' | 'staff' | 'owner' | 'error';

const REDEEM_PAGE = '/admin/pages/redeem/index';
const GROUPS_PAGE = '/admin/pages/groups/index';

const REJECTION_LABELS: Record<InviteRejectionReason, string> = {
  SELF_INVITE: '自己邀请自己',
  NOT_NEW_USER: '老用户',
  UNKNOWN_CODE: '邀请码无效',
  INVITER_DAILY_CAP: '超出每日上限',
  RISK: '风险账号',
  CAMPAIGN_ENDED: '活动已结束',
};

const ALERT_KINDS: Record<string, string> = {
  POOL_NEARLY_FULL: '群池将满',
  QR_EXPIRING: '即将过期',
  QR_EXPIRED: '已过期',
};

/** The same thresholds as the server's alerts (SPEC §3): ≥ 80 % used, expiring within 24 h. */
const POOL_WARN_RATIO = 0.8;
const EXPIRY_WARN_MS = 24 * 60 * 60 * 1000;

/** The headline figures, by funnel key (labels come from the answer). */
const SUMMARY_KEYS = ['visitors', 'claims', 'invitesVerified', 'couponsRedeemed'];

const percentOf = (part: number, whole: number): number =>
  whole > 0 ? Math.round((part / whole) * 100) : 0;

function funnelView(funnel: Overview['funnel']) {
  const byKey = new Map(funnel.map((step) => [step.key, step]));
  const count = (key: string) => byKey.get(key)?.count ?? 0;
  return funnel.map((step, index) => {
    // Most steps count people; verified invites and coupons count things, so their hints
    // compare like with like instead of "the step before".
    let hint = '';
    if (step.key === 'couponsRedeemed') {
      if (count('couponsIssued') > 0)
        hint = `核销率 ${percentOf(step.count, count('couponsIssued'))}%`;
    } else if (step.key === 'invitesVerified') {
      if (count('inviters') > 0)
        hint = `每位邀请人平均 ${(step.count / count('inviters')).toFixed(1)} 位`;
    } else if (step.key === 'cardsUnlocked') {
      if (count('inviters') > 0) hint = `邀请人的 ${percentOf(step.count, count('inviters'))}%`;
    } else if (step.key === 'groupHandouts') {
      if (count('claims') > 0) hint = `领取福利者的 ${percentOf(step.count, count('claims'))}%`;
    } else if (step.key !== 'couponsIssued' && index > 0) {
      const previous = funnel[index - 1].count;
      if (previous > 0) hint = `上一步的 ${percentOf(step.count, previous)}%`;
    }
    return { label: step.label, value: step.count, hint };
  });
}

function poolView(groups: Overview['groups'], nowMs: number) {
  const live = groups.filter((g) => g.active && Date.parse(g.expiresAt) > nowMs);
  const capacity = live.reduce((sum, g) => sum + g.capacity, 0);
  const used = live.reduce((sum, g) => sum + Math.min(g.handedOut, g.capacity), 0);
  return {
    usedText: `${formatCount(used)}/${formatCount(capacity)}`,
    percent: Math.min(100, percentOf(used, capacity)),
    // an empty pool is as bad as a full one: everyone gets the fallback contact
    warn: capacity === 0 || used >= capacity * POOL_WARN_RATIO,
    liveCount: live.length,
    groups: groups.map((g) => {
      const left = Date.parse(g.expiresAt) - nowMs;
      const expired = left <= 0;
      const expiring = g.active && !expired && left <= EXPIRY_WARN_MS;
      const nearlyFull = g.active && !expired && g.handedOut >= g.capacity * POOL_WARN_RATIO;
      let status = '使用中';
      let statusClass = '';
      if (!g.active) [status, statusClass] = ['已停用', 'badge--muted'];
      else if (expired) [status, statusClass] = ['已过期', 'badge--danger'];
      else if (g.handedOut >= g.capacity) [status, statusClass] = ['已满', 'badge--danger'];
      else if (expiring) [status, statusClass] = ['即将过期', 'badge--accent'];
      else if (nearlyFull) [status, statusClass] = ['将满', 'badge--accent'];
      return {
        id: g.id,
        name: g.name,
        usedText: `${formatCount(g.handedOut)}/${formatCount(g.capacity)}`,
        percent: Math.min(100, percentOf(g.handedOut, g.capacity)),
        expiresText: formatDateTime(g.expiresAt),
        status,
        statusClass,
        nearlyFull,
        expiring,
      };
    }),
  };
}

function overviewView(overview: Overview, nowMs: number) {
  const byKey = new Map(overview.funnel.map((step) => [step.key, step]));
  return {
    summary: SUMMARY_KEYS.flatMap((key) => {
      const step = byKey.get(key);
      return step ? [{ key, label: step.label, value: formatCount(step.count) }] : [];
    }),
    funnel: funnelView(overview.funnel),
    channels: overview.channels.map((c) => ({
      code: c.code,
      name: c.name,
      visitors: formatCount(c.visitors),
      verified: formatCount(c.verified),
      costText: c.cost !== undefined ? formatFen(c.cost) : '',
      perVerifiedText:
        c.costPerVerified !== undefined
          ? `${formatFen(c.costPerVerified)}/人`
          : c.cost !== undefined
            ? '暂无有效用户'
            : '',
    })),
    prizes: overview.prizes.map((p) => ({
      id: p.id,
      name: p.name,
      stockText: p.stock === null ? '不限' : formatCount(p.stock),
      issuedText: formatCount(p.issued),
      soldOut: p.stock === 0,
    })),
    pool: poolView(overview.groups, nowMs),
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
    updatedText: `更新于 ${formatDateTime(new Date(nowMs).toISOString())}`,
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
};

interface Runtime {
  loading: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ loading: false }));

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    state: 'loading' as State,
    message: '',
    name: '',
    ...overviewView(emptyOverview, 0),
  },

  methods: {
    onLoad() {
      return this.load();
    },

    onPullDownRefresh() {
      return refreshOnPullDown(() => this.load());
    },

    onRetry() {
      this.setData({ state: 'loading', message: '' });
      return this.load();
    },

    async load() {
      const runtime = runtimeOf(this);
      if (runtime.loading) return;
      runtime.loading = true;
      try {
        const me = await callAdmin('admin.whoami', {});
        if (!me.ok) {
          if (me.error.code === 'FORBIDDEN') this.setData({ state: 'refused', message: '' });
          else this.setData({ state: 'error', message: friendlyMessage(me.error) });
          return;
        }
        if (me.data.role !== 'owner') {
          this.setData({ state: 'staff', name: me.data.name });
          return;
        }
        const overview = await callAdmin('stats.overview', {});
        if (!overview.ok) {
          this.setData({
            state: 'error',
            name: me.data.name,
            message: friendlyMessage(overview.error),
          });
          return;
        }
        this.setData({
          state: 'owner',
          name: me.data.name,
          message: '',
          ...overviewView(overview.data, Date.now()),
        });
      } finally {
        runtime.loading = false;
      }
    },

    onOpenRedeem() {
      wx.navigateTo({ url: REDEEM_PAGE }).catch(() => undefined);
    },

    onOpenGroups() {
      wx.navigateTo({ url: GROUPS_PAGE }).catch(() => undefined);
    },
  },
});
