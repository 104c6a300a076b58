/**
 * What the People console's pages (issue 13) share: owners only (staff are pointed to
 * redeeming, anyone else refused), then the page's own `fetch()`; a guarded reload on pull-down
 * and on 重新加载; and one way to show a failed call (a toast over a page already shown, else the
 * error state). A page adds `behaviors: [consolePage]`, its `onLoad` calls `load()`, and it
 * defines `fetch()`.
 */
import type { ActionError } from '../../../cloudfunctions/_shared/contracts';
import { friendlyMessage } from '../../services/api';
import { refreshOnPullDown, toast } from '../../services/ui';
import { instanceState } from '../../utils/instance-state';
import { ownerGate } from '../utils/console';

export type ConsoleState = 'loading' | 'refused' | 'staff' | 'ready' | 'error';

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<{ loading: boolean }>(() => ({ loading: false }));

export const consolePage = Behavior({
  data: { state: 'loading' as ConsoleState, message: '' },

  methods: {
    onPullDownRefresh() {
      return refreshOnPullDown(() => this.load());
    },

    onRetry() {
      this.setData({ state: 'loading', message: '' });
      return this.load();
    },

    async load() {
      const runtime = runtimeOf(this);
      if (runtime.loading) return;
      runtime.loading = true;
      try {
        const gate = await ownerGate();
        if (gate.state !== 'owner') {
          this.setData({ state: gate.state, message: gate.message });
          return;
        }
        await (this as unknown as { fetch(): Promise<void> }).fetch();
      } finally {
        runtime.loading = false;
      }
    },

    /** A call failed: say so over a page already shown, else show the error state. */
    failed(error: ActionError) {
      if (this.data.state === 'ready') toast(friendlyMessage(error));
      else this.setData({ state: 'error', message: friendlyMessage(error) });
    },
  },
});
