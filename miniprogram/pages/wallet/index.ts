/**
 * 券包: the visitor's coupons in three tabs, 可使用 / 已使用 / 已过期, each with its count. One
 * `wallet.list` call (all statuses: the server computes each status from the time) split here, so
 * switching tabs costs nothing. An available coupon opens its redemption page; coming back, or
 * pulling down, shows the latest (a coupon may have been used meanwhile).
 */
import type { CouponStatus } from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../services/api';
import { ensureSession } from '../../services/session';
import { refreshOnPullDown, toast } from '../../services/ui';
import { instanceState } from '../../utils/instance-state';
import { openPage } from '../../utils/nav';
import { ROUTES } from '../../utils/routes';
import { groupWallet, WALLET_TABS, type WalletGroups } from '../../utils/wallet';

type State = 'loading' | 'ready' | 'error';

const EMPTY_TEXT: Record<CouponStatus, string> = {
  available: '暂时没有可用的券，去转盘试试手气吧',
  redeemed: '还没有使用过的券',
  expired: '没有过期的券，继续保持',
};

interface Runtime {
  loading?: Promise<void>;
  loaded: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ loaded: false }));

function tabsView(groups: WalletGroups) {
  return WALLET_TABS.map(({ status, title }) => ({
    status,
    title,
    count: groups[status].length,
    empty: EMPTY_TEXT[status],
  }));
}

const emptyGroups: WalletGroups = { available: [], redeemed: [], expired: [] };

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    state: 'loading' as State,
    message: '',
    active: 'available' as CouponStatus,
    tabs: tabsView(emptyGroups),
    groups: emptyGroups,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    /** Back from a coupon's page: it may have been used meanwhile. */
    onShow() {
      if (runtimeOf(this).loaded) return this.load();
      return undefined;
    },

    onPullDownRefresh() {
      return refreshOnPullDown(() => this.load());
    },

    onRetry() {
      this.setData({ state: 'loading', message: '' });
      return this.load();
    },

    /** One load at a time; a second caller (pull-down during onShow) waits for the same. */
    load(): Promise<void> {
      const runtime = runtimeOf(this);
      if (!runtime.loading) {
        runtime.loading = this.fetch().finally(() => {
          runtime.loading = undefined;
        });
      }
      return runtime.loading;
    },

    async fetch() {
      const session = await ensureSession();
      const answer = session.ok ? await callApi('wallet.list', {}) : session;
      if (!answer.ok) {
        const message = friendlyMessage(answer.error);
        // a refresh that fails keeps the list on screen
        if (this.data.state === 'ready') {
          toast(message);
        } else {
          this.setData({ state: 'error', message });
        }
        return;
      }
      runtimeOf(this).loaded = true;
      const groups = groupWallet(answer.data.coupons);
      this.setData({ state: 'ready', message: '', groups, tabs: tabsView(groups) });
    },

    onTab(event: WechatMiniprogram.BaseEvent) {
      const status = (event.currentTarget.dataset as { status?: CouponStatus }).status;
      if (status && status !== this.data.active) this.setData({ active: status });
    },

    onOpenCoupon(event: WechatMiniprogram.CustomEvent<{ id: string }>) {
      const { id } = event.detail;
      if (id) openPage(ROUTES.coupon, { id });
    },

    onGoWheel() {
      openPage(ROUTES.wheel);
    },
  },
});
