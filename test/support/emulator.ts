/**
 * Test harness: a fresh in-memory emulator running the built function bundles (the global
 * setup bundles them), with typed callers for `api` and `admin`.
 */
import type {
  AdminAction,
  AdminParams,
  AdminResults,
  ApiAction,
  ApiParams,
  ApiResults,
  Envelope,
} from '../../cloudfunctions/_shared/contracts';
import { CAMPAIGN_CACHE_TTL_MS } from '../../cloudfunctions/_shared/limits';
import { Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { FunctionTimeoutError } from '../../emulator/functions';
import type { StoreSnapshot } from '../../emulator/store';

export interface TestBackend {
  emulator: Emulator;
  api<A extends ApiAction>(
    openid: string,
    action: A,
    params?: ApiParams<A>,
  ): Promise<Envelope<ApiResults[A]>>;
  admin<A extends AdminAction>(
    openid: string,
    action: A,
    params?: AdminParams<A>,
  ): Promise<Envelope<AdminResults[A]>>;
  /** Every document in the store, to prove that a refused call wrote nothing. */
  snapshot(): StoreSnapshot;
  close(): Promise<void>;
}

export async function startBackend(options: EmulatorOptions = {}): Promise<TestBackend> {
  const emulator = await Emulator.start({ dataDir: null, ...options });
  const call = async (name: string, openid: string, event: unknown) =>
    (await emulator.invoke(name, event, { openid })).result;
  return {
    emulator,
    api: (openid, action, params) => call('api', openid, { action, ...(params ?? {}) }) as never,
    admin: (openid, action, params) =>
      call('admin', openid, { action, ...(params ?? {}) }) as never,
    snapshot: () => emulator.store.exportSnapshot(),
    close: () => emulator.close(),
  };
}

/** Unwraps a successful answer, failing the test with the error otherwise. */
export function data<T>(answer: Envelope<T>): T {
  if (!answer.ok) throw new Error(`expected ok, got ${answer.error.code}: ${answer.error.message}`);
  return answer.data;
}

export function errorCode(answer: Envelope<unknown>): string | undefined {
  return answer.ok ? undefined : answer.error.code;
}

/**
 * The error of an invocation that was killed — past its timeout, or by the `killRate` fault — as
 * its caller gets it (CloudBase's FUNCTIONS_TIME_LIMIT_EXCEEDED, errCode -504003); fails the test
 * if the invocation answered or failed otherwise.
 */
export async function timedOut(call: Promise<unknown>): Promise<FunctionTimeoutError> {
  try {
    await call;
  } catch (error) {
    if (error instanceof FunctionTimeoutError) return error;
    throw error;
  }
  throw new Error('expected the invocation to be killed');
}

export const OWNER = 'demo-admin';
export const STAFF = 'demo-staff';

type Config = Record<string, any>;

/** Edits the active campaign through the real `campaign.put` (as an operator would). */
export async function editCampaign(
  backend: TestBackend,
  edit: (config: Config) => void,
): Promise<void> {
  const current = data(await backend.admin(OWNER, 'campaign.get')).config as Config;
  const config = JSON.parse(JSON.stringify(current)) as Config;
  edit(config);
  data(await backend.admin(OWNER, 'campaign.put', { config }));
  // Visitor functions cache the campaign for a few seconds per warm container, as deployed;
  // move the clock past that so the edit is what the next call sees.
  await backend.emulator.advanceClock(CAMPAIGN_CACHE_TTL_MS);
}

/** A visitor who entered (optionally with an invite code) and claimed the magnet. */
export async function enter(backend: TestBackend, openid: string, inviteCode?: string) {
  return data(await backend.api(openid, 'session.enter', inviteCode ? { inviteCode } : {}));
}

export async function enterAndClaim(backend: TestBackend, openid: string, inviteCode?: string) {
  const session = await enter(backend, openid, inviteCode);
  const claim = data(
    await backend.api(openid, 'magnet.claim', { requestId: `claim-${openid}-request` }),
  );
  return { session, claim };
}

let requestCounter = 0;
export function requestId(prefix = 'req'): string {
  requestCounter += 1;
  return `${prefix}-${requestCounter.toString().padStart(6, '0')}`;
}

/**
 * A fresh backend for every test of the calling file: registers beforeEach/afterEach and
 * answers an object that always speaks to the current test's backend.
 */
export function useBackend(options: EmulatorOptions = {}): TestBackend {
  let current: TestBackend | undefined;
  beforeEach(async () => {
    current = await startBackend(options);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as TestBackend, {
    get(_target, property: keyof TestBackend) {
      if (!current) throw new Error('the backend exists only inside a test');
      return current[property];
    },
  });
}

/** What CloudBase's timer trigger sends `cron` (no caller identity). */
export function timerEvent(at = new Date()): Record<string, string> {
  return { Type: 'Timer', TriggerName: 'hourly', Time: at.toISOString() };
}

/** Runs the hourly job as its timer trigger does. */
export async function runCron(backend: TestBackend) {
  return (await backend.emulator.invoke('cron', timerEvent(), { openid: '', source: 'wx_trigger' }))
    .result as Envelope<{
    couponsExpired: number;
    groupsRetired: number;
    alertsRaised: number;
    reconciled: Record<string, unknown> | null;
    /** Rewards (issue 12): subscribe messages the run sent */
    reminders: Record<string, number>;
  }>;
}

// Operator studio (issue 9) ------------------------------------------------------------------

type StoredDoc = Record<string, any>;

/** The documents of a collection as stored now. */
export function storedDocs(backend: TestBackend, collection: string): StoredDoc[] {
  return (backend.snapshot().collections[collection] ?? []) as StoredDoc[];
}

/** Replaces stored documents, as a call killed before its last write would have left them. */
export async function rewriteStored(
  backend: TestBackend,
  collection: string,
  edit: (docs: StoredDoc[]) => StoredDoc[],
): Promise<void> {
  const snapshot = backend.snapshot();
  snapshot.collections[collection] = edit((snapshot.collections[collection] ?? []) as StoredDoc[]);
  await backend.emulator.importSnapshot(snapshot);
}
