import type { Db } from '@cloudbase/database';
import { invocationContext, type InvocationContext } from '../../emulator/context';
import {
  createDatabase,
  type CreateDatabaseOptions,
  type FaultSettings,
} from '../../emulator/database';
import { DocumentStore, type IndexSpec, type StoreOptions } from '../../emulator/store';

/** Shared fixtures for the emulator tests: in-memory stores, invocation contexts, wire results. */

export const TEST_ENV = 'test-env';

export interface Fixture {
  store: DocumentStore;
  db: Db;
  faults: FaultSettings;
}

export function memoryDatabase(
  storeOptions: StoreOptions = {},
  databaseOptions: Partial<Omit<CreateDatabaseOptions, 'store'>> = {},
): Fixture {
  const store = DocumentStore.open({ dataDir: null, ...storeOptions });
  const faults = databaseOptions.faults ?? { latencyMs: 0, failureRate: 0 };
  const db = createDatabase({ env: TEST_ENV, ...databaseOptions, store, faults });
  return { store, db, faults };
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

/** Lets every pending promise callback (and zero-delay timer) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
