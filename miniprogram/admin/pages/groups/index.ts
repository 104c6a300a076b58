/**
 * 群活码管理 (owners): the group pool from `stats.overview`, a form to add a group QR, and
 * stopping/restarting a group. A WeChat group QR works for 7 days from when it was generated and
 * admits scanners up to 200 members, so the form asks for the expiry printed under the QR
 * (default: 7 days from now less an hour) and a hand-out capacity (default 180, at most 200).
 *
 * Adding: choose the image → upload it to cloud storage (`groups/<timestamp>-<random>.<ext>`) →
 * `groups.upsert` with its fileID. The server validates everything (the expiry against its own
 * clock); its BAD_REQUEST issues are shown beside the fields they concern.
 */
import type { AdminResults, ValidationIssue } from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage, uploadImage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatDate, formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { groupView } from '../../../utils/pool';
import { consolePage } from '../../behaviors/console-page';

/** A pool entry; its stored `qrUrl` (a fileID) is sent back as is when the group is toggled. */
type PoolGroup = AdminResults['stats.overview']['groups'][number];

type Field = 'name' | 'image' | 'expiresAt' | 'capacity';
type FieldErrors = Partial<Record<Field | 'form', string>>;

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
/** WeChat group QRs expire 7 days after they are generated; an hour of margin by default. */
const DEFAULT_LIFETIME_MS = 7 * DAY_MS - HOUR_MS;
const DEFAULT_CAPACITY = 180;
const MAX_CAPACITY = 200;

/** Chinese wording for the server's field problems when its message is not (zod's own). */
const FIELD_HINTS: Record<Field, string> = {
  name: '请填写 1–40 个字的群名称',
  image: '请重新选择群二维码图片',
  expiresAt: '请填写正确的到期时间',
  capacity: `人数上限需为 1–${MAX_CAPACITY} 的整数`,
};

const SERVER_FIELDS: Record<string, Field> = {
  name: 'name',
  qrUrl: 'image',
  expiresAt: 'expiresAt',
  capacity: 'capacity',
};

const hasChinese = (text: string): boolean => /[\u4e00-\u9fa5]/.test(text);

/** The picker values (Shanghai wall clock) of an instant. */
function pickerValues(ms: number): { date: string; time: string } {
  const iso = new Date(ms).toISOString();
  return { date: formatDate(iso), time: formatDateTime(iso).slice(-5) };
}

/** `2025-03-09` + `14:05`, read in Shanghai time, as an ISO instant; '' when unreadable. */
function instantOf(date: string, time: string): string {
  const ms = Date.parse(`${date}T${time}:00+08:00`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '';
}

function errorsFromIssues(issues: ValidationIssue[] | undefined, message: string): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues ?? []) {
    const field = SERVER_FIELDS[issue.path.split('.')[0]];
    const text = hasChinese(issue.message) ? issue.message : '';
    if (field) errors[field] ??= text || FIELD_HINTS[field];
    else errors.form ??= text || message;
  }
  if (!Object.keys(errors).length) errors.form = hasChinese(message) ? message : '提交的内容有误';
  return errors;
}

function newForm(nowMs: number) {
  const { date, time } = pickerValues(nowMs + DEFAULT_LIFETIME_MS);
  return {
    name: '',
    date,
    time,
    capacity: String(DEFAULT_CAPACITY),
    imagePath: '',
  };
}

function extensionOf(path: string): string {
  const match = /\.([A-Za-z0-9]{1,5})$/.exec(path);
  return match ? match[1].toLowerCase() : 'jpg';
}

function poolView(groups: PoolGroup[], nowMs: number) {
  return groups.map((g) => {
    const view = groupView(g, nowMs);
    return {
      id: g.id,
      name: g.name,
      active: g.active,
      usedText: view.usedText,
      percent: view.percent,
      expiresText: view.expiresText,
      status: view.status,
      statusClass: view.statusClass,
      warn: view.nearlyFull || view.expiring,
      // an expired QR cannot come back: the server refuses a past expiry, cron retires it
      expired: view.expired,
      toggleText: g.active ? '停用' : '启用',
    };
  });
}

interface Runtime {
  submitting: boolean;
  toggling: boolean;
  pool: PoolGroup[];
  /** the last upload, so a resubmission after a validation error does not upload again */
  uploaded?: { path: string; fileID: string };
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({
  submitting: false,
  toggling: false,
  pool: [],
}));

const noErrors: FieldErrors = {};

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    groups: [] as ReturnType<typeof poolView>,
    form: newForm(Date.now()),
    dateStart: '',
    dateEnd: '',
    errors: noErrors,
    submitting: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    /** The pool as it stands. */
    async fetch() {
      const overview = await callAdmin('stats.overview', {});
      if (!overview.ok) {
        this.failed(overview.error);
        return;
      }
      const runtime = runtimeOf(this);
      // the pool is judged at the server's time: the phone's clock may be off
      const now = Date.parse(overview.data.serverNow);
      runtime.pool = overview.data.groups;
      this.setData({
        state: 'ready',
        message: '',
        groups: poolView(runtime.pool, now),
        dateStart: pickerValues(now).date,
        dateEnd: pickerValues(now + 7 * DAY_MS).date,
      });
    },

    // ---- the form --------------------------------------------------------------------------

    onNameInput(event: WechatMiniprogram.Input) {
      this.setData({ 'form.name': event.detail.value, 'errors.name': '' });
    },

    onCapacityInput(event: WechatMiniprogram.Input) {
      this.setData({ 'form.capacity': event.detail.value, 'errors.capacity': '' });
    },

    onDateChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ 'form.date': String(event.detail.value), 'errors.expiresAt': '' });
    },

    onTimeChange(event: WechatMiniprogram.PickerChange) {
      this.setData({ 'form.time': String(event.detail.value), 'errors.expiresAt': '' });
    },

    async onChooseImage() {
      try {
        const res = await wx.chooseMedia({
          count: 1,
          mediaType: ['image'],
          sourceType: ['album', 'camera'],
        });
        const path = res.tempFiles[0]?.tempFilePath;
        if (path) this.setData({ 'form.imagePath': path, 'errors.image': '' });
      } catch {
        // cancelled: keep what was chosen before
      }
    },

    async onSubmit() {
      const runtime = runtimeOf(this);
      if (runtime.submitting) return;
      const { form } = this.data;
      const name = form.name.trim();
      const capacity = Number(form.capacity);
      const expiresAt = instantOf(form.date, form.time);
      const errors: FieldErrors = {};
      if (!name) errors.name = '请填写群名称';
      if (!form.imagePath) errors.image = '请选择群二维码图片';
      if (!expiresAt) errors.expiresAt = FIELD_HINTS.expiresAt;
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) {
        errors.capacity = FIELD_HINTS.capacity;
      }
      if (Object.keys(errors).length) {
        this.setData({ errors });
        return;
      }

      runtime.submitting = true;
      this.setData({ submitting: true, errors: noErrors });
      try {
        let fileID = runtime.uploaded?.path === form.imagePath ? runtime.uploaded.fileID : '';
        if (!fileID) {
          const random = Math.random().toString(36).slice(2, 8);
          const cloudPath = `groups/${Date.now()}-${random}.${extensionOf(form.imagePath)}`;
          const upload = await uploadImage(cloudPath, form.imagePath);
          if (!upload.ok) {
            this.setData({ errors: { image: upload.error.message } });
            return;
          }
          fileID = upload.data.fileID;
          runtime.uploaded = { path: form.imagePath, fileID };
        }
        const saved = await callAdmin('groups.upsert', {
          name,
          qrUrl: fileID,
          expiresAt,
          capacity,
        });
        if (!saved.ok) {
          this.setData({
            errors:
              saved.error.code === 'BAD_REQUEST'
                ? errorsFromIssues(saved.error.issues, saved.error.message)
                : { form: friendlyMessage(saved.error) },
          });
          return;
        }
        runtime.uploaded = undefined;
        this.setData({ form: newForm(Date.now()) });
        wx.showToast({ title: '已加入群池', icon: 'success' }).catch(() => undefined);
        await this.fetch();
      } finally {
        runtime.submitting = false;
        this.setData({ submitting: false });
      }
    },

    // ---- stop / restart a group --------------------------------------------------------------

    async onToggle(event: WechatMiniprogram.TouchEvent) {
      const runtime = runtimeOf(this);
      if (runtime.toggling) return;
      const id = String(event.currentTarget.dataset.id ?? '');
      const group = runtime.pool.find((g) => g.id === id);
      if (!group) return;
      runtime.toggling = true;
      try {
        if (group.active) {
          const { confirm } = await wx.showModal({
            title: `停用「${group.name}」？`,
            content: '停用后不再发放这个群的二维码，已领到它的用户再次打开时会分到其他群。',
            confirmText: '停用',
          });
          if (!confirm) return;
        }
        const saved = await callAdmin('groups.upsert', {
          id: group.id,
          name: group.name,
          qrUrl: group.qrUrl,
          expiresAt: group.expiresAt,
          capacity: group.capacity,
          active: !group.active,
        });
        if (!saved.ok) {
          const title =
            saved.error.code === 'BAD_REQUEST' ? saved.error.message : friendlyMessage(saved.error);
          toast(title);
          return;
        }
        await this.fetch();
      } finally {
        runtime.toggling = false;
      }
    },
  },
});
