/**
 * 绑定管理员, operator studio (issue 9): the page a scanned bind code opens (`scene` = the code),
 * or where a code is typed. Anyone may open it; only a valid code does anything (`admin.bind`).
 * Once bound, the way into the admin area is shown.
 */
import type { AdminRole } from '../../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../../services/api';
import { instanceState } from '../../../utils/instance-state';
import { replacePage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';

type State = 'form' | 'binding' | 'bound';

const ROLE_TEXT: Record<AdminRole, string> = { owner: '负责人', staff: '店员' };

interface Runtime {
  binding: boolean;
}

const runtimeOf = instanceState<Runtime>(() => ({ binding: false }));

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    state: 'form' as State,
    code: '',
    error: '',
    roleText: '',
    name: '',
  },

  methods: {
    onLoad(query: { scene?: string; code?: string } = {}) {
      const code = safeDecode(query.scene ?? query.code ?? '').trim();
      if (!code) return undefined;
      this.setData({ code });
      return this.bind();
    },

    onCodeInput(event: WechatMiniprogram.Input) {
      this.setData({ code: event.detail.value, error: '' });
    },

    onBind() {
      return this.bind();
    },

    async bind() {
      const runtime = runtimeOf(this);
      if (runtime.binding) return;
      const code = this.data.code.trim();
      if (!code) {
        this.setData({ error: '请输入负责人给你的 10 位绑定码' });
        return;
      }
      runtime.binding = true;
      this.setData({ state: 'binding', error: '' });
      try {
        const answer = await callApi('admin.bind', { code });
        if (!answer.ok) {
          const known = ['BAD_TOKEN', 'FORBIDDEN', 'CONFLICT'].includes(answer.error.code);
          this.setData({
            state: 'form',
            error: known ? answer.error.message : friendlyMessage(answer.error),
          });
          return;
        }
        this.setData({
          state: 'bound',
          roleText: ROLE_TEXT[answer.data.role],
          name: answer.data.name,
        });
      } finally {
        runtime.binding = false;
      }
    },

    onOpenAdmin() {
      replacePage(ROUTES.dashboard);
    },
  },
});
