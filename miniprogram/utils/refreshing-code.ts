/**
 * A code that must be refreshed before it expires (Rewards, issue 12: the black card's member
 * code, like a coupon's redemption code): fetched, shown, fetched again shortly before its
 * expiry, never while the page is hidden (timers do not run there; `show` asks again at once).
 */
import { tokenRefreshDelay } from './redeem';

/** After a failed refresh (network), try again this soon: the code shown may still work. */
const RETRY_MS = 5_000;

/** A fetched code, or why not: `retry` for a passing failure (network), else it stops. */
export type CodeAnswer =
  { ok: true; code: string; expiresAt: string } | { ok: false; retry: boolean };

export class RefreshingCode {
  private timer?: ReturnType<typeof setTimeout>;
  private visible = true;
  private running = false;
  private busy = false;

  constructor(
    private readonly fetch: () => Promise<CodeAnswer>,
    private readonly show: (code: string) => void,
  ) {}

  /** Starts (or restarts) showing codes. */
  start(): Promise<void> {
    this.running = true;
    return this.refresh();
  }

  /** No more codes (the card changed state, the page went away). */
  stop(): void {
    this.running = false;
    this.clear();
  }

  /** The page is in front again: the code may have expired meanwhile. */
  resume(): Promise<void> {
    this.visible = true;
    return this.running ? this.refresh() : Promise.resolve();
  }

  /** The page went to the background: no timer runs there. */
  pause(): void {
    this.visible = false;
    this.clear();
  }

  private async refresh(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.clear();
    try {
      const answer = await this.fetch();
      if (!this.running) return;
      if (answer.ok) {
        this.show(answer.code);
        this.schedule(tokenRefreshDelay(answer.expiresAt, Date.now()));
      } else if (answer.retry) {
        this.schedule(RETRY_MS);
      } else {
        this.stop();
      }
    } finally {
      this.busy = false;
    }
  }

  private schedule(delayMs: number): void {
    this.clear();
    if (!this.visible || !this.running) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, delayMs);
  }

  private clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
