/**
 * 券包: the visitor's coupons in three tabs, 可使用 / 已使用 / 已过期, each with its count. One
 * `wallet.list` call (all statuses: the server computes each status from the time) split here, so
 * switching tabs costs nothing. An available coupon opens its redemption page; coming back, or
 * pulling down, shows the latest (a coupon may have been used meanwhile).
 */
import type { CouponStatus } from '../../../cloudfunctions/_shared/contracts';
import { visitorPage } from '../../behaviors/visitor-page';
import { callApi } from '../../services/api';
import { instanceState } from '../../utils/instance-state';
import { openPage } from '../../utils/nav';
import { ROUTES } from '../../utils/routes';
import { groupWallet, WALLET_TABS, type WalletGroups } from '../../utils/wallet';

const EMPTY_TEXT: Record<CouponStatus, string> = {
  available: '暂时没有可用的券，去转盘试试手气吧',
  redeemed: '还没有使用过的券',
  expired: '没有过期的券，继续保持',
};

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState(() => ({ loaded: false }));

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
  behaviors: [visitorPage],

  data: {
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

    async fetch() {
      const answer = await callApi('wallet.list', {});
      if (!answer.ok) {
        // a refresh that fails keeps the list on screen
        this.failed(answer.error);
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
