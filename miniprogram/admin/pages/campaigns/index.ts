/**
 * 活动管理 (owners), operator studio (issue 9): every campaign with its status and figures, and
 * what can be done with each — 编辑, 发布 (a draft), 暂停 / 恢复, 结束, 复制 — plus a new campaign
 * from a blank template. Publishing and ending ask first; the server decides what is allowed
 * (domain/lifecycle.ts) and this page says what it answered.
 */
import type {
  CampaignStatus,
  CampaignStatusTarget,
  CampaignSummary,
} from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatCount, formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { openPage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
import { blankCampaign } from '../../utils/blank-campaign';
import { consolePage } from '../../behaviors/console-page';
import { STATUS_BADGES, STATUS_LABELS } from '../../utils/status';

interface Action {
  key: 'edit' | 'publish' | 'pause' | 'resume' | 'end' | 'clone';
  text: string;
  primary: boolean;
}

/** What an operator can do with a campaign in each status. */
const ACTIONS: Record<CampaignStatus, Action['key'][]> = {
  draft: ['edit', 'publish', 'clone'],
  scheduled: ['edit', 'pause', 'end', 'clone'],
  live: ['edit', 'pause', 'end', 'clone'],
  paused: ['edit', 'resume', 'end', 'clone'],
  ended: ['clone'],
};

const ACTION_TEXT: Record<Action['key'], string> = {
  edit: '编辑',
  publish: '发布',
  pause: '暂停',
  resume: '恢复',
  end: '结束',
  clone: '复制',
};

const PRIMARY: ReadonlyArray<Action['key']> = ['publish', 'resume'];

function campaignView(c: CampaignSummary) {
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    statusText: STATUS_LABELS[c.status],
    badge: STATUS_BADGES[c.status],
    active: c.active,
    dates: `${formatDateTime(c.startAt)} 至 ${formatDateTime(c.endAt)}`,
    figures: [
      { key: 'visitors', label: '访客', value: formatCount(c.figures.visitors) },
      { key: 'claims', label: '领取', value: formatCount(c.figures.claims) },
      { key: 'verified', label: '有效邀请', value: formatCount(c.figures.invitesVerified) },
      { key: 'cards', label: '黑卡', value: formatCount(c.figures.cardsUnlocked) },
    ],
    actions: ACTIONS[c.status].map((key): Action => ({
      key,
      text: ACTION_TEXT[key],
      primary: PRIMARY.includes(key),
    })),
  };
}

interface Runtime {
  busy: boolean;
  campaigns: CampaignSummary[];
}

const runtimeOf = instanceState<Runtime>(() => ({ busy: false, campaigns: [] }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    campaigns: [] as ReturnType<typeof campaignView>[],
    busy: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    /** Back from the editor: what it saved or published shows. */
    onShow() {
      if (this.data.state === 'ready') return this.load();
      return undefined;
    },

    async fetch() {
      const list = await callAdmin('campaign.list', {});
      if (!list.ok) {
        this.failed(list.error);
        return;
      }
      runtimeOf(this).campaigns = list.data.campaigns;
      this.setData({
        state: 'ready',
        message: '',
        campaigns: list.data.campaigns.map(campaignView),
      });
    },

    async onAction(event: WechatMiniprogram.TouchEvent) {
      const { id, action } = event.currentTarget.dataset as { id: string; action: Action['key'] };
      const runtime = runtimeOf(this);
      const campaign = runtime.campaigns.find((c) => c.id === id);
      if (!campaign || runtime.busy) return;
      if (action === 'edit') {
        openPage(ROUTES.editor, { id });
        return;
      }
      runtime.busy = true;
      this.setData({ busy: true });
      try {
        if (action === 'clone') await this.clone(campaign);
        else await this.changeStatus(campaign, action);
      } finally {
        runtime.busy = false;
        this.setData({ busy: false });
      }
    },

    async clone(campaign: CampaignSummary) {
      const created = await callAdmin('campaign.create', { cloneOf: campaign.id });
      if (!created.ok) {
        toast(friendlyMessage(created.error));
        return;
      }
      await this.load();
      openPage(ROUTES.editor, { id: created.data.id });
    },

    async onCreate() {
      const runtime = runtimeOf(this);
      if (runtime.busy) return;
      runtime.busy = true;
      try {
        const created = await callAdmin('campaign.create', { config: blankCampaign(new Date()) });
        if (!created.ok) {
          toast(friendlyMessage(created.error));
          return;
        }
        await this.load();
        openPage(ROUTES.editor, { id: created.data.id });
      } finally {
        runtime.busy = false;
      }
    },

    async changeStatus(
      campaign: CampaignSummary,
      action: Exclude<Action['key'], 'edit' | 'clone'>,
    ) {
      const target: CampaignStatusTarget =
        action === 'pause' ? 'paused' : action === 'end' ? 'ended' : 'live';
      const question = await this.confirm(campaign, action);
      if (!question) return;
      const answer = await callAdmin('campaign.setStatus', { id: campaign.id, status: target });
      if (!answer.ok) {
        toast(
          answer.error.code === 'CONFLICT' ? answer.error.message : friendlyMessage(answer.error),
        );
        await this.load();
        return;
      }
      wx.showToast({ title: `已${ACTION_TEXT[action]}`, icon: 'success' }).catch(() => undefined);
      await this.load();
    },

    /** What each change means for visitors, asked before it happens. */
    async confirm(campaign: CampaignSummary, action: 'publish' | 'pause' | 'resume' | 'end') {
      const holder = runtimeOf(this).campaigns.find(
        (c) => c.active && c.id !== campaign.id && c.status !== 'ended',
      );
      const content = {
        publish: holder
          ? `发布后访客看到的是这个活动，正在进行的「${holder.title}」会结束。`
          : '发布后访客看到的是这个活动，到开始时间自动开始。',
        pause: '暂停期间访客打开活动会看到“活动暂停中”，不能领取、抽奖和邀请；恢复后继续。',
        resume: '恢复后访客可以继续领取、抽奖和邀请。',
        end: '结束后不能再恢复或修改，只能复制为新活动。已发的券仍可核销。',
      }[action];
      const { confirm } = await wx.showModal({
        title: `${ACTION_TEXT[action]}「${campaign.title}」？`,
        content,
        confirmText: ACTION_TEXT[action],
      });
      return confirm;
    },
  },
});
