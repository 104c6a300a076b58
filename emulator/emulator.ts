/**
 * The local CloudBase: a document store, the emulated `wx-server-sdk`, the emulated clock, and a
 * runner that loads the function bundles exactly as they deploy (cloudfunctions/<name>/index.js)
 * and invokes them with a per-invocation context.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { EmulatedClock, installClock } from './clock';
import { readDatabaseDeclaration } from './config';
import { invocationContext, type InvocationContext } from './context';
import type { FaultSettings } from './database';
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
  faults?: Partial<FaultSettings>;
  /** Base URL of the HTTP gateway, for temporary file URLs. */
  publicBaseUrl?: () => string;
}

export interface Invocation<T = unknown> {
  result: T;
  requestId: string;
  dbCalls: number;
}

type FunctionMain = (event: unknown, context: { request_id: string }) => Promise<unknown>;

const CLOCK_DOC = { collection: '_emulator_meta', id: 'clock' } as const;

export class Emulator {
  readonly clock = new EmulatedClock();
  readonly faults: FaultSettings;
  readonly sdk: EmulatedWxServerSdk;
  private readonly functions = new Map<string, FunctionMain>();

  private constructor(
    readonly store: DocumentStore,
    readonly projectRoot: string,
    faults: FaultSettings,
    publicBaseUrl: () => string,
    dataDir: string | null,
  ) {
    this.faults = faults;
    this.sdk = createWxServerSdk({
      store,
      env: EMULATOR_ENV,
      faults,
      filesDir: dataDir ? join(dataDir, 'files') : null,
      publicBaseUrl,
    });
  }

  static async start(options: EmulatorOptions = {}): Promise<Emulator> {
    const projectRoot = options.projectRoot ?? findProjectRoot(__dirname);
    const dataDir =
      options.dataDir === undefined ? join(projectRoot, '.cloudbase-local') : options.dataDir;
    const declaration = readDatabaseDeclaration(projectRoot);
    const store = DocumentStore.open({ dataDir, ...declaration });
    const faults: FaultSettings = { latencyMs: 0, failureRate: 0, ...options.faults };
    const emulator = new Emulator(
      store,
      projectRoot,
      faults,
      options.publicBaseUrl ?? (() => 'http://127.0.0.1:8787'),
      dataDir,
    );
    installClock(emulator.clock);
    await emulator.restoreClock();
    if (options.seed !== false) await emulator.seed();
    return emulator;
  }

  /** Calls a deployed-style function as the given user (empty openid = no WeChat identity). */
  async invoke<T = unknown>(
    name: string,
    event: unknown,
    caller: { openid?: string; source?: string; clientIp?: string } = {},
  ): Promise<Invocation<T>> {
    const main = this.loadFunction(name);
    const context: InvocationContext = {
      functionName: name,
      requestId: randomUUID(),
      OPENID: caller.openid ?? '',
      APPID: EMULATOR_APPID,
      ENV: EMULATOR_ENV,
      SOURCE: caller.source ?? 'wx_client',
      CLIENTIP: caller.clientIp ?? '127.0.0.1',
      dbCalls: 0,
    };
    // The event and the answer cross a network in production: serialise both ways.
    const wireEvent: unknown = JSON.parse(JSON.stringify(event ?? {}));
    const result = await invocationContext.run(context, () =>
      main(wireEvent, { request_id: context.requestId }),
    );
    return {
      result: JSON.parse(JSON.stringify(result ?? null)) as T,
      requestId: context.requestId,
      dbCalls: context.dbCalls,
    };
  }

  functionNames(): string[] {
    return ['api', 'admin', 'cron'].filter((name) => existsSync(this.bundlePath(name)));
  }

  /** Wipes all data, the clock and faults included, then seeds again unless told not to. */
  async reset(options: { seed?: boolean } = {}): Promise<void> {
    this.store.reset();
    this.clock.setOffset(0);
    this.faults.latencyMs = 0;
    this.faults.failureRate = 0;
    if (options.seed !== false) await this.seed();
  }

  /** Replaces all data with an export (the emulated clock included). */
  async importSnapshot(snapshot: StoreSnapshot): Promise<void> {
    this.store.importSnapshot(snapshot);
    this.clock.setOffset(0);
    await this.restoreClock();
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

  async close(): Promise<void> {
    await this.store.close();
  }

  private bundlePath(name: string): string {
    return join(this.projectRoot, 'cloudfunctions', name, 'index.js');
  }

  /**
   * Loads the bundle as Node would, except that `require('wx-server-sdk')` gets the emulated
   * module. Loaded once, like a warm container: module-level state survives between calls.
   */
  private loadFunction(name: string): FunctionMain {
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
      `${readFileSync(file, 'utf8')}\n//# sourceURL=${file}`,
    ) as (...args: unknown[]) => void;
    wrapper(module.exports, requireForBundle, module, file, dirname(file));
    const main = module.exports.main;
    if (typeof main !== 'function') throw new Error(`${file} does not export main`);
    this.functions.set(name, main as FunctionMain);
    return main as FunctionMain;
  }

  private async restoreClock(): Promise<void> {
    const res = await this.sdk
      .database()
      .collection(CLOCK_DOC.collection)
      .where({ _id: CLOCK_DOC.id })
      .get();
    const saved = res.data[0] as { offsetMs?: number } | undefined;
    if (typeof saved?.offsetMs === 'number') this.clock.setOffset(saved.offsetMs);
  }

  private async saveClock(): Promise<void> {
    await this.sdk
      .database()
      .collection(CLOCK_DOC.collection)
      .doc(CLOCK_DOC.id)
      .set({ data: { offsetMs: this.clock.getOffset() } });
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
