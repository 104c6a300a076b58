/**
 * 大转盘: the wheel of the campaign's prizes, the spins left, and the spin. The server draws and
 * commits first (`lottery.spin`); the wheel then turns to the sector it answered, and only once it
 * rests does the page show the result and the new count. One spin at a time: the button is
 * guarded from the tap until the wheel stops, and the requestId of a spin whose answer was lost
 * is sent again on the retry, so the server answers that spin instead of consuming another.
 *
 * No spins left → an invitation to share (a friend who claims the gift earns another spin; the
 * share itself earns nothing, as WeChat requires).
 *
 * Distribution (issue 10): recent wins (中奖播报, masked names from the server), what is left of
 * the limited prizes (仅剩 N 份), the inviter's poster and a drawn share card.
 */
import type { ApiResults, PublicCampaign } from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage, newRequestId } from '../../services/api';
import { ownInviteCode, sharePath } from '../../services/session';
import { drawShareCard, openInviterPoster, shareImageOf } from '../../services/posters';
import { enableSharing, toast } from '../../services/ui';
import { serverOffset } from '../../utils/countdown';
import { formatDateTime } from '../../utils/format';
import { instanceState } from '../../utils/instance-state';
import { openPage, replacePage } from '../../utils/nav';
import { ROUTES } from '../../utils/routes';
import { windowPhase } from '../../utils/schedule';
import { visitorPage } from '../../behaviors/visitor-page';

type State = 'loading' | 'ready' | 'inactive' | 'error';
type Dialog = '' | 'result' | 'no-spins';
type Sector = PublicCampaign['wheel']['sectors'][number];
type SpinAnswer = ApiResults['lottery.spin'];
type Win = ApiResults['lottery.recentWins']['wins'][number];

interface WheelComponent {
  spinTo(sectorIndex: number): Promise<void>;
}

const SHARE_TITLE = '送你一份新人福利，点开就能领';

interface Runtime {
  loaded: boolean;
  spinning: boolean;
  /** the spin in flight, or whose answer was lost: sent again on the retry */
  requestId?: string;
  shareTitle: string;
  campaign?: PublicCampaign;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({
  loaded: false,
  spinning: false,
  shareTitle: SHARE_TITLE,
}));

/** 仅剩 N 份 is said where it is real: a prize with this many or fewer left. */
const SCARCE_AT = 100;

/** A prize in the list, with what is left of it when that is scarce (仅剩 N 份). */
function prizeList(campaign: PublicCampaign) {
  const left = new Map((campaign.socialProof?.limited ?? []).map((p) => [p.id, p.left]));
  return campaign.wheel.sectors.map((sector) => {
    const units = left.get(sector.id);
    return {
      ...sector,
      leftText:
        units === undefined || units > SCARCE_AT ? '' : units === 0 ? '已抽完' : `仅剩 ${units} 份`,
    };
  });
}

function winsView(wins: Win[]) {
  return wins.map((win, key) => ({
    key,
    who: win.who,
    prize: win.prize,
    time: formatDateTime(win.at).slice(-5),
  }));
}

/**
 * What the result dialog says for each kind of prize. A coupon's details are only those the
 * prize's name does not already say (全场8折券: its title 全场饮品8折券, not 8折 again).
 */
function resultView(answer: SpinAnswer) {
  const { prize, coupon, resourceUrl, spinsLeft } = answer;
  const base = {
    kind: prize.kind,
    prizeName: prize.name,
    couponTitle: '',
    couponExpiry: '',
    resourceUrl: '',
  };
  switch (prize.kind) {
    case 'coupon':
      return {
        ...base,
        heading: '恭喜你抽中',
        note: '已放入你的券包，到店出示即可使用',
        couponTitle: coupon && coupon.title !== prize.name ? coupon.title : '',
        couponExpiry: coupon ? `有效期至 ${formatDateTime(coupon.expiresAt)}` : '',
      };
    case 'resource':
      return {
        ...base,
        heading: '恭喜你抽中',
        note: resourceUrl ? '复制链接，在浏览器中打开即可查看' : '',
        resourceUrl: resourceUrl ?? '',
      };
    case 'physical':
      // Rewards (issue 12): the prize is a voucher in the wallet, not a screenshot
      return {
        ...base,
        heading: '恭喜你抽中',
        note:
          coupon?.prize?.fulfilment === 'shipping'
            ? '奖品已放入你的券包，填写收货地址后为你寄出'
            : '奖品已放入你的券包，到店出示领取码即可领取',
        couponExpiry: coupon ? `领取截止 ${formatDateTime(coupon.expiresAt)}` : '',
      };
    default:
      // a draw promises nothing: say what happened, no "next time for sure"
      return {
        ...base,
        heading: '谢谢参与',
        note: spinsLeft > 0 ? '这次没有抽中，换个手气再试试' : '这次没有抽中，感谢参与',
      };
  }
}

/** Operator studio (issue 9): what the invite card promises, by the qualifying action now. */
function inviteNoteOf(action: PublicCampaign['qualifyingAction']): string {
  if (action === 'claim')
    return '好友通过你分享的卡片进入并领取新人福利后，你即可获得额外的抽奖次数。';
  if (action === 'spin')
    return '好友通过你分享的卡片进入并完成首次抽奖后，你即可获得额外的抽奖次数。';
  return '';
}

const emptyResult = resultView({
  sectorIndex: 0,
  prize: { id: '', name: '', kind: 'none' },
  spinsLeft: 0,
});

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [visitorPage],

  data: {
    state: 'loading' as State,
    sectors: [] as Sector[],
    prizes: [] as Array<Sector & { leftText: string }>,
    wins: [] as ReturnType<typeof winsView>,
    spinsLeft: 0,
    spinning: false,
    dialog: '' as Dialog,
    result: emptyResult,
    /** Operator studio (issue 9): how a friend earns you a spin now; '' when none can */
    inviteNote: '',
  },

  methods: {
    onLoad() {
      enableSharing();
      return this.load();
    },

    /** Back from sharing or from the wallet: friends may have earned more spins meanwhile. */
    onShow() {
      const runtime = runtimeOf(this);
      if (!runtime.loaded || runtime.spinning) return undefined;
      return this.refreshSpins();
    },

    async fetch() {
      const runtime = runtimeOf(this);
      try {
        const [campaign, status, wins] = await Promise.all([
          callApi('campaign.get', {}),
          callApi('lottery.status', {}),
          callApi('lottery.recentWins', {}),
        ]);
        if (!campaign.ok) {
          if (campaign.error.code === 'CAMPAIGN_NOT_ACTIVE') {
            this.setData({ state: 'inactive', message: '活动未开始或已结束' });
          } else {
            this.setData({ state: 'error', message: friendlyMessage(campaign.error) });
          }
          return;
        }
        // Operator studio (issue 9): a paused or ended campaign is closed, whatever its dates
        if (campaign.data.status === 'paused' || campaign.data.status === 'ended') {
          this.setData({
            state: 'inactive',
            message:
              campaign.data.status === 'paused' ? '活动暂停中，请稍后再来' : '活动已结束，感谢参与',
          });
          return;
        }
        const serverNow = Date.now() + serverOffset(campaign.data.serverNow, Date.now());
        const phase = windowPhase(campaign.data, serverNow);
        if (phase !== 'open') {
          this.setData({
            state: 'inactive',
            message: phase === 'upcoming' ? '活动还没开始，敬请期待' : '活动已结束，感谢参与',
          });
          return;
        }
        if (!status.ok) {
          this.setData({ state: 'error', message: friendlyMessage(status.error) });
          return;
        }
        runtime.loaded = true;
        runtime.shareTitle = campaign.data.magnet.title || SHARE_TITLE;
        runtime.campaign = campaign.data;
        this.setData({
          state: 'ready',
          message: '',
          sectors: campaign.data.wheel.sectors,
          prizes: prizeList(campaign.data),
          // social proof is decoration: without it the wheel still spins
          wins: wins.ok ? winsView(wins.data.wins) : [],
          spinsLeft: status.data.spinsLeft,
          inviteNote: inviteNoteOf(campaign.data.qualifyingAction),
        });
      } finally {
        // the shared card's picture, whatever this load showed
        if (runtime.campaign) void drawShareCard(this, runtime.campaign);
      }
    },

    async onMakePoster() {
      const { campaign } = runtimeOf(this);
      this.setData({ dialog: '' });
      if (campaign) await openInviterPoster(this, campaign);
    },

    async refreshSpins() {
      const status = await callApi('lottery.status', {});
      if (status.ok && !runtimeOf(this).spinning)
        this.setData({ spinsLeft: status.data.spinsLeft });
    },

    async onSpin() {
      const runtime = runtimeOf(this);
      if (runtime.spinning || this.data.state !== 'ready') return;
      runtime.spinning = true;
      this.setData({ spinning: true, dialog: '' });
      try {
        runtime.requestId ??= newRequestId();
        const answer = await callApi('lottery.spin', { requestId: runtime.requestId });
        if (!answer.ok) {
          if (answer.error.code === 'NO_SPINS_LEFT') {
            this.setData({ spinsLeft: 0, dialog: 'no-spins' });
          } else {
            toast(friendlyMessage(answer.error));
          }
          return;
        }
        // answered: the next spin is a new one
        runtime.requestId = undefined;
        const wheel = this.selectComponent('#wheel') as unknown as WheelComponent | null;
        try {
          await wheel?.spinTo(answer.data.sectorIndex);
        } catch {
          // a sector missing from this wheel (the campaign changed meanwhile): the result stands
        }
        this.setData({
          spinsLeft: answer.data.spinsLeft,
          dialog: 'result',
          result: resultView(answer.data),
        });
      } finally {
        runtime.spinning = false;
        this.setData({ spinning: false });
      }
    },

    onCloseDialog() {
      this.setData({ dialog: '' });
    },

    /** Taps inside the dialog's panel must not reach the mask (which closes it). */
    onPanelTap() {},

    onSpinAgain() {
      this.setData({ dialog: '' });
      return this.onSpin();
    },

    onGoWallet() {
      this.setData({ dialog: '' });
      openPage(ROUTES.wallet);
    },

    onGoLanding() {
      replacePage(ROUTES.landing);
    },

    onCopyResource() {
      const url = this.data.result.resourceUrl;
      if (!url) return;
      wx.setClipboardData({
        data: url,
        success: () => toast('链接已复制，粘贴到浏览器打开'),
      });
    },

    onShareAppMessage() {
      return {
        title: runtimeOf(this).shareTitle,
        path: sharePath(ownInviteCode()),
        ...shareImageOf(this),
      };
    },

    onShareTimeline() {
      const [, query = ''] = sharePath(ownInviteCode()).split('?');
      return { title: runtimeOf(this).shareTitle, query };
    },

    // Operator studio (issue 9)
    onOpenRules() {
      openPage(ROUTES.rules);
    },
  },
});
