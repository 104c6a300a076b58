import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { inflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { attachDatabaseConfig, type FaultSettings } from '../../emulator/database';
import { DocumentStore } from '../../emulator/store';
import {
  createWxServerSdk,
  MESSAGES_COLLECTION,
  RISK_COLLECTION,
  type EmulatedWxServerSdk,
  type WxDatabase,
  type WxTransaction,
  type WxSdkError,
} from '../../emulator/wx-server-sdk';
import { inInvocation, rejection, TEST_ENV, unique } from './helpers';

/**
 * The stand-in module the function bundles get for `require('wx-server-sdk')`: what user code
 * sees (result shapes, thrown errors with errCode/errMsg), per-invocation identity, openapi and
 * storage. Where the real wx-server-sdk can run here, the two are compared call for call.
 */

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function setup(options: { faults?: FaultSettings; dataDir?: string | null } = {}): {
  sdk: EmulatedWxServerSdk;
  store: DocumentStore;
} {
  const store = DocumentStore.open({
    dataDir: options.dataDir ?? null,
    collections: ['users', 'counters', 'items'],
    indexes: [unique('users', 'openid')],
  });
  const sdk = createWxServerSdk({
    store,
    env: TEST_ENV,
    faults: options.faults,
    publicBaseUrl: () => 'http://127.0.0.1:9999',
    pages: ['pages/index/index', 'pages/invite/index'],
    log: () => undefined,
  });
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
  return { sdk, store };
}

describe('database() results', () => {
  it('answers in wx-server-sdk’s shapes', async () => {
    const { sdk } = setup();
    const db = sdk.database();
    const _ = db.command;
    expect(await db.collection('users').add({ data: { _id: 'a', openid: 'o1', n: 1 } })).toEqual({
      _id: 'a',
      errMsg: 'collection.add:ok',
    });
    const added = await db.collection('users').add({ data: { openid: 'o2', n: 2 } });
    expect(added).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{32}$/),
      errMsg: 'collection.add:ok',
    });
    expect(await db.collection('users').add({ data: [{ _id: 'c', openid: 'o3' }] })).toEqual({
      _ids: ['c'],
      errMsg: 'collection.add:ok',
    });

    expect(await db.collection('users').doc('a').get()).toEqual({
      data: { _id: 'a', openid: 'o1', n: 1 },
      errMsg: 'document.get:ok',
    });
    expect(
      await db
        .collection('users')
        .where({ n: _.gte(1) })
        .orderBy('n', 'desc')
        .field({ n: true })
        .get(),
    ).toEqual({
      data: [
        { _id: expect.any(String), n: 2 },
        { _id: 'a', n: 1 },
      ],
      errMsg: 'collection.get:ok',
    });
    expect(
      await db
        .collection('users')
        .where({ n: _.exists(true) })
        .count(),
    ).toEqual({ total: 2, errMsg: 'collection.count:ok' });
    expect(
      await db
        .collection('users')
        .doc('a')
        .update({ data: { n: _.inc(5) } }),
    ).toEqual({ stats: { updated: 1 }, errMsg: 'document.update:ok' });
    expect(
      await db
        .collection('users')
        .doc('a')
        .set({ data: { openid: 'o1', fresh: true } }),
    ).toEqual({
      _id: 'a',
      errMsg: 'document.set:ok',
      stats: { updated: 1, created: 0 },
    });
    expect(
      await db
        .collection('users')
        .doc('new')
        .set({ data: { openid: 'o9' } }),
    ).toEqual({
      _id: 'new',
      errMsg: 'document.set:ok',
      stats: { updated: 0, created: 1 },
    });
    expect(
      await db
        .collection('users')
        .where({ openid: _.in(['o1', 'o9']) })
        .update({ data: { tagged: true } }),
    ).toEqual({
      stats: { updated: 2 },
      errMsg: 'collection.update:ok',
    });
    expect(
      await db.collection('users').aggregate().match({ tagged: true }).count('tagged').end(),
    ).toEqual({
      list: [{ tagged: 2 }],
      errMsg: 'collection.aggregate:ok',
    });
    expect(await db.collection('users').where({ tagged: true }).remove()).toEqual({
      stats: { removed: 2 },
      errMsg: 'collection.remove:ok',
    });
    expect(await db.collection('users').doc('c').remove()).toEqual({
      stats: { removed: 1 },
      errMsg: 'document.remove:ok',
    });
    expect(await db.collection('users').count()).toEqual({
      total: 1,
      errMsg: 'collection.count:ok',
    });
  });

  it('throws on a missing document unless throwOnNotFound is false', async () => {
    const { sdk } = setup();
    const missing = await rejection(sdk.database().collection('users').doc('nobody').get());
    expect(missing.errCode).toBe(-1);
    expect(missing.errMsg).toBe('document.get:fail document with _id nobody does not exist');
    expect(
      await sdk.database({ throwOnNotFound: false }).collection('users').doc('nobody').get(),
    ).toEqual({
      data: null,
      errMsg: 'document.get:ok',
    });
  });
});

describe('database() errors user code can recognise', () => {
  it('duplicate key: errCode -502001 and E11000 in errMsg, nothing written', async () => {
    const { sdk } = setup();
    const db = sdk.database();
    await db.collection('users').add({ data: { _id: 'a', openid: 'same' } });
    const error = await rejection(
      db.collection('users').add({ data: { _id: 'b', openid: 'same' } }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toBe(
      `collection.add:fail -502001 database request fail. [FailedOperation] multiple write errors: [{write errors: [{E11000 duplicate key error collection: ${TEST_ENV}.users index: openid_1 dup key: { : "same" }}]}, {<nil>}]`,
    );
    expect(error.message).toBe(error.errMsg);
    expect((await db.collection('users').count()).total).toBe(1);
  });

  it('collection not exists: errCode -502005', async () => {
    const { sdk } = setup();
    const error = await rejection(sdk.database().collection('nope').where({ a: 1 }).get());
    expect(error.errCode).toBe(-502005);
    expect(error.errMsg).toBe(
      'collection.get:fail -502005 database collection not exists. [ResourceNotFound] Db or Table not exist: nope',
    );
  });

  it('system failure: errCode -501001 on every call while faults say so', async () => {
    const faults = { latencyMs: 0, failureRate: 1 };
    const { sdk, store } = setup({ faults });
    const error = await rejection(
      sdk
        .database()
        .collection('users')
        .add({ data: { openid: 'x' } }),
    );
    expect(error.errCode).toBe(-501001);
    expect(error.errMsg).toContain('collection.add:fail -501001 resource system error.');
    expect(store.count('users')).toBe(0);
    faults.failureRate = 0;
    await sdk
      .database()
      .collection('users')
      .add({ data: { openid: 'x' } });
    expect(store.count('users')).toBe(1);
  });

  it('invalid arguments fail before any request', async () => {
    const { sdk } = setup();
    const db = sdk.database();
    const empty = await rejection(db.collection('users').doc('a').update({ data: {} }));
    expect(empty.errMsg).toBe('options.data must not be empty');
    expect(empty.message).toBe(
      'errCode: -1 unknown error | errMsg: options.data must not be empty',
    );
    const noId = await rejection(
      db
        .collection('users')
        .where({})
        .update({ data: { _id: 'x' } }),
    );
    expect(noId.errCode).toBe(-501007);
    await db.collection('users').add({ data: { _id: 'a', openid: 'text' } });
    const invalidUpdate = await rejection(
      db
        .collection('users')
        .doc('a')
        .update({ data: { openid: db.command.inc(1) } }),
    );
    expect(invalidUpdate.errCode).toBe(-502001);
  });
});

describe('transactions through wx-server-sdk', () => {
  it('runTransaction resolves with the callback’s value and rejects with a rollback reason', async () => {
    const { sdk } = setup();
    const db = sdk.database();
    await db.collection('counters').add({ data: { _id: 'c', n: 1 } });
    const value = await db.runTransaction(async (transaction: WxTransaction) => {
      const doc = await transaction.collection('counters').doc('c').get();
      await transaction
        .collection('counters')
        .doc('c')
        .update({ data: { n: (doc.data?.n as number) + 1 } });
      await transaction.collection('counters').add({ data: { _id: 'log', by: 'tx' } });
      return 'done';
    });
    expect(value).toBe('done');
    expect((await db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', n: 2 });

    const reason = await db
      .runTransaction(async (transaction: WxTransaction) => {
        await transaction
          .collection('counters')
          .doc('c')
          .update({ data: { n: 100 } });
        await transaction.rollback('not today');
      })
      .catch((error: unknown) => error);
    expect(reason).toBe('not today');
    expect((await db.collection('counters').doc('c').get()).data).toEqual({ _id: 'c', n: 2 });
  });

  it('loses no update under concurrency; losers get the conflict as errCode -501001', async () => {
    const { sdk } = setup();
    const db = sdk.database();
    await db.collection('counters').add({ data: { _id: 'hits', n: 0 } });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () =>
        db.runTransaction(async (transaction: WxTransaction) => {
          const doc = await transaction.collection('counters').doc('hits').get();
          await transaction
            .collection('counters')
            .doc('hits')
            .update({ data: { n: (doc.data?.n as number) + 1 } });
        }),
      ),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled').length;
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toBeGreaterThanOrEqual(1);
    expect(fulfilled + rejected.length).toBe(8);
    for (const r of rejected) {
      expect((r.reason as WxSdkError).errCode).toBe(-501001);
      expect((r.reason as WxSdkError).errMsg).toContain(
        'document.update:fail -501001 resource system error. [ResourceUnavailable.TransactionConflict]',
      );
    }
    expect((await db.collection('counters').doc('hits').get()).data?.n).toBe(fulfilled);
  });

  it('refuses where() inside a transaction with errCode -502002', async () => {
    const { sdk } = setup();
    const db = sdk.database();
    await db.collection('items').add({ data: { _id: 'i', v: 1 } });
    const error = (await db
      .runTransaction(async (transaction: WxTransaction) => {
        await transaction
          .collection('items')
          .where({ v: 1 })
          .update({ data: { v: 2 } });
      })
      .catch((e: unknown) => e)) as WxSdkError;
    expect(error.errCode).toBe(-502002);
    expect(error.errMsg).toContain('transactions support document-level operations only');
    expect((await db.collection('items').doc('i').get()).data).toEqual({ _id: 'i', v: 1 });
  });
});

describe('same behaviour as the real wx-server-sdk on the same backend', () => {
  /** One call per step; results and errors reduced to what user code can observe. */
  async function transcript(db: WxDatabase): Promise<unknown[]> {
    const _ = db.command;
    const steps: Array<() => Promise<unknown>> = [
      () => db.collection('users').add({ data: { _id: 'a', openid: 'o1', n: 1, at: new Date(0) } }),
      () => db.collection('users').add({ data: { _id: 'b', openid: 'o1' } }),
      () => db.collection('nope').add({ data: { x: 1 } }),
      () => db.collection('users').doc('a').get(),
      () => db.collection('users').doc('zz').get(),
      () => db.collection('users').where({ openid: 'o1' }).get(),
      () =>
        db
          .collection('users')
          .doc('a')
          .update({ data: { n: _.inc(1), 'deep.x': 1 } }),
      () => db.collection('users').doc('a').update({ data: {} }),
      () =>
        db
          .collection('users')
          .doc('a')
          .update({ data: { openid: _.inc(1) } }),
      () =>
        db
          .collection('users')
          .where({})
          .update({ data: { _id: 'x' } }),
      () =>
        db
          .collection('users')
          .doc('a')
          .set({ data: { openid: 'o1', m: 2 } }),
      () =>
        db
          .collection('users')
          .doc('c')
          .set({ data: { openid: 'o3' } }),
      () =>
        db
          .collection('users')
          .where({ openid: _.in(['o1', 'o3']) })
          .update({ data: { flag: true } }),
      () => db.collection('users').where({ flag: true }).count(),
      () =>
        db
          .collection('users')
          .aggregate()
          .group({ _id: '$flag', count: _.aggregate.sum(1) })
          .end(),
      () => db.collection('users').doc('c').remove(),
      () => db.collection('nope').where({}).remove(),
      () => db.createCollection('users'),
      () =>
        db.runTransaction(async (t: WxTransaction) => {
          const doc = await t.collection('users').doc('a').get();
          await t
            .collection('users')
            .doc('a')
            .update({ data: { m: (doc.data?.m as number) + 1 } });
          return (await t.collection('users').doc('a').get()).data;
        }),
      () =>
        db.runTransaction(async (t: WxTransaction) => {
          await t.collection('users').doc('a').remove();
          await t.rollback({ reason: 'changed my mind' });
        }),
      () => db.collection('users').get(),
    ];
    const out: unknown[] = [];
    for (const step of steps) {
      try {
        out.push({ ok: strip(await step()) });
      } catch (error) {
        const e = error as WxSdkError;
        out.push(
          error instanceof Error
            ? { errCode: e.errCode, errMsg: e.errMsg, message: e.message }
            : { thrown: strip(error) },
        );
      }
    }
    return out;
  }

  function strip(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(strip);
    if (value && typeof value === 'object' && !(value instanceof Date)) {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([k]) => k !== 'requestId')
          .map(([k, v]) => [k, strip(v)]),
      );
    }
    return value;
  }

  it('produces the same transcript', async () => {
    const { sdk } = setup();
    const ours = await transcript(sdk.database());

    // The real module, with its database library pointed at a second emulated store.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const real = require('wx-server-sdk') as {
      init(o: object): void;
      database(): WxDatabase & { _db: { config: object } };
    };
    real.init({ env: TEST_ENV });
    const realDb = real.database();
    const store = DocumentStore.open({
      collections: ['users', 'counters', 'items'],
      indexes: [unique('users', 'openid')],
    });
    attachDatabaseConfig(realDb._db.config, { store, env: TEST_ENV });
    const theirs = await transcript(realDb);

    expect(ours).toEqual(theirs);
    // and the transcript is not trivially equal: it holds successes and each kind of failure
    const codes = ours
      .map((step) => (step as { errCode?: number }).errCode)
      .filter((c) => c !== undefined);
    expect(codes).toEqual(expect.arrayContaining([-502001, -502005, -501007, -501001, -1]));
    expect(ours.filter((step) => 'ok' in (step as object)).length).toBeGreaterThan(10);
  });
});

describe('getWXContext', () => {
  it('gives each concurrent invocation its own caller', async () => {
    const { sdk } = setup();
    const seen = await Promise.all(
      ['alice', 'bob', 'carol'].map((openid, i) =>
        inInvocation(
          async () => {
            await new Promise((resolve) => setTimeout(resolve, (3 - i) * 5));
            await sdk.database().collection('items').count();
            return sdk.getWXContext();
          },
          {
            OPENID: openid,
            UNIONID: i === 0 ? 'union-a' : undefined,
            CLIENTIP: i === 0 ? '10.1.2.3' : undefined,
          },
        ),
      ),
    );
    expect(seen.map((s) => s.result.OPENID)).toEqual(['alice', 'bob', 'carol']);
    expect(seen[0].result).toEqual({
      CLIENTIP: '10.1.2.3',
      OPENID: 'alice',
      APPID: 'wx-test',
      UNIONID: 'union-a',
      ENV: TEST_ENV,
      SOURCE: 'wx_client',
    });
    expect('UNIONID' in seen[1].result).toBe(false);
    expect('CLIENTIP' in seen[1].result).toBe(false);
    expect(seen.map((s) => s.context.dbCalls)).toEqual([1, 1, 1]);
  });

  it('is empty outside an invocation', () => {
    const { sdk } = setup();
    expect(sdk.getWXContext()).toEqual({ OPENID: '', APPID: '', UNIONID: '', ENV: '', SOURCE: '' });
  });
});

/** Enough of a PNG decoder for the RGBA, unfiltered images the emulator draws. */
function decodePng(png: Buffer): { width: number; rgba(x: number, y: number): number[] } {
  const width = png.readUInt32BE(16);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.toString('ascii', at + 4, at + 8);
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rowBytes = 1 + width * 4;
  return {
    width,
    rgba: (x, y) => [...raw.subarray(y * rowBytes + 1 + x * 4, y * rowBytes + 5 + x * 4)],
  };
}

describe('openapi', () => {
  it('wxacode.getUnlimited draws a PNG QR code', async () => {
    const { sdk } = setup();
    const res = await sdk.openapi.wxacode.getUnlimited({
      scene: 'inv=AB12cd',
      page: 'pages/invite/index',
      width: 430,
    });
    expect(res.errCode).toBe(0);
    expect(res.errMsg).toBe('openapi.wxacode.getUnlimited:ok');
    expect(res.contentType).toBe('image/png');
    expect(res.buffer.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(res.buffer.readUInt32BE(16)).toBe(430); // IHDR width
    // the image is the QR symbol of what the Mini Program receives on scan
    const image = decodePng(res.buffer);
    const { modules } = QRCode.create('pages/invite/index?scene=inv%3DAB12cd', {
      errorCorrectionLevel: 'M',
    });
    const total = modules.size + 2;
    let dark = 0;
    for (let row = 0; row < modules.size; row++) {
      for (let col = 0; col < modules.size; col++) {
        const x = Math.floor(((col + 1.5) * image.width) / total);
        const y = Math.floor(((row + 1.5) * image.width) / total);
        const isDark = image.rgba(x, y)[0] === 0;
        expect(isDark).toBe(modules.get(row, col) === 1);
        if (isDark) dark++;
      }
    }
    expect(dark).toBeGreaterThan(100);
    const small = await sdk.openapi.wxacode.getUnlimited({ scene: 'x', width: 100 });
    expect(small.buffer.readUInt32BE(16)).toBe(280);
  });

  it('wxacode.getUnlimited enforces WeChat’s 32-character scene limit and known pages', async () => {
    const { sdk } = setup();
    const long = await rejection(sdk.openapi.wxacode.getUnlimited({ scene: 'a'.repeat(33) }));
    expect(long.errCode).toBe(40169);
    expect(long.errMsg).toMatch(
      /^openapi\.wxacode\.getUnlimited:fail invalid length for scene, or the data is not json string rid: /,
    );
    expect((await rejection(sdk.openapi.wxacode.getUnlimited({ scene: '邀请' }))).errCode).toBe(
      40169,
    );
    expect((await sdk.openapi.wxacode.getUnlimited({ scene: 'a'.repeat(32) })).errCode).toBe(0);
    expect(
      (await rejection(sdk.openapi.wxacode.getUnlimited({ scene: 'a', page: 'pages/none/index' })))
        .errCode,
    ).toBe(41030);
    expect(
      (
        await rejection(
          sdk.openapi.wxacode.getUnlimited({ scene: 'a', page: '/pages/index/index' }),
        )
      ).errCode,
    ).toBe(41030);
    expect(
      (
        await sdk.openapi.wxacode.getUnlimited({
          scene: 'a',
          page: 'pages/none/index',
          checkPath: false,
        })
      ).errCode,
    ).toBe(0);
  });

  it('riskControl.getUserRiskRank answers the rank set for the openid, kept across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growth-kit-risk-'));
    dirs.push(dataDir);
    const { sdk, store } = setup({ dataDir });
    sdk.setRiskRank('risky', 4);
    const res = await sdk.openapi.riskControl.getUserRiskRank({
      appid: 'wx-test',
      openid: 'risky',
      scene: 1,
      clientIp: '10.0.0.1',
    });
    expect(res).toEqual({
      riskRank: 4,
      unoinId: expect.any(Number),
      errMsg: 'openapi.riskControl.getUserRiskRank:ok',
      errCode: 0,
    });
    expect(
      (
        await sdk.openapi.riskControl.getUserRiskRank({
          openid: 'someone',
          scene: 0,
          clientIp: '10.0.0.1',
        })
      ).riskRank,
    ).toBe(0);
    expect(store.exportSnapshot().collections[RISK_COLLECTION]).toEqual([
      { _id: 'risky', riskRank: 4, updatedAt: { $date: expect.any(String) } },
    ]);
    const missingIp = await rejection(
      sdk.openapi.riskControl.getUserRiskRank({ openid: 'risky', scene: 1 }),
    );
    expect(missingIp.errCode).toBe(40097);
    expect(() => sdk.setRiskRank('x', 7)).toThrow(RangeError);
    await store.close();

    const { sdk: restarted, store: reopened } = setup({ dataDir });
    expect(
      (
        await restarted.openapi.riskControl.getUserRiskRank({
          openid: 'risky',
          scene: 1,
          clientIp: '10.0.0.1',
        })
      ).riskRank,
    ).toBe(4);
    await reopened.close();
  });

  it('subscribeMessage.send records the message', async () => {
    const { sdk, store } = setup();
    // the user tapped 允许 for this template once: one message may be sent
    sdk.acceptSubscription('o-user', ['tmpl-1']);
    const { result } = await inInvocation(
      () =>
        sdk.openapi.subscribeMessage.send({
          touser: 'o-user',
          templateId: 'tmpl-1',
          page: 'pages/index/index',
          data: { thing1: { value: '奖品已到账' } },
        }),
      { functionName: 'cron', requestId: 'req-msg' },
    );
    expect(result).toEqual({ errMsg: 'openapi.subscribeMessage.send:ok', errCode: 0 });
    expect(store.find(MESSAGES_COLLECTION)).toEqual([
      expect.objectContaining({
        touser: 'o-user',
        templateId: 'tmpl-1',
        page: 'pages/index/index',
        data: { thing1: { value: '奖品已到账' } },
        functionName: 'cron',
        requestId: 'req-msg',
        sentAt: expect.any(Date),
      }),
    ]);
    expect(
      (
        await rejection(
          sdk.openapi.subscribeMessage.send({ touser: '', templateId: 't', data: {} }),
        )
      ).errCode,
    ).toBe(40003);
    expect(sdk.sentMessages('o-user')).toHaveLength(1);
    expect(sdk.sentMessages('someone-else')).toEqual([]);
  });

  it('subscribeMessage.send refuses a user without a one-time subscription left (43101)', async () => {
    const { sdk, store } = setup();
    const send = () =>
      sdk.openapi.subscribeMessage.send({
        touser: 'o-user',
        templateId: 'tmpl-1',
        data: { thing1: { value: '好友已领取' } },
      });
    // never accepted
    const never = await rejection(send());
    expect(never.errCode).toBe(43101);
    expect(never.errMsg).toMatch(
      /^openapi\.subscribeMessage\.send:fail user refuse to accept the msg/,
    );
    // accepted twice (two taps on 允许), another template once: two messages, then refused
    sdk.acceptSubscription('o-user', ['tmpl-1']);
    sdk.acceptSubscription('o-user', ['tmpl-1', 'tmpl-2']);
    await send();
    await send();
    expect((await rejection(send())).errCode).toBe(43101);
    expect(store.find(MESSAGES_COLLECTION)).toHaveLength(2);
  });

  it('fails an API the emulator does not provide with -604100', async () => {
    const { sdk } = setup();
    const api = sdk.openapi as unknown as {
      security: { imgSecCheck(o: object): Promise<unknown> };
    };
    const error = await rejection(api.security.imgSecCheck({ media: 'hi' }));
    expect(error.errCode).toBe(-604100);
    expect(error.errMsg).toContain('openapi.security.imgSecCheck:fail');
  });
});

describe('storage', () => {
  it.each([
    ['in memory', null],
    ['on disk', 'disk'],
  ])('uploads, serves temp URLs, downloads and deletes files (%s)', async (_label, where) => {
    const filesDir = where ? mkdtempSync(join(tmpdir(), 'growth-kit-files-')) : null;
    if (filesDir) dirs.push(filesDir);
    const store = DocumentStore.open();
    const sdk = createWxServerSdk({
      store,
      env: 'local-env',
      filesDir,
      publicBaseUrl: () => 'http://127.0.0.1:9999',
    });
    sdk.init();
    const upload = await sdk.uploadFile({
      cloudPath: 'groups/群 1.png',
      fileContent: Buffer.from('png-bytes'),
    });
    expect(upload).toEqual({
      fileID: 'cloud://local-env.6c6f-local-env-1250000000/groups/群 1.png',
      statusCode: 200,
      errMsg: 'uploadFile:ok',
    });
    await sdk.uploadFile({
      cloudPath: 'a/stream.txt',
      fileContent: Readable.from([Buffer.from('str'), Buffer.from('eam')]),
    });
    expect((await sdk.readStoredFile('a/stream.txt'))?.toString()).toBe('stream');

    const urls = await sdk.getTempFileURL({
      fileList: [upload.fileID, { fileID: 'cloud://local-env.x/missing.png', maxAge: 60 }],
    });
    expect(urls).toEqual({
      fileList: [
        {
          fileID: upload.fileID,
          tempFileURL: 'http://127.0.0.1:9999/__emulator/files/groups/%E7%BE%A4%201.png',
          maxAge: 86400,
          status: 0,
          errMsg: 'ok',
        },
        {
          fileID: 'cloud://local-env.x/missing.png',
          tempFileURL: '',
          maxAge: 60,
          status: -503003,
          errMsg: 'storage file not exists',
        },
      ],
      errMsg: 'getTempFileURL:ok',
    });
    expect((await sdk.downloadFile({ fileID: upload.fileID })).fileContent.toString()).toBe(
      'png-bytes',
    );
    expect(await sdk.deleteFile({ fileList: [upload.fileID] })).toEqual({
      fileList: [{ fileID: upload.fileID, status: 0, errMsg: 'ok' }],
      errMsg: 'deleteFile:ok',
    });
    expect((await sdk.deleteFile({ fileList: [upload.fileID] })).fileList[0].status).toBe(-503003);
    expect(await sdk.readStoredFile('groups/群 1.png')).toBeNull();
    expect((await rejection(sdk.downloadFile({ fileID: upload.fileID }))).errCode).toBe(-503003);
    expect(
      (
        await rejection(
          sdk.uploadFile({ cloudPath: '../escape.txt', fileContent: Buffer.from('x') }),
        )
      ).errCode,
    ).toBe(-503001);
  });
});

describe('logger', () => {
  it('writes structured entries tagged with the invocation', async () => {
    const entries: Array<[string, Record<string, unknown>]> = [];
    const sdk = createWxServerSdk({
      store: DocumentStore.open(),
      log: (level, entry) => entries.push([level, entry]),
    });
    await inInvocation(async () => sdk.logger().warn({ event: 'risk', openid: 'x' }), {
      functionName: 'api',
      requestId: 'req-log',
    });
    expect(entries).toEqual([
      [
        'warn',
        { event: 'risk', openid: 'x', level: 'warn', functionName: 'api', requestId: 'req-log' },
      ],
    ]);
  });
});
