/**
 * 活动首页: where a visitor lands from a poster, a Mini Program code or a friend's card. It
 * registers the visit (`inv`, `ch`, `scene` → session.enter), shows the campaign and its lead
 * magnet (引流抓手) with the countdown to the end of the claim window, claims it, and shows the
 * reward: the coupon and/or the resource link. Then the ways on: wheel, black card, group,
 * wallet.
 *
 * Performance (issue 14): the first screen comes from one call, `session.enter` with `landing`:
 * the session, the campaign (as `campaign.get` answers it), the reward of a visitor who claimed
 * (the coupon as it stands now, the resource link) and the reminder templates. Coming back to the
 * page reads the campaign and the wallet afresh (`campaign.get`, `wallet.list`); a session made by
 * another page first brings the reward back with `magnet.claim` (idempotent: `alreadyClaimed`).
 *
 * Distribution (issue 10): an invited visitor reads who invited them (nickname and avatar from
 * the session); after the claim, the visitor is asked — never required — for the avatar and
 * nickname their own friends will see (WeChat's avatar button and nickname input); 已有 N 人领取
 * is shown under the claim button. Opened from Moments (single-page mode, scene 1154) the page
 * makes no cloud call at all: it shows the offer from the public snapshot and the way into the
 * Mini Program (WeChat's own 前往小程序 bar).
 */
import type {
  Coupon,
  Envelope,
  LandingView,
  MagnetReward,
  PublicCampaign,
  PublicProfile,
} from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage, newRequestId, uploadImage } from '../../services/api';
import { isSinglePageMode, readMomentsSnapshot } from '../../services/moments';
import {
  askForReminders,
  preloadReminders,
  primeReminders,
  remindersOffered,
} from '../../services/reminders';
import {
  ownInviteCode,
  sharePath,
  takeLandingView,
  type EntryQuery,
  type Session,
} from '../../services/session';
import type { ReminderEvent } from '../../../cloudfunctions/_shared/constants';
import { enableSharing, toast } from '../../services/ui';
import { serverOffset } from '../../utils/countdown';
import { formatDateTime } from '../../utils/format';
import { instanceState } from '../../utils/instance-state';
import { openPage } from '../../utils/nav';
import { ROUTES, type PageName } from '../../utils/routes';
import { windowPhase, type WindowPhase } from '../../utils/schedule';
import { visitorShell } from '../../behaviors/visitor-page';

type State = 'loading' | 'ready' | 'inactive' | 'error' | 'moments';

const DEFAULT_SHARE_TITLE = '送你一份新人福利，点开就能领';
/** Rewards (issue 12): what the reminder ask after claiming covers (≤ 3, WeChat's limit). */
const CLAIM_REMINDERS: ReminderEvent[] = ['couponExpiring', 'inviteProgress', 'unlockNear'];

interface Runtime {
  loaded: boolean;
  claiming: boolean;
  /** kept across failed attempts: a retry must not claim twice (SPEC §4 magnet.claim) */
  claimRequestId?: string;
  /** server clock − phone clock, from campaign.get's serverNow */
  offsetMs: number;
  campaign?: PublicCampaign;
  /** the avatar the visitor chose (a temporary file), until it is saved */
  avatarPath?: string;
  savingProfile: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({
  loaded: false,
  claiming: false,
  offsetMs: 0,
  savingProfile: false,
}));

/** The visitor said 以后再说 to the profile card: not asked again on this phone. */
const PROFILE_SKIPPED_KEY = 'profile-skipped';

/** What the page says when opened from Moments without a snapshot to read. */
const MOMENTS_FALLBACK = {
  title: '新人福利 限时免费领',
  magnet: {
    title: '新人福利免费领',
    description: '领取新人福利后还能参与幸运大转盘，邀请好友一起领，解锁黑卡会员权益。',
    image: '',
  },
};

function inviterView(inviter: PublicProfile | undefined) {
  const nickname = inviter?.nickname ?? '';
  return {
    inviterName: nickname,
    inviterAvatar: inviter?.avatarUrl ?? '',
    inviterInitial: Array.from(nickname)[0] ?? '邀',
  };
}

function profileSkipped(): boolean {
  try {
    return wx.getStorageSync(PROFILE_SKIPPED_KEY) === true;
  } catch {
    return false;
  }
}

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
    claimedCount: campaign.socialProof?.claimed ?? 0,
  };
}

// Operator studio (issue 9) ------------------------------------------------------------------

/** A paused or ended campaign shows a closed state (scheduled ones show their start). */
function closedState(status: PublicCampaign['status']): { title: string; message: string } | null {
  if (status === 'paused') return { title: '活动暂停中', message: '活动暂时暂停，请稍后再来' };
  if (status === 'ended') return { title: '活动已结束', message: '感谢参与，敬请期待下一期活动' };
  return null;
}

/** What the share card promises, by what makes a friend's invite count now. */
function shareNoteOf(action: PublicCampaign['qualifyingAction']): string {
  if (action === 'claim') {
    return '好友通过你分享的卡片领取福利后，你可获得额外抽奖次数，并点亮黑卡进度。';
  }
  if (action === 'spin') {
    return '好友通过你分享的卡片进入并完成首次抽奖后，你可获得额外抽奖次数，并点亮黑卡进度。';
  }
  return '';
}

function rewardView(reward: MagnetReward) {
  return { coupon: reward.coupon ?? null, resourceUrl: reward.resourceUrl ?? '' };
}

/** Performance (issue 14): the campaign in the session's answer, as `campaign.get` would answer. */
function landingCampaign(view: LandingView): Envelope<PublicCampaign> {
  return view.campaign
    ? { ok: true, data: view.campaign }
    : { ok: false, error: { code: 'CAMPAIGN_NOT_ACTIVE', message: '活动暂未开始' } };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  // the landing enters as the landing: the session answers its first screen (Performance, issue 14)
  behaviors: [visitorShell({ landing: true })],

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
    // Distribution (issue 10)
    inviterName: '',
    inviterAvatar: '',
    inviterInitial: '邀',
    /** 已有 N 人领取 */
    claimedCount: 0,
    /** after the claim: the avatar and nickname card (never a gate) */
    askProfile: false,
    profile: { nickname: null, avatarUrl: null, avatarFileId: null } as PublicProfile,
    draftNickname: '',
    draftAvatar: '',
    profileError: '',
    savingProfile: false,
    /** opened from Moments: the claim window's end, as text (no countdown on a snapshot) */
    momentsDeadline: '',
    // Operator studio (issue 9)
    /** what a friend must do for a share to count; '' when no invite can count now */
    shareNote: '',
    /** an operator or staff member: the 管理 entry */
    adminEntry: false,
    // Rewards (issue 12): after claiming, a tap asks WeChat for reminders
    remindersOffered: false,
    remindersOn: false,
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      if (isSinglePageMode()) return this.loadMoments();
      enableSharing();
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
      if (runtimeOf(this).loaded && this.data.state !== 'moments') return this.load();
      return undefined;
    },

    /**
     * Opened from Moments (single-page mode): no login, so no cloud call — the offer comes from
     * the public snapshot, and WeChat's own bar at the bottom leads into the Mini Program.
     */
    async loadMoments() {
      const snapshot = await readMomentsSnapshot();
      runtimeOf(this).loaded = true;
      if (!snapshot) {
        this.setData({ state: 'moments', ...MOMENTS_FALLBACK, momentsDeadline: '' });
        return;
      }
      const { endAt } = snapshot.magnet.claimWindow;
      this.setData({
        state: 'moments',
        ...campaignView(snapshot),
        momentsDeadline: `领取截止 ${formatDateTime(endAt)}`,
      });
    },

    async fetch(session: Session) {
      const runtime = runtimeOf(this);
      // Operator studio (issue 9): admins get the 管理 entry, whatever the campaign's state
      if (Boolean(session.role) !== this.data.adminEntry) {
        this.setData({ adminEntry: Boolean(session.role) });
      }
      // Performance (issue 14): the first load shows what session.enter answered, one call in
      // all; a later one (back from another page) reads the campaign and the wallet afresh
      const first = takeLandingView();
      if (first) primeReminders(first.reminders);
      void preloadReminders().then(() =>
        this.setData({ remindersOffered: remindersOffered(CLAIM_REMINDERS) }),
      );
      const [campaign, wallet] = first
        ? [landingCampaign(first), null]
        : await Promise.all([callApi('campaign.get', {}), callApi('wallet.list', {})]);
      if (!campaign.ok) {
        if (campaign.error.code === 'CAMPAIGN_NOT_ACTIVE') {
          this.showInactive('活动未开始或已结束', '敬请期待下一期活动');
        } else {
          this.fail(friendlyMessage(campaign.error));
        }
        return;
      }
      runtime.campaign = campaign.data;
      // Operator studio (issue 9): a paused or ended campaign is closed
      const closed = closedState(campaign.data.status);
      if (closed) {
        this.showInactive(closed.title, closed.message);
        return;
      }
      runtime.offsetMs = serverOffset(campaign.data.serverNow, Date.now());
      const serverNow = Date.now() + runtime.offsetMs;
      const campaignPhase = windowPhase(campaign.data, serverNow);
      if (campaignPhase === 'upcoming') {
        this.showInactive('活动未开始', `${formatDateTime(campaign.data.startAt)} 开始，敬请期待`);
        return;
      }
      if (campaignPhase === 'over') {
        this.showInactive('活动已结束', '感谢参与，敬请期待下一期活动');
        return;
      }

      const magnetCoupon = wallet?.ok
        ? wallet.data.coupons.find((coupon) => coupon.source === 'magnet')
        : undefined;
      const claimed = this.data.claimed || session.claimed;
      let reward = this.data.reward;
      if (claimed && !this.data.claimed) {
        // first seen on this visit: the whole reward, the link included
        if (first?.reward) reward = rewardView(first.reward);
        else {
          const again = await callApi('magnet.claim', { requestId: newRequestId() });
          if (again.ok) reward = rewardView(again.data.reward);
        }
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
        invited: !claimed && session.invite.status === 'pending',
        ...inviterView(session.inviter),
        profile: session.profile,
        askProfile: claimed && !session.profile.nickname && !profileSkipped(),
        shareNote: shareNoteOf(campaign.data.qualifyingAction),
      });
    },

    showInactive(title: string, message: string) {
      runtimeOf(this).loaded = true;
      this.setData({ state: 'inactive', inactiveTitle: title, message });
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
        this.setData({
          claimed: true,
          invited: false,
          reward: rewardView(answer.data.reward),
          // a natural moment to ask who they are (issue 10): their friends will see it
          askProfile: !this.data.profile.nickname && !profileSkipped(),
          claimedCount: this.data.claimedCount + (answer.data.alreadyClaimed ? 0 : 1),
        });
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

    // Distribution (issue 10): the avatar and nickname friends see ---------------------------

    /** WeChat's avatar button answers a temporary file of the chosen picture. */
    onChooseAvatar(event: WechatMiniprogram.CustomEvent<{ avatarUrl: string }>) {
      const path = event.detail?.avatarUrl;
      if (!path) return;
      runtimeOf(this).avatarPath = path;
      this.setData({ draftAvatar: path, profileError: '' });
    },

    /** WeChat's nickname input fills itself when the visitor picks their WeChat nickname. */
    onNicknameInput(event: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ draftNickname: event.detail?.value ?? '', profileError: '' });
    },

    onSkipProfile() {
      try {
        wx.setStorageSync(PROFILE_SKIPPED_KEY, true);
      } catch {
        // storage full: asked again next time, which is harmless
      }
      this.setData({ askProfile: false });
    },

    async onSaveProfile() {
      const runtime = runtimeOf(this);
      if (runtime.savingProfile) return;
      const nickname = this.data.draftNickname.trim();
      if (!nickname) {
        this.setData({ profileError: '请填写昵称' });
        return;
      }
      runtime.savingProfile = true;
      this.setData({ savingProfile: true, profileError: '' });
      try {
        let avatarFileId: string | undefined;
        if (runtime.avatarPath) {
          const uploaded = await uploadImage(
            `avatars/${ownInviteCode() ?? 'visitor'}-${Date.now()}.png`,
            runtime.avatarPath,
          );
          if (!uploaded.ok) {
            this.setData({ profileError: uploaded.error.message });
            return;
          }
          avatarFileId = uploaded.data.fileID;
        }
        const answer = await callApi('profile.update', {
          nickname,
          ...(avatarFileId ? { avatarFileId } : {}),
        });
        if (!answer.ok) {
          // the content check's refusal is worded for the visitor; other problems are not
          const own = answer.error.issues?.some((issue) => issue.path === 'nickname');
          this.setData({
            profileError:
              own && /[\u4e00-\u9fa5]/.test(answer.error.message)
                ? answer.error.message
                : answer.error.code === 'BAD_REQUEST'
                  ? '昵称须为 1–20 个字'
                  : friendlyMessage(answer.error),
          });
          return;
        }
        runtime.avatarPath = undefined;
        this.setData({ askProfile: false, profile: answer.data });
        wx.showToast({ title: '已保存', icon: 'success' }).catch(() => undefined);
      } finally {
        runtime.savingProfile = false;
        this.setData({ savingProfile: false });
      }
    },

    onImageError() {
      this.setData({ imageFailed: true });
    },

    onOpenCoupon(event: WechatMiniprogram.CustomEvent<{ id: string }>) {
      const { id } = event.detail;
      if (id) openPage(ROUTES.coupon, { id });
    },

    onNavigate(event: WechatMiniprogram.BaseEvent) {
      const target = (event.currentTarget.dataset as { target?: PageName }).target;
      if (target && target in ROUTES) openPage(ROUTES[target]);
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

    // Operator studio (issue 9)
    onOpenRules() {
      openPage(ROUTES.rules);
    },

    onOpenAdmin() {
      openPage(ROUTES.dashboard);
    },
  },
});
