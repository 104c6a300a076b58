import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one function invocation knows about itself. The real wx-server-sdk reads the caller
 * from the process environment of a single-request container; the emulator runs many
 * invocations in one process, so each gets its own context through AsyncLocalStorage and
 * concurrent calls never see each other's OPENID.
 */
export interface InvocationContext {
  functionName: string;
  requestId: string;
  OPENID: string;
  APPID: string;
  UNIONID?: string;
  ENV: string;
  SOURCE: string;
  /** the caller's IP as WeChat reports it (the risk service needs it) */
  CLIENTIP?: string;
  /** Database requests made by this invocation (each `send` of the SDK is one round trip). */
  dbCalls: number;
  /**
   * The same requests as CloudBase bills them, reads and writes (see `isDatabaseWrite`): the
   * plans' daily quotas count each kind separately.
   */
  dbReads: number;
  dbWrites: number;
  /**
   * Set when the invocation was killed (its timeout, or a `killRate` fault). As in a container
   * that was stopped, nothing it asks of the platform afterwards happens or answers.
   */
  killed?: boolean;
  /** Kills the invocation; its caller gets the timeout error (set by the runner). */
  kill?: () => void;
}

export const invocationContext = new AsyncLocalStorage<InvocationContext>();

export function currentInvocation(): InvocationContext | undefined {
  return invocationContext.getStore();
}

/** Thrown inside the platform when it notices that the invocation it works for is dead. */
export class InvocationKilled extends Error {
  constructor() {
    super('the invocation was killed');
  }
}

/** Throws InvocationKilled if the current invocation was killed. */
export function assertAlive(): void {
  if (currentInvocation()?.killed) throw new InvocationKilled();
}

/** What a dead invocation's platform call becomes: a promise that never settles. */
export function halted<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/**
 * Runs a platform call (storage, openapi) for the current invocation: a killed invocation's call
 * does not run, and one that dies while the call runs never hears the answer.
 */
export async function whileAlive<T>(call: () => Promise<T>): Promise<T> {
  const invocation = currentInvocation();
  if (invocation?.killed) return halted();
  try {
    const result = await call();
    if (invocation?.killed) return halted();
    return result;
  } catch (error) {
    if (invocation?.killed) return halted();
    throw error;
  }
}

/**
 * Whether a database request counts as a write on CloudBase's quota: inserts, updates (also those
 * that match nothing: the request was made), removals, and a transaction's commit. Reads: gets,
 * counts, aggregations, and a transaction's start and rollback.
 */
export function isDatabaseWrite(action: string): boolean {
  return DATABASE_WRITES.has(action);
}

const DATABASE_WRITES = new Set([
  'database.insertDocument',
  'database.modifyDocument',
  'database.modifyAndReturnDoc',
  'database.removeDocument',
  'database.commitTransaction',
  'database.addCollection',
]);
