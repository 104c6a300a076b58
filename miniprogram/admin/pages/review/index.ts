/**
 * 待审核邀请 (People console, issue 13; owners): invites the velocity rule put on hold, each with
 * its evidence — how fast the friend arrived and claimed, the risk ranks WeChat gave, the
 * inviter's recent credits and their other friends — and 通过 (the inviter is credited, once) or
 * 驳回 (with a reason, kept in the audit log).
 */
import type { ActionError, HoldEvidence } from '../../../../cloudfunctions/_shared/contracts';
import { openPage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { consolePage } from '../../behaviors/console-page';
import { formatClock, formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { askReason } from '../../utils/console';
import { TAG_LABELS } from '../../utils/labels';

const PAGE = 20;

const rank = (r: number | null) => (r === null ? '未知' : String(r));

function speedText(seconds: number | undefined): string {
  if (seconds === undefined) return '尚未领取';
  if (seconds < 60) return `${seconds} 秒`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} 分钟`;
  return `${Math.round(seconds / 360) / 10} 小时`;
}

/** `4 位：有效 3 · 待审核 1` (states nobody is in are left out). */
function siblingsText(s: HoldEvidence['siblings']): string {
  const parts = [
    ['有效', s.verified],
    ['待审核', s.held],
    ['待验证', s.pending],
    ['无效', s.rejected],
  ].filter(([, n]) => Number(n) > 0);
  return `${s.total} 位${parts.length ? `：${parts.map(([label, n]) => `${label} ${n}`).join(' · ')}` : ''}`;
}

function holdView(h: HoldEvidence) {
  const s = h.siblings;
  return {
    ref: h.invitee.userRef,
    name: h.invitee.nickname ?? `会员 ${h.invitee.userRef}`,
    inviterRef: h.inviter.userRef,
    inviterName: h.inviter.nickname ?? `会员 ${h.inviter.userRef}`,
    inviterTag: `${h.inviter.tag} ${TAG_LABELS[h.inviter.tag]}`,
    inviterBlocked: h.inviter.blocked,
    facts: [
      { key: 'arrived', label: '到达', value: formatDateTime(h.invitee.arrivedAt) },
      {
        key: 'claimed',
        label: '领取',
        value: h.invitee.claimedAt
          ? `${formatDateTime(h.invitee.claimedAt)}（到达后 ${speedText(h.invitee.secondsToClaim)}）`
          : '尚未领取',
      },
      {
        key: 'risk',
        label: '风险等级',
        value: `到达时 ${rank(h.invitee.riskRanks.arrival)} · 领取时 ${rank(h.invitee.riskRanks.claim)}`,
      },
      {
        key: 'credits',
        label: '邀请人近期计入',
        value: h.inviter.recentCredits.map(formatClock).join('、') || '无',
      },
      {
        key: 'tree',
        label: '邀请人的其他好友',
        value: siblingsText(s),
      },
      {
        key: 'arrivals',
        label: '其他好友到达',
        value: s.arrivals.slice(0, 6).map(formatClock).join('、') || '无',
      },
      ...(h.inviter.invitedBy
        ? [{ key: 'up', label: '邀请人的邀请人', value: h.inviter.invitedBy }]
        : []),
    ],
  };
}

interface Runtime {
  busy: boolean;
  next?: string;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ busy: false }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    total: 0,
    holds: [] as ReturnType<typeof holdView>[],
    hasMore: false,
    busy: '',
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async fetch(more = false) {
      const runtime = runtimeOf(this);
      const answer = await callAdmin('holds.list', {
        limit: PAGE,
        ...(more && runtime.next ? { cursor: runtime.next } : {}),
      });
      if (!answer.ok) {
        this.failed(answer.error);
        return;
      }
      runtime.next = answer.data.next;
      const rows = answer.data.holds.map(holdView);
      this.setData({
        state: 'ready',
        message: '',
        total: answer.data.total,
        holds: more ? [...this.data.holds, ...rows] : rows,
        hasMore: Boolean(answer.data.next),
      });
    },

    onMore() {
      return this.fetch(true);
    },

    onOpen(event: WechatMiniprogram.TouchEvent) {
      const ref = String(event.currentTarget.dataset.ref ?? '');
      if (ref) openPage(ROUTES.member, { ref });
    },

    onApprove(event: WechatMiniprogram.TouchEvent) {
      const ref = String(event.currentTarget.dataset.ref ?? '');
      return this.decide(ref, async () => {
        const answer = await callAdmin('holds.approve', { userRef: ref });
        if (!answer.ok) return answer.error;
        toast(
          answer.data.status === 'verified'
            ? `已通过，邀请人现有 ${answer.data.inviter.verified} 位有效邀请`
            : '已通过，但邀请人今天的名额已满，未计入',
        );
        return null;
      });
    },

    onReject(event: WechatMiniprogram.TouchEvent) {
      const ref = String(event.currentTarget.dataset.ref ?? '');
      return this.decide(ref, async () => {
        const reason = await askReason({
          title: '驳回这条邀请？',
          explain: '驳回后邀请人不会因为它获得抽奖次数和黑卡进度。',
          placeholder: '驳回原因（必填），如：同一设备批量注册',
          confirmText: '驳回',
          required: true,
        });
        if (reason === null) return 'cancelled';
        const answer = await callAdmin('holds.reject', { userRef: ref, reason });
        if (!answer.ok) return answer.error;
        toast('已驳回');
        return null;
      });
    },

    /** One review at a time; the decided one leaves the list. */
    async decide(ref: string, work: () => Promise<ActionError | 'cancelled' | null>) {
      const runtime = runtimeOf(this);
      if (!ref || runtime.busy) return;
      runtime.busy = true;
      this.setData({ busy: ref });
      try {
        const failure = await work();
        if (failure === 'cancelled') return;
        if (failure)
          toast(failure.code === 'CONFLICT' ? failure.message : friendlyMessage(failure));
        await this.fetch(false);
      } finally {
        runtime.busy = false;
        this.setData({ busy: '' });
      }
    },
  },
});
