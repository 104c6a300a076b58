/**
 * 编辑活动 (owners), operator studio (issue 9): a campaign's config in nine steps a person can
 * follow on a phone — 基本信息, 引流福利, 转盘奖品, 优惠券, 邀请与黑卡, 社群与渠道, 会员运营,
 * 消息提醒, 推演与发布 (utils/campaign-steps.ts names every field). Controls: text and numbers,
 * date and time pickers, choices, image uploads, switches, lists whose items are added, removed
 * and (where the order means something) moved, and maps of rows (a subscribe-message template's
 * 字段名 → 内容). Every field has its hint; the server validates each save in full and its
 * problems come back in Chinese, placed beside their fields (utils/campaign-form.ts), with a dot
 * on every step that has some. Each save carries the version the operator loaded: if someone
 * saved meanwhile, the server answers CONFLICT and the page offers to reload.
 *
 * The last step projects the campaign (`campaign.simulate`, with a seeded band) as a chart with
 * its warnings, before 发布 (`campaign.setStatus` live) for a draft, or 保存 for a running one.
 */
import type {
  CampaignStatus,
  CampaignWarning,
  TrafficAssumptionsInput,
  ValidationIssue,
} from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage, uploadImage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { instanceState } from '../../../utils/instance-state';
import { replacePage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
import {
  SIMULATE_STEP,
  STEPS,
  addItem,
  addMapRow,
  getAt,
  instantOf,
  moveItem,
  parsePath,
  placeNotes,
  removeItem,
  removeMapRow,
  renameMapKey,
  setAt,
  setFallback,
  setField,
  setMapValue,
  stepView,
  type FieldType,
  type Loose,
  type Notes,
  type StepView,
} from '../../utils/campaign-form';
import { consolePage } from '../../behaviors/console-page';
import { projectionView, type ProjectionView } from '../../utils/projection-view';
import { STATUS_LABELS } from '../../utils/status';

const LAST_STEP = STEPS.length; // the simulate step's index

/** The traffic rates the last step asks about, shown as percentages. */
const RATES: Array<{ key: keyof TrafficAssumptionsInput; label: string; hint: string }> = [
  { key: 'claimRate', label: '访客领取率', hint: '访客中领取福利（截止后为抽奖）的比例' },
  { key: 'shareRate', label: '分享率', hint: '参与的人中转发给好友的比例' },
  { key: 'friendClaimRate', label: '好友转化率', hint: '被邀请的好友完成有效动作的比例' },
  { key: 'spinsUsed', label: '抽奖使用率', hint: '有次数的人实际抽掉的比例' },
  { key: 'redemptionRate', label: '核销率', hint: '发出的券到店使用的比例' },
];

interface Runtime {
  saving: boolean;
  simulating: boolean;
  id: string;
  config: Loose;
  /** the version the operator loaded (or last saved): saves are checked against it */
  updatedAt: string;
  status: CampaignStatus;
  dirty: boolean;
  issues: ValidationIssue[];
  warnings: CampaignWarning[];
  notes: Notes;
  assumptions: TrafficAssumptionsInput;
  /** image fields uploaded in this visit: the phone's own copy, to show it */
  previews: Record<string, string>;
  /** sections switched off in this visit, as they were: switching one on again brings it back */
  stash: Record<string, unknown>;
}

const runtimeOf = instanceState<Runtime>(() => ({
  saving: false,
  simulating: false,
  id: '',
  config: {},
  updatedAt: '',
  status: 'draft',
  dirty: false,
  issues: [],
  warnings: [],
  notes: { problems: {}, warnings: {}, perStep: STEPS.map(() => 0) },
  assumptions: {},
  previews: {},
  stash: {},
}));

const emptyView: StepView = { title: '', intro: '', error: '', blocks: [] };

function extensionOf(path: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(path);
  return match ? match[1].toLowerCase() : 'jpg';
}

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    title: '',
    status: 'draft' as CampaignStatus,
    statusText: '',
    stepIndex: 0,
    steps: [...STEPS, SIMULATE_STEP].map((s, index) => ({
      key: s.key,
      title: s.title,
      index,
      problems: 0,
    })),
    view: emptyView,
    /** steps other than this one with problems, in words */
    elsewhere: '',
    dirty: false,
    saving: false,
    /** the last step */
    channelsTraffic: [] as Array<{ code: string; name: string; value: string }>,
    rates: [] as Array<{ key: string; label: string; hint: string; value: string }>,
    friendsPerSharer: '',
    simulating: false,
    simulateError: '',
    projection: null as ProjectionView | null,
    previews: {} as Record<string, string>,
  },

  methods: {
    onLoad(query: { id?: string; step?: string } = {}) {
      runtimeOf(this).id = query.id ?? '';
      const step = Number(query.step);
      if (Number.isInteger(step) && step >= 0 && step <= LAST_STEP) {
        this.setData({ stepIndex: step });
      }
      return this.load();
    },

    async fetch() {
      const runtime = runtimeOf(this);
      const loaded = await callAdmin('campaign.get', runtime.id ? { id: runtime.id } : {});
      if (!loaded.ok) {
        this.failed(loaded.error);
        return;
      }
      if (loaded.data.status === 'ended') {
        // history: cloned, never edited (the server refuses it too)
        this.setData({
          state: 'error',
          message: '活动已结束，不能再修改；可以在活动管理里复制它，作为新活动编辑',
        });
        return;
      }
      runtime.id = loaded.data.id;
      runtime.config = JSON.parse(JSON.stringify(loaded.data.config)) as Loose;
      runtime.updatedAt = loaded.data.updatedAt;
      runtime.status = loaded.data.status;
      runtime.dirty = false;
      runtime.issues = [];
      runtime.warnings = [];
      this.setData({ state: 'ready', message: '', projection: null, simulateError: '' });
      this.render();
      this.renderTraffic();
      if (this.data.stepIndex === LAST_STEP) await this.simulate();
    },

    /** The current step as the config and the notes say. */
    render() {
      const runtime = runtimeOf(this);
      runtime.notes = placeNotes(runtime.config, runtime.issues, runtime.warnings);
      const { stepIndex } = this.data;
      const perStep = runtime.notes.perStep;
      const elsewhere = perStep
        .map((count, index) => ({ count, index }))
        .filter((s) => s.count > 0 && s.index !== stepIndex)
        .map((s) => `第 ${s.index + 1} 步「${STEPS[s.index].title}」${s.count} 处`)
        .join('、');
      this.setData({
        title: String(runtime.config.title ?? ''),
        status: runtime.status,
        statusText: STATUS_LABELS[runtime.status],
        steps: this.data.steps.map((step) => ({ ...step, problems: perStep[step.index] ?? 0 })),
        view:
          stepIndex < LAST_STEP ? stepView(stepIndex, runtime.config, runtime.notes) : emptyView,
        elsewhere,
        dirty: runtime.dirty,
        previews: runtime.previews,
      });
    },

    changed() {
      const runtime = runtimeOf(this);
      runtime.dirty = true;
      if (!this.data.dirty) this.setData({ dirty: true });
    },

    // ---- fields ------------------------------------------------------------------------------

    /** Typing: stored as it comes; its message goes (the next save says if it is still wrong). */
    onFieldInput(event: WechatMiniprogram.Input) {
      const { path, type, view } = event.currentTarget.dataset as {
        path: string;
        type: FieldType;
        view: string;
      };
      setField(runtimeOf(this).config, path, type, event.detail.value);
      this.changed();
      if (view) this.setData({ [`${view}.error`]: '', [`${view}.warning`]: '' });
    },

    onSelect(event: WechatMiniprogram.PickerChange) {
      const { path, type, values } = event.currentTarget.dataset as {
        path: string;
        type: FieldType;
        values: string[];
      };
      const value = values[Number(event.detail.value)];
      if (value === undefined) return;
      setField(runtimeOf(this).config, path, type, value);
      this.afterChange(path);
    },

    onDateChange(event: WechatMiniprogram.PickerChange) {
      const { path, time } = event.currentTarget.dataset as { path: string; time: string };
      setField(
        runtimeOf(this).config,
        path,
        'datetime',
        instantOf(String(event.detail.value), time),
      );
      this.afterChange(path);
    },

    onTimeChange(event: WechatMiniprogram.PickerChange) {
      const { path, date } = event.currentTarget.dataset as { path: string; date: string };
      if (!date) return;
      setField(
        runtimeOf(this).config,
        path,
        'datetime',
        instantOf(date, String(event.detail.value)),
      );
      this.afterChange(path);
    },

    /** A choice was made: the field's messages go, and the step shows what the choice implies. */
    afterChange(path: string) {
      const runtime = runtimeOf(this);
      runtime.issues = runtime.issues.filter((i) => i.path !== `config.${path}`);
      runtime.warnings = runtime.warnings.filter((w) => w.field !== path);
      this.changed();
      this.render();
    },

    /** Messages about what is under `path` no longer fit (items moved, a part switched off). */
    forget(path: string) {
      const runtime = runtimeOf(this);
      runtime.issues = runtime.issues.filter((i) => !i.path.startsWith(`config.${path}.`));
      runtime.warnings = runtime.warnings.filter((w) => !w.field.startsWith(`${path}.`));
    },

    /** A switch (true/false), or a section (an optional part) switched on or off. */
    onToggle(event: WechatMiniprogram.TouchEvent) {
      const { path, type, on } = event.currentTarget.dataset as {
        path: string;
        type: FieldType;
        on: boolean;
      };
      const { config, stash } = runtimeOf(this);
      if (type !== 'section') {
        setField(config, path, type, on ? 'false' : 'true');
      } else if (on) {
        stash[path] = getAt(config, parsePath(path));
        setField(config, path, type, 'off');
        this.forget(path);
      } else if (stash[path] !== undefined) {
        setAt(config, parsePath(path), stash[path]);
      } else {
        setField(config, path, type, 'on');
      }
      this.afterChange(path);
    },

    // ---- maps: rows of 字段名 → 内容 -------------------------------------------------------

    onMapValue(event: WechatMiniprogram.Input) {
      const { path, key, view } = event.currentTarget.dataset as {
        path: string;
        key: string;
        view: string;
      };
      setMapValue(runtimeOf(this).config, path, key, event.detail.value);
      this.changed();
      if (view) this.setData({ [`${view}.error`]: '' });
    },

    /** A row renamed, when its name is left (renaming while typing would pass through others'). */
    onMapKey(event: WechatMiniprogram.InputBlur) {
      const { path, key, view } = event.currentTarget.dataset as {
        path: string;
        key: string;
        view: string;
      };
      const typed = event.detail.value;
      if (typed === key) return;
      const refused = renameMapKey(runtimeOf(this).config, path, key, typed);
      if (refused) {
        toast(refused);
        // the input shows what was typed: put the row's name back
        this.setData({ [`${view}.key`]: typed });
        this.render();
        return;
      }
      this.forget(`${path}.${key}`);
      this.afterChange(`${path}.${key}`);
    },

    onAddRow(event: WechatMiniprogram.TouchEvent) {
      const { path } = event.currentTarget.dataset as { path: string };
      addMapRow(runtimeOf(this).config, path);
      this.afterChange(path);
    },

    onRemoveRow(event: WechatMiniprogram.TouchEvent) {
      const { path, key } = event.currentTarget.dataset as { path: string; key: string };
      removeMapRow(runtimeOf(this).config, path, key);
      this.afterChange(`${path}.${key}`);
    },

    async onChooseImage(event: WechatMiniprogram.TouchEvent) {
      const { path } = event.currentTarget.dataset as { path: string };
      const runtime = runtimeOf(this);
      let file = '';
      try {
        const res = await wx.chooseMedia({
          count: 1,
          mediaType: ['image'],
          sourceType: ['album', 'camera'],
        });
        file = res.tempFiles[0]?.tempFilePath ?? '';
      } catch {
        return; // cancelled
      }
      if (!file) return;
      const random = Math.random().toString(36).slice(2, 8);
      const cloudPath = `campaigns/${runtime.id}/${Date.now()}-${random}.${extensionOf(file)}`;
      wx.showLoading({ title: '上传中…' }).catch(() => undefined);
      const upload = await uploadImage(cloudPath, file);
      wx.hideLoading().catch(() => undefined);
      if (!upload.ok) {
        toast(upload.error.message);
        return;
      }
      setAt(runtime.config, parsePath(path), upload.data.fileID);
      runtime.previews = { ...runtime.previews, [path]: file };
      this.afterChange(path);
    },

    onSetFallback(event: WechatMiniprogram.TouchEvent) {
      const index = Number((event.currentTarget.dataset as { index: number }).index);
      setFallback(runtimeOf(this).config, index);
      this.afterChange('lottery.prizes');
    },

    onAddItem(event: WechatMiniprogram.TouchEvent) {
      const { list } = event.currentTarget.dataset as { list: string };
      addItem(runtimeOf(this).config, list);
      this.afterChange(list);
    },

    async onRemoveItem(event: WechatMiniprogram.TouchEvent) {
      const { list, index, title } = event.currentTarget.dataset as {
        list: string;
        index: number;
        title: string;
      };
      const { confirm } = await wx.showModal({
        title: `删除「${title}」？`,
        content: '保存后生效。',
        confirmText: '删除',
      });
      if (!confirm) return;
      removeItem(runtimeOf(this).config, list, Number(index));
      // the messages were placed by index: they no longer fit the list
      this.forget(list);
      this.afterChange(list);
    },

    /** ↑ / ↓: the wheel's order, a ladder's steps. */
    onMoveItem(event: WechatMiniprogram.TouchEvent) {
      const { list, index, by } = event.currentTarget.dataset as {
        list: string;
        index: number;
        by: number;
      };
      moveItem(runtimeOf(this).config, list, Number(index), by < 0 ? -1 : 1);
      this.forget(list);
      this.afterChange(list);
    },

    // ---- steps and saving ------------------------------------------------------------------

    async goTo(index: number) {
      this.setData({ stepIndex: index });
      this.render();
      wx.pageScrollTo({ scrollTop: 0, duration: 0 }).catch(() => undefined);
      if (index === LAST_STEP) await this.simulate();
    },

    onStep(event: WechatMiniprogram.TouchEvent) {
      return this.goTo(Number((event.currentTarget.dataset as { index: number }).index));
    },

    onPrev() {
      return this.goTo(Math.max(0, this.data.stepIndex - 1));
    },

    /** 保存并继续: saves; a problem in this step keeps the operator here, beside it. */
    async onNext() {
      const saved = await this.save();
      if (saved === 'conflict') return;
      const here = runtimeOf(this).notes.perStep[this.data.stepIndex] ?? 0;
      if (saved === 'problems' && here > 0) return;
      await this.goTo(Math.min(LAST_STEP, this.data.stepIndex + 1));
    },

    onSave() {
      return this.save();
    },

    /** Saves the config on the version loaded; answers how it went. */
    async save(): Promise<'saved' | 'unchanged' | 'problems' | 'conflict' | 'failed'> {
      const runtime = runtimeOf(this);
      if (!runtime.dirty) return runtime.issues.length ? 'problems' : 'unchanged';
      if (runtime.saving) return 'failed';
      runtime.saving = true;
      this.setData({ saving: true });
      try {
        const answer = await callAdmin('campaign.update', {
          id: runtime.id,
          config: runtime.config,
          expectedUpdatedAt: runtime.updatedAt,
        });
        if (answer.ok) {
          runtime.updatedAt = answer.data.updatedAt;
          runtime.status = answer.data.status;
          runtime.dirty = false;
          runtime.issues = [];
          runtime.warnings = answer.data.warnings;
          this.render();
          toast('已保存');
          return 'saved';
        }
        if (answer.error.code === 'BAD_REQUEST' && answer.error.issues?.length) {
          runtime.issues = answer.error.issues;
          this.render();
          toast(`还有 ${runtime.issues.length} 处需要修改`);
          return 'problems';
        }
        if (answer.error.code === 'CONFLICT') {
          const { confirm } = await wx.showModal({
            title: '活动已被其他人修改',
            content: `${answer.error.message}。重新载入会放弃你这次未保存的修改。`,
            confirmText: '重新载入',
            cancelText: '稍后',
          });
          if (confirm) await this.load();
          return 'conflict';
        }
        toast(friendlyMessage(answer.error));
        return 'failed';
      } finally {
        runtime.saving = false;
        this.setData({ saving: false });
      }
    },

    // ---- the projection and 发布 --------------------------------------------------------------

    renderTraffic() {
      const runtime = runtimeOf(this);
      const channels: Loose[] = Array.isArray(runtime.config.channels)
        ? runtime.config.channels
        : [];
      const perDay = runtime.assumptions.visitorsPerDay ?? {};
      this.setData({
        channelsTraffic: channels
          .filter((c) => c.code !== 'share')
          .map((c) => ({
            code: String(c.code),
            name: String(c.name ?? c.code),
            value: perDay[c.code] === undefined ? '' : String(perDay[c.code]),
          })),
        rates: RATES.map((r) => {
          const value = runtime.assumptions[r.key];
          return {
            ...r,
            value: typeof value === 'number' ? String(Math.round(value * 100)) : '',
          };
        }),
        friendsPerSharer:
          runtime.assumptions.friendsPerSharer === undefined
            ? ''
            : String(runtime.assumptions.friendsPerSharer),
      });
    },

    onTrafficInput(event: WechatMiniprogram.Input) {
      const { code } = event.currentTarget.dataset as { code: string };
      const n = Number(event.detail.value);
      const runtime = runtimeOf(this);
      const perDay = { ...(runtime.assumptions.visitorsPerDay ?? {}) };
      if (event.detail.value.trim() === '' || !Number.isFinite(n)) delete perDay[code];
      else perDay[code] = Math.min(1_000_000, Math.max(0, Math.round(n)));
      runtime.assumptions = { ...runtime.assumptions, visitorsPerDay: perDay };
    },

    onRateInput(event: WechatMiniprogram.Input) {
      const { key } = event.currentTarget.dataset as { key: keyof TrafficAssumptionsInput };
      const n = Number(event.detail.value);
      const runtime = runtimeOf(this);
      const next = { ...runtime.assumptions } as Record<string, unknown>;
      if (event.detail.value.trim() === '' || !Number.isFinite(n)) delete next[key];
      else next[key] = Math.min(100, Math.max(0, n)) / 100;
      runtime.assumptions = next as TrafficAssumptionsInput;
    },

    onFriendsInput(event: WechatMiniprogram.Input) {
      const n = Number(event.detail.value);
      const runtime = runtimeOf(this);
      const next = { ...runtime.assumptions };
      if (event.detail.value.trim() === '' || !Number.isFinite(n)) delete next.friendsPerSharer;
      else next.friendsPerSharer = Math.min(100, Math.max(0, n));
      runtime.assumptions = next;
    },

    /** 重新推演, from the assumptions below the results: the results are read from the top. */
    async onSimulate() {
      await this.simulate();
      wx.pageScrollTo({ scrollTop: 0, duration: 200 }).catch(() => undefined);
    },

    /** Saves what changed, then projects the saved campaign with the assumptions given. */
    async simulate() {
      const runtime = runtimeOf(this);
      if (runtime.simulating) return;
      const saved = await this.save();
      if (saved === 'problems' || saved === 'conflict' || saved === 'failed') {
        this.setData({ simulateError: '先改好上面各步标红的地方，再推演', projection: null });
        return;
      }
      runtime.simulating = true;
      this.setData({ simulating: true, simulateError: '' });
      try {
        const answer = await callAdmin('campaign.simulate', {
          id: runtime.id,
          assumptions: runtime.assumptions,
          bands: { runs: 100, seed: 1 },
        });
        if (!answer.ok) {
          this.setData({ simulateError: friendlyMessage(answer.error), projection: null });
          return;
        }
        // the defaults the server filled in become the fields' values
        runtime.assumptions = answer.data.assumptions;
        this.renderTraffic();
        this.setData({ projection: projectionView(answer.data) });
      } finally {
        runtime.simulating = false;
        this.setData({ simulating: false });
      }
    },

    async onPublish() {
      const runtime = runtimeOf(this);
      const saved = await this.save();
      if (saved !== 'saved' && saved !== 'unchanged') return;
      const current = await callAdmin('campaign.list', {});
      const live = current.ok
        ? current.data.campaigns.find(
            (c) => c.active && c.id !== runtime.id && c.status !== 'ended',
          )
        : undefined;
      const { confirm } = await wx.showModal({
        title: '发布活动？',
        content: live
          ? `发布后访客将看到「${this.data.title}」，正在进行的「${live.title}」会结束。`
          : `发布后访客将看到「${this.data.title}」，到开始时间自动开始。`,
        confirmText: '发布',
      });
      if (!confirm) return;
      const answer = await callAdmin('campaign.setStatus', { id: runtime.id, status: 'live' });
      if (!answer.ok) {
        toast(
          answer.error.code === 'CONFLICT' ? answer.error.message : friendlyMessage(answer.error),
        );
        return;
      }
      runtime.status = answer.data.status;
      this.render();
      wx.showToast({
        title: answer.data.status === 'live' ? '已发布' : '已发布，到点开始',
        icon: 'success',
      }).catch(() => undefined);
      replacePage(ROUTES.campaigns);
    },
  },
});
