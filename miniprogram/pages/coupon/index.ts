/**
 * 优惠券: one coupon and its redemption QR (核销码). The QR carries a signed token that lives about
 * a minute (SPEC §3); the page asks for a new one 10 s before it expires, and again whenever the
 * page is shown (back from the background, where timers do not run). No timer runs while the page
 * is hidden or gone.
 *
 * The coupon itself comes from `wallet.list` (found by id). When the token is refused the page
 * says why instead of a QR: 已核销 (used: staff scanned it), 已过期, or 优惠券不存在.
 */
import type { Coupon, CouponStatus } from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../services/api';
import { ensureSession } from '../../services/session';
import { toast } from '../../services/ui';
import { instanceState } from '../../utils/instance-state';
import { tokenRefreshDelay } from '../../utils/redeem';

type State = 'loading' | 'ready' | 'redeemed' | 'expired' | 'missing' | 'error';

const WALLET_PAGE = '/pages/wallet/index';
/** After a failed refresh (network), try again this soon: the shown token may still work. */
const RETRY_MS = 5_000;

interface Runtime {
  couponId: string;
  loaded: boolean;
  /** false while hidden or after unload: no timer may be scheduled then */
  visible: boolean;
  refreshing: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({
  couponId: '',
  loaded: false,
  visible: true,
  refreshing: false,
}));

function stopTimer(runtime: Runtime): void {
  if (runtime.timer !== undefined) clearTimeout(runtime.timer);
  runtime.timer = undefined;
}

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    state: 'loading' as State,
    message: '',
    coupon: null as Coupon | null,
    token: '',
  },

  lifetimes: {
    detached() {
      const runtime = runtimeOf(this);
      runtime.visible = false;
      stopTimer(runtime);
    },
  },

  methods: {
    onLoad(query: { id?: string } = {}) {
      runtimeOf(this).couponId = query.id ?? '';
      return this.load();
    },

    /** Back in front: the token may have expired while hidden. */
    onShow() {
      const runtime = runtimeOf(this);
      runtime.visible = true;
      if (runtime.loaded && this.data.state === 'ready') return this.refreshToken();
      return undefined;
    },

    onHide() {
      const runtime = runtimeOf(this);
      runtime.visible = false;
      stopTimer(runtime);
    },

    onUnload() {
      const runtime = runtimeOf(this);
      runtime.visible = false;
      stopTimer(runtime);
    },

    onRetry() {
      this.setData({ state: 'loading', message: '' });
      return this.load();
    },

    async load() {
      const runtime = runtimeOf(this);
      if (!runtime.couponId) {
        this.setData({ state: 'missing' });
        return;
      }
      const session = await ensureSession();
      const wallet = session.ok ? await callApi('wallet.list', {}) : session;
      if (!wallet.ok) {
        this.setData({ state: 'error', message: friendlyMessage(wallet.error) });
        return;
      }
      const coupon = wallet.data.coupons.find((c) => c.id === runtime.couponId);
      if (!coupon) {
        this.setData({ state: 'missing', coupon: null });
        return;
      }
      runtime.loaded = true;
      this.setData({ coupon });
      if (coupon.status !== 'available') {
        this.setData({ state: coupon.status, token: '' });
        return;
      }
      await this.refreshToken();
    },

    async refreshToken() {
      const runtime = runtimeOf(this);
      if (runtime.refreshing) return;
      runtime.refreshing = true;
      stopTimer(runtime);
      try {
        const answer = await callApi('coupon.token', { couponId: runtime.couponId });
        if (answer.ok) {
          this.setData({ state: 'ready', token: answer.data.token });
          this.schedule(tokenRefreshDelay(answer.data.expiresAt, Date.now()));
          return;
        }
        const { code } = answer.error;
        if (code === 'COUPON_ALREADY_REDEEMED') await this.settle('redeemed');
        else if (code === 'COUPON_EXPIRED') await this.settle('expired');
        else if (code === 'NOT_FOUND') this.setData({ state: 'missing', token: '', coupon: null });
        else if (this.data.token) {
          // keep showing the code (it may still be valid) and try again shortly
          toast(friendlyMessage(answer.error));
          this.schedule(RETRY_MS);
        } else {
          this.setData({ state: 'error', message: friendlyMessage(answer.error) });
        }
      } finally {
        runtime.refreshing = false;
      }
    },

    schedule(delayMs: number) {
      const runtime = runtimeOf(this);
      stopTimer(runtime);
      if (!runtime.visible) return; // onShow asks again
      runtime.timer = setTimeout(() => {
        runtime.timer = undefined;
        this.refreshToken();
      }, delayMs);
    },

    /** The coupon was used or expired meanwhile: show it as it now stands, without a QR. */
    async settle(status: Exclude<CouponStatus, 'available'>) {
      const wallet = await callApi('wallet.list', {});
      const latest = wallet.ok
        ? wallet.data.coupons.find((c) => c.id === runtimeOf(this).couponId)
        : undefined;
      const coupon = latest ?? (this.data.coupon ? { ...this.data.coupon, status } : null);
      this.setData({ state: status, token: '', coupon });
    },

    /** Back where the visitor came from (the wallet, the landing); the wallet if nowhere. */
    onBack() {
      wx.navigateBack({
        fail: () => {
          wx.redirectTo({ url: WALLET_PAGE }).catch(() => undefined);
        },
      });
    },
  },
});
