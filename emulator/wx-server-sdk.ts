import { randomBytes, randomInt } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { Db } from '@cloudbase/database';
import { deflateSync } from 'node:zlib';
import QRCode from 'qrcode';
import { currentInvocation, whileAlive } from './context';
import { crc32 } from './crc32';
import { createDatabase, type FaultSettings } from './database';
import { generateDocId, type DocumentStore } from './store';

/**
 * The stand-in for `wx-server-sdk` that the emulator hands to the function bundles.
 *
 * `database()` follows wx-server-sdk 4.0.2 line by line: the same wrapper classes over the same
 * `@cloudbase/database` query builder, the same result shapes (`{data, errMsg}`, `{stats}`…) and
 * the same errors (an Error with `errCode` and `errMsg: '<api>:fail <errCode> <text>. <server
 * message>'`). Only the transport differs: requests execute on the local DocumentStore.
 * `openapi`, storage and `getWXContext` are emulated with the real result shapes and error codes.
 */

export interface WxServerSdkOptions {
  store: DocumentStore;
  env?: string;
  faults?: FaultSettings;
  /** where uploadFile writes (default: <dataDir>/files, or memory for an in-memory store) */
  filesDir?: string | null;
  /** e.g. () => 'http://127.0.0.1:8787'; temp URLs are `${base}/__emulator/files/<cloudPath>` */
  publicBaseUrl?: () => string;
  /** pages of the Mini Program: when given, wxacode.getUnlimited rejects others (41030) like WeChat */
  pages?: string[];
  /** where logger() writes (default: console) */
  log?: (level: LogLevel, entry: Record<string, unknown>) => void;
  random?: () => number;
  transactionTimeoutMs?: number;
  /**
   * The cloud-call APIs (`riskControl.getUserRiskRank`…) a function declared in its config.json;
   * a call from an invocation of a function not allowed it fails with -604101, as on CloudBase.
   * Without it (direct use in tests), every API may be called.
   */
  openApiPermissions?: (functionName: string) => ReadonlySet<string>;
}

/** The cloud-call APIs the emulator answers (config.json may declare only these). */
export const EMULATED_OPENAPI = [
  'wxacode.getUnlimited',
  'riskControl.getUserRiskRank',
  'subscribeMessage.send',
  // Distribution (issue 10)
  'security.msgSecCheck',
] as const;
export type EmulatedOpenApiName = (typeof EMULATED_OPENAPI)[number];

/** Collections the emulator keeps its own state in (they always exist). */
export const RISK_COLLECTION = '_emulator_risk';
export const MESSAGES_COLLECTION = '_emulator_messages';
/** Distribution (issue 10): words security.msgSecCheck refuses (`{ _id: word, suggest }`). */
export const SEC_CHECK_COLLECTION = '_emulator_sec_check';
/** One-time subscribe-message acceptances per user, as WeChat keeps them (Rewards, issue 12). */
export const SUBSCRIPTIONS_COLLECTION = '_emulator_subscriptions';

export type LogLevel = 'log' | 'info' | 'warn' | 'error';
type Plain = Record<string, unknown>;
export type DocumentData = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Errors, as wx-server-sdk builds them (src/utils/error.ts, src/config/error.config.ts)

/** wx-server-sdk's TCB_ERR_CODE: server `code` → the `errCode` user code sees. */
export const TCB_ERR_CODE: Record<string, number> = {
  SUCCESS: 0,
  SYS_ERR: -501001,
  SERVER_TIMEOUT: -501002,
  EXCEED_REQUEST_LIMIT: -501003,
  EXCEED_CONCURRENT_REQUEST_LIMIT: -501004,
  INVALIID_ENV: -501005,
  INVALID_COMMON_PARAM: -501006,
  INVALID_PARAM: -501007,
  INVALID_REQUEST_SOURCE: -501008,
  RESOURCE_NOT_INITIAL: -501009,
  DATABASE_REQUEST_FAILED: -502001,
  DATABASE_INVALID_OPERRATOR: -502002,
  DATABASE_PERMISSION_DENIED: -502003,
  DATABASE_COLLECTION_EXCEED_LIMIT: -502004,
  DATABASE_COLLECTION_NOT_EXIST: -502005,
  STORAGE_REQUEST_FAIL: -503001,
  STORAGE_EXCEED_AUTHORITY: -503002,
  STORAGE_FILE_NONEXIST: -503003,
  STORAGE_SIGN_PARAM_INVALID: -503004,
  FUNCTIONS_REQUEST_FAIL: -504001,
  FUNCTIONS_EXECUTE_FAIL: -504002,
};

/** wx-server-sdk's ERR_CODE texts, used in error messages. */
const ERR_CODE_TEXT: Record<number, string> = {
  [-1]: 'unknown error',
  [-601001]: 'system error',
  [-601002]: 'system args error',
  [-604100]: 'API not found',
  [-604101]: 'function has no permission to call this API',
  [-501001]: 'resource system error',
  [-501002]: 'resource server timeout',
  [-501003]: 'exceed request limit',
  [-501004]: 'exceed concurrent request limit',
  [-501005]: 'invalid env',
  [-501006]: 'invalid common parameters',
  [-501007]: 'invalid parameters',
  [-501008]: 'invalid request source',
  [-501009]: 'resource not initialized',
  [-502001]: 'database request fail',
  [-502002]: 'database invalid command',
  [-502003]: 'database permission denied',
  [-502004]: 'database exceed collection limit',
  [-502005]: 'database collection not exists',
  [-503001]: 'storage request fail',
  [-503002]: 'storage permission denied',
  [-503003]: 'storage file not exists',
  [-503004]: 'storage invalid sign parameter',
  [-504001]: 'functions request fail',
  [-504002]: 'functions execute fail',
};

/** The error every wx-server-sdk API rejects with. */
export type WxSdkError = Error & { errCode: number; errMsg: string };

/** wx-server-sdk's CloudSDKError (thrown by argument checks and openapi failures). */
export class CloudSDKError extends Error {
  errCode: number;
  errMsg: string;

  constructor(options: { errCode?: number; errMsg: string }) {
    super(options.errMsg);
    this.errCode = options.errCode || -1;
    this.errMsg = options.errMsg;
    Object.defineProperty(this, 'message', {
      get(this: CloudSDKError): string {
        return `errCode: ${this.errCode} ${ERR_CODE_TEXT[this.errCode] || ''} | errMsg: ${this.errMsg}`;
      },
      set(this: CloudSDKError, message: string) {
        this.errMsg = message;
      },
      configurable: true,
    });
  }
}

function isSDKError(error: unknown): error is WxSdkError {
  return error instanceof Error && typeof (error as Partial<WxSdkError>).errMsg === 'string';
}

/** wx-server-sdk's toSDKError: every API failure leaves through here. */
function toSDKError(error: unknown, apiName: string): WxSdkError {
  if (error) {
    if (isSDKError(error)) return error;
    const prefix = `${apiName}:fail `;
    let result: WxSdkError;
    if (error instanceof Error) {
      error.message = `${prefix}${error.message}`;
      if (error.stack) error.stack = error.stack.slice(0, 7) + prefix + error.stack.slice(7);
      result = error as WxSdkError;
      result.errCode = -1;
    } else if (typeof error === 'string') {
      result = new Error(`${prefix}${error}`) as WxSdkError;
      result.errCode = -1;
    } else {
      const { errCode, errMsg } = error as { errCode?: number; errMsg?: string };
      result = new Error(
        `${apiName}:fail ${errCode} ${(errCode !== undefined && ERR_CODE_TEXT[errCode]) || ''}. ${errMsg || ''}`,
      ) as WxSdkError;
      result.errCode = errCode || -1;
    }
    result.errMsg = `${result.message}`;
    return result;
  }
  const result = new Error(`${apiName}:fail`) as WxSdkError;
  result.errCode = -1;
  result.errMsg = result.message;
  return result;
}

/** A failed response of the database library: `{code, message}`. */
interface LibResult {
  code?: string;
  message?: string;
  requestId?: string;
  [field: string]: unknown;
}

function checkError(result: LibResult | undefined, apiName: string): void {
  if (result && result.code) {
    throw toSDKError(
      { errCode: TCB_ERR_CODE[result.code] || TCB_ERR_CODE.SYS_ERR, errMsg: result.message },
      apiName,
    );
  }
}

function maybeTransformError(error: unknown): unknown {
  const maybe = error as { code?: string; message?: string } | null | undefined;
  if (maybe && maybe.code) {
    return { errCode: TCB_ERR_CODE[maybe.code] || TCB_ERR_CODE.SYS_ERR, errMsg: maybe.message };
  }
  return error;
}

const getType = (x: unknown): string =>
  Object.prototype.toString.call(x).slice(8, -1).toLowerCase();

/** wx-server-sdk's validType/assertType (the reasons are part of the error messages). */
function validType(input: unknown, ref: unknown, name: string): string {
  const inputType = getType(input);
  const refType = getType(ref);
  if (refType === 'string')
    return inputType !== ref ? `${name} should be ${String(ref)} instead of ${inputType};` : '';
  if (inputType !== refType) return `${name} should be ${refType} instead of ${inputType}; `;
  let errors = '';
  if (inputType === 'object') {
    for (const key in ref as Plain)
      errors += validType((input as Plain)[key], (ref as Plain)[key], `${name}.${key}`);
  } else if (inputType === 'array') {
    (ref as unknown[]).forEach((r, i) => {
      errors += validType((input as unknown[])[i], r, `${name}[${i}]`);
    });
  }
  return errors;
}

function assertType(param: unknown, ref: unknown, name = 'parameter'): void {
  const reason = validType(param, ref, name);
  if (reason) throw new CloudSDKError({ errMsg: reason });
}

function assertObjectNotEmpty(target: object, name: string): void {
  if (Object.keys(target).length === 0)
    throw new CloudSDKError({ errMsg: `${name} must not be empty` });
}

// ---------------------------------------------------------------------------------------------
// database(): wx-server-sdk's wrappers over @cloudbase/database (src/api/database/api/database/*)

/* The library is untyped JavaScript; these are the parts of it the wrappers call. */
interface LibQuery {
  where(condition: object): LibQuery;
  field(projection: object): LibQuery;
  orderBy(fieldPath: string, order: string): LibQuery;
  limit(max: number): LibQuery;
  skip(offset: number): LibQuery;
  options(options: object): LibQuery;
  get(): Promise<LibResult>;
  update(data: object): Promise<LibResult>;
  remove(): Promise<LibResult>;
  count(): Promise<LibResult>;
}
interface LibCollection extends LibQuery {
  doc(id: string | number): LibDocument;
  add(data: unknown): Promise<LibResult>;
  aggregate(): LibAggregate;
}
interface LibDocument {
  field(projection: object): LibDocument;
  get(): Promise<LibResult>;
  set(data: unknown): Promise<LibResult>;
  update(data: unknown): Promise<LibResult>;
  remove?: () => Promise<LibResult>;
  delete: () => Promise<LibResult>;
}
type LibAggregate = { end(): Promise<LibResult> } & Record<string, unknown>;
interface LibTransaction {
  collection(name: string): LibCollection;
  commit(): Promise<LibResult>;
  rollback(reason?: unknown): Promise<LibResult>;
}

export interface WxDatabaseConfig {
  env?: string | symbol;
  throwOnNotFound?: boolean;
  [key: string]: unknown;
}

interface CloudState {
  config: WxDatabaseConfig;
}

const SUCCESS = (apiName: string): string => `${apiName}:ok`;

export class WxQuery {
  constructor(
    protected readonly query: LibQuery,
    readonly collectionName: string,
    protected readonly database: WxDatabase,
  ) {}

  field(object: object): WxQuery {
    return new WxQuery(this.query.field(object), this.collectionName, this.database);
  }

  where(condition: object): WxQuery {
    return new WxQuery(this.query.where(condition), this.collectionName, this.database);
  }

  orderBy(fieldPath: string, order: 'asc' | 'desc'): WxQuery {
    return new WxQuery(this.query.orderBy(fieldPath, order), this.collectionName, this.database);
  }

  limit(max: number): WxQuery {
    return new WxQuery(this.query.limit(max), this.collectionName, this.database);
  }

  skip(offset: number): WxQuery {
    return new WxQuery(this.query.skip(offset), this.collectionName, this.database);
  }

  async get(): Promise<{ data: DocumentData[]; errMsg: string }> {
    const apiName = 'collection.get';
    try {
      const result = await this.query.get();
      checkError(result, apiName);
      return { data: result.data as DocumentData[], errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }

  async update(options: {
    data: object;
    multi?: boolean;
  }): Promise<{ stats: { updated: number }; errMsg: string }> {
    const apiName = 'collection.update';
    try {
      assertType(options.data, 'object');
      assertObjectNotEmpty(options.data, 'options.data');
      const query = options.multi === false ? this.query.options({ multiple: false }) : this.query;
      const result = await query.update(options.data);
      checkError(result, apiName);
      return { stats: { updated: (result.updated as number) || 0 }, errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }

  async remove(
    options: { multi?: boolean } = {},
  ): Promise<{ stats: { removed: number }; errMsg: string }> {
    const apiName = 'collection.remove';
    try {
      const query = options.multi === false ? this.query.options({ multiple: false }) : this.query;
      const result = await query.remove();
      checkError(result, apiName);
      return { stats: { removed: result.deleted as number }, errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }

  async count(): Promise<{ total: number; errMsg: string }> {
    const apiName = 'collection.count';
    try {
      const result = await this.query.count();
      checkError(result, apiName);
      return { total: result.total as number, errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }
}

export class WxCollectionReference extends WxQuery {
  constructor(
    private readonly collection: LibCollection,
    collectionName: string,
    database: WxDatabase,
  ) {
    super(collection, collectionName, database);
  }

  doc(docId: string | number): WxDocumentReference {
    return new WxDocumentReference(this.collection.doc(docId), docId, this.database);
  }

  async add(options: {
    data: object | object[];
  }): Promise<
    { _id: string | number; errMsg: string } | { _ids: Array<string | number>; errMsg: string }
  > {
    const apiName = 'collection.add';
    try {
      const result = await this.collection.add(options.data);
      checkError(result, apiName);
      if (result.ids)
        return { _ids: result.ids as Array<string | number>, errMsg: SUCCESS(apiName) };
      return { _id: result.id as string | number, errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }

  aggregate(): WxAggregate {
    return new WxAggregate(this.collection.aggregate(), this.collectionName, this.database);
  }
}

export class WxDocumentReference {
  constructor(
    private readonly document: LibDocument,
    private readonly id: string | number,
    private readonly database: WxDatabase,
  ) {}

  field(object: object): WxDocumentReference {
    if (object === undefined || object === null) {
      throw new CloudSDKError({ errMsg: 'parameter object of function field must be provided' });
    }
    assertType(object, 'object', 'field');
    return new WxDocumentReference(this.document.field(object), this.id, this.database);
  }

  async get(): Promise<{ data: DocumentData | null; errMsg: string }> {
    const apiName = 'document.get';
    try {
      let throwOnNotFound = true;
      if (Object.prototype.hasOwnProperty.call(this.database.config, 'throwOnNotFound')) {
        throwOnNotFound = Boolean(this.database.config.throwOnNotFound);
      } else if (
        Object.prototype.hasOwnProperty.call(this.database.cloud.config, 'throwOnNotFound')
      ) {
        throwOnNotFound = Boolean(this.database.cloud.config.throwOnNotFound);
      }
      const result = await this.document.get();
      checkError(result, apiName);
      // In a plain doc.get the library answers an array; inside a transaction, the document.
      const data = result.data as DocumentData | DocumentData[] | null;
      if (!data || (Array.isArray(data) && data.length === 0)) {
        if (throwOnNotFound) throw `document with _id ${this.id} does not exist`;
        return { data: null, errMsg: SUCCESS(apiName) };
      }
      return { data: Array.isArray(data) ? data[0] : data, errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }

  async set(options: { data: object }): Promise<{
    _id: string | number;
    errMsg: string;
    stats: { updated: number; created: number };
  }> {
    const apiName = 'document.set';
    try {
      assertType(options, { data: 'object' });
      assertObjectNotEmpty(options.data, 'options.data');
      const result = await this.document.set(options.data);
      checkError(result, apiName);
      return {
        _id: this.id,
        errMsg: SUCCESS(apiName),
        stats: { updated: result.updated as number, created: result.upsertedId ? 1 : 0 },
      };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }

  async update(options: { data: object }): Promise<{ stats: { updated: number }; errMsg: string }> {
    const apiName = 'document.update';
    try {
      assertType(options, { data: 'object' });
      assertObjectNotEmpty(options.data, 'options.data');
      const result = await this.document.update(options.data);
      checkError(result, apiName);
      return { stats: { updated: result.updated as number }, errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }

  async remove(): Promise<{ stats: { removed: number }; errMsg: string }> {
    const apiName = 'document.remove';
    try {
      const result = await (this.document.remove ? this.document.remove() : this.document.delete());
      checkError(result, apiName);
      return { stats: { removed: (result.deleted as number) || 0 }, errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(maybeTransformError(error), apiName);
    }
  }
}

type AggregateStage =
  | 'addFields'
  | 'bucket'
  | 'bucketAuto'
  | 'collStats'
  | 'count'
  | 'facet'
  | 'geoNear'
  | 'graphLookup'
  | 'group'
  | 'limit'
  | 'lookup'
  | 'match'
  | 'out'
  | 'project'
  | 'redact'
  | 'replaceRoot'
  | 'sample'
  | 'skip'
  | 'sort'
  | 'sortByCount'
  | 'unwind';

export class WxAggregate {
  constructor(
    private readonly aggregation: LibAggregate,
    readonly collectionName: string,
    private readonly database: WxDatabase,
  ) {}

  private pushStage(stage: AggregateStage | 'indexStats', value: unknown): WxAggregate {
    const method = this.aggregation[stage] as (this: LibAggregate, v: unknown) => LibAggregate;
    return new WxAggregate(
      method.call(this.aggregation, value),
      this.collectionName,
      this.database,
    );
  }

  addFields(value: object): WxAggregate {
    return this.pushStage('addFields', value);
  }
  bucket(value: object): WxAggregate {
    return this.pushStage('bucket', value);
  }
  bucketAuto(value: object): WxAggregate {
    return this.pushStage('bucketAuto', value);
  }
  collStats(value: object): WxAggregate {
    return this.pushStage('collStats', value);
  }
  count(value: string): WxAggregate {
    return this.pushStage('count', value);
  }
  facet(value: object): WxAggregate {
    return this.pushStage('facet', value);
  }
  geoNear(value: object): WxAggregate {
    return this.pushStage('geoNear', value);
  }
  graphLookup(value: object): WxAggregate {
    return this.pushStage('graphLookup', value);
  }
  group(value: object): WxAggregate {
    return this.pushStage('group', value);
  }
  indexStats(): WxAggregate {
    return this.pushStage('indexStats', {});
  }
  limit(value: number): WxAggregate {
    return this.pushStage('limit', value);
  }
  lookup(value: object): WxAggregate {
    return this.pushStage('lookup', value);
  }
  match(value: object): WxAggregate {
    return this.pushStage('match', value);
  }
  out(value: string): WxAggregate {
    return this.pushStage('out', value);
  }
  project(value: object): WxAggregate {
    return this.pushStage('project', value);
  }
  redact(value: object): WxAggregate {
    return this.pushStage('redact', value);
  }
  replaceRoot(value: object): WxAggregate {
    return this.pushStage('replaceRoot', value);
  }
  sample(value: object): WxAggregate {
    return this.pushStage('sample', value);
  }
  skip(value: number): WxAggregate {
    return this.pushStage('skip', value);
  }
  sort(value: object): WxAggregate {
    return this.pushStage('sort', value);
  }
  sortByCount(value: unknown): WxAggregate {
    return this.pushStage('sortByCount', value);
  }
  unwind(value: unknown): WxAggregate {
    return this.pushStage('unwind', value);
  }

  async end(): Promise<{ list: DocumentData[]; errMsg: string }> {
    const apiName = 'collection.aggregate';
    try {
      const result = await this.aggregation.end();
      checkError(result, apiName);
      return { list: result.data as DocumentData[], errMsg: SUCCESS(apiName) };
    } catch (error) {
      throw toSDKError(error, apiName);
    }
  }
}

export class WxTransaction {
  constructor(
    private readonly transaction: LibTransaction,
    private readonly database: WxDatabase,
  ) {}

  collection(collectionName: string): WxCollectionReference {
    if (!collectionName) throw new Error('Collection name is required');
    return new WxCollectionReference(
      this.transaction.collection(collectionName),
      collectionName,
      this.database,
    );
  }

  // As in wx-server-sdk, the library's rejection is returned unconverted (no await in the try).
  async commit(): Promise<LibResult> {
    try {
      return this.transaction.commit();
    } catch (error) {
      throw toSDKError(error, 'transaction.commit');
    }
  }

  async rollback(reason?: unknown): Promise<LibResult> {
    try {
      return this.transaction.rollback(reason);
    } catch (error) {
      throw toSDKError(error, 'transaction.rollback');
    }
  }
}

export class WxDatabase {
  readonly command: Db['command'];
  readonly Geo: Record<string, unknown>;
  readonly serverDate: Db['serverDate'];
  readonly RegExp: Db['RegExp'];
  /** the @cloudbase/database Db underneath (tests and tools may use it directly) */
  readonly db: Db;

  constructor(
    readonly cloud: CloudState,
    readonly config: WxDatabaseConfig,
    createDb: () => Db,
  ) {
    this.db = createDb();
    this.command = this.db.command;
    this.Geo = wrapGeo(this.db.Geo as unknown as Record<string, unknown>);
    this.serverDate = this.db.serverDate;
    this.RegExp = this.db.RegExp;
  }

  collection(collectionName: string): WxCollectionReference {
    return new WxCollectionReference(
      this.db.collection(collectionName) as unknown as LibCollection,
      collectionName,
      this,
    );
  }

  async startTransaction(): Promise<WxTransaction> {
    const transaction = (await (
      this.db.startTransaction as () => Promise<LibTransaction>
    )()) as LibTransaction;
    return new WxTransaction(transaction, this);
  }

  runTransaction<T>(
    callback: (transaction: WxTransaction) => Promise<T> | T,
    times = 3,
  ): Promise<T> {
    const run = this.db.runTransaction as (
      cb: (t: LibTransaction) => Promise<T> | T,
      times: number,
    ) => Promise<T>;
    return run((transaction) => callback(new WxTransaction(transaction, this)), times);
  }

  async createCollection(collectionName: string): Promise<{ errMsg: string; requestId?: string }> {
    const apiName = 'createCollection';
    try {
      const result = (await this.db.createCollection(collectionName)) as LibResult;
      checkError(result, apiName);
      return { errMsg: SUCCESS(apiName), requestId: result.requestId };
    } catch (error) {
      throw toSDKError(error, apiName);
    }
  }
}

/** wx-server-sdk exposes the Geo constructors as plain functions (initGeo). */
function wrapGeo(geo: Record<string, unknown>): Record<string, unknown> {
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(geo)) {
    const value = geo[key];
    wrapped[key] =
      typeof value === 'function'
        ? (...args: unknown[]) => new (value as new (...a: unknown[]) => unknown)(...args)
        : value;
  }
  return wrapped;
}

// ---------------------------------------------------------------------------------------------
// openapi: WeChat's server answers `{errcode, errmsg, ...}` (snake_case) or a buffer; the SDK
// converts case both ways and throws CloudSDKError(errCode = errcode) on failure.

type OpenApiAnswer =
  | { errcode: number; errmsg: string; [field: string]: unknown }
  | { contentType: string; buffer: Buffer };
type OpenApiHandler = (data: Plain) => Promise<OpenApiAnswer> | OpenApiAnswer;

/** Keys converted so far, per direction (the same few keys, on every call of a cloud API). */
const convertedKeys = { snake: new Map<string, string>(), camel: new Map<string, string>() };

function convertCase(input: unknown, to: 'snake' | 'camel'): unknown {
  const convertKey = (key: string): string => {
    let converted = convertedKeys[to].get(key);
    if (converted === undefined) {
      converted =
        to === 'snake'
          ? key.replace(
              /[A-Z]/g,
              (match, index: number) => `${index ? '_' : ''}${match.toLowerCase()}`,
            )
          : key.replace(/_[a-z]/g, (match) => match[1].toUpperCase());
      if (convertedKeys[to].size < 1000) convertedKeys[to].set(key, converted);
    }
    return converted;
  };
  if (Array.isArray(input)) return input.map((item) => convertCase(item, to));
  if (getType(input) === 'object') {
    const out: Plain = {};
    for (const [key, value] of Object.entries(input as Plain))
      out[convertKey(key)] = convertCase(value, to);
    return out;
  }
  return input;
}

function rid(): string {
  return `${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
}

/** Characters WeChat accepts in a wxacode scene (at most 32 of them). */
const SCENE_PATTERN = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

export interface OpenApiResult {
  errCode: number;
  errMsg: string;
  [field: string]: unknown;
}

export interface EmulatedOpenApi {
  wxacode: {
    getUnlimited(params: {
      scene: string;
      page?: string;
      checkPath?: boolean;
      envVersion?: string;
      width?: number;
      autoColor?: boolean;
      lineColor?: { r: number | string; g: number | string; b: number | string };
      isHyaline?: boolean;
    }): Promise<{ errCode: number; errMsg: string; contentType: string; buffer: Buffer }>;
  };
  riskControl: {
    getUserRiskRank(params: {
      appid?: string;
      openid: string;
      scene: number;
      clientIp?: string;
      mobileNo?: string;
      emailAddress?: string;
      extendedInfo?: string;
      isTest?: boolean;
    }): Promise<{ errCode: number; errMsg: string; riskRank: number; unoinId: number }>;
  };
  subscribeMessage: {
    send(params: {
      touser: string;
      templateId: string;
      page?: string;
      data: Record<string, { value: string }>;
      miniprogramState?: 'developer' | 'trial' | 'formal';
      lang?: string;
    }): Promise<{ errCode: number; errMsg: string }>;
  };
  security: {
    msgSecCheck(params: {
      openid: string;
      scene: number;
      version: number;
      content: string;
      nickname?: string;
      title?: string;
      signature?: string;
    }): Promise<{
      errCode: number;
      errMsg: string;
      traceId: string;
      result: { suggest: 'pass' | 'review' | 'risky'; label: number };
      detail: Array<Record<string, unknown>>;
    }>;
  };
  [namespace: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// QR images. qrcode computes the symbol; the PNG is encoded here with the native zlib (qrcode's
// own PNG path runs in pure JavaScript and takes seconds per image under Jest).

type Rgba = [number, number, number, number];

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A square RGBA PNG of the QR code for `text`, `width` pixels wide, with a one-module margin. */
export function qrPng(
  text: string,
  width: number,
  dark: Rgba = [0, 0, 0, 255],
  light: Rgba = [255, 255, 255, 255],
): Buffer {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const margin = 1;
  const total = modules.size + 2 * margin;
  const rowBytes = 1 + width * 4;
  const raw = Buffer.alloc(rowBytes * width);
  for (let y = 0; y < width; y++) {
    const row = Math.floor((y * total) / width) - margin;
    raw[y * rowBytes] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const col = Math.floor((x * total) / width) - margin;
      const on =
        row >= 0 &&
        col >= 0 &&
        row < modules.size &&
        col < modules.size &&
        modules.get(row, col) === 1;
      const color = on ? dark : light;
      const at = y * rowBytes + 1 + x * 4;
      raw[at] = color[0];
      raw[at + 1] = color[1];
      raw[at + 2] = color[2];
      raw[at + 3] = color[3];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(width, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------------------------
// The module object

export interface WXContext {
  OPENID: string;
  APPID: string;
  UNIONID?: string;
  ENV: string;
  SOURCE: string;
  CLIENTIP?: string;
}

export interface TempFileResult {
  fileID: string;
  tempFileURL: string;
  maxAge: number;
  status: number;
  errMsg: string;
}

export interface EmulatedWxServerSdk {
  version: string;
  readonly DYNAMIC_CURRENT_ENV: symbol;
  init(options?: Record<string, unknown>): void;
  updateConfig(options?: Record<string, unknown>): void;
  database(config?: WxDatabaseConfig): WxDatabase;
  getWXContext(): WXContext;
  openapi: EmulatedOpenApi;
  uploadFile(options: {
    cloudPath: string;
    fileContent: Buffer | Uint8Array | string | Readable;
    config?: unknown;
  }): Promise<{ fileID: string; statusCode: number; errMsg: string }>;
  downloadFile(options: {
    fileID: string;
  }): Promise<{ fileContent: Buffer; statusCode: number; errMsg: string }>;
  getTempFileURL(options: {
    fileList: Array<string | { fileID: string; maxAge?: number }>;
  }): Promise<{ fileList: TempFileResult[]; errMsg: string }>;
  deleteFile(options: { fileList: string[] }): Promise<{
    fileList: Array<{ fileID: string; status: number; errMsg: string }>;
    errMsg: string;
  }>;
  logger(): Record<LogLevel, (entry: Record<string, unknown>) => void>;
  /** Test control: the riskRank getUserRiskRank answers for this openid (kept in `_emulator_risk`). */
  setRiskRank(openid: string, rank: number): void;
  /**
   * Test control (issue 10): texts containing `word` are answered `suggest` (risky by default) by
   * security.msgSecCheck, with label 20006 (违法犯罪: what a keyword an operator adds is filed as);
   * `pass` forgets the word. Kept in `_emulator_sec_check`.
   */
  setSecCheckWord(word: string, suggest?: 'risky' | 'review' | 'pass'): void;
  /**
   * What `wx.requestSubscribeMessage` tells WeChat when the user taps 允许: one more message of
   * each template may be sent to them (kept in `_emulator_subscriptions`).
   */
  acceptSubscription(openid: string, templateIds: readonly string[]): void;
  /** Every subscribe message sent, oldest first (optionally to one user). */
  sentMessages(touser?: string): SentMessage[];
  /** Test control: the bytes uploaded at a cloudPath, or null. */
  readStoredFile(cloudPath: string): Promise<Buffer | null>;
  /** the folder uploads go to (null: memory) */
  readonly filesDir: string | null;
}

/** A subscribe message the emulated WeChat delivered. */
export interface SentMessage {
  _id: string;
  touser: string;
  templateId: string;
  page: string | null;
  data: Record<string, { value: string }>;
  miniprogramState: string;
  lang: string;
  sentAt: Date;
  functionName: string | null;
  requestId: string | null;
}

/** The bucket part of fileIDs, shaped like CloudBase's `<hex>-<env>-<appid number>`. */
function bucketOf(env: string): string {
  return `${Buffer.from(env.slice(0, 2)).toString('hex')}-${env}-1250000000`;
}

async function toBuffer(content: unknown): Promise<Buffer> {
  if (Buffer.isBuffer(content)) return content;
  if (content instanceof Uint8Array) return Buffer.from(content);
  if (typeof content === 'string') return Buffer.from(content);
  if (content instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of content)
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
    return Buffer.concat(chunks);
  }
  throw new Error(
    `Type of fileContent must be fs.ReadStream or Buffer instead of ${typeof content}`,
  );
}

/** Refuses cloud paths that would leave the storage folder. */
function checkCloudPath(cloudPath: string): string {
  const parts = cloudPath.split('/');
  if (
    !cloudPath ||
    cloudPath.startsWith('/') ||
    parts.some((p) => p === '..' || p === '.' || p === '')
  ) {
    throw {
      errCode: TCB_ERR_CODE.STORAGE_REQUEST_FAIL,
      errMsg: `[InvalidParameter] invalid cloudPath ${JSON.stringify(cloudPath)}`,
    };
  }
  return cloudPath;
}

export function createWxServerSdk(options: WxServerSdkOptions): EmulatedWxServerSdk {
  const { store } = options;
  const env = options.env ?? 'local';
  const filesDir =
    options.filesDir !== undefined
      ? options.filesDir
      : store.persistentDir
        ? join(store.persistentDir, 'files')
        : null;
  const memoryFiles = new Map<string, Buffer>();
  const publicBaseUrl =
    options.publicBaseUrl ?? (() => `http://127.0.0.1:${process.env.PORT ?? 8787}`);
  const log =
    options.log ??
    ((level: LogLevel, entry: Record<string, unknown>) => {
      console[level](JSON.stringify(entry));
    });
  const cloud: CloudState = { config: {} };

  const createDb = (): Db =>
    createDatabase({
      store,
      env,
      faults: options.faults,
      random: options.random,
      transactionTimeoutMs: options.transactionTimeoutMs,
      // wx-server-sdk initialises the library with throwOnCode: false: failures come back as results.
      config: { throwOnCode: false },
    });

  // --- files ----------------------------------------------------------------------------------

  const filePath = (cloudPath: string): string => {
    const root = resolve(filesDir as string);
    const path = resolve(root, cloudPath);
    if (!path.startsWith(root + sep))
      throw {
        errCode: TCB_ERR_CODE.STORAGE_REQUEST_FAIL,
        errMsg: '[InvalidParameter] invalid cloudPath',
      };
    return path;
  };
  const readStored = async (cloudPath: string): Promise<Buffer | null> => {
    if (!filesDir) return memoryFiles.get(cloudPath) ?? null;
    try {
      return await readFile(filePath(cloudPath));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  };
  const cloudPathOf = (fileID: string): string | null => {
    const match = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileID);
    return match ? match[1] : null;
  };
  const fileIdOf = (cloudPath: string): string => `cloud://${env}.${bucketOf(env)}/${cloudPath}`;

  // --- openapi --------------------------------------------------------------------------------

  const handlers: Record<EmulatedOpenApiName, OpenApiHandler> = {
    'wxacode.getUnlimited': (data) => {
      const scene = data.scene;
      if (typeof scene !== 'string' || !SCENE_PATTERN.test(scene)) {
        return {
          errcode: 40169,
          errmsg: `invalid length for scene, or the data is not json string rid: ${rid()}`,
        };
      }
      const page = data.page;
      if (page !== undefined) {
        const known = options.pages;
        if (
          typeof page !== 'string' ||
          page.startsWith('/') ||
          (known && data.check_path !== false && !known.includes(page))
        ) {
          return { errcode: 41030, errmsg: `invalid page rid: ${rid()}` };
        }
      }
      const width = Math.min(
        1280,
        Math.max(280, typeof data.width === 'number' ? Math.round(data.width) : 430),
      );
      const line = data.line_color as { r?: unknown; g?: unknown; b?: unknown } | undefined;
      const channel = (v: unknown): number =>
        Math.max(0, Math.min(255, Math.round(Number(v)) || 0));
      const dark: Rgba =
        line && data.auto_color !== true
          ? [channel(line.r), channel(line.g), channel(line.b), 255]
          : [0, 0, 0, 255];
      const light: Rgba = data.is_hyaline === true ? [255, 255, 255, 0] : [255, 255, 255, 255];
      // What the Mini Program receives on scan: the page, with the scene URL-encoded in its query.
      const content = `${typeof page === 'string' ? page : 'pages/index/index'}?scene=${encodeURIComponent(scene)}`;
      const buffer = qrPng(content, width, dark, light);
      return { contentType: 'image/png', buffer };
    },
    'riskControl.getUserRiskRank': (data) => {
      if (typeof data.openid !== 'string' || data.openid === '') {
        return { errcode: 40003, errmsg: `invalid openid rid: ${rid()}` };
      }
      if (
        ![0, 1, 2].includes(data.scene as number) ||
        typeof data.client_ip !== 'string' ||
        data.client_ip === ''
      ) {
        return { errcode: 40097, errmsg: `invalid args rid: ${rid()}` };
      }
      const saved = store.get(RISK_COLLECTION, data.openid);
      const rank = typeof saved?.riskRank === 'number' ? saved.riskRank : 0;
      return {
        errcode: 0,
        errmsg: 'getuserriskrank succ',
        risk_rank: rank,
        unoin_id: randomInt(1, 2 ** 31),
      };
    },
    'subscribeMessage.send': (data) => {
      if (typeof data.touser !== 'string' || data.touser === '')
        return { errcode: 40003, errmsg: `invalid openid rid: ${rid()}` };
      if (typeof data.template_id !== 'string' || data.template_id === '') {
        return { errcode: 40037, errmsg: `invalid template_id rid: ${rid()}` };
      }
      if (getType(data.data) !== 'object')
        return { errcode: 47003, errmsg: `argument invalid! data is empty rid: ${rid()}` };
      // A one-time subscription allows one message: none left (never accepted, or used) → 43101.
      const accepted = store.get(SUBSCRIPTIONS_COLLECTION, data.touser);
      const counts = (accepted?.counts ?? {}) as Record<string, number>;
      const left = Object.prototype.hasOwnProperty.call(counts, data.template_id)
        ? counts[data.template_id]
        : 0;
      if (!(left > 0)) {
        return { errcode: 43101, errmsg: `user refuse to accept the msg rid: ${rid()}` };
      }
      const invocation = currentInvocation();
      const id = generateDocId();
      store.commit([
        {
          collection: SUBSCRIPTIONS_COLLECTION,
          id: data.touser,
          after: { _id: data.touser, counts: { ...counts, [data.template_id]: left - 1 } },
        },
        {
          collection: MESSAGES_COLLECTION,
          id,
          mode: 'insert',
          after: {
            _id: id,
            touser: data.touser,
            templateId: data.template_id,
            page: data.page ?? null,
            data: data.data,
            miniprogramState: data.miniprogram_state ?? 'formal',
            lang: data.lang ?? 'zh_CN',
            sentAt: new Date(),
            functionName: invocation?.functionName ?? null,
            requestId: invocation?.requestId ?? null,
          },
        },
      ]);
      return { errcode: 0, errmsg: 'ok' };
    },
    // WeChat's v2 text check: `pass` (label 100) unless the text holds a word marked with
    // setSecCheckWord; the checks and codes of fixtures/docs/security-msg-sec-check.json.
    'security.msgSecCheck': (data) => {
      if (data.version !== 2 && data.version !== '2') {
        return { errcode: 47001, errmsg: `data format error rid: ${rid()}` };
      }
      if (typeof data.openid !== 'string' || data.openid === '') {
        return { errcode: 40003, errmsg: `invalid openid rid: ${rid()}` };
      }
      if (![1, 2, 3, 4].includes(data.scene as number)) {
        return { errcode: 40129, errmsg: `invalid scene rid: ${rid()}` };
      }
      if (typeof data.content !== 'string' || data.content === '') {
        return { errcode: 44002, errmsg: `empty post data rid: ${rid()}` };
      }
      const text = [data.content, data.nickname, data.title, data.signature]
        .filter((part): part is string => typeof part === 'string')
        .join('\n');
      let verdict: { suggest: 'pass' | 'review' | 'risky'; label: number } = {
        suggest: 'pass',
        label: 100,
      };
      for (const marked of store.find(SEC_CHECK_COLLECTION)) {
        const suggest = marked.suggest === 'review' ? 'review' : 'risky';
        if (typeof marked._id === 'string' && text.includes(marked._id)) {
          // risky outranks review
          if (verdict.suggest !== 'risky') verdict = { suggest, label: 20006 };
        }
      }
      const keyword =
        verdict.suggest === 'pass'
          ? {}
          : { suggest: verdict.suggest, label: verdict.label, level: 90 };
      return {
        errcode: 0,
        errmsg: 'ok',
        trace_id: rid(),
        result: verdict,
        detail: [
          { strategy: 'content_model', errcode: 0, suggest: 'pass', label: 100, prob: 90 },
          { strategy: 'keyword', errcode: 0, ...keyword },
        ],
      };
    },
  };

  const callOpenApi = async (api: string, params: unknown): Promise<OpenApiResult> => {
    const displayName = `openapi.${api}`;
    try {
      const invocation = currentInvocation();
      if (invocation && options.openApiPermissions?.(invocation.functionName).has(api) === false) {
        // What wx-server-sdk 4.0.2 (callGeneralOpenAPI) makes of WeChat's "no permission" answer:
        // `{ "errCode": -604101, "errMsg": "system error: error code: -604101" }` —
        // https://docs.cloudbase.net/en/faq/knowledge/cloud-call-604101-permission-error
        throw new CloudSDKError({ errCode: -604101, errMsg: 'system error: error code: -604101' });
      }
      const handler = (handlers as Record<string, OpenApiHandler | undefined>)[api];
      if (!handler) {
        throw new CloudSDKError({
          errCode: -604100,
          errMsg: `${displayName}:fail the local emulator does not emulate this API`,
        });
      }
      const answer = await handler((convertCase(params ?? {}, 'snake') as Plain) ?? {});
      if ('buffer' in answer)
        return {
          contentType: answer.contentType,
          buffer: answer.buffer,
          errMsg: `${displayName}:ok`,
          errCode: 0,
        };
      if (answer.errcode)
        throw new CloudSDKError({
          errCode: answer.errcode,
          errMsg: `${displayName}:fail ${answer.errmsg}`,
        });
      const { errcode: ignoredCode, errmsg: ignoredMessage, ...rest } = answer;
      void ignoredCode;
      void ignoredMessage;
      return { ...(convertCase(rest, 'camel') as Plain), errMsg: `${displayName}:ok`, errCode: 0 };
    } catch (error) {
      throw toSDKError(error, displayName);
    }
  };

  /** Any `openapi.a.b(...)` path, like the real SDK's proxy; unknown APIs fail with -604100. */
  const openApiProxy = (path: string[]): unknown =>
    new Proxy(function openapi() {}, {
      get(_target, property) {
        if (property === 'toJSON') return () => ({});
        // Not a thenable: awaiting an API namespace by mistake must not hang.
        if (typeof property === 'symbol' || property === 'then') return undefined;
        return openApiProxy([...path, property]);
      },
      apply(_target, _this, args: unknown[]) {
        return whileAlive(() => callOpenApi(path.join('.'), args[0]));
      },
    });

  // --- the module -----------------------------------------------------------------------------

  const sdk: EmulatedWxServerSdk = {
    version: '4.0.2',
    get DYNAMIC_CURRENT_ENV(): symbol {
      return Symbol.for('SYMBOL_CURRENT_ENV');
    },
    // As in wx-server-sdk, the first init wins and later calls are ignored.
    init(initOptions: Record<string, unknown> = {}) {
      if (Object.keys(cloud.config).length > 0) return;
      cloud.config = { ...initOptions };
    },
    updateConfig(config: Record<string, unknown> = {}) {
      cloud.config = { ...config };
    },
    database(config: WxDatabaseConfig = {}) {
      return new WxDatabase(cloud, config, createDb);
    },
    getWXContext(): WXContext {
      const invocation = currentInvocation();
      if (!invocation) return { OPENID: '', APPID: '', UNIONID: '', ENV: '', SOURCE: '' };
      const context: WXContext = {
        OPENID: invocation.OPENID,
        APPID: invocation.APPID,
        ENV: invocation.ENV,
        SOURCE: invocation.SOURCE,
      };
      if (invocation.UNIONID !== undefined) context.UNIONID = invocation.UNIONID;
      if (invocation.CLIENTIP !== undefined) context.CLIENTIP = invocation.CLIENTIP;
      return context;
    },
    openapi: openApiProxy([]) as EmulatedOpenApi,
    async uploadFile(uploadOptions) {
      const apiName = 'uploadFile';
      try {
        if (!uploadOptions)
          throw {
            errMsg: `Params for uploadFile must be an object instead of ${typeof uploadOptions}`,
          };
        assertType(uploadOptions, { cloudPath: 'string' });
        if (!uploadOptions.fileContent) {
          throw new Error(
            `Type of fileContent must be fs.ReadStream instead of ${typeof uploadOptions.fileContent}`,
          );
        }
        const cloudPath = checkCloudPath(uploadOptions.cloudPath);
        const content = await toBuffer(uploadOptions.fileContent);
        if (filesDir) {
          const path = filePath(cloudPath);
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, content);
        } else {
          memoryFiles.set(cloudPath, content);
        }
        return { fileID: fileIdOf(cloudPath), statusCode: 200, errMsg: `${apiName}:ok` };
      } catch (error) {
        throw toSDKError(error, apiName);
      }
    },
    async downloadFile(downloadOptions) {
      const apiName = 'downloadFile';
      try {
        assertType(downloadOptions, { fileID: 'string' });
        const cloudPath = cloudPathOf(downloadOptions.fileID);
        const content = cloudPath ? await readStored(cloudPath) : null;
        if (!content)
          throw {
            errCode: TCB_ERR_CODE.STORAGE_FILE_NONEXIST,
            errMsg: `[ResourceNotFound] file ${downloadOptions.fileID} does not exist`,
          };
        return { fileContent: content, statusCode: 200, errMsg: `${apiName}:ok` };
      } catch (error) {
        throw toSDKError(error, apiName);
      }
    },
    async getTempFileURL(urlOptions) {
      const apiName = 'getTempFileURL';
      try {
        assertType(urlOptions, { fileList: 'array' });
        const fileList: TempFileResult[] = [];
        for (const item of urlOptions.fileList) {
          const fileID = typeof item === 'string' ? item : item.fileID;
          const maxAge = typeof item === 'string' ? 86400 : (item.maxAge ?? 86400);
          const cloudPath = typeof fileID === 'string' ? cloudPathOf(fileID) : null;
          const exists = cloudPath !== null && (await readStored(cloudPath)) !== null;
          fileList.push(
            exists
              ? {
                  fileID,
                  tempFileURL: `${publicBaseUrl()}/__emulator/files/${(cloudPath as string).split('/').map(encodeURIComponent).join('/')}`,
                  maxAge,
                  status: 0,
                  errMsg: 'ok',
                }
              : {
                  fileID,
                  tempFileURL: '',
                  maxAge,
                  status: TCB_ERR_CODE.STORAGE_FILE_NONEXIST,
                  errMsg: ERR_CODE_TEXT[TCB_ERR_CODE.STORAGE_FILE_NONEXIST],
                },
          );
        }
        return { fileList, errMsg: `${apiName}:ok` };
      } catch (error) {
        throw toSDKError(error, apiName);
      }
    },
    async deleteFile(deleteOptions) {
      const apiName = 'deleteFile';
      try {
        assertType(deleteOptions, { fileList: 'array' });
        deleteOptions.fileList.forEach((f, i) => {
          if (typeof f !== 'string')
            throw new Error(`Type of fileList[${i}] must be string instead of ${typeof f}`);
        });
        const fileList: Array<{ fileID: string; status: number; errMsg: string }> = [];
        for (const fileID of deleteOptions.fileList) {
          const cloudPath = cloudPathOf(fileID);
          const exists = cloudPath !== null && (await readStored(cloudPath)) !== null;
          if (exists && cloudPath) {
            if (filesDir) await rm(filePath(cloudPath), { force: true });
            else memoryFiles.delete(cloudPath);
          }
          fileList.push(
            exists
              ? { fileID, status: 0, errMsg: 'ok' }
              : {
                  fileID,
                  status: TCB_ERR_CODE.STORAGE_FILE_NONEXIST,
                  errMsg: ERR_CODE_TEXT[TCB_ERR_CODE.STORAGE_FILE_NONEXIST],
                },
          );
        }
        return { fileList, errMsg: `${apiName}:ok` };
      } catch (error) {
        throw toSDKError(error, apiName);
      }
    },
    logger() {
      const write = (level: LogLevel) => (entry: Record<string, unknown>) => {
        const invocation = currentInvocation();
        log(level, {
          ...entry,
          level,
          functionName: invocation?.functionName,
          requestId: invocation?.requestId,
        });
      };
      return { log: write('log'), info: write('info'), warn: write('warn'), error: write('error') };
    },
    setRiskRank(openid: string, rank: number) {
      if (!Number.isInteger(rank) || rank < 0 || rank > 4)
        throw new RangeError('riskRank must be an integer from 0 to 4');
      store.commit([
        {
          collection: RISK_COLLECTION,
          id: openid,
          after: { _id: openid, riskRank: rank, updatedAt: new Date() },
        },
      ]);
    },
    setSecCheckWord(word: string, suggest: 'risky' | 'review' | 'pass' = 'risky') {
      if (typeof word !== 'string' || word.trim() === '') {
        throw new RangeError('a refused word is a non-empty string');
      }
      store.commit([
        suggest === 'pass'
          ? { collection: SEC_CHECK_COLLECTION, id: word, after: null }
          : {
              collection: SEC_CHECK_COLLECTION,
              id: word,
              after: { _id: word, suggest, updatedAt: new Date() },
            },
      ]);
    },
    acceptSubscription(openid: string, templateIds: readonly string[]) {
      if (!openid) throw new RangeError('an openid is required');
      const saved = store.get(SUBSCRIPTIONS_COLLECTION, openid);
      const counts = { ...((saved?.counts ?? {}) as Record<string, number>) };
      for (const id of templateIds) {
        counts[id] = (Object.prototype.hasOwnProperty.call(counts, id) ? counts[id] : 0) + 1;
      }
      store.commit([
        {
          collection: SUBSCRIPTIONS_COLLECTION,
          id: openid,
          after: { _id: openid, counts, updatedAt: new Date() },
        },
      ]);
    },
    sentMessages(touser?: string) {
      return (store.find(MESSAGES_COLLECTION) as unknown as SentMessage[])
        .filter((m) => touser === undefined || m.touser === touser)
        .sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
    },
    readStoredFile: readStored,
    filesDir,
  };
  // A killed invocation's storage calls never happen, or never answer (see whileAlive).
  for (const name of ['uploadFile', 'downloadFile', 'getTempFileURL', 'deleteFile'] as const) {
    const call = sdk[name] as (options: unknown) => Promise<unknown>;
    Object.assign(sdk, { [name]: (options: unknown) => whileAlive(() => call(options)) });
  }
  return sdk;
}
