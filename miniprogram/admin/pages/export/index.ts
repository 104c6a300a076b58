/**
 * 数据导出 (People console, issue 13; owners): a CSV of the campaign's members (optionally by
 * growth tag), coupons, winners, invites or redemptions. The export runs a page at a time on the
 * server; this page shows its progress while it polls, then offers the file's temporary link to
 * copy (open it in a computer's browser to download: Excel opens it with correct Chinese).
 */
import type {
  ExportJob,
  ExportKind,
  GrowthTag,
} from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatCount, formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { consolePage } from '../../behaviors/console-page';
import { TAG_LABELS, TAG_ORDER } from '../../utils/labels';

/** How often a running export is asked for its progress (each ask also advances it). */
const POLL_MS = 1000;

const KINDS: Array<{ kind: ExportKind; title: string; note: string }> = [
  { kind: 'members', title: '会员名单', note: '编号、昵称、标签、来源、领取、邀请、入群' },
  { kind: 'coupons', title: '优惠券', note: '每张券的发放、到期和核销' },
  { kind: 'winners', title: '中奖名单', note: '抽中的券、资料和实物（待发放）' },
  { kind: 'invites', title: '邀请记录', note: '新访客的邀请状态，老访客被拒的原因' },
  { kind: 'redemptions', title: '核销记录', note: '核销时间与核销店员' },
];

function jobView(job: ExportJob) {
  const label = KINDS.find((k) => k.kind === job.kind)?.title ?? job.kind;
  const percent =
    job.status === 'done' ? 100 : job.total > 0 ? Math.round((job.scanned / job.total) * 100) : 0;
  return {
    jobId: job.jobId,
    title: job.fileName ?? label,
    done: job.status === 'done',
    failed: job.status === 'failed',
    percent,
    progress:
      job.status === 'done'
        ? `共 ${formatCount(job.rows)} 行 · ${formatDateTime(job.finishedAt ?? job.createdAt)} 完成`
        : `已读取 ${formatCount(job.scanned)} / ${formatCount(job.total)} 条，已写入 ${formatCount(job.rows)} 行`,
    url: job.url ?? '',
  };
}

interface Runtime {
  starting: boolean;
  timer?: ReturnType<typeof setTimeout>;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ starting: false }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    kinds: KINDS.map((k) => ({ ...k, on: k.kind === 'members' })),
    kind: 'members' as ExportKind,
    tags: [
      { key: '', text: '全部' },
      ...TAG_ORDER.map((t) => ({ key: t, text: `${t} ${TAG_LABELS[t]}` })),
    ].map((t) => ({ ...t, on: t.key === '' })),
    tag: '' as GrowthTag | '',
    current: null as ReturnType<typeof jobView> | null,
    recent: [] as ReturnType<typeof jobView>[],
    starting: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    onUnload() {
      this.stopPolling();
    },

    /** The recent exports; one still running is followed. */
    async fetch() {
      const list = await callAdmin('export.list', {});
      if (!list.ok) {
        this.failed(list.error);
        return;
      }
      this.setData({ state: 'ready', message: '', recent: list.data.jobs.map(jobView) });
      const running = list.data.jobs.find((j) => j.status === 'running');
      if (running) this.follow(running);
    },

    onKind(event: WechatMiniprogram.TouchEvent) {
      const kind = String(event.currentTarget.dataset.kind ?? 'members') as ExportKind;
      this.setData({ kind, kinds: this.data.kinds.map((k) => ({ ...k, on: k.kind === kind })) });
    },

    onTag(event: WechatMiniprogram.TouchEvent) {
      const tag = String(event.currentTarget.dataset.key ?? '') as GrowthTag | '';
      this.setData({ tag, tags: this.data.tags.map((t) => ({ ...t, on: t.key === tag })) });
    },

    async onStart() {
      const runtime = runtimeOf(this);
      if (runtime.starting) return;
      runtime.starting = true;
      this.setData({ starting: true });
      try {
        const { kind, tag } = this.data;
        const job = await callAdmin('export.create', {
          kind,
          ...(kind === 'members' && tag ? { filter: { tag } } : {}),
        });
        if (!job.ok) {
          toast(friendlyMessage(job.error));
          return;
        }
        this.follow(job.data);
      } finally {
        runtime.starting = false;
        this.setData({ starting: false });
      }
    },

    /** Shows a job, and keeps asking for it while it runs. */
    follow(job: ExportJob) {
      this.setData({ current: jobView(job) });
      if (job.status === 'done') {
        this.setData({
          recent: [jobView(job), ...this.data.recent.filter((j) => j.jobId !== job.jobId)].slice(
            0,
            10,
          ),
        });
        return;
      }
      if (job.status !== 'running') return;
      const runtime = runtimeOf(this);
      this.stopPolling();
      runtime.timer = setTimeout(() => {
        void this.poll(job.jobId);
      }, POLL_MS);
    },

    async poll(jobId: string) {
      const job = await callAdmin('export.get', { jobId });
      if (!job.ok) {
        toast(friendlyMessage(job.error));
        return;
      }
      this.follow(job.data);
    },

    stopPolling() {
      const runtime = runtimeOf(this);
      if (runtime.timer) clearTimeout(runtime.timer);
      runtime.timer = undefined;
    },

    onCopy(event: WechatMiniprogram.TouchEvent) {
      const url = String(event.currentTarget.dataset.url ?? '');
      if (!url) return;
      wx.setClipboardData({ data: url }).catch(() => toast('复制失败，请长按链接复制'));
    },
  },
});
