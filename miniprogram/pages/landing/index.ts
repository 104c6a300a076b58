/**
 * 活动首页: where a visitor lands from a poster, a Mini Program code or a friend's card. It
 * registers the visit (`inv`, `ch`, `scene` → session.enter), shows the campaign and its lead
 * magnet (引流抓手) with the countdown to the end of the claim window, claims it, and shows the
 * reward: the coupon and/or the resource link. Then the ways on: wheel, black card, group,
 * wallet.
 *
 * Whether this visitor already claimed comes with the session (`claimed`); an earlier claim's
 * reward is brought back by `magnet.claim` itself (idempotent: it answers `alreadyClaimed` with
 * the same reward, the resource link included), and the wallet has the coupon as it stands now.
 */
import type {
  Coupon,
  MagnetReward,
  PublicCampaign,
} from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage, newRequestId } from '../../services/api';
import { askForReminders, preloadReminders, remindersOffered } from '../../services/reminders';
import { ensureSession, ownInviteCode, sharePath, type EntryQuery } from '../../services/session';
import type { ReminderEvent } from '../../../cloudfunctions/_shared/constants';
import { enableSharing, toast } from '../../services/ui';
import { serverOffset } from '../../utils/countdown';
import { formatDateTime } from '../../utils/format';
import { instanceState } from '../../utils/instance-state';
import { windowPhase, type WindowPhase } from '../../utils/schedule';

type State = 'loading' | 'ready' | 'inactive' | 'error';

const PAGES = {
  wheel: '/pages/wheel/index',
  blackcard: '/pages/blackcard/index',
  group: '/pages/group/index',
  wallet: '/pages/wallet/index',
  coupon: '/pages/coupon/index',
} as const;

const DEFAULT_SHARE_TITLE = '送你一份新人福利，点开就能领';
/** Rewards (issue 12): what the reminder ask after claiming covers (≤ 3, WeChat's limit). */
const CLAIM_REMINDERS: ReminderEvent[] = ['couponExpiring', 'inviteProgress', 'unlockNear'];

interface Runtime {
  loading: boolean;
  loaded: boolean;
  claiming: boolean;
  /** kept across failed attempts: a retry must not claim twice (SPEC §4 magnet.claim) */
  claimRequestId?: string;
  /** server clock − phone clock, from campaign.get's serverNow */
  offsetMs: number;
  campaign?: PublicCampaign;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({
  loading: false,
  loaded: false,
  claiming: false,
  offsetMs: 0,
}));

/** The claim button and what it says in each phase of the claim window. */
function claimView(campaign: PublicCampaign, phase: WindowPhase) {
  const { startAt, endAt } = campaign.magnet.claimWindow;
  if (phase === 'upcoming') {
    return {
      phase,
      countdownEnd: startAt,
      countdownLabel: '距开抢',
      claimReason: `${formatDateTime(startAt)} 开始领取`,
    };
  }
  if (phase === 'over') {
    return {
      phase,
      countdownEnd: '',
      countdownLabel: '',
      claimReason: '领取时间已过，下次早点来哦',
    };
  }
  return { phase, countdownEnd: endAt, countdownLabel: '距领取结束', claimReason: '' };
}

/**
 * The line under the gift coupon's value: its title when that says more than the value
 * (全场饮品8折券 under 8折), not when it only repeats it (5元无门槛券 under 5元无门槛).
 */
function couponNote(coupon: { label: string; title: string }): string {
  const more = coupon.title.replace(coupon.label, '').replace(/券$/, '').trim();
  return more ? coupon.title : '领取后放入券包';
}

function campaignView(campaign: PublicCampaign) {
  const { magnet } = campaign;
  return {
    title: campaign.title,
    magnet: {
      title: magnet.title,
      description: magnet.description,
      image: magnet.image,
    },
    preview: {
      couponLabel: magnet.reward.coupon?.label ?? '',
      couponNote: magnet.reward.coupon ? couponNote(magnet.reward.coupon) : '',
      hasResource: magnet.reward.hasResource,
    },
    serverNow: campaign.serverNow,
    invitesRequired: campaign.blackCard.invitesRequired,
    groupNote: campaign.groupsAfter === 'claim' ? '领取福利后即可入群' : '解锁黑卡后即可入群',
  };
}

function rewardView(reward: MagnetReward) {
  return { coupon: reward.coupon ?? null, resourceUrl: reward.resourceUrl ?? '' };
}

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    state: 'loading' as State,
    /** error text, or why the campaign cannot be joined */
    message: '',
    inactiveTitle: '',
    title: '',
    magnet: { title: '', description: '', image: '' },
    imageFailed: false,
    preview: { couponLabel: '', couponNote: '', hasResource: false },
    serverNow: '',
    phase: 'open' as WindowPhase,
    countdownEnd: '',
    countdownLabel: '',
    claimReason: '',
    claiming: false,
    claimed: false,
    reward: { coupon: null as Coupon | null, resourceUrl: '' },
    /** arrived through a friend's card and has not claimed yet */
    invited: false,
    invitesRequired: 3,
    groupNote: '',
    // Rewards (issue 12): after claiming, a tap asks WeChat for reminders
    remindersOffered: false,
    remindersOn: false,
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      enableSharing();
      void preloadReminders().then(() =>
        this.setData({ remindersOffered: remindersOffered(CLAIM_REMINDERS) }),
      );
      return this.load(query);
    },

    /** Rewards (issue 12): WeChat's reminder sheet, from the tap. */
    async onAskReminders() {
      if (await askForReminders(CLAIM_REMINDERS)) {
        this.setData({ remindersOn: true });
        toast('已开启提醒');
      }
    },

    /** Back from the coupon page (maybe used by now) or the wheel: show the latest. */
    onShow() {
      if (runtimeOf(this).loaded) return this.load();
      return undefined;
    },

    onRetry() {
      this.setData({ state: 'loading', message: '' });
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
        const [campaign, wallet] = await Promise.all([
          callApi('campaign.get', {}),
          callApi('wallet.list', {}),
        ]);
        if (!campaign.ok) {
          if (campaign.error.code === 'CAMPAIGN_NOT_ACTIVE') {
            this.showInactive('活动未开始或已结束', '敬请期待下一期活动');
          } else {
            this.fail(friendlyMessage(campaign.error));
          }
          return;
        }
        runtime.campaign = campaign.data;
        runtime.offsetMs = serverOffset(campaign.data.serverNow, Date.now());
        const serverNow = Date.now() + runtime.offsetMs;
        const campaignPhase = windowPhase(campaign.data, serverNow);
        if (campaignPhase === 'upcoming') {
          this.showInactive(
            '活动未开始',
            `${formatDateTime(campaign.data.startAt)} 开始，敬请期待`,
          );
          return;
        }
        if (campaignPhase === 'over') {
          this.showInactive('活动已结束', '感谢参与，敬请期待下一期活动');
          return;
        }

        const magnetCoupon = wallet.ok
          ? wallet.data.coupons.find((coupon) => coupon.source === 'magnet')
          : undefined;
        const claimed = this.data.claimed || session.data.claimed;
        let reward = this.data.reward;
        if (claimed && !this.data.claimed) {
          // first seen on this visit: bring the whole reward back, the link included
          const again = await callApi('magnet.claim', { requestId: newRequestId() });
          if (again.ok) reward = rewardView(again.data.reward);
        }
        // the wallet has the coupon as it stands now (used at the counter meanwhile?)
        if (magnetCoupon) reward = { ...reward, coupon: magnetCoupon };
        runtime.loaded = true;
        this.setData({
          state: 'ready',
          message: '',
          ...campaignView(campaign.data),
          ...claimView(campaign.data, windowPhase(campaign.data.magnet.claimWindow, serverNow)),
          claimed,
          reward,
          invited: !claimed && session.data.invite.status === 'pending',
        });
      } finally {
        runtime.loading = false;
      }
    },

    showInactive(title: string, message: string) {
      runtimeOf(this).loaded = true;
      this.setData({ state: 'inactive', inactiveTitle: title, message });
    },

    fail(message: string) {
      // a refresh that fails keeps the page on screen; only a first load shows the error
      if (this.data.state === 'ready') {
        toast(message);
        return;
      }
      this.setData({ state: 'error', message });
    },

    /** The countdown reached zero: the claim window opened or closed. */
    onCountdownEnd() {
      const { campaign, offsetMs } = runtimeOf(this);
      if (!campaign) return;
      const phase = windowPhase(campaign.magnet.claimWindow, Date.now() + offsetMs);
      if (phase !== this.data.phase) this.setData(claimView(campaign, phase));
    },

    async onClaim() {
      const runtime = runtimeOf(this);
      if (runtime.claiming || this.data.claimed || this.data.phase !== 'open') return;
      runtime.claiming = true;
      this.setData({ claiming: true });
      try {
        runtime.claimRequestId ??= newRequestId();
        const answer = await callApi('magnet.claim', { requestId: runtime.claimRequestId });
        if (!answer.ok) {
          toast(friendlyMessage(answer.error));
          if (answer.error.code === 'CLAIM_WINDOW_CLOSED') this.onCountdownEnd();
          return;
        }
        runtime.claimRequestId = undefined;
        this.setData({ claimed: true, invited: false, reward: rewardView(answer.data.reward) });
        wx.showToast({
          title: answer.data.alreadyClaimed ? '你已领取过啦' : '领取成功',
          icon: answer.data.alreadyClaimed ? 'none' : 'success',
        }).catch(() => undefined);
      } finally {
        runtime.claiming = false;
        this.setData({ claiming: false });
      }
    },

    onCopyResource() {
      const url = this.data.reward.resourceUrl;
      if (!url) return;
      wx.setClipboardData({
        data: url,
        success: () => toast('链接已复制，粘贴到浏览器打开'),
      });
    },

    onImageError() {
      this.setData({ imageFailed: true });
    },

    onOpenCoupon(event: WechatMiniprogram.CustomEvent<{ id: string }>) {
      const { id } = event.detail;
      if (id) wx.navigateTo({ url: `${PAGES.coupon}?id=${id}` }).catch(() => undefined);
    },

    onNavigate(event: WechatMiniprogram.BaseEvent) {
      const target = (event.currentTarget.dataset as { target?: keyof typeof PAGES }).target;
      if (target && PAGES[target]) wx.navigateTo({ url: PAGES[target] }).catch(() => undefined);
    },

    shareTitle(): string {
      return this.data.magnet.title || this.data.title || DEFAULT_SHARE_TITLE;
    },

    onShareAppMessage() {
      const { image } = this.data.magnet;
      return {
        title: this.shareTitle(),
        path: sharePath(ownInviteCode()),
        // WeChat falls back to a screenshot of the page without one
        ...(image && !this.data.imageFailed ? { imageUrl: image } : {}),
      };
    },

    onShareTimeline() {
      const [, query = ''] = sharePath(ownInviteCode()).split('?');
      return { title: this.shareTitle(), query };
    },
  },
});
