/**
 * 渠道二维码 (owners), issue 10: where visitors come from — a poster in the shop, a card on the
 * counter, a KOC — each with its own Mini Program code (scene `.<code>`, made once and kept: a
 * printed code keeps working in the next campaign), the spend of this campaign on it, and
 * printable posters (A4 and 台卡) drawn on a canvas and saved to the album.
 *
 * The channel's figures (visitors, claims, members brought, cost per member, ROI) are on the
 * dashboard; this page makes and prints the codes.
 */
import type {
  ChannelView,
  PublicCampaign,
  ValidationIssue,
} from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, callApi, friendlyMessage } from '../../../services/api';
import type { PosterSheet } from '../../../services/posters';
import { consolePage } from '../../behaviors/console-page';
import { toast } from '../../../services/ui';
import { formatFen } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import {
  CHANNEL_POSTER_SIZES,
  channelPoster,
  offerOf,
  type ChannelPosterSize,
} from '../../../utils/poster';
import { isChannelCode } from '../../../utils/scene';

type Field = 'code' | 'name' | 'cost' | 'note';
type FieldErrors = Partial<Record<Field | 'form', string>>;

const FIELD_HINTS: Record<Field, string> = {
  code: '渠道代码须为 1–16 位小写字母、数字、_ 或 -',
  name: '请填写 1–20 个字的渠道名称',
  cost: '投放金额须为不小于 0 的数字（元）',
  note: '备注最多 100 个字',
};

const hasChinese = (text: string): boolean => /[\u4e00-\u9fa5]/.test(text);

function errorsFromIssues(issues: ValidationIssue[] | undefined, message: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues ?? []) {
    const field = issue.path.split('.')[0] as Field;
    const text = hasChinese(issue.message) ? issue.message : '';
    if (field in FIELD_HINTS) errors[field] ??= text || FIELD_HINTS[field];
    else errors.form ??= text || message;
  }
  if (!Object.keys(errors).length) errors.form = hasChinese(message) ? message : '提交的内容有误';
  return errors;
}

/** ¥ as typed (`50`, `49.9`) → fen; NaN when it is not an amount. */
function fenOf(yuan: string): number {
  const text = yuan.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * 100);
}

function channelsView(channels: ChannelView[]) {
  return channels.map((c) => ({
    code: c.code,
    name: c.name,
    note: c.note,
    costText: c.cost !== undefined ? `本期投放 ${formatFen(c.cost)}` : '本期未记投放',
    fromCampaign: c.source === 'campaign',
    qrUrl: c.qrcode?.url ?? '',
    scene: c.qrcode?.scene ?? '',
  }));
}

const emptyForm = { code: '', name: '', cost: '', note: '', editing: false };

interface Runtime {
  busy: boolean;
  channels: ChannelView[];
  campaign?: PublicCampaign;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ busy: false, channels: [] }));

const noErrors: FieldErrors = {};

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    channels: [] as ReturnType<typeof channelsView>,
    form: emptyForm,
    errors: noErrors,
    submitting: false,
    sizes: Object.entries(CHANNEL_POSTER_SIZES).map(([size, { label, note }]) => ({
      size,
      label,
      note,
    })),
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async fetch() {
      // the offer printed on the posters, as visitors read it
      const campaign = await callApi('campaign.get', {});
      if (campaign.ok) runtimeOf(this).campaign = campaign.data;
      await this.refresh();
    },

    async refresh() {
      const listed = await callAdmin('channels.list', {});
      if (!listed.ok) {
        this.failed(listed.error);
        return;
      }
      runtimeOf(this).channels = listed.data.channels;
      this.setData({ state: 'ready', message: '', channels: channelsView(listed.data.channels) });
    },

    channelOf(event: WechatMiniprogram.BaseEvent): ChannelView | undefined {
      const code = String((event.currentTarget.dataset as { code?: string }).code ?? '');
      return runtimeOf(this).channels.find((c) => c.code === code);
    },

    // ---- codes and posters -------------------------------------------------------------------

    async onMakeCode(event: WechatMiniprogram.BaseEvent) {
      const channel = this.channelOf(event);
      const runtime = runtimeOf(this);
      if (!channel || runtime.busy) return;
      runtime.busy = true;
      try {
        const made = await callAdmin('channels.qrcode', { code: channel.code });
        if (!made.ok) {
          toast(hasChinese(made.error.message) ? made.error.message : friendlyMessage(made.error));
          return;
        }
        await this.refresh();
      } finally {
        runtime.busy = false;
      }
    },

    async onPoster(event: WechatMiniprogram.BaseEvent) {
      const channel = this.channelOf(event);
      const size = (event.currentTarget.dataset as { size?: ChannelPosterSize }).size ?? 'a4';
      const runtime = runtimeOf(this);
      if (!channel || runtime.busy) return;
      if (!runtime.campaign) {
        toast('没有进行中的活动，海报上没有可写的福利');
        return;
      }
      runtime.busy = true;
      try {
        // the code is made on the first poster too
        const code = channel.qrcode ?? (await this.makeCode(channel.code));
        if (!code) return;
        const spec = channelPoster({
          offer: offerOf(runtime.campaign),
          channelName: channel.name,
          channelCode: code.scene,
          size,
          qr: code.fileID,
        });
        const sheet = this.selectComponent('#poster') as unknown as PosterSheet | null;
        const { label, note } = CHANNEL_POSTER_SIZES[size];
        await sheet?.show(spec, {
          title: `${channel.name} · ${label}`,
          note: `${note}。扫码进入的访客计入「${channel.name}」`,
        });
      } finally {
        runtime.busy = false;
      }
    },

    async makeCode(code: string) {
      const made = await callAdmin('channels.qrcode', { code });
      if (!made.ok) {
        toast(hasChinese(made.error.message) ? made.error.message : friendlyMessage(made.error));
        return null;
      }
      await this.refresh();
      return made.data;
    },

    onPreviewCode(event: WechatMiniprogram.BaseEvent) {
      const url = String((event.currentTarget.dataset as { url?: string }).url ?? '');
      if (url) wx.previewImage({ urls: [url], current: url }).catch(() => undefined);
    },

    // ---- the form ----------------------------------------------------------------------------

    onEdit(event: WechatMiniprogram.BaseEvent) {
      const channel = this.channelOf(event);
      if (!channel) return;
      this.setData({
        form: {
          code: channel.code,
          name: channel.name,
          cost: channel.cost !== undefined ? String(channel.cost / 100) : '',
          note: channel.note,
          editing: true,
        },
        errors: noErrors,
      });
      wx.pageScrollTo({ selector: '.chn-form', duration: 200 }).catch(() => undefined);
    },

    onCancelEdit() {
      this.setData({ form: emptyForm, errors: noErrors });
    },

    onInput(event: WechatMiniprogram.Input) {
      const field = (event.currentTarget.dataset as { field?: Field }).field;
      if (!field) return;
      const value = field === 'code' ? event.detail.value.trim().toLowerCase() : event.detail.value;
      this.setData({ [`form.${field}`]: value, [`errors.${field}`]: '' });
    },

    async onSubmit() {
      const runtime = runtimeOf(this);
      if (runtime.busy) return;
      const { form } = this.data;
      const name = form.name.trim();
      const cost = form.cost.trim() ? fenOf(form.cost) : undefined;
      const errors: FieldErrors = {};
      if (!isChannelCode(form.code)) errors.code = FIELD_HINTS.code;
      if (!name || name.length > 20) errors.name = FIELD_HINTS.name;
      if (cost !== undefined && !Number.isFinite(cost)) errors.cost = FIELD_HINTS.cost;
      if (Object.keys(errors).length) {
        this.setData({ errors });
        return;
      }
      runtime.busy = true;
      this.setData({ submitting: true, errors: noErrors });
      try {
        const saved = await callAdmin('channels.upsert', {
          code: form.code,
          name,
          ...(cost !== undefined ? { cost } : {}),
          note: form.note.trim(),
        });
        if (!saved.ok) {
          this.setData({
            errors:
              saved.error.code === 'BAD_REQUEST'
                ? errorsFromIssues(saved.error.issues, saved.error.message)
                : {
                    form: hasChinese(saved.error.message)
                      ? saved.error.message
                      : friendlyMessage(saved.error),
                  },
          });
          return;
        }
        this.setData({ form: emptyForm });
        wx.showToast({ title: form.editing ? '已保存' : '已添加', icon: 'success' }).catch(
          () => undefined,
        );
        await this.refresh();
      } finally {
        runtime.busy = false;
        this.setData({ submitting: false });
      }
    },
  },
});
