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
  // People console (issue 13): the owner's reward to a KOC
  grant: '专属奖励',
};

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
    };
  }
  const label = coupon.label || couponLabel(coupon);
  const available = coupon.status === 'available';
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
