import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '@cloudbase/database';
import { Emulator } from '../../emulator/emulator';
import { Faults } from '../../emulator/faults';
import {
  FunctionTimeoutError,
  MAX_EVENT_BYTES,
  DEFAULT_TIMEOUT_SECONDS,
} from '../../emulator/functions';
import { DocumentStore } from '../../emulator/store';
import {
  createWxServerSdk,
  type EmulatedWxServerSdk,
  type WxSdkError,
} from '../../emulator/wx-server-sdk';
import {
  asFailure,
  buildProbeProject,
  inInvocation,
  memoryDatabase,
  rejection,
  TEST_ENV,
  unique,
} from './helpers';

/**
 * The stand-in's answers against what CloudBase's and WeChat's documentation says they are. The
 * expectations live in fixtures/docs/*.json, each citing its page and quoting the text it was
 * transcribed from; nothing here is compared with the emulator's own output. Each check is a
 * function answering the differences it finds, and is itself tested on a wrong answer, so a check
 * that could never fail would show.
 */

function fixture<T = any>(name: string): T & { sources: Array<{ url: string; quote: string }> } {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', 'docs', `${name}.json`), 'utf8'));
}

/** Differences between an answer and the documented values (an empty list: it conforms). */
type Check<A> = (answer: A) => string[];

function differs(what: string, actual: unknown, documented: unknown): string[] {
  return JSON.stringify(actual) === JSON.stringify(documented)
    ? []
    : [`${what}: ${JSON.stringify(actual)}, documented ${JSON.stringify(documented)}`];
}

function startsWith(what: string, actual: unknown, prefix: string): string[] {
  return typeof actual === 'string' && actual.startsWith(prefix)
    ? []
    : [`${what}: ${JSON.stringify(actual)} does not start with ${JSON.stringify(prefix)}`];
}

function typed(what: string, value: Record<string, unknown>, fields: Record<string, string>) {
  return Object.entries(fields).flatMap(([field, type]) =>
    typeof value?.[field] === type ? [] : [`${what}.${field} is not a ${type}`],
  );
}

/** Each fixture cites at least one page and quotes it. */
function cited(name: string): string[] {
  const { sources } = fixture(name);
  return sources.length > 0 &&
    sources.every(
      (s: { url: string; quote: string }) =>
        /^https:\/\//.test(s.url) && s.quote.trim().length > 20,
    )
    ? []
    : [`${name}: every source needs a URL and a quote`];
}

function standIn(options: { faults?: Faults; openapi?: string[] } = {}): {
  sdk: EmulatedWxServerSdk;
  store: DocumentStore;
} {
  const store = DocumentStore.open({
    dataDir: null,
    collections: ['users'],
    indexes: [unique('users', 'openid')],
  });
  const allowed = options.openapi ? new Set(options.openapi) : undefined;
  const sdk = createWxServerSdk({
    store,
    env: TEST_ENV,
    faults: options.faults,
    publicBaseUrl: () => 'http://127.0.0.1:9999',
    pages: ['pages/landing/index'],
    log: () => undefined,
    openApiPermissions: allowed ? () => allowed : undefined,
  });
  sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV });
  return { sdk, store };
}

it('every fixture cites its page and quotes it', () => {
  const names = [
    'error-codes',
    'database-server-codes',
    'get-wx-context',
    'get-temp-file-url',
    'upload-file',
    'risk-control-get-user-risk-rank',
    'wxacode-get-unlimited',
    'subscribe-message-send',
    'security-msg-sec-check',
    'cloud-call-permission',
    'function-limits',
  ];
  expect(names.flatMap(cited)).toEqual([]);
});

describe('errCodes (error-codes.json)', () => {
  const documented = fixture<{ errCode: Record<string, number> }>('error-codes').errCode;
  const check: Check<Record<string, number>> = (actual) =>
    Object.keys(documented).flatMap((situation) =>
      differs(`errCode for ${situation}`, actual[situation], documented[situation]),
    );

  it('are the documented ones for each situation', async () => {
    const { sdk } = standIn();
    const db = sdk.database();
    await db.collection('users').add({ data: { _id: 'a', openid: 'same' } });
    const faults = new Faults();
    faults.failBeforeRate = 1;
    const failing = standIn({ faults }).sdk;
    const noPermission = standIn({ openapi: [] }).sdk;
    const actual: Record<string, number> = {
      systemError: (await rejection(failing.database().collection('users').get())).errCode,
      invalidParameters: (
        await rejection(
          db
            .collection('users')
            .where({})
            .update({ data: { _id: 'x' } }),
        )
      ).errCode,
      databaseRequestFailed: (
        await rejection(db.collection('users').add({ data: { openid: 'same' } }))
      ).errCode,
      invalidDatabaseCommand: (
        await rejection(
          db.runTransaction(async (t) => {
            await (t.collection('users') as any).where({ openid: 'same' }).get();
          }),
        )
      ).errCode,
      collectionNotExists: (await rejection(db.collection('nope').get())).errCode,
      fileNotExists: (await rejection(sdk.downloadFile({ fileID: 'cloud://x.y/none.png' })))
        .errCode,
      openapiNoPermission: (
        await inInvocation(() =>
          rejection(noPermission.openapi.wxacode.getUnlimited({ scene: 'a' })),
        )
      ).result.errCode,
    };
    expect(check(actual)).toEqual([]);
    expect(check({ ...actual, collectionNotExists: -502001 })).toHaveLength(1);
  });
});

describe('database server codes (database-server-codes.json)', () => {
  const documented = fixture<{ code: Record<string, string>; duplicateKeyMessageContains: string }>(
    'database-server-codes',
  );
  const check: Check<{ codes: Record<string, string>; duplicateMessage: string }> = (actual) => [
    ...Object.keys(documented.code).flatMap((situation) =>
      differs(`code for ${situation}`, actual.codes[situation], documented.code[situation]),
    ),
    ...(actual.duplicateMessage.includes(documented.duplicateKeyMessageContains)
      ? []
      : [`duplicate key message ${JSON.stringify(actual.duplicateMessage)}`]),
  ];

  it('are the documented ones for each situation', async () => {
    const { db, faults } = memoryDatabase({ collections: ['c'], indexes: [unique('c', 'k')] });
    await db.collection('c').add({ _id: 'a', k: 1 });
    const duplicate = asFailure(await db.collection('c').add({ k: 1 }));
    const first = await db.startTransaction();
    const second = await db.startTransaction();
    await first.collection('c').doc('a').update({ n: 1 });
    const conflict = asFailure(await second.collection('c').doc('a').update({ n: 2 }));
    await first.rollback();
    const batchInTransaction = await (db as Db).startTransaction();
    const invalidOperator = asFailure(
      await (batchInTransaction.collection('c') as any).where({ k: 1 }).get(),
    );
    await batchInTransaction.rollback();
    faults.failBeforeRate = 1;
    const system = asFailure(await db.collection('c').get());
    faults.clear();
    const actual = {
      codes: {
        requestFailed: duplicate.code,
        invalidOperator: invalidOperator.code,
        collectionNotExist: asFailure(await db.collection('nope').get()).code,
        transactionConflict: conflict.code,
        systemError: system.code,
        invalidParam: asFailure(await db.collection('c').add([])).code,
      },
      duplicateMessage: duplicate.message,
    };
    expect(check(actual)).toEqual([]);
    expect(check({ ...actual, duplicateMessage: 'duplicate' })).toHaveLength(1);
  });
});

describe('getWXContext (get-wx-context.json)', () => {
  const documented = fixture<{
    fields: string[];
    presentWhenCalledFromTheMiniProgram: string[];
    sources_enum: string[];
    localDebugging: { ENV: string; SOURCE: string };
  }>('get-wx-context');
  const check: Check<Record<string, unknown>> = (context) => [
    ...Object.keys(context)
      .filter((key) => !documented.fields.includes(key))
      .map((key) => `undocumented field ${key}`),
    ...documented.presentWhenCalledFromTheMiniProgram
      .filter((key) => typeof context[key] !== 'string' || context[key] === '')
      .map((key) => `${key} missing`),
    ...(documented.sources_enum.includes(String(context.SOURCE))
      ? []
      : [`SOURCE ${String(context.SOURCE)}`]),
    // The emulator is the local debugging the page describes.
    ...differs('ENV', context.ENV, documented.localDebugging.ENV),
    ...differs('SOURCE', context.SOURCE, documented.localDebugging.SOURCE),
  ];

  it('answers the documented fields inside a function', async () => {
    const projectRoot = buildProbeProject();
    const emulator = await Emulator.start({ projectRoot, dataDir: null, seed: false });
    try {
      const { result } = await emulator.invoke<Record<string, unknown>>(
        'probe',
        { action: 'context' },
        { openid: 'o-1' },
      );
      expect(check(result)).toEqual([]);
      expect(check({ ...result, SOURCE: 'miniprogram' })).toHaveLength(2);
      expect(check({ ...result, OPENID_: 'x' })).toHaveLength(1);
    } finally {
      await emulator.close();
      rmSync(projectRoot, { recursive: true, force: true });
    }
  });
});

describe('storage (get-temp-file-url.json, upload-file.json)', () => {
  const temp = fixture<{
    entryFields: Record<string, string>;
    successStatus: number;
    successErrMsg: string;
  }>('get-temp-file-url');
  const upload = fixture<{
    resultFields: Record<string, string>;
    errorFields: Record<string, string>;
    failErrMsgPrefix: string;
  }>('upload-file');

  const checkTemp: Check<{ found: Record<string, unknown>; missing: Record<string, unknown> }> = ({
    found,
    missing,
  }) => [
    ...typed('found', found, temp.entryFields),
    ...typed('missing', missing, temp.entryFields),
    ...differs('found.status', found.status, temp.successStatus),
    ...differs('found.errMsg', found.errMsg, temp.successErrMsg),
    ...(missing.status !== temp.successStatus && missing.errMsg !== temp.successErrMsg
      ? []
      : ['a missing file reads as a success']),
  ];
  const checkUpload: Check<{ result: Record<string, unknown>; error: Record<string, unknown> }> = ({
    result,
    error,
  }) => [
    ...typed('result', result, upload.resultFields),
    ...typed('error', error, upload.errorFields),
    ...startsWith('error.errMsg', error.errMsg, upload.failErrMsgPrefix),
  ];

  it('answers the documented shapes', async () => {
    const { sdk } = standIn();
    const result = await sdk.uploadFile({ cloudPath: 'a/b.png', fileContent: Buffer.from('x') });
    const error = await rejection(sdk.uploadFile({ cloudPath: '../escape', fileContent: 'x' }));
    const uploadAnswer = {
      result: result as unknown as Record<string, unknown>,
      error: { errCode: error.errCode, errMsg: error.errMsg },
    };
    expect(checkUpload(uploadAnswer)).toEqual([]);
    expect(
      checkUpload({ ...uploadAnswer, error: { ...uploadAnswer.error, errMsg: 'boom' } }),
    ).toHaveLength(1);

    const { fileList } = await sdk.getTempFileURL({
      fileList: [result.fileID, result.fileID.replace('b.png', 'none.png')],
    });
    const tempAnswer = {
      found: fileList[0] as unknown as Record<string, unknown>,
      missing: fileList[1] as unknown as Record<string, unknown>,
    };
    expect(checkTemp(tempAnswer)).toEqual([]);
    expect(
      checkTemp({ ...tempAnswer, found: { ...tempAnswer.found, errMsg: 'success' } }),
    ).toHaveLength(1);
  });
});

describe('openapi (risk-control-…, wxacode-…, subscribe-message-send.json)', () => {
  const risk = fixture<{ response: Record<string, unknown>; riskRanks: number[] }>(
    'risk-control-get-user-risk-rank',
  );
  const wxacode = fixture<{
    scene: { maxLength: number };
    width: { default: number; min: number; max: number };
    errors: Record<string, { errCode: number; errMsgStartsWith: string }>;
  }>('wxacode-get-unlimited');
  const subscribe = fixture<{
    success: { errCode: number; errMsg: string };
    errors: Record<string, { errCode: number; errMsgStartsWith?: string }>;
  }>('subscribe-message-send');

  /** wx-server-sdk answers WeChat's fields camelCased, errcode/errmsg replaced by errCode/errMsg. */
  const camel = (key: string) => key.replace(/_[a-z]/g, (m) => m[1].toUpperCase());
  const checkRisk: Check<Record<string, unknown>> = (answer) => [
    ...Object.keys(risk.response)
      .filter((key) => !['errcode', 'errmsg'].includes(key))
      .flatMap((key) =>
        typeof answer[camel(key)] === typeof risk.response[key] ? [] : [`${camel(key)} missing`],
      ),
    ...(risk.riskRanks.includes(answer.riskRank as number) ? [] : [`riskRank ${answer.riskRank}`]),
    ...differs('errCode', answer.errCode, risk.response.errcode),
  ];

  function errorOf(error: WxSdkError) {
    return { errCode: error.errCode, errMsg: error.errMsg };
  }
  const checkError =
    (documented: {
      errCode: number;
      errMsgStartsWith?: string;
    }): Check<{ errCode: number; errMsg: string }> =>
    (actual) => [
      ...differs('errCode', actual.errCode, documented.errCode),
      ...(documented.errMsgStartsWith
        ? startsWith('errMsg', actual.errMsg, documented.errMsgStartsWith)
        : []),
    ];

  function pngWidth(buffer: Buffer): number {
    expect(buffer.subarray(1, 4).toString('ascii')).toBe('PNG');
    return buffer.readUInt32BE(16);
  }

  it('riskControl.getUserRiskRank answers the documented fields', async () => {
    const { sdk } = standIn();
    sdk.setRiskRank('o-risky', 3);
    const answer = (await sdk.openapi.riskControl.getUserRiskRank({
      openid: 'o-risky',
      scene: 1,
      clientIp: '127.0.0.1',
    })) as unknown as Record<string, unknown>;
    expect(checkRisk(answer)).toEqual([]);
    expect(answer.riskRank).toBe(3);
    expect(checkRisk({ ...answer, riskRank: 7 })).toHaveLength(1);
  });

  it('wxacode.getUnlimited: an image of the documented width, and the documented errors', async () => {
    const { sdk } = standIn();
    const image = await sdk.openapi.wxacode.getUnlimited({ scene: 'a=1' });
    expect(image.contentType).toMatch(/^image\//);
    expect(pngWidth(image.buffer)).toBe(wxacode.width.default);
    const narrow = await sdk.openapi.wxacode.getUnlimited({ scene: 'a=1', width: 10 });
    expect(pngWidth(narrow.buffer)).toBe(wxacode.width.min);
    const wide = await sdk.openapi.wxacode.getUnlimited({ scene: 'a=1', width: 5000 });
    expect(pngWidth(wide.buffer)).toBe(wxacode.width.max);
    // the longest scene allowed is accepted, one more character is not
    await sdk.openapi.wxacode.getUnlimited({ scene: 'x'.repeat(wxacode.scene.maxLength) });
    const tooLong = errorOf(
      await rejection(
        sdk.openapi.wxacode.getUnlimited({ scene: 'x'.repeat(wxacode.scene.maxLength + 1) }),
      ),
    );
    expect(checkError(wxacode.errors.sceneTooLong)(tooLong)).toEqual([]);
    const noPage = errorOf(
      await rejection(sdk.openapi.wxacode.getUnlimited({ scene: 'a', page: 'pages/nope/index' })),
    );
    expect(checkError(wxacode.errors.pageNotFound)(noPage)).toEqual([]);
    expect(
      checkError(wxacode.errors.pageNotFound)({ ...noPage, errMsg: 'page missing' }),
    ).toHaveLength(1);
  });

  it('subscribeMessage.send: the documented success and errors', async () => {
    const { sdk } = standIn();
    const message = {
      touser: 'o-1',
      templateId: 'TEMPLATE_ID',
      data: { thing1: { value: '优惠券即将过期' } },
    };
    // the user accepted the template once (wx.requestSubscribeMessage): one send is allowed
    sdk.acceptSubscription('o-1', ['TEMPLATE_ID']);
    const sent = await sdk.openapi.subscribeMessage.send(message);
    expect(
      differs('success', { errCode: sent.errCode, errMsg: sent.errMsg }, subscribe.success),
    ).toEqual([]);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['invalidOpenid', { ...message, touser: '' }],
      ['invalidTemplate', { ...message, templateId: '' }],
      ['invalidData', { ...message, data: undefined }],
      // the one acceptance was used by the send above
      ['userRefused', message],
    ];
    for (const [name, params] of cases) {
      const error = errorOf(await rejection(sdk.openapi.subscribeMessage.send(params as never)));
      expect([name, checkError(subscribe.errors[name])(error)]).toEqual([name, []]);
    }
    expect(
      checkError(subscribe.errors.invalidOpenid)({ errCode: 40003, errMsg: 'bad user' }),
    ).toHaveLength(1);
  });
});

// Distribution (issue 10)
describe('security.msgSecCheck (security-msg-sec-check.json)', () => {
  const documented = fixture<{
    request: { version: number; scenes: number[] };
    response: Record<string, unknown>;
    suggests: string[];
    labels: number[];
    operatorKeyword: { scene: number; suggest: string; label: number };
    errors: Record<string, { errCode: number }>;
  }>('security-msg-sec-check');
  const camel = (key: string) => key.replace(/_[a-z]/g, (m) => m[1].toUpperCase());

  /** wx-server-sdk answers WeChat's fields camelCased, errcode/errmsg as errCode/errMsg. */
  const checkVerdict: Check<Record<string, any>> = (answer) => [
    ...Object.keys(documented.response)
      .filter((key) => !['errcode', 'errmsg'].includes(key))
      .flatMap((key) =>
        typeof answer[camel(key)] === typeof documented.response[key] &&
        Array.isArray(answer[camel(key)]) === Array.isArray(documented.response[key])
          ? []
          : [`${camel(key)} missing`],
      ),
    ...differs('errCode', answer.errCode, documented.response.errcode),
    ...(documented.suggests.includes(answer.result?.suggest)
      ? []
      : [`suggest ${answer.result?.suggest}`]),
    ...(documented.labels.includes(answer.result?.label) ? [] : [`label ${answer.result?.label}`]),
  ];

  it('answers the documented verdict: pass for a clean text, risky for an operator’s keyword', async () => {
    const { sdk } = standIn();
    const call = (content: string, scene = documented.operatorKeyword.scene) =>
      sdk.openapi.security.msgSecCheck({
        openid: 'o-1',
        scene,
        version: documented.request.version,
        content,
      }) as unknown as Promise<Record<string, any>>;
    const clean = await call('林小满');
    expect(checkVerdict(clean)).toEqual([]);
    expect(clean.result).toEqual(documented.response.result);
    sdk.setSecCheckWord('违禁词');
    const refused = await call('我是违禁词');
    expect(checkVerdict(refused)).toEqual([]);
    expect(refused.result).toEqual({
      suggest: documented.operatorKeyword.suggest,
      label: documented.operatorKeyword.label,
    });
    expect(checkVerdict({ ...refused, result: { suggest: 'block', label: 1 } })).toHaveLength(2);
    expect(checkVerdict({ ...clean, traceId: undefined })).toHaveLength(1);
  });

  it('refuses with the documented codes', async () => {
    const { sdk } = standIn();
    const valid = { openid: 'o-1', scene: 2, version: 2, content: '你好' };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['invalidOpenid', { ...valid, openid: '' }],
      ['invalidScene', { ...valid, scene: 9 }],
      ['emptyContent', { ...valid, content: '' }],
      ['badFormat', { ...valid, version: 1 }],
    ];
    for (const [name, params] of cases) {
      const error = await rejection(sdk.openapi.security.msgSecCheck(params as never));
      expect([name, differs('errCode', error.errCode, documented.errors[name].errCode)]).toEqual([
        name,
        [],
      ]);
    }
    for (const scene of documented.request.scenes) {
      await sdk.openapi.security.msgSecCheck({ ...valid, scene });
    }
  });
});

describe('the platform (cloud-call-permission.json, function-limits.json)', () => {
  const permission = fixture<{ errCode: number; errMsg: string; message: string }>(
    'cloud-call-permission',
  );
  const limits = fixture<{
    timeout: { defaultSeconds: number; code: string; callFunctionMessageFor3Seconds: string };
    event: { maxBytes: number; code: string };
  }>('function-limits');
  const checkPermission: Check<{ errCode: number; errMsg: string; message: string }> = (error) => [
    ...differs('errCode', error.errCode, permission.errCode),
    ...differs('errMsg', error.errMsg, permission.errMsg),
    ...differs('message', error.message, permission.message),
  ];

  it('an undeclared cloud call fails as documented', async () => {
    const { sdk } = standIn({ openapi: ['wxacode.getUnlimited'] });
    const { result: error } = await inInvocation(() =>
      rejection(
        sdk.openapi.riskControl.getUserRiskRank({ openid: 'o', scene: 1, clientIp: '1.1.1.1' }),
      ),
    );
    const answer = { errCode: error.errCode, errMsg: error.errMsg, message: error.message };
    expect(checkPermission(answer)).toEqual([]);
    expect(checkPermission({ ...answer, errMsg: 'no permission' })).toHaveLength(1);
  });

  it('a timed-out invocation reads as documented; limits are the documented ones', () => {
    const timeout = new FunctionTimeoutError('api', DEFAULT_TIMEOUT_SECONDS * 1000, 'r', 0);
    expect(DEFAULT_TIMEOUT_SECONDS).toBe(limits.timeout.defaultSeconds);
    expect(timeout.code).toBe(limits.timeout.code);
    expect(timeout.callFunctionMessage).toBe(limits.timeout.callFunctionMessageFor3Seconds);
    expect(MAX_EVENT_BYTES).toBe(limits.event.maxBytes);
  });
});
