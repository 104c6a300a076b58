/**
 * What a member's page that shows one answer shares (People console, issue 13: 团长中心 and
 * 邀请排行榜): the visit entered first, then the page's own `fetch()`; a guarded reload on
 * pull-down and on 重新加载; an error state with a message. A page adds
 * `behaviors: [visitorPage]`, its `onLoad(query)` calls `load(query)`, and it defines `fetch()`.
 */
import { friendlyMessage } from '../services/api';
import { ensureSession, type EntryQuery } from '../services/session';
import { refreshOnPullDown } from '../services/ui';
import { instanceState } from '../utils/instance-state';

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<{ loading: boolean }>(() => ({ loading: false }));

export const visitorPage = Behavior({
  data: { status: 'loading' as 'loading' | 'ready' | 'error', errorText: '' },

  methods: {
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
        await (this as unknown as { fetch(): Promise<void> }).fetch();
      } finally {
        runtime.loading = false;
      }
    },
  },
});
