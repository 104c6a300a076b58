/**
 * 黑卡 (black card): the inviter's member card. Locked until `invitesRequired` friends have
 * really joined (arrived with this visitor's code *and* claimed the gift); then "join the member
 * group" activates its rights. The rights always come from the current campaign (blackcard.get
 * reads them from the live config), the invitees are shown by masked label only.
 *
 * Sharing: WeChat forbids rewarding a share itself, so the copy only ever says that a friend
 * counts once they claim the gift. The shared path carries this visitor's own invite code.
 */
import type { ApiResults, InviteStatus } from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../services/api';
import { ensureSession, ownInviteCode, sharePath, type EntryQuery } from '../../services/session';
import { enableSharing, toast } from '../../services/ui';
import { formatDate, formatDateTime } from '../../utils/format';
import { instanceState } from '../../utils/instance-state';
import { ROUTES } from '../../routes';

type Card = ApiResults['blackcard.get'];

const GROUP_PAGE = '/pages/group/index';

const INVITEE_STATUS: Record<InviteStatus, { text: string; badge: string }> = {
  verified: { text: '已完成', badge: '' },
  pending: { text: '待领取', badge: 'badge--accent' },
  rejected: { text: '无效', badge: 'badge--muted' },
  none: { text: '待领取', badge: 'badge--accent' },
  // People console (issue 13): a fast run of invites waits for the owner's review
  held: { text: '审核中', badge: 'badge--accent' },
};

/** Where the card stands: locked → unlocked but not in the group → rights active. */
type Stage = 'locked' | 'join' | 'active';

const RIGHTS_BADGE: Record<Stage, { text: string; badge: string }> = {
  locked: { text: '待解锁', badge: 'badge--muted' },
  join: { text: '待激活', badge: 'badge--gold' },
  active: { text: '已激活', badge: '' },
};

/** "山野茶事 · 新店开业 会员招募季" → "山野茶事": the brand printed on the card. */
function brandOf(campaignTitle: string): string {
  const brand = campaignTitle.split(/\s*[·|｜]\s*/)[0]?.trim();
  return brand || campaignTitle.trim();
}

function cardView(card: Card) {
  const stage: Stage = !card.unlocked ? 'locked' : card.joinedGroup ? 'active' : 'join';
  const rightsBadge = RIGHTS_BADGE[stage];
  return {
    required: card.required,
    verified: card.verified,
    pending: card.pending,
    unlocked: card.unlocked,
    unlockedText: card.unlockedAt ? `${formatDate(card.unlockedAt)} 解锁` : '',
    remaining: Math.max(0, card.required - card.verified),
    stage,
    rights: card.rights.map((right) => ({
      id: right.id,
      title: right.title,
      description: right.description,
    })),
    rightsBadgeText: rightsBadge.text,
    rightsBadgeClass: rightsBadge.badge,
    invitees: card.invitees.map((invitee, key) => {
      const status = INVITEE_STATUS[invitee.status] ?? INVITEE_STATUS.none;
      return {
        key,
        label: invitee.label,
        statusText: status.text,
        badgeClass: status.badge,
        time: formatDateTime(invitee.at),
      };
    }),
  };
}

interface Runtime {
  loaded: boolean;
  loading: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ loaded: false, loading: false }));

const emptyCard: Card = {
  required: 3,
  verified: 0,
  pending: 0,
  unlocked: false,
  joinedGroup: false,
  rights: [],
  invitees: [],
};

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    status: 'loading' as 'loading' | 'ready' | 'error',
    errorText: '',
    brand: '',
    memberNo: '',
    shareTitle: '',
    ...cardView(emptyCard),
    // People console (issue 13): a leader's community page, and the public leaderboard
    leaderEntry: false,
    boardEntry: false,
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      enableSharing();
      return this.load(query);
    },

    /** Back from the group page (joined), or from WeChat after sharing: show the latest. */
    onShow() {
      if (runtimeOf(this).loaded) return this.load();
      return undefined;
    },

    onRetry() {
      this.setData({ status: 'loading', errorText: '' });
      return this.load();
    },

    async load(query?: EntryQuery) {
      const runtime = runtimeOf(this);
      if (runtime.loading) return;
      runtime.loading = true;
      try {
        const session = await ensureSession(query);
        if (!session.ok) {
          this.fail(friendlyMessage(session.error));
          return;
        }
        const [card, campaign] = await Promise.all([
          callApi('blackcard.get', {}),
          callApi('campaign.get', {}),
        ]);
        if (!card.ok) {
          this.fail(friendlyMessage(card.error));
          return;
        }
        // the brand is decoration: a failed campaign.get keeps what was shown
        const brand = campaign.ok ? brandOf(campaign.data.title) : this.data.brand;
        runtime.loaded = true;
        this.setData({
          status: 'ready',
          errorText: '',
          brand,
          memberNo: session.data.inviteCode,
          leaderEntry: Boolean(session.data.leader),
          boardEntry: campaign.ok ? campaign.data.leaderboard === true : this.data.boardEntry,
          shareTitle: brand
            ? `${brand}送你一份新人福利，点开就能领`
            : '送你一份新人福利，点开就能领',
          ...cardView(card.data),
        });
      } finally {
        runtime.loading = false;
      }
    },

    fail(message: string) {
      // a refresh that fails keeps the card on screen; only a first load shows the error
      if (this.data.status === 'ready') {
        toast(message);
        return;
      }
      this.setData({ status: 'error', errorText: message });
    },

    onJoinGroup() {
      wx.navigateTo({ url: GROUP_PAGE }).catch(() => undefined);
    },

    // People console (issue 13)
    onOpenLeader() {
      wx.navigateTo({ url: ROUTES.leader }).catch(() => undefined);
    },

    onOpenBoard() {
      wx.navigateTo({ url: ROUTES.leaderboard }).catch(() => undefined);
    },

    onShareAppMessage() {
      return {
        title: this.data.shareTitle || '送你一份新人福利，点开就能领',
        path: sharePath(ownInviteCode()),
      };
    },

    onShareTimeline() {
      const [, query = ''] = sharePath(ownInviteCode()).split('?');
      return { title: this.data.shareTitle || '送你一份新人福利，点开就能领', query };
    },
  },
});
