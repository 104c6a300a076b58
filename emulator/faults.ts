/**
 * Faults the emulator injects into database calls, to surface races and to rehearse what CloudBase
 * does on a bad day. Read on every call, so changing them at runtime takes effect at once.
 */

export interface FaultSettings {
  /** added before every database call, in ms (the call itself stays atomic) */
  latencyMs: number;
  /** share of calls that fail with a system error (-501001) before they are applied */
  failBeforeRate?: number;
  /** the original name of failBeforeRate, still accepted */
  failureRate?: number;
  /** share of calls that are applied, then answer the same system error: "reply lost" */
  failAfterRate?: number;
  /**
   * share of calls at which the whole invocation dies, as a function timeout kills it: the call
   * is applied but never returns, no later call of the invocation is applied, and the caller of
   * the invocation gets the timeout error
   */
  killRate?: number;
  /** per-document write latency, in ms: writes to one document queue behind each other */
  docLatencyMs?: number;
  /** where the draws come from (Faults: seeded when a seed is set; else Math.random) */
  random?: () => number;
}

/** The settings a database call obeys, from any FaultSettings-shaped object. */
export function activeFaults(faults: FaultSettings | undefined): {
  latencyMs: number;
  failBeforeRate: number;
  failAfterRate: number;
  killRate: number;
  docLatencyMs: number;
} {
  return {
    latencyMs: faults?.latencyMs ?? 0,
    failBeforeRate: Math.max(faults?.failBeforeRate ?? 0, faults?.failureRate ?? 0),
    failAfterRate: faults?.failAfterRate ?? 0,
    killRate: faults?.killRate ?? 0,
    docLatencyMs: faults?.docLatencyMs ?? 0,
  };
}

const RATES = ['failBeforeRate', 'failureRate', 'failAfterRate', 'killRate'] as const;
const DELAYS = ['latencyMs', 'docLatencyMs'] as const;

/** What `GET /__emulator/faults` answers and `POST` (or EmulatorOptions.faults) accepts. */
export interface FaultReport {
  latencyMs: number;
  failBeforeRate: number;
  failureRate: number;
  failAfterRate: number;
  killRate: number;
  docLatencyMs: number;
  /** null: draws come from Math.random */
  seed: number | null;
}

/** The emulator's fault settings, with a seedable random source so chaos runs can be replayed. */
export class Faults implements FaultSettings {
  latencyMs = 0;
  failBeforeRate = 0;
  failAfterRate = 0;
  killRate = 0;
  docLatencyMs = 0;
  private seedValue: number | null = null;
  private state = 0;

  get failureRate(): number {
    return this.failBeforeRate;
  }

  set failureRate(rate: number) {
    this.failBeforeRate = rate;
  }

  get seed(): number | null {
    return this.seedValue;
  }

  /** Setting a seed (again) restarts the sequence of draws from it. */
  set seed(seed: number | null) {
    this.seedValue = seed;
    this.state = seed ?? 0;
  }

  /** mulberry32 when seeded: small, fast, and the same draws for the same seed everywhere. */
  readonly random = (): number => {
    if (this.seedValue === null) return Math.random();
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /**
   * Applies the settings given (others keep their value) if all are valid; otherwise changes
   * nothing and answers the problems.
   */
  update(settings: Record<string, unknown>): string[] {
    const problems: string[] = [];
    const known = new Set<string>([...RATES, ...DELAYS, 'seed']);
    for (const key of Object.keys(settings))
      if (!known.has(key)) problems.push(`unknown fault ${key}`);
    for (const key of RATES) {
      const value = settings[key];
      if (value !== undefined && !(typeof value === 'number' && value >= 0 && value <= 1)) {
        problems.push(`${key} must be a number from 0 to 1`);
      }
    }
    for (const key of DELAYS) {
      const value = settings[key];
      if (
        value !== undefined &&
        !(typeof value === 'number' && Number.isFinite(value) && value >= 0)
      ) {
        problems.push(`${key} must be a number of milliseconds, 0 or more`);
      }
    }
    const seed = settings.seed;
    if (seed !== undefined && seed !== null && !Number.isSafeInteger(seed)) {
      problems.push('seed must be an integer, or null for Math.random');
    }
    if (problems.length > 0) return problems;
    for (const key of [...RATES, ...DELAYS]) {
      if (settings[key] !== undefined) this[key] = settings[key] as number;
    }
    if (seed !== undefined) this.seed = seed as number | null;
    return [];
  }

  /** No faults, Math.random draws. */
  clear(): void {
    this.latencyMs = this.failBeforeRate = this.failAfterRate = this.killRate = 0;
    this.docLatencyMs = 0;
    this.seed = null;
  }

  toJSON(): FaultReport {
    return {
      latencyMs: this.latencyMs,
      failBeforeRate: this.failBeforeRate,
      failureRate: this.failureRate,
      failAfterRate: this.failAfterRate,
      killRate: this.killRate,
      docLatencyMs: this.docLatencyMs,
      seed: this.seed,
    };
  }
}
