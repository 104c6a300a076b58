/**
 * 黑卡 (black card): the inviter's member card. Locked until `invitesRequired` friends have
 * really joined (arrived with this visitor's code *and* claimed the gift); then "join the member
 * group" activates its rights. The rights always come from the current campaign (blackcard.get
 * reads them from the live config), the invitees are shown by masked label only.
 *
 * Sharing: WeChat forbids rewarding a share itself, so the copy only ever says that a friend
 * counts once they claim the gift. The shared path carries this visitor's own invite code.
 *
 * Distribution (issue 10): 生成邀请海报 composes the visitor's poster (their code, avatar and
 * nickname, the offer) for Moments and saves it to the album; the shared card gets a drawn
 * picture; invitees are listed by the nickname they chose.
 * Rewards (issue 12): once the rights are active the card shows a member code (会员码: signed,
 * refreshed every minute, a screenshot is worthless) that staff scan to use a right; each right
 * says its quota and what is left this period; the invite ladder (阶梯奖励) shows where the
 * visitor stands; and a tap asks WeChat for reminders (a friend claimed, one more unlocks).
 */
import type {
  ApiResults,
  InviteStatus,
  PublicCampaign,
} from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../services/api';
import { ownInviteCode, sharePath, type EntryQuery, type Session } from '../../services/session';
import { drawShareCard, openInviterPoster, shareImageOf } from '../../services/posters';
import { enableSharing, toast } from '../../services/ui';
import { formatDate, formatDateTime } from '../../utils/format';
import { instanceState } from '../../utils/instance-state';
import { openPage } from '../../utils/nav';
import { ROUTES } from '../../utils/routes';
import { visitorPage } from '../../behaviors/visitor-page';
import { askForReminders, preloadReminders, remindersOffered } from '../../services/reminders';
import { RefreshingCode } from '../../utils/refreshing-code';
import type { ReminderEvent } from '../../../cloudfunctions/_shared/constants';

type Card = ApiResults['blackcard.get'];

/** What the card's reminder ask covers (WeChat shows at most 3 per sheet). */
const CARD_REMINDERS: ReminderEvent[] = ['inviteProgress', 'unlockNear', 'rightsChanged'];

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
      // the quota, and once the rights are active what is left of it this period
      usage:
        stage === 'active' && right.quota !== null
          ? `${right.rule} · ${right.leftText}`
          : right.rule,
    })),
    ladder: ladderView(card),
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

/** The ladder's steps as the card shows them: reached, or how many friends are missing. */
function ladderView(card: Card) {
  return card.ladder.map((step, key) => ({
    key,
    invites: step.invites,
    title: step.title,
    kind: step.kind,
    reached: step.reached,
    state: step.reached
      ? step.kind === 'blackcard'
        ? '已解锁'
        : '已发放'
      : `还差 ${step.invites - card.verified} 位`,
  }));
}

interface Runtime {
  loaded: boolean;
  campaign?: PublicCampaign;
  /** the member code while the rights are active */
  code?: RefreshingCode;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ loaded: false }));

/** Operator studio (issue 9): when a friend counts; '' when no invite can count any more. */
function inviteRuleOf(action: PublicCampaign['qualifyingAction']): string {
  if (action === 'claim') return '好友通过你分享的卡片进入，并领取新人福利后，计为 1 位有效邀请。';
  if (action === 'spin') return '好友通过你分享的卡片进入，并完成首次抽奖后，计为 1 位有效邀请。';
  return '';
}

const emptyCard: Card = {
  required: 3,
  verified: 0,
  pending: 0,
  unlocked: false,
  joinedGroup: false,
  rights: [],
  invitees: [],
  ladder: [],
};

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [visitorPage],

  data: {
    brand: '',
    memberNo: '',
    shareTitle: '',
    ...cardView(emptyCard),
    inviteRule: inviteRuleOf('claim'),
    // Rewards (issue 12)
    memberCode: '',
    remindersOffered: false,
    remindersOn: false,
    // People console (issue 13): a leader's community page, and the public leaderboard
    leaderEntry: false,
    boardEntry: false,
  },

  lifetimes: {
    detached() {
      runtimeOf(this).code?.stop();
    },
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      enableSharing();
      void preloadReminders().then(() =>
        this.setData({ remindersOffered: remindersOffered(CARD_REMINDERS) }),
      );
      return this.load(query);
    },

    /** Back from the group page (joined), or from WeChat after sharing: show the latest. */
    onShow() {
      const runtime = runtimeOf(this);
      if (!runtime.loaded) return undefined;
      void runtime.code?.resume();
      return this.load();
    },

    onHide() {
      runtimeOf(this).code?.pause();
    },

    onUnload() {
      runtimeOf(this).code?.stop();
    },

    async fetch(session: Session) {
      const runtime = runtimeOf(this);
      try {
        const [card, campaign] = await Promise.all([
          callApi('blackcard.get', {}),
          callApi('campaign.get', {}),
        ]);
        if (!card.ok) {
          // Operator studio (issue 9): a paused campaign says so in its own words
          const paused = card.error.code === 'CAMPAIGN_NOT_ACTIVE';
          this.fail(paused ? card.error.message : friendlyMessage(card.error));
          return;
        }
        // the brand is decoration: a failed campaign.get keeps what was shown
        const brand = campaign.ok ? brandOf(campaign.data.title) : this.data.brand;
        if (campaign.ok) runtime.campaign = campaign.data;
        runtime.loaded = true;
        const view = cardView(card.data);
        this.setData({
          state: 'ready',
          message: '',
          brand,
          memberNo: session.inviteCode,
          leaderEntry: Boolean(session.leader),
          boardEntry: campaign.ok ? campaign.data.leaderboard === true : this.data.boardEntry,
          shareTitle: brand
            ? `${brand}送你一份新人福利，点开就能领`
            : '送你一份新人福利，点开就能领',
          ...view,
          // Operator studio (issue 9): no share is asked for when no invite can count
          inviteRule: campaign.ok
            ? inviteRuleOf(campaign.data.qualifyingAction)
            : this.data.inviteRule,
        });
        this.showMemberCode(view.stage === 'active');
      } finally {
        // the shared card's picture, whatever this load showed
        if (runtime.campaign) void drawShareCard(this, runtime.campaign);
      }
    },

    async onMakePoster() {
      const { campaign } = runtimeOf(this);
      if (campaign) await openInviterPoster(this, campaign);
    },

    /** Rewards (issue 12): the member code, refreshed every minute while the rights are active. */
    showMemberCode(active: boolean) {
      const runtime = runtimeOf(this);
      if (!active) {
        runtime.code?.stop();
        runtime.code = undefined;
        if (this.data.memberCode) this.setData({ memberCode: '' });
        return;
      }
      if (runtime.code) return;
      runtime.code = new RefreshingCode(
        async () => {
          const answer = await callApi('member.code', {});
          if (answer.ok)
            return { ok: true, code: answer.data.code, expiresAt: answer.data.expiresAt };
          // the card changed meanwhile: the next load shows it as it is
          return { ok: false, retry: answer.error.code === 'INTERNAL' };
        },
        (code) => this.setData({ memberCode: code }),
      );
      void runtime.code.start();
    },

    /** Rewards (issue 12): WeChat's reminder sheet, from the tap. */
    async onAskReminders() {
      if (await askForReminders(CARD_REMINDERS)) {
        this.setData({ remindersOn: true });
        toast('已开启提醒');
      }
    },

    onJoinGroup() {
      openPage(ROUTES.group);
    },

    // Operator studio (issue 9)
    onOpenRules() {
      openPage(ROUTES.rules);
    },

    // People console (issue 13)
    onOpenLeader() {
      openPage(ROUTES.leader);
    },

    onOpenBoard() {
      openPage(ROUTES.leaderboard);
    },

    onShareAppMessage() {
      return {
        title: this.data.shareTitle || '送你一份新人福利，点开就能领',
        path: sharePath(ownInviteCode()),
        ...shareImageOf(this),
      };
    },

    onShareTimeline() {
      const [, query = ''] = sharePath(ownInviteCode()).split('?');
      return { title: this.data.shareTitle || '送你一份新人福利，点开就能领', query };
    },
  },
});
