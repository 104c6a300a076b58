import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Db } from '@cloudbase/database';
import { buildSync } from 'esbuild';
import { invocationContext, type InvocationContext } from '../../emulator/context';
import { createDatabase, type CreateDatabaseOptions } from '../../emulator/database';
import { Faults } from '../../emulator/faults';
import { DocumentStore, type IndexSpec, type StoreOptions } from '../../emulator/store';
import type { WxSdkError } from '../../emulator/wx-server-sdk';

/** Shared fixtures for the emulator tests: in-memory stores, invocation contexts, wire results. */

export const TEST_ENV = 'test-env';

export interface Fixture {
  store: DocumentStore;
  db: Db;
  faults: Faults;
}

export function memoryDatabase(
  storeOptions: StoreOptions = {},
  databaseOptions: Partial<Omit<CreateDatabaseOptions, 'store' | 'faults'>> = {},
): Fixture {
  const store = DocumentStore.open({ dataDir: null, ...storeOptions });
  const faults = new Faults();
  const db = createDatabase({ env: TEST_ENV, ...databaseOptions, store, faults });
  return { store, db, faults };
}

/**
 * The fixture project (fixtures/project) built into a temporary folder, as `npm run build` builds
 * the real one: its cloudbaserc.json, and fixtures/project/probe.ts bundled as two functions,
 * `probe` (declared with a 2 s timeout, config.json allowing wxacode.getUnlimited) and `bare`
 * (undeclared, no config.json). Answers the project root.
 */
export function buildProbeProject(): string {
  const source = join(__dirname, 'fixtures', 'project');
  const root = mkdtempSync(join(tmpdir(), 'growth-kit-probe-'));
  copyFileSync(join(source, 'cloudbaserc.json'), join(root, 'cloudbaserc.json'));
  for (const name of ['probe', 'bare']) {
    mkdirSync(join(root, 'cloudfunctions', name), { recursive: true });
    buildSync({
      entryPoints: [join(source, 'probe.ts')],
      outfile: join(root, 'cloudfunctions', name, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['wx-server-sdk'],
      logLevel: 'error',
    });
  }
  copyFileSync(
    join(source, 'cloudfunctions', 'probe', 'config.json'),
    join(root, 'cloudfunctions', 'probe', 'config.json'),
  );
  return root;
}

export function unique(collection: string, field: string): IndexSpec {
  return { collection, name: `${field}_1`, keys: { [field]: 1 }, unique: true };
}

let requestCounter = 0;

export function invocation(overrides: Partial<InvocationContext> = {}): InvocationContext {
  requestCounter++;
  return {
    functionName: 'api',
    requestId: `req-${requestCounter}`,
    OPENID: `openid-${requestCounter}`,
    APPID: 'wx-test',
    ENV: TEST_ENV,
    SOURCE: 'wx_client',
    dbCalls: 0,
    dbReads: 0,
    dbWrites: 0,
    ...overrides,
  };
}

/** Runs `fn` as one cloud-function invocation and returns its context (dbCalls filled in). */
export async function inInvocation<T>(
  fn: () => Promise<T>,
  overrides: Partial<InvocationContext> = {},
): Promise<{ result: T; context: InvocationContext }> {
  const context = invocation(overrides);
  const result = await invocationContext.run(context, fn);
  return { result, context };
}

/** A failed response of the database library (it returns failures instead of throwing). */
export interface WireFailure {
  code: string;
  message: string;
  requestId: string;
}

export function asFailure(result: unknown): WireFailure {
  const failure = result as Partial<WireFailure>;
  if (typeof failure?.code !== 'string') {
    throw new Error(`expected a failed response, got ${JSON.stringify(result)}`);
  }
  expect(typeof failure.message).toBe('string');
  expect(typeof failure.requestId).toBe('string');
  return failure as WireFailure;
}

/** The error a wx-server-sdk call rejects with (failing the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<WxSdkError> {
  try {
    await promise;
  } catch (error) {
    return error as WxSdkError;
  }
  throw new Error('expected the call to fail');
}

/** Lets every pending promise callback (and zero-delay timer) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
