/**
 * 管理员 (owners), operator studio (issue 9): who may open the admin area, and how to add someone.
 * Adding makes a one-time bind code (10 minutes): the page shows it as a Mini Program code for the
 * new person to scan with WeChat (it opens the bind page), and as ten characters to type. Owners
 * remove admins here; the server never removes the last owner.
 */
import type {
  AdminEntry,
  AdminResults,
  AdminRole,
} from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatDate } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { consolePage } from '../../behaviors/console-page';

type BindCode = AdminResults['admins.createBindCode'];

const ROLE_TEXT: Record<AdminRole, string> = { owner: '负责人', staff: '店员' };

function entryView(entry: AdminEntry) {
  return {
    ref: entry.ref,
    name: entry.name,
    roleText: ROLE_TEXT[entry.role],
    owner: entry.role === 'owner',
    me: entry.me,
    since: entry.since ? `${formatDate(entry.since)} 加入` : '',
  };
}

const runtimeOf = instanceState(() => ({ busy: false }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    admins: [] as ReturnType<typeof entryView>[],
    /** the form: who to add */
    role: 'staff' as AdminRole,
    name: '',
    nameError: '',
    /** the code just made */
    code: null as (BindCode & { roleText: string; name: string; serverNow: string }) | null,
    expired: false,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async fetch() {
      const list = await callAdmin('admins.list', {});
      if (!list.ok) {
        this.failed(list.error);
        return;
      }
      this.setData({ state: 'ready', admins: list.data.admins.map(entryView) });
    },

    onRole(event: WechatMiniprogram.TouchEvent) {
      const { role } = event.currentTarget.dataset as { role: AdminRole };
      this.setData({ role });
    },

    onNameInput(event: WechatMiniprogram.Input) {
      this.setData({ name: event.detail.value, nameError: '' });
    },

    async onCreateCode() {
      const runtime = runtimeOf(this);
      if (runtime.busy) return;
      const name = this.data.name.trim();
      if (!name) {
        this.setData({ nameError: '请填写这位同事的称呼，如“店员小王”' });
        return;
      }
      runtime.busy = true;
      try {
        const made = await callAdmin('admins.createBindCode', { role: this.data.role, name });
        if (!made.ok) {
          toast(friendlyMessage(made.error));
          return;
        }
        this.setData({
          code: {
            ...made.data,
            roleText: ROLE_TEXT[made.data.role],
            name,
            // the code is made now, by the server's clock: the countdown starts from here
            serverNow: new Date(Date.parse(made.data.expiresAt) - 10 * 60 * 1000).toISOString(),
          },
          expired: false,
          name: '',
        });
      } finally {
        runtime.busy = false;
      }
    },

    onCodeExpired() {
      this.setData({ expired: true });
    },

    /** Back from a bind on another phone: the new admin shows in the list. */
    onRefresh() {
      this.setData({ code: null });
      return this.load();
    },

    async onRemove(event: WechatMiniprogram.TouchEvent) {
      const { ref, name, me } = event.currentTarget.dataset as {
        ref: string;
        name: string;
        me: boolean;
      };
      const { confirm } = await wx.showModal({
        title: me ? '退出管理员？' : `移除「${name}」？`,
        content: me
          ? '退出后你将不能再打开管理页面。'
          : '移除后对方不能再打开管理页面，需要时可以重新生成绑定码添加。',
        confirmText: me ? '退出' : '移除',
      });
      if (!confirm) return;
      const removed = await callAdmin('admins.remove', { ref });
      if (!removed.ok) {
        toast(
          removed.error.code === 'CONFLICT'
            ? removed.error.message
            : friendlyMessage(removed.error),
        );
        return;
      }
      toast(me ? '已退出' : '已移除');
      if (me) {
        this.setData({ state: 'refused' });
        return;
      }
      await this.load();
    },
  },
});
