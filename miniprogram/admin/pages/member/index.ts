/**
 * 会员详情 (People console, issue 13; owners): one member as the operator needs them — where
 * they came from, their claim, spins and coupons, who invited them and whom they invited (two
 * levels, with states and reasons), returning visitors refused on their link, their group, risk
 * rank, tag, block and leader figures, and every operator act on them (who, what, when, why).
 * Here the owner re-tags them (or hands the tag back to the rules), blocks or unblocks them,
 * makes them a leader, or grants them a reward.
 */
import type {
  ActionError,
  AdminResults,
  GrowthTag,
  MemberInvite,
  MemberPage,
} from '../../../../cloudfunctions/_shared/contracts';
import { openPage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { consolePage } from '../../behaviors/console-page';
import { couponStatusText, formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { askReason, grantReward } from '../../utils/console';
import {
  AUDIT_LABELS,
  INVITE_STATUS_BADGES,
  LEADER_LABELS,
  TAG_BADGES,
  TAG_LABELS,
  inviteStateText,
  TAG_ORDER,
} from '../../utils/labels';

type Rewards = AdminResults['koc.list']['rewards'];

const PRIZE_KIND_TEXT: Record<string, string> = {
  coupon: '优惠券',
  resource: '资料',
  physical: '实物',
  none: '未中奖',
};

function inviteRow(invite: MemberInvite) {
  return {
    userRef: invite.userRef,
    name: invite.nickname ?? `会员 ${invite.userRef}`,
    tag: invite.tag ?? '',
    state: inviteStateText(invite.status, invite.reason),
    badge: INVITE_STATUS_BADGES[invite.status],
    time: formatDateTime(invite.verifiedAt ?? invite.at),
  };
}

function pageView(page: MemberPage) {
  const m = page.member;
  return {
    ref: m.userRef,
    name: m.nickname ?? `会员 ${m.userRef}`,
    // the code beside the nickname (without one, the name already is the code)
    code: m.nickname ? m.userRef : '',
    tag: m.tag,
    tagText: `${m.tag} ${TAG_LABELS[m.tag]}`,
    tagBadge: TAG_BADGES[m.tag],
    tagSource: m.tagManual ? '手动' : '按规则',
    blocked: m.blocked,
    blockedText: m.blocked
      ? `${m.blockedAt ? formatDateTime(m.blockedAt) : ''} 停用：${m.blockedReason ?? ''}`
      : '',
    leader: m.leader ? LEADER_LABELS[m.leader] : '',
    leaderLevel: m.leader ?? 0,
    figures: [
      { key: 'verified', label: '有效邀请', value: page.progress.verified },
      { key: 'pending', label: '待验证', value: page.progress.pending },
      { key: 'held', label: '待审核', value: page.progress.held },
      { key: 'spins', label: '抽奖', value: page.spins.length },
    ],
    facts: [
      {
        key: 'channel',
        label: '首次来源',
        value: `${m.firstTouch.channelName} · ${formatDateTime(m.firstTouch.at)}`,
      },
      {
        key: 'entered',
        label: '进入本活动',
        value: m.enteredAt ? formatDateTime(m.enteredAt) : '未进入',
      },
      {
        key: 'claim',
        label: '领取福利',
        value: page.claim
          ? `${formatDateTime(page.claim.at)}${page.claim.coupon ? ` · ${page.claim.coupon}` : ''}`
          : '未领取',
      },
      {
        key: 'risk',
        label: '风险等级',
        value: m.riskRank === null ? '未知' : `${m.riskRank}（0 最安全，4 最高）`,
      },
      { key: 'bonus', label: '可用奖励抽奖', value: `${page.progress.bonusBalance} 次` },
      ...(page.progress.unlockedAt
        ? [{ key: 'card', label: '黑卡解锁', value: formatDateTime(page.progress.unlockedAt) }]
        : []),
      ...(page.group
        ? [
            {
              key: 'group',
              label: '社群',
              value: `${page.group.name} · ${page.group.joinedAt ? `${formatDateTime(page.group.joinedAt)} 确认入群` : `${formatDateTime(page.group.at)} 领码`}`,
            },
          ]
        : []),
    ],
    spins: page.spins.map((s, key) => ({
      key,
      prize: s.prize,
      kind: PRIZE_KIND_TEXT[s.kind] ?? s.kind,
      time: formatDateTime(s.at),
    })),
    coupons: page.coupons.map((c) => ({
      id: c.id,
      title: c.title,
      label: c.label,
      status: couponStatusText(c.status),
      used: c.status !== 'available',
      time: c.redeemedAt
        ? `${formatDateTime(c.redeemedAt)} 核销`
        : `${formatDateTime(c.expiresAt)} 到期`,
    })),
    invitedBy: page.invitedBy ? inviteRow(page.invitedBy) : null,
    invitees: page.invitees.map((i) => ({ ...inviteRow(i), children: i.invitees.map(inviteRow) })),
    refusals: page.refusals.map((r, key) => ({
      key,
      userRef: r.userRef,
      time: formatDateTime(r.at),
      state: inviteStateText('rejected', r.reason),
    })),
    leaderFigures: page.leaderFigures ?? null,
    audit: page.audit.map((a) => ({
      id: a.id,
      action: AUDIT_LABELS[a.action] ?? a.action,
      by: a.by,
      time: formatDateTime(a.at),
      detail: a.detail,
      reason: a.reason ?? '',
    })),
  };
}

const TAG_CHOICES = [...TAG_ORDER.map((t) => `${t} ${TAG_LABELS[t]}`), '交给规则自动打标'];

interface Runtime {
  ref: string;
  busy: boolean;
  rewards?: Rewards;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ ref: '', busy: false }));

const emptyView = {
  ...pageView({
    member: {
      userRef: '',
      nickname: null,
      tag: 'C',
      tagManual: false,
      blocked: false,
      channel: '',
      channelName: '',
      claimed: false,
      verified: 0,
      createdAt: '',
      firstTouch: { channel: '', channelName: '', at: '' },
      riskRank: null,
    },
    campaign: null,
    claim: null,
    spins: [],
    coupons: [],
    invitedBy: null,
    invitees: [],
    refusals: [],
    progress: { verified: 0, pending: 0, held: 0, bonusBalance: 0 },
    group: null,
    audit: [],
    serverNow: '',
  }),
};

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    busy: false,
    ...emptyView,
  },

  methods: {
    onLoad(query: { ref?: string } = {}) {
      runtimeOf(this).ref = decodeURIComponent(query.ref ?? '');
      return this.load();
    },

    /** The member's page as it stands (also after each act). */
    async fetch() {
      const ref = runtimeOf(this).ref;
      if (!ref) {
        this.setData({ state: 'error', message: '没有找到这位会员' });
        return;
      }
      const page = await callAdmin('users.get', { userRef: ref });
      if (!page.ok) {
        const message =
          page.error.code === 'NOT_FOUND' ? '没有找到这位会员' : friendlyMessage(page.error);
        if (this.data.state === 'ready') toast(message);
        else this.setData({ state: 'error', message });
        return;
      }
      wx.setNavigationBarTitle({
        title: page.data.member.nickname ?? `会员 ${page.data.member.userRef}`,
      }).catch(() => undefined);
      this.setData({ state: 'ready', message: '', ...pageView(page.data) });
    },

    /** One act at a time; the page shows what it changed. */
    async act(work: () => Promise<boolean>) {
      const runtime = runtimeOf(this);
      if (runtime.busy) return;
      runtime.busy = true;
      this.setData({ busy: true });
      try {
        if (await work()) await this.fetch();
      } finally {
        runtime.busy = false;
        this.setData({ busy: false });
      }
    },

    onTag() {
      return this.act(async () => {
        let tapIndex: number;
        try {
          ({ tapIndex } = await wx.showActionSheet({ itemList: TAG_CHOICES }));
        } catch {
          return false;
        }
        const growthTag: GrowthTag | null = TAG_ORDER[tapIndex] ?? null;
        const reason = await askReason({
          title: growthTag
            ? `标记为 ${growthTag} ${TAG_LABELS[growthTag]}（规则不再改动）`
            : '交给规则重新计算标签',
          placeholder: '原因（选填），会记入操作记录',
          confirmText: '确定',
          required: false,
        });
        if (reason === null) return false;
        const answer = await callAdmin('users.setTag', {
          userRef: this.data.ref,
          growthTag,
          ...(reason ? { reason } : {}),
        });
        if (!answer.ok) return this.refused(answer.error);
        toast(`标签已改为 ${answer.data.growthTag}`);
        return true;
      });
    },

    onBlock() {
      return this.act(async () => {
        const reason = await askReason({
          title: '停用这位会员？',
          explain: '停用后 TA 不能领取、抽奖和核销，TA 待验证和待审核的邀请将作废。',
          placeholder: '停用原因（必填）',
          confirmText: '停用',
          required: true,
        });
        if (reason === null) return false;
        const answer = await callAdmin('users.block', { userRef: this.data.ref, reason });
        if (!answer.ok) return this.refused(answer.error);
        toast(answer.data.voided ? `已停用，作废 ${answer.data.voided} 条邀请` : '已停用');
        return true;
      });
    },

    onUnblock() {
      return this.act(async () => {
        const reason = await askReason({
          title: '恢复这位会员？',
          explain: '恢复后 TA 可以继续参与活动；已作废的邀请不会恢复。',
          placeholder: '恢复原因（必填）',
          confirmText: '恢复',
          required: true,
        });
        if (reason === null) return false;
        const answer = await callAdmin('users.unblock', { userRef: this.data.ref, reason });
        if (!answer.ok) return this.refused(answer.error);
        toast('已恢复');
        return true;
      });
    },

    onLeader() {
      return this.act(async () => {
        const levels = [1, 2, 0] as const;
        let tapIndex: number;
        try {
          ({ tapIndex } = await wx.showActionSheet({
            itemList: ['设为小当家', '设为大当家', '不再担任团长'],
          }));
        } catch {
          return false;
        }
        const answer = await callAdmin('users.promote', {
          userRef: this.data.ref,
          level: levels[tapIndex] ?? 0,
        });
        if (!answer.ok) return this.refused(answer.error);
        toast(answer.data.leader ? `已设为${LEADER_LABELS[answer.data.leader]}` : '已取消团长');
        return true;
      });
    },

    onGrant() {
      return this.act(async () => {
        const runtime = runtimeOf(this);
        if (!runtime.rewards) {
          const board = await callAdmin('koc.list', { limit: 1 });
          if (!board.ok) return this.refused(board.error);
          runtime.rewards = board.data.rewards;
        }
        return Boolean(await grantReward(this.data.ref, runtime.rewards));
      });
    },

    onOpenMember(event: WechatMiniprogram.TouchEvent) {
      const ref = String(event.currentTarget.dataset.ref ?? '');
      if (ref) openPage(ROUTES.member, { ref });
    },

    refused(error: ActionError): false {
      toast(error.code === 'BAD_REQUEST' ? error.message : friendlyMessage(error));
      return false;
    },
  },
});
