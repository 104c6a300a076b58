/**
 * The skeleton every page that shows one answer shares, the visitor's and the operator's alike
 * (as vant shares behaviour, with a Behavior): `state` and `message` for the view; `load()`,
 * one at a time, goes in first (`enter`: the visit's session, the admin gate, or nothing) and
 * then runs the page's own `fetch(entered)`; a reload on pull-down and on 重新加载; and one way to
 * show a failure: a toast over a page already shown, else the error state.
 *
 * A page adds one of the behaviors made with it (`publicPage` below, `visitorPage`,
 * `consolePage`, `staffConsolePage`), its `onLoad` calls `load()` (or `load(query)`), and it
 * defines `fetch()`.
 */
import type { ActionError } from '../../cloudfunctions/_shared/contracts';
import { friendlyMessage } from '../services/api';
import type { EntryQuery } from '../services/session';
import { refreshOnPullDown, toast } from '../services/ui';
import { instanceState } from '../utils/instance-state';

/** What a page's `data` holds for the shell: the page narrows `state` to its own states. */
export interface ShellData {
  state: string;
  message: string;
}

/** The page as the way in sees it. */
export interface ShellPage {
  readonly data: ShellData;
  setData(data: Partial<ShellData>): void;
  failed(error: ActionError): void;
}

/**
 * The way into a page: what the page's `fetch` is told (the session, who is looking), or null
 * when the page stops here, having shown why (a state and a message, or `failed`).
 */
export type Entrance<T> = (page: ShellPage, query?: EntryQuery) => Promise<T | null>;

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<{ loading?: Promise<void> }>(() => ({}));

export function pageShell<T>(enter: Entrance<T>) {
  return Behavior({
    data: { state: 'loading' as string, message: '' },

    methods: {
      onPullDownRefresh() {
        return refreshOnPullDown(() => this.load());
      },

      onRetry() {
        this.setData({ state: 'loading', message: '' });
        return this.load();
      },

      /** One load at a time: a second caller (a pull-down during onShow) waits for the same. */
      load(query?: EntryQuery): Promise<void> {
        const runtime = runtimeOf(this);
        runtime.loading ??= (async () => {
          try {
            const entered = await enter(this, query);
            if (entered !== null) {
              await (this as unknown as { fetch(entered: T): Promise<void> }).fetch(entered);
            }
          } finally {
            runtime.loading = undefined;
          }
        })();
        return runtime.loading;
      },

      /** Something failed: say so over a page already shown, else show the error state. */
      fail(message: string) {
        if (this.data.state === 'ready') toast(message);
        else this.setData({ state: 'error', message });
      },

      /** A call failed: `fail` with its message in the user's words. */
      failed(error: ActionError) {
        this.fail(friendlyMessage(error));
      },
    },
  });
}

/** A page anyone may read, with no session to enter first (the rules). */
export const publicPage = pageShell(() => Promise.resolve({}));
