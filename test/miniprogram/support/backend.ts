/**
 * Pages under test talk to the real backend: `wx.cloud.callFunction` is routed into an
 * in-process emulator running the same function bundles that deploy, as the user set with
 * `actAs`; `wx.cloud.uploadFile` stores into the emulator's storage. Use with support/simulate
 * (and the jsdom docblock).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { resetSession } from '../../../miniprogram/services/session';
import { Emulator } from '../../../emulator/emulator';
import { FunctionTimeoutError } from '../../../emulator/functions';
import { routeCloudFunctions, setApp } from './simulate';

export interface PageBackend {
  emulator: Emulator;
  /** Calls made by the pages so far (function name and event), newest last. */
  calls: Array<{ name: string; data: Record<string, unknown>; openid: string }>;
  /** Who the Mini Program is, from now on (a fresh launch: the session is forgotten). */
  actAs(openid: string): void;
  /** Calls a function directly as someone (to set up a scenario), answering `data` or throwing. */
  as<T = any>(openid: string, name: 'api' | 'admin', event: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function startPageBackend(): Promise<PageBackend> {
  const emulator = await Emulator.start({ dataDir: null });
  let openid = 'visitor';
  const calls: PageBackend['calls'] = [];
  routeCloudFunctions(async (name, data) => {
    calls.push({ name, data, openid });
    try {
      return (await emulator.invoke(name, data, { openid })).result;
    } catch (error) {
      // A killed invocation: the platform's error, as wx.cloud.callFunction rejects with it.
      if (error instanceof FunctionTimeoutError) throw new Error(error.callFunctionMessage);
      throw error;
    }
  });
  // wx.cloud.uploadFile({ cloudPath, filePath }): the local file goes into the emulated storage
  const cloud = (wx as unknown as { cloud: Record<string, unknown> }).cloud;
  cloud.uploadFile = async ({ cloudPath, filePath }: { cloudPath: string; filePath: string }) => {
    const fileContent = await readFile(filePath);
    const { fileID, statusCode } = await emulator.sdk.uploadFile({ cloudPath, fileContent });
    return { fileID, statusCode, errMsg: 'cloud.uploadFile:ok' };
  };
  // wx.cloud.downloadFile({ fileID }): the stored file, copied to a temporary file (issue 10)
  cloud.downloadFile = async ({ fileID }: { fileID: string }) => {
    const cloudPath = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID)?.[1] ?? '';
    const bytes = cloudPath ? await emulator.sdk.readStoredFile(cloudPath) : null;
    if (!bytes) throw { errMsg: `cloud.downloadFile:fail file ${fileID} does not exist` };
    const tempFilePath = join(
      mkdtempSync(join(tmpdir(), 'growth-kit-download-')),
      basename(cloudPath),
    );
    writeFileSync(tempFilePath, bytes);
    return { tempFilePath, statusCode: 200, errMsg: 'cloud.downloadFile:ok' };
  };
  const backend: PageBackend = {
    emulator,
    calls,
    actAs(next) {
      openid = next;
      resetSession();
      setApp({ env: '' });
    },
    async as(who, name, event) {
      const { result } = await emulator.invoke(name, event, { openid: who });
      const answer = result as { ok: boolean; data?: unknown; error?: unknown };
      if (!answer.ok)
        throw new Error(`${name} ${JSON.stringify(event)}: ${JSON.stringify(answer.error)}`);
      return answer.data as never;
    },
    close: () => emulator.close(),
  };
  backend.actAs('visitor');
  return backend;
}

export interface PageBackendOptions {
  /**
   * Jest's fake clock in every test: it drives the pages' timers *and* the functions' `Date`
   * (they run in this process), while the turns the emulator's promises need stay real.
   */
  fakeTimers?: boolean;
}

/**
 * A fresh page backend for every test of the calling file: registers beforeEach/afterEach
 * (which also restore jest's mocks, and the real clock with `fakeTimers`) and answers an object
 * that always speaks to the current test's backend.
 */
export function usePageBackend(options: PageBackendOptions = {}): PageBackend {
  let current: PageBackend | undefined;
  beforeEach(async () => {
    current = await startPageBackend();
    if (options.fakeTimers) {
      jest.useFakeTimers({
        doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'queueMicrotask', 'performance'],
      });
    }
  });
  afterEach(async () => {
    if (options.fakeTimers) jest.useRealTimers();
    jest.restoreAllMocks();
    await current?.close();
    current = undefined;
  });
  return new Proxy({} as PageBackend, {
    get(_target, property: keyof PageBackend) {
      if (!current) throw new Error('the page backend exists only inside a test');
      return current[property];
    },
  });
}
