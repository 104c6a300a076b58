/**
 * 邀请排行榜 (People console, issue 13): the members who brought the most friends, names masked
 * (the first character, the rest hidden), the visitor's own row as 我. Shown when the campaign
 * switches it on.
 */
import type { ApiResults } from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../services/api';
import { ensureSession, type EntryQuery } from '../../services/session';
import { refreshOnPullDown } from '../../services/ui';
import { instanceState } from '../../utils/instance-state';

type Board = ApiResults['leaderboard.get'];

function boardView(board: Board) {
  return {
    // the first three in gold, silver and bronze (drawn, not emoji: every phone shows them alike)
    entries: board.entries.map((e) => ({ ...e, podium: e.rank <= 3 ? e.rank : 0 })),
  };
}

interface Runtime {
  loading: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ loading: false }));

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    status: 'loading' as 'loading' | 'ready' | 'error',
    errorText: '',
    ...boardView({ entries: [], serverNow: '' }),
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      return this.load(query);
    },

    onPullDownRefresh() {
      return refreshOnPullDown(() => this.load());
    },

    onRetry() {
      this.setData({ status: 'loading', errorText: '' });
      return this.load();
    },

    async load(query?: EntryQuery) {
      const runtime = runtimeOf(this);
      if (runtime.loading) return;
      runtime.loading = true;
      try {
        const session = await ensureSession(query);
        if (!session.ok) {
          this.setData({ status: 'error', errorText: friendlyMessage(session.error) });
          return;
        }
        const board = await callApi('leaderboard.get', {});
        if (!board.ok) {
          const errorText =
            board.error.code === 'NOT_FOUND' ? '排行榜暂未开放' : friendlyMessage(board.error);
          this.setData({ status: 'error', errorText });
          return;
        }
        this.setData({ status: 'ready', errorText: '', ...boardView(board.data) });
      } finally {
        runtime.loading = false;
      }
    },
  },
});
