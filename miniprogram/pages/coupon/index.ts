/**
 * 优惠券: one coupon and its redemption QR (核销码). The QR carries a signed token that lives about
 * a minute (SPEC §3); the page asks for a new one 10 s before it expires, and again whenever the
 * page is shown (back from the background, where timers do not run). No timer runs while the page
 * is hidden or gone.
 *
 * The coupon itself comes from `wallet.list` (found by id). When the token is refused the page
 * says why instead of a QR: 已核销 (used: staff scanned it), 已过期, or 优惠券不存在.
 *
 * Rewards (issue 12): a physical prize's voucher shows its code the same way (picked up at the
 * counter), or, for a shipped prize, the address the winner chooses with `wx.chooseAddress` until
 * the owner sends it. While a coupon is shown, a tap asks WeChat for a reminder before it expires.
 */
import type {
  Coupon,
  CouponStatus,
  ShippingAddress,
} from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../services/api';
import { askForReminders, preloadReminders, remindersOffered } from '../../services/reminders';
import { toast } from '../../services/ui';
import { instanceState } from '../../utils/instance-state';
import { replacePage } from '../../utils/nav';
import { tokenRefreshDelay } from '../../utils/redeem';
import { ROUTES } from '../../utils/routes';
import { visitorPage } from '../../behaviors/visitor-page';

/** `ship`: a shipped prize waiting for its address or for the owner to send it (issue 12) */
type State = 'loading' | 'ready' | 'ship' | 'redeemed' | 'expired' | 'missing' | 'error';

/** What the page shows of an address (the owner's own: in full). */
function addressView(address: ShippingAddress | undefined) {
  if (!address) return null;
  return {
    who: `${address.userName} ${address.telNumber}`,
    where: `${address.provinceName}${address.cityName}${address.countyName}${address.detailInfo}`,
  };
}

/** The words for a prize voucher, or a coupon (Rewards, issue 12). */
function wordsFor(coupon: Coupon | null) {
  const prize = coupon?.kind === 'prize';
  const shipped = coupon?.prize?.fulfilment === 'shipping';
  return {
    codeTitle: prize ? '出示给店员扫码领取奖品' : '出示给店员扫码核销',
    doneStamp: { redeemed: shipped ? '已寄出' : prize ? '已领取' : '已核销', expired: '已过期' },
    doneText: {
      redeemed: shipped
        ? '奖品已寄出，请留意快递'
        : prize
          ? '奖品已领取，感谢光临'
          : '这张券已使用，感谢光临',
      expired: prize ? '已过领取期限' : '这张券已过期，下次记得早点用哦',
    },
  };
}

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
  behaviors: [visitorPage],

  data: {
    state: 'loading' as State,
    coupon: null as Coupon | null,
    token: '',
    // Rewards (issue 12)
    words: wordsFor(null),
    address: null as ReturnType<typeof addressView>,
    saving: false,
    remindersOffered: false,
    remindersOn: false,
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
      void preloadReminders().then(() =>
        this.setData({ remindersOffered: remindersOffered(['couponExpiring']) }),
      );
      if (!runtimeOf(this).couponId) {
        this.setData({ state: 'missing' });
        return undefined;
      }
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

    async fetch() {
      const runtime = runtimeOf(this);
      const wallet = await callApi('wallet.list', {});
      if (!wallet.ok) {
        this.failed(wallet.error);
        return;
      }
      const coupon = wallet.data.coupons.find((c) => c.id === runtime.couponId);
      if (!coupon) {
        this.setData({ state: 'missing', coupon: null });
        return;
      }
      runtime.loaded = true;
      this.setData({
        coupon,
        words: wordsFor(coupon),
        address: addressView(coupon.prize?.address),
      });
      if (coupon.kind === 'prize') {
        wx.setNavigationBarTitle({ title: '我的奖品' }).catch(() => undefined);
      }
      if (coupon.status !== 'available') {
        this.setData({ state: coupon.status, token: '' });
        return;
      }
      // a shipped prize is sent, not shown at the counter: no code, an address instead
      if (coupon.prize?.fulfilment === 'shipping') {
        this.setData({ state: 'ship', token: '' });
        return;
      }
      await this.refreshToken();
    },

    /** Rewards (issue 12): the winner's address, from WeChat's own address book. */
    async onChooseAddress() {
      const coupon = this.data.coupon;
      if (!coupon || this.data.saving) return;
      let chosen: WechatMiniprogram.ChooseAddressSuccessCallbackResult;
      try {
        chosen = await wx.chooseAddress();
      } catch {
        return; // closed the address book, or refused access to it
      }
      const address: ShippingAddress = {
        userName: chosen.userName,
        telNumber: chosen.telNumber,
        provinceName: chosen.provinceName,
        cityName: chosen.cityName,
        countyName: chosen.countyName,
        detailInfo: chosen.detailInfo,
        ...(chosen.postalCode ? { postalCode: chosen.postalCode } : {}),
      };
      this.setData({ saving: true });
      try {
        const answer = await callApi('voucher.setAddress', { couponId: coupon.id, address });
        if (!answer.ok) {
          toast(friendlyMessage(answer.error));
          return;
        }
        const saved = answer.data.coupon;
        this.setData({ coupon: saved, address: addressView(saved.prize?.address) });
        toast('地址已保存');
      } finally {
        this.setData({ saving: false });
      }
    },

    /** Rewards (issue 12): WeChat's reminder sheet, from the tap. */
    async onAskReminder() {
      if (await askForReminders(['couponExpiring'])) {
        this.setData({ remindersOn: true });
        toast('将在到期前提醒你');
      }
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
          replacePage(ROUTES.wallet);
        },
      });
    },
  },
});
