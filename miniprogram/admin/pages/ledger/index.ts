/**
 * 核销记录 (Rewards, issue 12): the redemption ledger. Staff see their own redemptions and
 * 今日已核销 N; owners see everyone's (or their own) and may reverse a redemption within 24 h,
 * with a reason: the coupon, voucher or right's use comes back, and the line stays, marked
 * reversed. Newest first, a page at a time (more as the list is scrolled to its end).
 */
import type { AdminRole, RedemptionEntry } from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { loadPage, type PageState } from '../../../utils/paged-list';
import { staffConsolePage, type Admin } from '../../behaviors/console-page';

type Scope = 'all' | 'mine';

const KIND_TEXT: Record<RedemptionEntry['kind'], string> = {
  coupon: '优惠券',
  voucher: '实物奖品',
  right: '黑卡权益',
};

function lineView(entry: RedemptionEntry) {
  return {
    id: entry.id,
    kind: KIND_TEXT[entry.kind] ?? '',
    title: entry.title,
    // the value once: not the title again, not the kind again (实物奖品)
    label: entry.label === entry.title || entry.label === KIND_TEXT[entry.kind] ? '' : entry.label,
    member: `会员 ${entry.memberRef}`,
    by: [entry.staffName, entry.store].filter(Boolean).join(' · '),
    at: formatDateTime(entry.at),
    reversible: entry.reversible,
    reversal: entry.reversal
      ? `${formatDateTime(entry.reversal.at)} 由 ${entry.reversal.byName} 撤销：${entry.reversal.reason}`
      : '',
  };
}

interface Runtime extends PageState {
  busy: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ loading: false, busy: false }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [staffConsolePage],

  data: {
    role: 'staff' as AdminRole,
    scope: 'mine' as Scope,
    todayCount: 0,
    lines: [] as Array<ReturnType<typeof lineView>>,
    more: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    /** Owners start with every store's redemptions, staff with their own. */
    fetch(me: Admin) {
      if (this.data.state !== 'ready') {
        this.setData({ role: me.role, scope: me.role === 'owner' ? 'all' : 'mine' });
      }
      return this.loadLines(true);
    },

    onReachBottom() {
      if (this.data.more) return this.loadLines(false);
      return undefined;
    },

    onScope(event: WechatMiniprogram.BaseEvent) {
      const scope = (event.currentTarget.dataset as { scope?: Scope }).scope;
      if (!scope || scope === this.data.scope) return undefined;
      this.setData({ scope, lines: [], more: false });
      return this.loadLines(true);
    },

    /** The first page (`fresh`), or the next one. */
    async loadLines(fresh: boolean) {
      const answer = await loadPage(runtimeOf(this), fresh, (cursor) =>
        callAdmin('redemptions.list', { scope: this.data.scope, ...cursor }),
      );
      if (!answer) return;
      if (!answer.ok) {
        this.failed(answer.error);
        return;
      }
      const lines = answer.data.items.map(lineView);
      this.setData({
        state: 'ready',
        todayCount: answer.data.todayCount,
        lines: fresh ? lines : [...this.data.lines, ...lines],
        more: Boolean(answer.data.next),
      });
    },

    /** An owner undoes a redemption: the reason first, then the reversal. */
    async onReverse(event: WechatMiniprogram.BaseEvent) {
      const id = (event.currentTarget.dataset as { id?: string }).id;
      const runtime = runtimeOf(this);
      if (!id || runtime.busy) return;
      const line = this.data.lines.find((l) => l.id === id);
      const asked = await wx
        .showModal({
          title: '撤销这笔核销',
          content: '',
          editable: true,
          placeholderText: `撤销「${line?.title ?? ''}」的原因，如：误扫`,
          confirmText: '撤销',
        })
        .catch(() => null);
      if (!asked?.confirm) return;
      const reason = (asked.content ?? '').trim();
      if (!reason) {
        toast('请填写撤销原因');
        return;
      }
      runtime.busy = true;
      try {
        const answer = await callAdmin('redemptions.reverse', {
          redemptionId: id,
          reason: reason.slice(0, 100),
        });
        if (!answer.ok) {
          toast(friendlyMessage(answer.error));
          return;
        }
        const updated = lineView(answer.data.redemption);
        this.setData({ lines: this.data.lines.map((l) => (l.id === id ? updated : l)) });
        toast('已撤销，券或权益已退回');
      } finally {
        runtime.busy = false;
      }
    },
  },
});
