/**
 * The emulated clock: real time plus an offset that `/__emulator/clock` advances, so coupon
 * expiry, claim windows and the midnight rollover can be tested without waiting.
 *
 * The function bundles run unchanged and read time as any Node code does (`Date.now()`,
 * `new Date()`), so `install()` replaces the global `Date` of this process with a subclass
 * that reads the emulated clock. Everything else (parsing, formatting, `instanceof Date`)
 * behaves as before.
 */
const RealDate = Date;

export class EmulatedClock {
  private offsetMs = 0;

  now(): number {
    return RealDate.now() + this.offsetMs;
  }

  getOffset(): number {
    return this.offsetMs;
  }

  setOffset(ms: number): void {
    this.offsetMs = ms;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  /** Moves the clock so that `now()` returns `at` (it may go backwards: tests can reset). */
  setNow(at: number): void {
    this.offsetMs = at - RealDate.now();
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
