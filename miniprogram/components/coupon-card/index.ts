/**
 * <coupon-card coupon="{{coupon}}" bind:select="onSelect" />
 *
 * One coupon of the wallet: the value big (8折, 满50减10), title, expiry or use time, a stamp
 * once used or expired. Only an available coupon is tappable: `select` with `{ id }` and a
 * 去使用 button; used and expired ones look and act disabled. `selectable="{{false}}"` shows the
 * coupon only, for the page where it is being used.
 */
import type { Coupon } from '../../../cloudfunctions/_shared/contracts';
import { couponLabel, formatDateTime } from '../../utils/format';

const SOURCE_TEXT: Record<Coupon['source'], string> = {
  magnet: '新客礼',
  lottery: '抽奖所得',
  milestone: '邀请奖励',
  // People console (issue 13): the owner's reward to a KOC
  grant: '专属奖励',
  // Retention (issue 15): issued after a redemption, for the next visit
  repurchase: '老客回馈',
};

/** A prize voucher's line under its name, and its stamp once done. */
function voucherState(coupon: Coupon): { note: string; stamp: string; action: string } {
  const shipped = coupon.prize?.fulfilment === 'shipping';
  const until = formatDateTime(coupon.expiresAt);
  // a deadline is always the end of a day: its date is enough on one line
  const day = until.slice(0, 5);
  if (coupon.status === 'redeemed') {
    const at = formatDateTime(coupon.redeemedAt ?? '');
    return shipped
      ? { note: `${at} 已寄出`, stamp: '已寄出', action: '' }
      : { note: `${at} 已领取`, stamp: '已领取', action: '' };
  }
  if (coupon.status === 'expired') return { note: `${until} 已过期`, stamp: '已过期', action: '' };
  if (!shipped) return { note: `到店领取 · ${day} 截止`, stamp: '', action: '去领取' };
  if (coupon.prize?.address) return { note: '地址已填写，等待发货', stamp: '', action: '查看' };
  return { note: `快递寄送 · ${day} 前填地址`, stamp: '', action: '填地址' };
}

function couponView(coupon: Coupon | null) {
  if (!coupon) {
    return {
      id: '',
      label: '',
      longLabel: false,
      title: '',
      note: '',
      source: '',
      stamp: '',
      available: false,
      prize: false,
      action: '',
    };
  }
  const available = coupon.status === 'available';
  if (coupon.kind === 'prize') {
    const state = voucherState(coupon);
    return {
      id: coupon.id,
      label: '实物奖品',
      longLabel: true,
      title: coupon.title,
      note: state.note,
      source: SOURCE_TEXT[coupon.source] ?? '',
      stamp: state.stamp,
      available,
      prize: true,
      action: state.action,
    };
  }
  const { kind, rate, threshold, amount } = coupon;
  const label = coupon.label || couponLabel({ kind, rate, threshold, amount });
  let note = `有效期至 ${formatDateTime(coupon.expiresAt)}`;
  if (coupon.status === 'redeemed' && coupon.redeemedAt)
    note = `${formatDateTime(coupon.redeemedAt)} 已核销`;
  if (coupon.status === 'expired') note = `${formatDateTime(coupon.expiresAt)} 已过期`;
  return {
    id: coupon.id,
    label,
    // 满50减10 needs a smaller size than 8折 to fit the value column
    longLabel: Array.from(label).length > 4,
    title: coupon.title,
    note,
    source: SOURCE_TEXT[coupon.source] ?? '',
    stamp: coupon.status === 'redeemed' ? '已使用' : coupon.status === 'expired' ? '已过期' : '',
    available,
    prize: false,
    action: '去使用',
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    /** a Coupon from the `wallet.list` action */
    coupon: { type: Object },
    /** false: no 去使用, no press effect, no `select` (the coupon's own page) */
    selectable: { type: Boolean, value: true },
  },

  data: couponView(null),

  observers: {
    coupon(coupon: Coupon | null) {
      this.setData(couponView(coupon));
    },
  },

  methods: {
    onTap() {
      if (this.data.available && this.data.selectable) {
        this.triggerEvent('select', { id: this.data.id });
      }
    },
  },
});
