import { rmSync } from 'node:fs';
import { Emulator, type EmulatorOptions } from '../../emulator/emulator';
import {
  DEFAULT_TIMEOUT_SECONDS,
  EventTooLargeError,
  FunctionTimeoutError,
  MAX_EVENT_BYTES,
} from '../../emulator/functions';
import { startBackend, timedOut } from '../support/emulator';
import { buildProbeProject } from './helpers';

/**
 * What the platform does to an invocation, on the fixture project's `probe` and `bare` functions
 * and on the real bundles: timeouts from cloudbaserc.json (killed, the writes so far kept, later
 * ones never applied, the caller gets CloudBase's timeout error), the killRate fault through the
 * same mechanism, fresh modules after a reset or an import, openapi permissions from each
 * function's config.json, and the event size limit.
 */

let projectRoot: string;
beforeAll(() => {
  projectRoot = buildProbeProject();
});
afterAll(() => rmSync(projectRoot, { recursive: true, force: true }));

const started: Emulator[] = [];
async function probeEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await Emulator.start({ projectRoot, dataDir: null, seed: false, ...options });
  started.push(emulator);
  return emulator;
}
afterEach(async () => {
  for (const emulator of started.splice(0)) await emulator.close();
});

function events(emulator: Emulator): string[] {
  return emulator.store.find('events').map((d) => String(d._id));
}

function realPause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('timeouts', () => {
  it('come from cloudbaserc.json, 3 s when it gives none', async () => {
    const emulator = await probeEmulator();
    expect(emulator.timeoutMsOf('probe')).toBe(2000);
    expect(emulator.timeoutMsOf('bare')).toBe(DEFAULT_TIMEOUT_SECONDS * 1000);
    const project = await Emulator.start({ dataDir: null, seed: false });
    started.push(project);
    expect(['api', 'admin', 'cron'].map((name) => project.timeoutMsOf(name))).toEqual([
      10_000, 20_000, 60_000,
    ]);
  });

  it('kill an invocation that runs past its timeout: writes so far stay, later ones never happen', async () => {
    const emulator = await probeEmulator({ functionTimeoutMs: { probe: 150 } });
    const error = await timedOut(
      emulator.invoke('probe', { action: 'steps', tag: 't', steps: 3, pauseMs: 100 }),
    );
    expect(error.code).toBe('FUNCTIONS_TIME_LIMIT_EXCEEDED');
    expect(error.errCode).toBe(-504003);
    expect(error.errMsg).toBe('Invoking task timed out after 0.15 seconds');
    expect(error.callFunctionMessage).toBe(
      'cloud.callFunction:fail Error: errCode: -504003  | errMsg: Invoking task timed out after 0.15 seconds',
    );
    expect(error.dbCalls).toBe(2);
    expect(events(emulator)).toEqual(['t-1', 't-2']);
    // The function's code goes on running, as in a container that was not reused yet…
    await realPause(250);
    // …but the platform applies nothing more for it.
    expect(events(emulator)).toEqual(['t-1', 't-2']);
  });

  it('run on real time: a frozen or far-advanced emulated clock never makes one fire', async () => {
    const emulator = await probeEmulator({ functionTimeoutMs: 1000 });
    await emulator.freezeClock();
    await emulator.advanceClock(30 * 24 * 3600 * 1000);
    const { result } = await emulator.invoke('probe', {
      action: 'steps',
      tag: 'f',
      steps: 2,
      pauseMs: 10,
    });
    expect(result).toBe('done');
    expect(events(emulator)).toEqual(['f-1', 'f-2']);
  });
});

describe('the killRate fault', () => {
  it('kills the invocation at a database call the way a timeout does, at once', async () => {
    // A timeout longer than jest waits for a test: the kill does not wait for it.
    const emulator = await probeEmulator({ faults: { killRate: 1 }, functionTimeoutMs: 600_000 });
    const error = await timedOut(
      emulator.invoke('probe', { action: 'steps', tag: 'k', steps: 3, pauseMs: 0 }),
    );
    expect(error.errMsg).toBe('Invoking task timed out after 600 seconds');
    expect(error.dbCalls).toBe(1);
    // the call it died at was applied; nothing after it
    expect(events(emulator)).toEqual(['k-1']);
  });

  it('replays the same kills for the same seed', async () => {
    const run = async () => {
      const emulator = await probeEmulator({ faults: { killRate: 0.3, seed: 7 } });
      const outcomes: string[] = [];
      for (let i = 0; i < 8; i++) {
        try {
          await emulator.invoke('probe', { action: 'steps', tag: `r${i}`, steps: 3, pauseMs: 0 });
          outcomes.push('done');
        } catch (error) {
          if (!(error instanceof FunctionTimeoutError)) throw error;
          outcomes.push(`killed after ${error.dbCalls}`);
        }
      }
      return { outcomes, events: events(emulator) };
    };
    const first = await run();
    expect(first.outcomes).toContain('done');
    expect(first.outcomes.some((o) => o.startsWith('killed'))).toBe(true);
    expect(await run()).toEqual(first);
  });

  it('on a real function: the caller gets the timeout error, and at most that call was applied', async () => {
    const backend = await startBackend({ faults: { killRate: 1 } });
    try {
      const before = backend.snapshot().collections.users ?? [];
      const error = await timedOut(backend.api('visitor-1', 'session.enter'));
      expect(error.errMsg).toBe('Invoking task timed out after 10 seconds');
      expect(error.dbCalls).toBe(1);
      const after = backend.snapshot().collections.users ?? [];
      expect(after.length - before.length).toBeLessThanOrEqual(1);
    } finally {
      await backend.close();
    }
  });
});

describe('warm containers', () => {
  it('keep module state between invocations until a reset or an import', async () => {
    const emulator = await probeEmulator();
    const count = async () => (await emulator.invoke('probe', { action: 'count' })).result;
    expect([await count(), await count()]).toEqual([1, 2]);
    await emulator.reset({ seed: false });
    expect([await count(), await count()]).toEqual([1, 2]);
    await emulator.importSnapshot(emulator.store.exportSnapshot());
    expect(await count()).toBe(1);
  });

  it('see an imported campaign at once, not after their 10 s campaign cache', async () => {
    const backend = await startBackend();
    try {
      const before = await backend.api('u1', 'campaign.get');
      if (!before.ok) throw new Error(before.error.message);
      const snapshot = JSON.parse(JSON.stringify(backend.snapshot()));
      snapshot.collections.campaigns[0].config.title = '新的活动';
      await backend.emulator.importSnapshot(snapshot);
      const after = await backend.api('u1', 'campaign.get');
      expect(after.ok && after.data.title).toBe('新的活动');
    } finally {
      await backend.close();
    }
  });
});

describe('openapi permissions (config.json)', () => {
  const getUnlimited = {
    action: 'openapi',
    api: 'wxacode.getUnlimited',
    params: { scene: 'a=1' },
  };
  const riskRank = {
    action: 'openapi',
    api: 'riskControl.getUserRiskRank',
    params: { openid: 'o', scene: 1, clientIp: '127.0.0.1' },
  };

  it('let a function call what its config.json declares, and fail the rest with -604101', async () => {
    const emulator = await probeEmulator();
    expect((await emulator.invoke('probe', getUnlimited)).result).toEqual({
      ok: true,
      errCode: 0,
      errMsg: 'openapi.wxacode.getUnlimited:ok',
    });
    expect((await emulator.invoke('probe', riskRank)).result).toEqual({
      ok: false,
      errCode: -604101,
      errMsg: 'system error: error code: -604101',
      message:
        'errCode: -604101 function has no permission to call this API | errMsg: system error: error code: -604101',
    });
  });

  it('fail every call of a function without config.json', async () => {
    const emulator = await probeEmulator();
    for (const call of [getUnlimited, riskRank]) {
      expect((await emulator.invoke('bare', call)).result).toMatchObject({
        ok: false,
        errCode: -604101,
      });
    }
  });
});

describe('the platform refuses', () => {
  it('an event over 6 MB, before the function runs', async () => {
    const emulator = await probeEmulator();
    const filler = 'x'.repeat(MAX_EVENT_BYTES);
    await expect(emulator.invoke('probe', { action: 'count', filler })).rejects.toBeInstanceOf(
      EventTooLargeError,
    );
    await expect(emulator.invoke('probe', { action: 'count', filler })).rejects.toMatchObject({
      code: 'EXCEED_MAX_PAYLOAD_SIZE',
    });
    expect((await emulator.invoke('probe', { action: 'count' })).result).toBe(1);
  });

  it('a collection that was not created, with -502005', async () => {
    const emulator = await probeEmulator();
    expect((await emulator.invoke('probe', { action: 'read', collection: 'nope' })).result).toEqual(
      {
        ok: false,
        errCode: -502005,
        errMsg:
          'collection.get:fail -502005 database collection not exists. [ResourceNotFound] Db or Table not exist: nope',
        message:
          'collection.get:fail -502005 database collection not exists. [ResourceNotFound] Db or Table not exist: nope',
      },
    );
    expect(
      (await emulator.invoke('probe', { action: 'read', collection: 'events' })).result,
    ).toEqual({
      ok: true,
      data: [],
    });
  });
});
