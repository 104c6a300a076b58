/**
 * The local CloudBase: a document store, the emulated `wx-server-sdk`, the emulated clock, and a
 * runner that loads the function bundles exactly as they deploy (cloudfunctions/<name>/index.js)
 * and invokes them with a per-invocation context, each within its function's timeout.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { formatWithOptions } from 'node:util';
import { EmulatedClock, installClock } from './clock';
import { readDatabaseDeclaration } from './config';
import { currentInvocation, invocationContext, type InvocationContext } from './context';
import { Faults, type FaultSettings } from './faults';
import {
  EventTooLargeError,
  FunctionTimeoutError,
  MAX_EVENT_BYTES,
  readFunctionSettings,
  type FunctionConfig,
  type FunctionSettings,
} from './functions';
import type { JournalOptions } from './journal';
import { seedIfEmpty } from './seed';
import { DocumentStore, type StoreSnapshot } from './store';
import { createWxServerSdk, type EmulatedWxServerSdk } from './wx-server-sdk';

export const EMULATOR_APPID = 'wx0000000000emulator';
export const EMULATOR_ENV = 'local';

export interface EmulatorOptions {
  /** Where data persists; `null` keeps everything in memory (tests). */
  dataDir?: string | null;
  projectRoot?: string;
  /** Seed the demo campaign, admin and group pool when the data is empty (default true). */
  seed?: boolean;
  /**
   * Faults per database call (see faults.ts): `latencyMs`, `failBeforeRate` (alias
   * `failureRate`), `failAfterRate`, `killRate`, `docLatencyMs`, and `seed` for reproducible draws.
   * They apply after the seeding.
   */
  faults?: Partial<Omit<FaultSettings, 'random'>> & { seed?: number | null };
  /** Base URL of the HTTP gateway, for temporary file URLs. */
  publicBaseUrl?: () => string;
  /**
   * Overrides the timeouts of cloudbaserc.json (real time, in ms): one for every function, or per
   * function name. Tests use short ones to watch a timeout happen.
   */
  functionTimeoutMs?: number | Record<string, number>;
  /**
   * A function's config.json as a test wants it instead of the file (e.g. a permission left
   * out, to see what CloudBase does without it).
   */
  functionConfigs?: Record<string, FunctionConfig>;
  /**
   * Where the functions' own `console` output goes besides `functionLogs` (CloudBase keeps it as
   * the function's log): `npm start` prints it; tests keep it quiet and read `functionLogs`.
   */
  echoFunctionLogs?: boolean;
  /** CloudBase aborts transactions left open for 30 s (a killed invocation's, too); tests may shorten it. */
  transactionTimeoutMs?: number;
  /** Journal tuning for a persistent store (see journal.ts). */
  journal?: JournalOptions;
}

/** One line a function wrote to its console, as CloudBase's function log keeps it. */
export interface FunctionLogEntry {
  functionName: string;
  requestId: string;
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
}

/** How many log lines the emulator keeps (the newest). */
const FUNCTION_LOG_LIMIT = 2000;

export interface Invocation<T = unknown> {
  result: T;
  requestId: string;
  /** database round trips, and of them the reads and the writes (as CloudBase's quota counts) */
  dbCalls: number;
  dbReads: number;
  dbWrites: number;
}

type FunctionMain = (event: unknown, context: { request_id: string }) => Promise<unknown>;

interface LoadedFunction {
  main: FunctionMain;
  settings: FunctionSettings;
}

const CLOCK_DOC = { collection: '_emulator_meta', id: 'clock' } as const;

export class Emulator {
  readonly clock = new EmulatedClock();
  readonly faults = new Faults();
  readonly sdk: EmulatedWxServerSdk;
  /** the warm containers: each function's module, loaded once, dropped by reset and import */
  private readonly functions = new Map<string, LoadedFunction>();
  /** what the functions wrote to their console, newest last (bounded) */
  readonly functionLogs: FunctionLogEntry[] = [];

  private constructor(
    readonly store: DocumentStore,
    readonly projectRoot: string,
    private readonly options: EmulatorOptions,
    dataDir: string | null,
  ) {
    this.sdk = createWxServerSdk({
      store,
      env: EMULATOR_ENV,
      faults: this.faults,
      filesDir: dataDir ? join(dataDir, 'files') : null,
      publicBaseUrl: options.publicBaseUrl ?? (() => 'http://127.0.0.1:8787'),
      transactionTimeoutMs: options.transactionTimeoutMs,
      openApiPermissions: (functionName) => this.settingsOf(functionName).openapi,
    });
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const projectRoot = options.projectRoot ?? findProjectRoot(__dirname);
    const dataDir =
      options.dataDir === undefined ? join(projectRoot, '.cloudbase-local') : options.dataDir;
    const declaration = readDatabaseDeclaration(projectRoot);
    const store = DocumentStore.open({ dataDir, ...declaration, journal: options.journal });
    const emulator = new Emulator(store, projectRoot, options, dataDir);
    installClock(emulator.clock);
    emulator.restoreClock();
    if (options.seed !== false) await emulator.seed();
    const problems = emulator.faults.update(options.faults ?? {});
    if (problems.length > 0) throw new Error(`EmulatorOptions.faults: ${problems.join('; ')}`);
    return emulator;
  }

  /**
   * Calls a deployed-style function as the given user (empty openid = no WeChat identity), as
   * CloudBase does: the event crosses the wire (JSON, at most 6 MB), and the invocation is killed
   * when it runs past its timeout or a `killRate` fault hits one of its database calls. A killed
   * invocation rejects with FunctionTimeoutError; what it wrote before stays, nothing after.
   */
  async invoke<T = unknown>(
    name: string,
    event: unknown,
    caller: { openid?: string; source?: string; clientIp?: string } = {},
  ): Promise<Invocation<T>> {
    const { main } = this.loadFunction(name);
    const wire = JSON.stringify(event ?? {});
    const bytes = Buffer.byteLength(wire);
    if (bytes > MAX_EVENT_BYTES) throw new EventTooLargeError(bytes);
    const context: InvocationContext = {
      functionName: name,
      requestId: randomUUID(),
      OPENID: caller.openid ?? '',
      APPID: EMULATOR_APPID,
      ENV: EMULATOR_ENV,
      SOURCE: caller.source ?? 'wx_client',
      CLIENTIP: caller.clientIp ?? '127.0.0.1',
      dbCalls: 0,
      dbReads: 0,
      dbWrites: 0,
      killed: false,
    };
    const timeoutMs = this.timeoutMsOf(name);
    const killed = new Promise<never>((_resolve, reject) => {
      context.kill = () => {
        if (context.killed) return;
        context.killed = true;
        reject(new FunctionTimeoutError(name, timeoutMs, context.requestId, context.dbCalls));
      };
    });
    // Real time: the emulated clock (frozen, or moved by days) never makes a timeout fire.
    const timer = setTimeout(() => context.kill?.(), timeoutMs);
    try {
      const result = await Promise.race([
        invocationContext.run(context, () =>
          main(JSON.parse(wire) as unknown, { request_id: context.requestId }),
        ),
        killed,
      ]);
      return {
        result: JSON.parse(JSON.stringify(result ?? null)) as T,
        requestId: context.requestId,
        dbCalls: context.dbCalls,
        dbReads: context.dbReads,
        dbWrites: context.dbWrites,
      };
    } finally {
      clearTimeout(timer);
      // Finished: a late kill (a leftover call drawing killRate) changes nothing any more.
      context.kill = () => undefined;
    }
  }

  functionNames(): string[] {
    return ['api', 'admin', 'cron'].filter((name) => existsSync(this.bundlePath(name)));
  }

  /**
   * Wipes all data, the clock and faults included, then seeds again unless told not to. Warm
   * containers go too: the next invocation loads its function afresh (module-level caches such as
   * the token secret or the campaign must not outlive the data they came from).
   */
  async reset(options: { seed?: boolean } = {}): Promise<void> {
    this.store.reset();
    this.functions.clear();
    this.clock.unfreeze();
    this.clock.setOffset(0);
    this.faults.clear();
    if (options.seed !== false) await this.seed();
    await this.store.whenDurable();
  }

  /** Replaces all data with an export (the emulated clock included); warm containers go. */
  async importSnapshot(snapshot: StoreSnapshot): Promise<void> {
    this.store.importSnapshot(snapshot);
    this.functions.clear();
    this.clock.unfreeze();
    this.clock.setOffset(0);
    this.restoreClock();
    await this.store.whenDurable();
  }

  /** The demo data, when the store is empty (the campaign goes through the admin function). */
  private async seed(): Promise<void> {
    await seedIfEmpty(
      this.sdk,
      async (name, event, openid) => (await this.invoke(name, event, { openid })).result,
      this.clock.now(),
    );
  }

  async advanceClock(ms: number): Promise<Date> {
    this.clock.advance(ms);
    await this.saveClock();
    return new Date(this.clock.now());
  }

  async setClock(at: Date): Promise<Date> {
    this.clock.setNow(at.getTime());
    await this.saveClock();
    return new Date(this.clock.now());
  }

  /** Time stands still at the current instant (persisted) until unfreezeClock(). */
  async freezeClock(): Promise<Date> {
    this.clock.freeze();
    await this.saveClock();
    return new Date(this.clock.now());
  }

  /** Time runs again from where it stood. */
  async unfreezeClock(): Promise<Date> {
    this.clock.unfreeze();
    await this.saveClock();
    return new Date(this.clock.now());
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  /** The timeout an invocation of `name` gets (real time, ms). */
  timeoutMsOf(name: string): number {
    const override = this.options.functionTimeoutMs;
    if (typeof override === 'number') return override;
    if (override?.[name] !== undefined) return override[name];
    return this.settingsOf(name).timeoutSeconds * 1000;
  }

  private settingsOf(name: string): FunctionSettings {
    return this.functions.get(name)?.settings ?? this.readSettings(name);
  }

  private readSettings(name: string): FunctionSettings {
    return readFunctionSettings(this.projectRoot, name, this.options.functionConfigs?.[name]);
  }

  private bundlePath(name: string): string {
    return join(this.projectRoot, 'cloudfunctions', name, 'index.js');
  }

  /**
   * Loads the bundle as Node would, except that `require('wx-server-sdk')` gets the emulated
   * module. Loaded once, like a warm container: module-level state survives between calls.
   */
  private loadFunction(name: string): LoadedFunction {
    const cached = this.functions.get(name);
    if (cached) return cached;
    if (!/^[a-z][a-z0-9_-]*$/.test(name)) throw new UnknownFunctionError(name);
    const file = this.bundlePath(name);
    if (!existsSync(file)) throw new UnknownFunctionError(name);
    const nodeRequire = createRequire(file);
    const sdk = this.sdk;
    const requireForBundle = Object.assign(
      (id: string): unknown => (id === 'wx-server-sdk' ? sdk : nodeRequire(id)),
      nodeRequire,
    );
    const module = { exports: {} as Record<string, unknown> };
    // `new Function` (not vm.runInThisContext) so the bundle shares this realm's globals: the
    // emulated Date included, also when the emulator itself runs inside a jest sandbox.
    const wrapper = new Function(
      'exports',
      'require',
      'module',
      '__filename',
      '__dirname',
      'console',
      `${readFileSync(file, 'utf8')}\n//# sourceURL=${file}`,
    ) as (...args: unknown[]) => void;
    wrapper(module.exports, requireForBundle, module, file, dirname(file), this.consoleOf(name));
    const main = module.exports.main;
    if (typeof main !== 'function') throw new Error(`${file} does not export main`);
    const loaded = {
      main: main as FunctionMain,
      settings: this.readSettings(name),
    };
    this.functions.set(name, loaded);
    return loaded;
  }

  /**
   * The console a function writes to: kept per invocation in `functionLogs` (as CloudBase keeps
   * a function's log, findable by request id), and echoed when `echoFunctionLogs` is set.
   */
  private consoleOf(functionName: string): Pick<Console, FunctionLogEntry['level']> {
    const write =
      (level: FunctionLogEntry['level']) =>
      (...args: unknown[]): void => {
        const entry: FunctionLogEntry = {
          functionName,
          requestId: currentInvocation()?.requestId ?? '',
          level,
          text: formatWithOptions({ depth: 4 }, ...args),
        };
        this.functionLogs.push(entry);
        if (this.functionLogs.length > FUNCTION_LOG_LIMIT) this.functionLogs.shift();
        if (this.options.echoFunctionLogs) {
          const stream = level === 'error' || level === 'warn' ? process.stderr : process.stdout;
          stream.write(`[${functionName}] ${entry.text}\n`);
        }
      };
    return {
      log: write('log'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
      debug: write('debug'),
    };
  }

  // The clock is the emulator's own state: kept in the store directly, so faults never touch it.

  private restoreClock(): void {
    const saved = this.store.get(CLOCK_DOC.collection, CLOCK_DOC.id) as
      { offsetMs?: unknown; frozenAt?: unknown } | undefined;
    if (typeof saved?.offsetMs === 'number') this.clock.setOffset(saved.offsetMs);
    if (typeof saved?.frozenAt === 'number') this.clock.freeze(saved.frozenAt);
  }

  private async saveClock(): Promise<void> {
    this.store.commit([
      {
        collection: CLOCK_DOC.collection,
        id: CLOCK_DOC.id,
        after: {
          _id: CLOCK_DOC.id,
          offsetMs: this.clock.getOffset(),
          frozenAt: this.clock.frozen ? this.clock.now() : null,
        },
      },
    ]);
    await this.store.whenDurable();
  }
}

export class UnknownFunctionError extends Error {
  constructor(readonly functionName: string) {
    super(`no cloud function named ${JSON.stringify(functionName)} (did \`npm run build\` run?)`);
  }
}

export function findProjectRoot(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'cloudbaserc.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no cloudbaserc.json above ${start}`);
    dir = parent;
  }
}
