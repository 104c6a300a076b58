/**
 * The emulated clock: real time plus an offset that `/__emulator/clock` advances, so coupon
 * expiry, claim windows and the midnight rollover can be tested without waiting. It can also be
 * frozen (time stands still, and only `advance()` moves it), for tests that compare instants.
 * Function timeouts and injected latencies run on real time, never on this clock.
 *
 * The function bundles run unchanged and read time as any Node code does (`Date.now()`,
 * `new Date()`), so `install()` replaces the global `Date` of this process with a subclass
 * that reads the emulated clock. Everything else (parsing, formatting, `instanceof Date`)
 * behaves as before.
 */
const RealDate = Date;

export class EmulatedClock {
  private offsetMs = 0;
  /** while frozen, the instant the clock stands at */
  private frozenAt: number | null = null;

  now(): number {
    return this.frozenAt ?? RealDate.now() + this.offsetMs;
  }

  /** How far the clock is ahead of real time (behind when negative). */
  getOffset(): number {
    return this.frozenAt === null ? this.offsetMs : this.frozenAt - RealDate.now();
  }

  setOffset(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt = RealDate.now() + ms;
    else this.offsetMs = ms;
  }

  advance(ms: number): number {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
    return this.now();
  }

  /** Moves the clock so that `now()` returns `at` (it may go backwards: tests can reset). */
  setNow(at: number): void {
    if (this.frozenAt !== null) this.frozenAt = at;
    else this.offsetMs = at - RealDate.now();
  }

  get frozen(): boolean {
    return this.frozenAt !== null;
  }

  /** Time stands still (at `at`, default now) until `unfreeze()`; `advance()` steps it. */
  freeze(at: number = this.now()): void {
    this.frozenAt = at;
  }

  /** Time runs again from where it stood. */
  unfreeze(): void {
    if (this.frozenAt === null) return;
    this.offsetMs = this.frozenAt - RealDate.now();
    this.frozenAt = null;
  }
}

let installed: EmulatedClock | null = null;

/** Make the global `Date` follow this clock. Idempotent; the last installed clock wins. */
export function installClock(clock: EmulatedClock): void {
  installed = clock;
  if ((globalThis.Date as unknown) !== RealDate) return;
  class EmulatedDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(installed ? installed.now() : RealDate.now());
      else super(...(args as [string | number | Date]));
    }
    static now(): number {
      return installed ? installed.now() : RealDate.now();
    }
    // Dates made before the install (or by code that kept the real constructor) still count.
    static [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof RealDate;
    }
  }
  globalThis.Date = EmulatedDate as DateConstructor;
}
