/**
 * 中奖名单 (Rewards, issue 12), for owners: the winners of each physical prize (from the wheel or
 * the invite ladder), newest first, with where each stands — waiting, picked up, address given,
 * sent, expired — and for a shipped prize the address, copyable, and 标记已寄出 once it is sent.
 */
import type { PrizeWinner } from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadPage, type PageState } from '../../../utils/paged-list';
import { consolePage } from '../../behaviors/console-page';

interface PhysicalPrize {
  id: string;
  name: string;
}

const STATES: Record<PrizeWinner['state'], { text: string; badge: string }> = {
  waiting: { text: '待领取', badge: 'badge--accent' },
  address: { text: '待发货', badge: 'badge--accent' },
  redeemed: { text: '已领取', badge: '' },
  sent: { text: '已寄出', badge: '' },
  expired: { text: '已过期', badge: 'badge--muted' },
};

function winnerView(winner: PrizeWinner) {
  const state = STATES[winner.state];
  const address = winner.address;
  return {
    id: winner.couponId,
    who: `会员 ${winner.userRef}`,
    source: winner.source === 'milestone' ? '邀请奖励' : '大转盘',
    wonAt: formatDateTime(winner.wonAt),
    state: state.text,
    badge: state.badge,
    done: winner.redeemedAt ? `${formatDateTime(winner.redeemedAt)} ${state.text}` : '',
    address: address
      ? {
          who: `${address.userName} ${address.telNumber}`,
          where: `${address.provinceName}${address.cityName}${address.countyName}${address.detailInfo}`,
        }
      : null,
    canSend: winner.state === 'address',
  };
}

interface Runtime extends PageState {
  busy: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ loading: false, busy: false }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    prizes: [] as PhysicalPrize[],
    prizeId: '',
    shipping: false,
    winners: [] as Array<ReturnType<typeof winnerView>>,
    more: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    /** The physical prizes are read once (a reload keeps the one chosen), then its winners. */
    async fetch() {
      if (this.data.state !== 'ready' && !(await this.readPrizes())) return;
      await this.loadWinners(true);
    },

    /** The campaign's physical prizes, the first one chosen; false when they cannot be read. */
    async readPrizes() {
      const campaign = await callAdmin('campaign.get', {});
      if (!campaign.ok) {
        this.failed(campaign.error);
        return false;
      }
      const config = campaign.data.config as {
        lottery: { prizes: Array<{ id: string; name: string; kind: string }> };
      };
      const prizes = config.lottery.prizes
        .filter((p) => p.kind === 'physical')
        .map(({ id, name }) => ({ id, name }));
      this.setData({ prizes, prizeId: prizes[0]?.id ?? '' });
      if (prizes.length === 0) this.setData({ state: 'ready' });
      return true;
    },

    onReachBottom() {
      if (this.data.more) return this.loadWinners(false);
      return undefined;
    },

    onPrize(event: WechatMiniprogram.BaseEvent) {
      const id = (event.currentTarget.dataset as { id?: string }).id;
      if (!id || id === this.data.prizeId) return undefined;
      this.setData({ prizeId: id, winners: [], more: false });
      return this.loadWinners(true);
    },

    /** The first page (`fresh`), or the next one. */
    async loadWinners(fresh: boolean) {
      if (!this.data.prizeId) return;
      const answer = await loadPage(runtimeOf(this), fresh, (cursor) =>
        callAdmin('winners.list', { prizeId: this.data.prizeId, ...cursor }),
      );
      if (!answer) return;
      if (!answer.ok) {
        this.failed(answer.error);
        return;
      }
      const winners = answer.data.items.map(winnerView);
      this.setData({
        state: 'ready',
        shipping: answer.data.prize.fulfilment === 'shipping',
        winners: fresh ? winners : [...this.data.winners, ...winners],
        more: Boolean(answer.data.next),
      });
    },

    onCopyAddress(event: WechatMiniprogram.BaseEvent) {
      const id = (event.currentTarget.dataset as { id?: string }).id;
      const address = this.data.winners.find((w) => w.id === id)?.address;
      if (!address) return;
      wx.setClipboardData({ data: `${address.who} ${address.where}` }).catch(() => undefined);
    },

    async onMarkSent(event: WechatMiniprogram.BaseEvent) {
      const id = (event.currentTarget.dataset as { id?: string }).id;
      const runtime = runtimeOf(this);
      if (!id || runtime.busy) return;
      const asked = await wx
        .showModal({
          title: '确认已寄出？',
          content: '寄出后中奖者不能再修改地址',
          confirmText: '已寄出',
        })
        .catch(() => null);
      if (!asked?.confirm) return;
      runtime.busy = true;
      try {
        const answer = await callAdmin('voucher.markSent', { couponId: id });
        if (!answer.ok) {
          toast(friendlyMessage(answer.error));
          return;
        }
        toast('已标记寄出');
        await this.loadWinners(true);
      } finally {
        runtime.busy = false;
      }
    },
  },
});
