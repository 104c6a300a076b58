import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Db } from '@cloudbase/database';
import { ERRORS } from '@cloudbase/database/dist/commonjs/const/code';
import { update as applyModifier } from 'mingo/updater';
import {
  assertAlive,
  currentInvocation,
  halted,
  InvocationKilled,
  isDatabaseWrite,
} from './context';
import { activeFaults, type FaultSettings } from './faults';
import { parseWire, toWire } from './wire';
import {
  cloneValue,
  documentKey,
  generateDocId,
  isDate,
  isPlainObject,
  isRegExp,
  sameValue,
  StoreError,
  type Doc,
  type DocId,
  type DocumentChange,
  type DocumentStore,
  type SnapshotTracker,
} from './store';

type Plain = Record<string, unknown>;

/**
 * The request backend of the local CloudBase database. `@cloudbase/database` (the query builder
 * that wx-server-sdk and @cloudbase/node-sdk wrap) sends every operation through
 * `new Db.reqClass(config).send(action, params)`; on CloudBase that is an HTTP call to the
 * database service. Here `send` executes the request on a DocumentStore and answers with the
 * same shapes the service does: `{requestId, data: {...}}` on success, `{code, message,
 * requestId}` on failure (the library hands failures back to the caller, wx-server-sdk turns
 * them into errors with `errCode`/`errMsg`).
 */

export type { FaultSettings } from './faults';

export interface CreateDatabaseOptions {
  store: DocumentStore;
  env?: string;
  /** read on every request, so changing it at runtime takes effect at once */
  faults?: FaultSettings;
  random?: () => number;
  /** extra Db config (wx-server-sdk passes `throwOnCode: false`) */
  config?: Record<string, unknown>;
  /** CloudBase aborts transactions not committed within 30 s; tests may shorten it */
  transactionTimeoutMs?: number;
}

/** Server error codes (the `code` of a failed response) and what wx-server-sdk makes of them. */
export const DB_ERROR = {
  /** wx-server-sdk errCode -502001 (duplicate keys, invalid updates, bad queries) */
  REQUEST_FAILED: 'DATABASE_REQUEST_FAILED',
  /** wx-server-sdk errCode -502005 */
  COLLECTION_NOT_EXIST: 'DATABASE_COLLECTION_NOT_EXIST',
  /** the code `runTransaction` retries on; wx-server-sdk errCode -501001 */
  TRANSACTION_CONFLICT: ERRORS.DATABASE_TRANSACTION_CONFLICT.code,
  /** transaction unknown, expired (30 s), aborted or already finished; errCode -501001 */
  TRANSACTION_FAIL: 'DATABASE_TRANSACTION_FAIL',
  /** createCollection of an existing collection; errCode -501001 */
  COLLECTION_ALREADY_EXIST: 'DATABASE_COLLECTION_ALREADY_EXIST',
  /** a query-level operation inside a transaction; errCode -502002 */
  INVALID_OPERATOR: 'DATABASE_INVALID_OPERRATOR',
  /** injected system failure; errCode -501001 */
  SYSTEM_ERROR: 'SYS_ERR',
  /** malformed request; errCode -501007 */
  INVALID_PARAM: 'INVALID_PARAM',
} as const;

/** Documents per get(): CloudBase's server SDK default and maximum. */
export const DEFAULT_GET_LIMIT = 100;
export const MAX_GET_LIMIT = 1000;
/** CloudBase answers an aggregate() without a $limit stage with at most 20 documents. */
export const DEFAULT_AGGREGATE_LIMIT = 20;
export const DEFAULT_TRANSACTION_TIMEOUT_MS = 30_000;

// ---------------------------------------------------------------------------------------------
// Responses

interface WireResponse {
  requestId: string;
  code?: string;
  message?: string;
  [field: string]: unknown;
}

/** What the hot-document bench reads of one collection's writes (outside transactions). */
export interface WriteStats {
  writes: number;
  /** conditional writes whose condition held nothing, or inserts of an id taken */
  missed: number;
  /** time writes waited for earlier writes to the same document (the docLatencyMs fault) */
  queuedMs: number;
}

/** A request that cannot run yet: documents it must write are locked by open transactions. */
class Blocked {
  constructor(readonly by: Transaction[]) {}
}

/** An error the request answers with (instead of a stack trace). */
class RequestFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** How MongoDB (and so CloudBase) reports a failed write inside a bulk write. */
function writeErrorMessage(detail: string): string {
  return `[FailedOperation] multiple write errors: [{write errors: [{${detail}}]}, {<nil>}]`;
}

function collectionMissing(collection: string): RequestFailure {
  return new RequestFailure(
    DB_ERROR.COLLECTION_NOT_EXIST,
    `[ResourceNotFound] Db or Table not exist: ${collection}`,
  );
}

function fromStoreError(error: StoreError, env: string): RequestFailure {
  switch (error.kind) {
    case 'collection-not-exists':
      return collectionMissing(error.details.collection ?? '');
    case 'duplicate-key':
      // Name the collection the way MongoDB does: <database>.<collection>.
      return new RequestFailure(
        DB_ERROR.REQUEST_FAILED,
        writeErrorMessage(error.message.replace('collection: ', `collection: ${env}.`)),
      );
    case 'invalid-operation':
      return new RequestFailure(DB_ERROR.REQUEST_FAILED, `[FailedOperation] ${error.message}`);
    case 'closed':
      return new RequestFailure(DB_ERROR.SYSTEM_ERROR, `[InternalError] ${error.message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Updates: mingo applies the operators; the checks MongoDB makes first (and mingo skips) are
// made here so writes fail as they do on CloudBase instead of silently doing nothing.

const UPDATE_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$rename',
  '$push',
  '$pull',
  '$pullAll',
  '$pop',
  '$addToSet',
  '$bit',
  '$currentDate',
]);
const CREATING_OPERATORS = new Set([
  '$set',
  '$inc',
  '$mul',
  '$min',
  '$max',
  '$push',
  '$addToSet',
  '$bit',
  '$currentDate',
]);
const ARRAY_OPERATORS = new Set(['$push', '$pull', '$pullAll', '$pop', '$addToSet']);

function bsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (isDate(value)) return 'date';
  if (isRegExp(value)) return 'regex';
  switch (typeof value) {
    case 'number':
      return Number.isInteger(value) ? 'int' : 'double';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      return 'object';
  }
}

function show(value: unknown): string {
  if (isDate(value)) return `new Date(${value.getTime()})`;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function checkUpdate(doc: Doc, modifier: Plain): void {
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!UPDATE_OPERATORS.has(operator)) {
      throw new RequestFailure(
        DB_ERROR.REQUEST_FAILED,
        writeErrorMessage(`Unknown modifier: ${operator}`),
      );
    }
    if (!isPlainObject(fields)) {
      throw new RequestFailure(
        DB_ERROR.REQUEST_FAILED,
        writeErrorMessage(
          `Modifiers operate on fields but we found type ${bsonTypeName(fields)} instead`,
        ),
      );
    }
    for (const [path, argument] of Object.entries(fields)) {
      const fail = (detail: string): never => {
        throw new RequestFailure(DB_ERROR.REQUEST_FAILED, writeErrorMessage(detail));
      };
      if (path === '_id' || path.startsWith('_id.')) {
        fail(`Performing an update on the path '_id' would modify the immutable field '_id'`);
      }
      const segments = path.split('.');
      let current: unknown = doc;
      let resolved = true;
      for (let i = 0; i < segments.length - 1; i++) {
        const segment = segments[i];
        const next: unknown = Array.isArray(current)
          ? /^\d+$/.test(segment)
            ? current[Number(segment)]
            : CREATING_OPERATORS.has(operator)
              ? fail(
                  `Cannot create field '${segment}' in element {${segments[i - 1] ?? ''}: ${show(current)}}`,
                )
              : undefined
          : isPlainObject(current)
            ? current[segment]
            : undefined;
        if (next === undefined) {
          resolved = false;
          break;
        }
        if (next === null || typeof next !== 'object' || isDate(next) || isRegExp(next)) {
          if (CREATING_OPERATORS.has(operator))
            fail(`Cannot create field '${segments[i + 1]}' in element {${segment}: ${show(next)}}`);
          resolved = false;
          break;
        }
        current = next;
      }
      const leafName = segments[segments.length - 1];
      const leaf =
        resolved && isPlainObject(current)
          ? current[leafName]
          : resolved && Array.isArray(current) && /^\d+$/.test(leafName)
            ? current[Number(leafName)]
            : undefined;
      if (operator === '$inc' || operator === '$mul') {
        const verb = operator === '$inc' ? 'increment' : 'multiply';
        if (typeof argument !== 'number')
          fail(`Cannot ${verb} with non-numeric argument: {${path}: ${show(argument)}}`);
        if (leaf !== undefined && typeof leaf !== 'number') {
          fail(
            `Cannot apply ${operator} to a value of non-numeric type. {_id: ${show(doc._id)}} has the field '${leafName}' of non-numeric type ${bsonTypeName(leaf)}`,
          );
        }
      }
      if (ARRAY_OPERATORS.has(operator) && leaf !== undefined && !Array.isArray(leaf)) {
        fail(
          `The field '${leafName}' must be an array but is of type ${bsonTypeName(leaf)} in document {_id: ${show(doc._id)}}`,
        );
      }
    }
  }
}

/**
 * The document after the update operators, or the same object when nothing changed (MongoDB's
 * "unchanged": every field the operators touched has its value, field order included). Only the
 * objects on the operators' paths are copied: stored documents are never mutated, and a spin's
 * write should not copy a participant's whole spin log. `$set`, `$inc` and `$unset` on plain
 * paths (nearly every write) are applied here as mingo applies them; the rest goes through
 * mingo's updater (test/emulator/fast-paths.test.ts holds the two to the same answers).
 */
export function applyOperators(doc: Doc, modifier: Plain): Doc {
  checkUpdate(doc, modifier);
  const simple = applySimpleOperators(doc, modifier);
  if (simple) return simple;
  const next = copyAlong(doc, modifierPaths(modifier)) ?? cloneValue(doc);
  let changed: string[];
  try {
    changed = applyModifier(next, modifier, undefined, undefined, { cloneMode: 'copy' });
  } catch (error) {
    throw new RequestFailure(DB_ERROR.REQUEST_FAILED, writeErrorMessage((error as Error).message));
  }
  const differs = (path: string) => {
    const [now, before] = [valueAt(next, path), valueAt(doc, path)];
    return now === MISSING || before === MISSING ? now !== before : !sameValue(now, before);
  };
  return changed.some(differs) ? next : doc;
}

const SIMPLE_OPERATORS = new Set(['$set', '$inc', '$unset', '$max', '$min']);

/** What `$max`/`$min` compare here: two numbers, or two dates (anything else: mingo's updater). */
function comparable(value: unknown): number | null {
  if (typeof value === 'number' && !Number.isNaN(value)) return value;
  return isDate(value) ? value.getTime() : null;
}

/**
 * `$set`, `$inc`, `$unset` on paths through objects, and `$max`/`$min` of a number or a date
 * (the tag rank every visitor action raises); null when the update is anything else.
 */
function applySimpleOperators(doc: Doc, modifier: Plain): Doc | null {
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!SIMPLE_OPERATORS.has(operator) || !isPlainObject(fields)) return null;
    if (operator !== '$max' && operator !== '$min') continue;
    for (const [path, argument] of Object.entries(fields)) {
      const current = valueAt(doc, path);
      const same = isDate(argument) ? isDate(current) : typeof current === 'number';
      if (
        comparable(argument) === null ||
        (current !== MISSING && !(same && comparable(current) !== null))
      ) {
        return null;
      }
    }
  }
  const next = copyAlong(doc, modifierPaths(modifier));
  if (!next) return null;
  let changed = false;
  for (const [operator, fields] of Object.entries(modifier)) {
    for (const [path, argument] of Object.entries(fields as Plain)) {
      const segments = path.split('.');
      const key = segments[segments.length - 1];
      // the objects on the path are copies already (copyAlong); missing ones are made for $set/$inc
      let parent: Plain = next;
      for (const segment of segments.slice(0, -1)) {
        const value = parent[segment];
        if (value === undefined && operator !== '$unset') {
          const made: Plain = {};
          parent[segment] = made;
          parent = made;
        } else if (isPlainObject(value)) parent = value;
        else if (Array.isArray(value)) return null;
        else {
          parent = null as unknown as Plain;
          break;
        }
      }
      if (!parent) continue; // $unset below a missing or scalar field: nothing to remove
      const own = Object.prototype.hasOwnProperty.call(parent, key);
      const previous = own ? parent[key] : undefined;
      if (operator === '$set') {
        if (looselyEqual(previous, argument)) continue;
        parent[key] = cloneValue(argument);
      } else if (operator === '$inc') {
        const sum = ((previous as number) || 0) + (argument as number);
        if (sum === previous) continue;
        parent[key] = sum;
      } else if (operator === '$max' || operator === '$min') {
        if (own) {
          const order = comparable(previous)! - comparable(argument)!;
          if (operator === '$max' ? order >= 0 : order <= 0) continue;
        }
        parent[key] = argument;
      } else {
        if (!own) continue;
        delete parent[key];
      }
      changed = true;
    }
  }
  return changed ? next : doc;
}

/** mingo's `isEqual`, which decides whether a `$set` changed anything (key order aside). */
function looselyEqual(a: unknown, b: unknown): boolean {
  if (a === b || Object.is(a, b)) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (isDate(a) || isDate(b)) return isDate(a) && isDate(b) && a.getTime() === b.getTime();
  if (isRegExp(a) || isRegExp(b)) {
    return isRegExp(a) && isRegExp(b) && a.source === b.source && a.flags === b.flags;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((v, i) => looselyEqual(v, b[i]))
    );
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return sameValue(a, b);
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && looselyEqual(a[k], b[k]))
  );
}

/** The field paths an update's operators name ($rename's targets too). */
function modifierPaths(modifier: Plain): string[] {
  const paths: string[] = [];
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!isPlainObject(fields)) continue;
    for (const [path, argument] of Object.entries(fields)) {
      paths.push(path);
      if (operator === '$rename' && typeof argument === 'string') paths.push(argument);
    }
  }
  return paths;
}

/**
 * A copy of `doc` sharing everything but the objects along `paths` (and the arrays at their
 * ends, which $push and $pull change in place). Null when a path reaches through an array or
 * names an element (`a.0`, `a.$`): then the whole document is copied.
 */
function copyAlong(doc: Doc, paths: string[]): Doc | null {
  const root: Plain = { ...doc };
  const copies = new Set<unknown>([root]);
  for (const path of paths) {
    const segments = path.split('.');
    if (segments.some((s) => s.startsWith('$') || /^\d+$/.test(s))) return null;
    let parent = root;
    for (let i = 0; i < segments.length; i++) {
      const value = parent[segments[i]];
      if (Array.isArray(value)) {
        if (i < segments.length - 1) return null;
        if (!copies.has(value)) {
          const copy = value.slice();
          copies.add(copy);
          parent[segments[i]] = copy;
        }
        break;
      }
      if (!isPlainObject(value)) break;
      let copy = value;
      if (!copies.has(value)) {
        copy = { ...value };
        copies.add(copy);
        parent[segments[i]] = copy;
      }
      parent = copy;
    }
  }
  return root as Doc;
}

const MISSING = Symbol('missing');

/** The value at a dotted path (array elements by position), or MISSING (not the same as null). */
function valueAt(doc: unknown, path: string): unknown {
  let value = doc;
  for (const segment of path.split('.')) {
    if (Array.isArray(value) && /^\d+$/.test(segment) && Number(segment) < value.length) {
      value = value[Number(segment)];
    } else if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, segment)) {
      value = value[segment];
    } else return MISSING;
  }
  return value;
}

/** The library sends operators for update() and a whole document for set(). */
function toModifier(data: unknown): Plain {
  if (!isPlainObject(data))
    throw new RequestFailure(DB_ERROR.INVALID_PARAM, 'update data must be an object');
  const keys = Object.keys(data);
  if (keys.length > 0 && keys.every((k) => k.startsWith('$'))) return data;
  if (keys.some((k) => k.startsWith('$'))) {
    throw new RequestFailure(
      DB_ERROR.REQUEST_FAILED,
      writeErrorMessage('update document mixes operators and fields'),
    );
  }
  return { $set: data };
}

function checkFieldNames(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(checkFieldNames);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, v] of Object.entries(value)) {
    if (key.startsWith('$')) {
      throw new RequestFailure(
        DB_ERROR.REQUEST_FAILED,
        writeErrorMessage(`Document can't have $ prefixed field names: ${key}`),
      );
    }
    checkFieldNames(v);
  }
}

function replacementOf(id: DocId, data: unknown): Doc {
  if (!isPlainObject(data))
    throw new RequestFailure(DB_ERROR.INVALID_PARAM, 'document data must be an object');
  checkFieldNames(data);
  const { _id: ignored, ...fields } = data;
  void ignored;
  return { _id: id, ...fields };
}

function asDocId(value: unknown): DocId {
  if (typeof value === 'string' || typeof value === 'number') return value;
  throw new RequestFailure(
    DB_ERROR.INVALID_PARAM,
    `_id must be a string or a number, got ${show(value)}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Transactions

type TransactionStatus = 'active' | 'committed' | 'aborted' | 'conflicted' | 'expired';

interface Transaction {
  id: string;
  tracker: SnapshotTracker;
  /** buffered writes, applied at commit; key = documentKey */
  writes: Map<string, DocumentChange>;
  status: TransactionStatus;
  expiresAt: number;
  ended: Promise<void>;
  end: () => void;
  conflictOn?: string;
}

const MAX_REMEMBERED_TRANSACTIONS = 10_000;

/** Everything one store's database needs across Db instances: open transactions and their locks. */
class DatabaseBackend {
  private readonly transactions = new Map<string, Transaction>();
  private readonly finished = new Map<string, { status: TransactionStatus; conflictOn?: string }>();
  /** document key → the open transaction that wrote it (MongoDB's transaction write lock) */
  private readonly locks = new Map<string, Transaction>();
  /** document key → the end of the last write queued on it (the docLatencyMs fault) */
  private readonly documentTurns = new Map<string, Promise<void>>();

  constructor(
    readonly store: DocumentStore,
    readonly transactionTimeoutMs: number,
  ) {}

  async execute(
    action: string,
    params: Plain,
    binding: Binding,
    requestId: string,
  ): Promise<WireResponse> {
    this.expireStale();
    const transactionId =
      typeof params.transactionId === 'string' ? params.transactionId : undefined;
    const queryType = params.queryType === 'DOC' ? 'DOC' : 'WHERE';
    // Queries built on a transaction's collection() but not addressed to one document reach us
    // either with the transaction id and queryType WHERE (get) or without any id (update,
    // remove, count, aggregate): both are batch operations, which transactions refuse.
    const documentLevel = transactionId !== undefined && queryType === 'DOC';
    const txControl = action === START || action === COMMIT || action === ABORT;
    if (
      !txControl &&
      action !== 'database.insertDocument' &&
      (binding.transactional || transactionId !== undefined) &&
      !documentLevel
    ) {
      throw new RequestFailure(
        DB_ERROR.INVALID_OPERATOR,
        `[InvalidParameter] ${action} is not allowed in a transaction: transactions support document-level operations only (collection.doc(id).get/set/update/remove and collection.add)`,
      );
    }
    if (
      action === 'database.insertDocument' &&
      binding.transactional &&
      transactionId === undefined
    ) {
      throw new RequestFailure(
        DB_ERROR.INVALID_OPERATOR,
        '[InvalidParameter] insert without transaction id inside a transaction',
      );
    }
    const now = Date.now();
    const { docLatencyMs } = activeFaults(binding.faults);
    switch (action) {
      case START:
        return { requestId, transactionId: this.start() };
      case COMMIT: {
        const id = stringParam(params.transactionId);
        const touched = () => [...(this.transactions.get(id)?.writes.keys() ?? [])];
        return this.holdDocuments(docLatencyMs, touched, () => this.commit(id, requestId));
      }
      case ABORT:
        return this.abort(stringParam(params.transactionId), requestId);
      case 'database.addCollection': {
        const name = stringParam(params.collectionName);
        if (!this.store.createCollection(name)) {
          throw new RequestFailure(
            DB_ERROR.COLLECTION_ALREADY_EXIST,
            '[ResourceUnavailable.ResourceExist] Table exist.',
          );
        }
        return { requestId };
      }
      case 'database.getDocument':
        return transactionId !== undefined
          ? this.transactionalGet(transactionId, params, now, requestId)
          : this.get(params, queryType, now, requestId);
      case 'database.calculateDocument': {
        const collection = stringParam(params.collectionName);
        const filter = filterOf(params.query, now);
        return { requestId, data: { total: this.store.countMatching(collection, filter) } };
      }
      case 'database.insertDocument':
        return transactionId !== undefined
          ? this.transactionalInsert(transactionId, params, now, requestId)
          : this.counted(params, this.insert(params, now, requestId, docLatencyMs));
      case 'database.modifyDocument':
        return transactionId !== undefined
          ? this.transactionalModify(transactionId, params, now, requestId)
          : this.counted(params, this.modify(params, queryType, now, requestId, docLatencyMs));
      case 'database.removeDocument':
        return transactionId !== undefined
          ? this.transactionalRemove(transactionId, params, now, requestId)
          : this.counted(params, this.remove(params, queryType, now, requestId, docLatencyMs));
      case 'database.modifyAndReturnDoc':
        return this.counted(params, this.modifyAndReturn(params, now, requestId, docLatencyMs));
      case 'database.aggregateDocuments':
        return this.aggregate(params, now, requestId);
      default:
        throw new RequestFailure(
          DB_ERROR.INVALID_OPERATOR,
          `[InvalidParameter] the local emulator does not support ${action}`,
        );
    }
  }

  // --- write statistics (Performance, issue 14: the hot-document bench) ---------------------

  /** Per collection: write requests, those that changed nothing, and time spent queueing. */
  readonly writeStats = new Map<string, WriteStats>();

  private statsOf(collection: string): WriteStats {
    let stats = this.writeStats.get(collection);
    if (!stats) this.writeStats.set(collection, (stats = { writes: 0, missed: 0, queuedMs: 0 }));
    return stats;
  }

  /** Counts a write outside transactions: a condition that held nothing, a duplicate, are missed. */
  private async counted(params: Plain, write: Promise<WireResponse>): Promise<WireResponse> {
    const stats = this.statsOf(
      typeof params.collectionName === 'string' ? params.collectionName : '',
    );
    stats.writes++;
    try {
      const response = await write;
      const data = (response.data ?? {}) as Record<string, unknown>;
      const changed =
        Number(data.updated ?? 0) > 0 ||
        Number(data.deleted ?? 0) > 0 ||
        data.upsert_id !== undefined ||
        (Array.isArray(data.insertedIds) && data.insertedIds.length > 0);
      if (!changed) stats.missed++;
      return response;
    } catch (error) {
      stats.missed++;
      throw error;
    }
  }

  // --- reads ----------------------------------------------------------------------------------

  private get(
    params: Plain,
    queryType: 'DOC' | 'WHERE',
    now: number,
    requestId: string,
  ): WireResponse {
    const collection = stringParam(params.collectionName);
    const filter = filterOf(params.query, now);
    const projection = shapeParam(params.projection, now);
    if (queryType === 'DOC') {
      const docs = this.store.find(collection, {
        filter: { _id: asDocId(filter._id) },
        projection,
        limit: 1,
      });
      return { requestId, data: { list: docs.map(toWire) } };
    }
    const requested =
      typeof params.limit === 'number' && params.limit > 0
        ? Math.floor(params.limit)
        : DEFAULT_GET_LIMIT;
    const limit = Math.min(requested, MAX_GET_LIMIT);
    const offset =
      typeof params.offset === 'number' && params.offset > 0 ? Math.floor(params.offset) : 0;
    const sort = shapeParam(params.order, now) as Record<string, 1 | -1> | undefined;
    const docs = this.store.find(collection, { filter, sort, skip: offset, limit, projection });
    return { requestId, data: { list: docs.map(toWire), limit, offset } };
  }

  private aggregate(params: Plain, now: number, requestId: string): WireResponse {
    const collection = stringParam(params.collectionName);
    if (!Array.isArray(params.stages))
      throw new RequestFailure(DB_ERROR.INVALID_PARAM, 'stages must be an array');
    const pipeline = params.stages.map((stage: unknown) => {
      if (!isPlainObject(stage) || typeof stage.stageKey !== 'string') {
        throw new RequestFailure(
          DB_ERROR.INVALID_PARAM,
          'each stage must be {stageKey, stageValue}',
        );
      }
      return { [stage.stageKey]: parseWire(stage.stageValue, now) };
    });
    let list: Plain[];
    try {
      list = this.store.aggregate(collection, pipeline);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw new RequestFailure(
        DB_ERROR.REQUEST_FAILED,
        `[FailedOperation] ${(error as Error).message}`,
      );
    }
    const limited = pipeline.some((stage) => '$limit' in stage)
      ? list
      : list.slice(0, DEFAULT_AGGREGATE_LIMIT);
    return { requestId, data: { list: limited.map(toWire) } };
  }

  // --- writes outside transactions ------------------------------------------------------------

  /**
   * Runs a write that must not touch documents an open transaction has written: like MongoDB,
   * it waits until those transactions end. The attempt itself is synchronous (read, decide,
   * commit with no await in between), which is what makes conditional updates atomic. With a
   * per-document latency, the write first takes its turn on the documents it will touch.
   */
  private write(
    docLatencyMs: number,
    touched: () => string[],
    attempt: () => WireResponse | Blocked,
  ): Promise<WireResponse> {
    if (docLatencyMs <= 0) {
      // the usual case, at once: nothing holds the documents
      assertAlive();
      const outcome = attempt();
      if (!(outcome instanceof Blocked)) return Promise.resolve(outcome);
    }
    return this.holdDocuments(docLatencyMs, touched, async () => {
      for (;;) {
        // A write of an invocation killed while it waited never happens.
        assertAlive();
        const outcome = attempt();
        if (!(outcome instanceof Blocked)) return outcome;
        await this.waitForAny(outcome.by);
        this.expireStale();
      }
    });
  }

  /**
   * The `docLatencyMs` fault: writes to one document take turns, each holding it that long, as a
   * hot document does on a real database; writes to different documents do not wait for each
   * other. Turns are taken for all of a write's documents at once, in arrival order, so two
   * writes can never wait for each other.
   */
  private async holdDocuments<T>(
    ms: number,
    touched: () => string[],
    run: () => Promise<T> | T,
  ): Promise<T> {
    if (ms <= 0) return run();
    const held = [...new Set(touched())];
    let release = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      release = resolve;
    });
    const earlier = held.map((key) => this.documentTurns.get(key));
    for (const key of held) this.documentTurns.set(key, done);
    try {
      if (earlier.some(Boolean)) {
        const since = performance.now();
        await Promise.all(earlier);
        const collection = held[0].slice(0, held[0].indexOf('\u0000'));
        this.statsOf(collection).queuedMs += performance.now() - since;
      }
      await delay(ms);
      assertAlive();
      return await run();
    } finally {
      release();
      for (const key of held)
        if (this.documentTurns.get(key) === done) this.documentTurns.delete(key);
    }
  }

  private lockHolders(keys: string[]): Transaction[] {
    const holders = new Set<Transaction>();
    for (const key of keys) {
      const holder = this.locks.get(key);
      if (holder) holders.add(holder);
    }
    return [...holders];
  }

  private insert(
    params: Plain,
    now: number,
    requestId: string,
    docLatencyMs: number,
  ): Promise<WireResponse> {
    const collection = stringParam(params.collectionName);
    const docs = documentsOf(params.data, now);
    const changes: DocumentChange[] = docs.map((doc) => ({
      collection,
      id: doc._id,
      after: doc,
      mode: 'insert',
    }));
    const touched = () => changes.map((c) => documentKey(collection, c.id));
    return this.write(docLatencyMs, touched, () => {
      const blockers = this.lockHolders(touched());
      if (blockers.length) return new Blocked(blockers);
      this.store.commit(changes);
      return { requestId, data: { insertedIds: docs.map((d) => d._id) } };
    });
  }

  private modify(
    params: Plain,
    queryType: 'DOC' | 'WHERE',
    now: number,
    requestId: string,
    docLatencyMs: number,
  ): Promise<WireResponse> {
    const collection = stringParam(params.collectionName);
    const filter = filterOf(params.query, now);
    const data = parseWire(params.data, now);
    const replace = params.merge === false;
    const multi = queryType === 'WHERE' && params.multi !== false;
    const upsert = params.upsert === true;
    const docId = queryType === 'DOC' ? asDocId(filter._id) : undefined;
    const modifier = replace ? null : toModifier(data);
    const touched = () =>
      docId !== undefined
        ? [documentKey(collection, docId)]
        : this.targets(collection, docId, filter, multi).map((d) => documentKey(collection, d._id));
    return this.write(docLatencyMs, touched, () => {
      const targets = this.targets(collection, docId, filter, multi);
      const keys = targets.map((d) => documentKey(collection, d._id));
      if (docId !== undefined) keys.push(documentKey(collection, docId));
      const blockers = this.lockHolders(keys);
      if (blockers.length) return new Blocked(blockers);
      const changes: DocumentChange[] = [];
      for (const doc of targets) {
        // operators answer the same document when nothing changed; a replacement is compared
        const next = modifier ? applyOperators(doc, modifier) : replacementOf(doc._id, data);
        if (next !== doc && (modifier || !sameValue(next, doc)))
          changes.push({ collection, id: doc._id, after: next });
      }
      let upsertId: DocId | undefined;
      if (targets.length === 0 && upsert && docId !== undefined) {
        const created = modifier
          ? applyOperators({ _id: docId }, modifier)
          : replacementOf(docId, data);
        changes.push({ collection, id: docId, after: created, mode: 'insert' });
        upsertId = docId;
      }
      this.store.commit(changes);
      const updated = changes.filter((c) => c.mode !== 'insert').length;
      return {
        requestId,
        data: upsertId === undefined ? { updated } : { updated, upsert_id: upsertId },
      };
    });
  }

  private remove(
    params: Plain,
    queryType: 'DOC' | 'WHERE',
    now: number,
    requestId: string,
    docLatencyMs: number,
  ): Promise<WireResponse> {
    const collection = stringParam(params.collectionName);
    const filter = filterOf(params.query, now);
    const multi = queryType === 'WHERE' && params.multi !== false;
    const docId = queryType === 'DOC' ? asDocId(filter._id) : undefined;
    const touched = () =>
      this.targets(collection, docId, filter, multi).map((d) => documentKey(collection, d._id));
    return this.write(docLatencyMs, touched, () => {
      const targets = this.targets(collection, docId, filter, multi);
      const blockers = this.lockHolders(targets.map((d) => documentKey(collection, d._id)));
      if (blockers.length) return new Blocked(blockers);
      this.store.commit(targets.map((d) => ({ collection, id: d._id, after: null })));
      return { requestId, data: { deleted: targets.length } };
    });
  }

  private modifyAndReturn(
    params: Plain,
    now: number,
    requestId: string,
    docLatencyMs: number,
  ): Promise<WireResponse> {
    const collection = stringParam(params.collectionName);
    const filter = filterOf(params.query, now);
    const modifier = toModifier(parseWire(params.data, now));
    const touched = () =>
      this.targets(collection, undefined, filter, false).map((d) => documentKey(collection, d._id));
    return this.write(docLatencyMs, touched, () => {
      const [target] = this.targets(collection, undefined, filter, false);
      if (!target) return { requestId, data: { updated: 0 } };
      const blockers = this.lockHolders([documentKey(collection, target._id)]);
      if (blockers.length) return new Blocked(blockers);
      const next = applyOperators(target, modifier);
      const changed = next !== target;
      if (changed) this.store.commit([{ collection, id: target._id, after: next }]);
      return { requestId, data: { updated: changed ? 1 : 0, doc: toWire(next) } };
    });
  }

  private targets(
    collection: string,
    docId: DocId | undefined,
    filter: Plain,
    multi: boolean,
  ): Doc[] {
    if (docId !== undefined) {
      const doc = this.store.get(collection, docId);
      return doc ? [doc] : [];
    }
    return this.store.find(collection, { filter, limit: multi ? undefined : 1 });
  }

  // --- transactions ---------------------------------------------------------------------------

  private start(): string {
    const id = randomBytes(16).toString('hex');
    let end = (): void => undefined;
    const ended = new Promise<void>((resolve) => {
      end = resolve;
    });
    this.transactions.set(id, {
      id,
      tracker: this.store.openSnapshot(),
      writes: new Map(),
      status: 'active',
      expiresAt: performance.now() + this.transactionTimeoutMs,
      ended,
      end,
    });
    return id;
  }

  /** The open transaction, or the error CloudBase gives for one that is not (any more). */
  private active(id: string): Transaction {
    const tx = this.transactions.get(id);
    if (tx && tx.tracker.generation !== this.store.generation) {
      // The data was reset or imported under it: its snapshot no longer exists.
      this.finish(tx, 'aborted');
    } else if (tx) {
      return tx;
    }
    const finished = this.finished.get(id);
    if (finished?.status === 'conflicted') throw conflictFailure(finished.conflictOn ?? '');
    const reason =
      finished?.status === 'committed'
        ? 'Transaction has already been committed'
        : finished?.status === 'aborted'
          ? 'Transaction has been aborted'
          : 'Transaction does not exist on server, a transaction must be committed or aborted within 30 seconds';
    throw new RequestFailure(DB_ERROR.TRANSACTION_FAIL, `[ResourceNotFound.Transaction] ${reason}`);
  }

  private commit(id: string, requestId: string): WireResponse {
    if (this.finished.get(id)?.status === 'committed') return { requestId };
    const tx = this.active(id);
    try {
      this.store.commit([...tx.writes.values()]);
    } catch (error) {
      this.finish(tx, 'aborted');
      throw error;
    }
    this.finish(tx, 'committed');
    return { requestId };
  }

  private abort(id: string, requestId: string): WireResponse {
    const tx = this.transactions.get(id);
    if (tx) this.finish(tx, 'aborted');
    return { requestId };
  }

  private finish(tx: Transaction, status: TransactionStatus): void {
    tx.status = status;
    for (const key of tx.writes.keys()) if (this.locks.get(key) === tx) this.locks.delete(key);
    this.store.closeSnapshot(tx.tracker);
    this.transactions.delete(tx.id);
    this.finished.set(tx.id, { status, conflictOn: tx.conflictOn });
    if (this.finished.size > MAX_REMEMBERED_TRANSACTIONS) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
    tx.end();
  }

  /** CloudBase aborts transactions left open for more than 30 s, releasing their locks. */
  private expireStale(): void {
    const now = performance.now();
    for (const tx of [...this.transactions.values()])
      if (tx.expiresAt <= now) this.finish(tx, 'expired');
  }

  private waitForAny(transactions: Transaction[]): Promise<void> {
    const deadline = Math.min(...transactions.map((t) => t.expiresAt));
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - performance.now()) + 1);
    });
    return Promise.race([...transactions.map((t) => t.ended), expiry]).finally(() =>
      clearTimeout(timer),
    );
  }

  /** What the transaction sees: its own writes, then its snapshot. */
  private view(tx: Transaction, collection: string, id: DocId): Doc | null {
    const key = documentKey(collection, id);
    const own = tx.writes.get(key);
    if (own) return own.after;
    if (!this.store.collectionExists(collection)) throw collectionMissing(collection);
    return this.store.getAsOf(tx.tracker, collection, id);
  }

  /**
   * Takes the write lock on a document, failing the whole transaction (as MongoDB does) if
   * another open transaction holds it or someone changed the document after the snapshot.
   */
  private lock(tx: Transaction, key: string): void {
    const holder = this.locks.get(key);
    if ((holder && holder !== tx) || tx.tracker.preImages.has(key)) {
      tx.conflictOn = key.replace('\u0000s', '/').replace('\u0000n', '/');
      this.finish(tx, 'conflicted');
      throw conflictFailure(tx.conflictOn);
    }
    this.locks.set(key, tx);
  }

  private transactionalGet(
    id: string,
    params: Plain,
    now: number,
    requestId: string,
  ): WireResponse {
    const tx = this.active(id);
    const collection = stringParam(params.collectionName);
    const docId = asDocId(filterOf(params.query, now)._id);
    const doc = this.view(tx, collection, docId);
    const projection = shapeParam(params.projection, now);
    const list = doc ? this.store.project([doc], projection) : [];
    return { requestId, data: { list: list.map(toWire) } };
  }

  /** The document in the transaction's snapshot, ignoring its own writes. */
  private base(tx: Transaction, collection: string, id: DocId): Doc | null {
    return this.store.getAsOf(tx.tracker, collection, id);
  }

  /** Buffers a write; documents missing from the snapshot are inserted at commit. */
  private buffer(tx: Transaction, collection: string, id: DocId, after: Doc | null): void {
    const key = documentKey(collection, id);
    if (this.base(tx, collection, id)) {
      tx.writes.set(key, { collection, id, after });
    } else if (after) {
      tx.writes.set(key, { collection, id, after, mode: 'insert' });
    } else {
      tx.writes.delete(key);
    }
  }

  private transactionalInsert(
    id: string,
    params: Plain,
    now: number,
    requestId: string,
  ): WireResponse {
    const tx = this.active(id);
    const collection = stringParam(params.collectionName);
    const docs = documentsOf(params.data, now);
    for (const doc of docs) {
      if (this.view(tx, collection, doc._id)) {
        throw new StoreError(
          'duplicate-key',
          `E11000 duplicate key error collection: ${collection} index: _id_ dup key: { : ${show(doc._id)} }`,
          {
            collection,
            index: '_id_',
            keyValues: [doc._id],
          },
        );
      }
    }
    for (const doc of docs) {
      this.lock(tx, documentKey(collection, doc._id));
      this.buffer(tx, collection, doc._id, doc);
    }
    return { requestId, data: { insertedIds: docs.map((d) => d._id) } };
  }

  private transactionalModify(
    id: string,
    params: Plain,
    now: number,
    requestId: string,
  ): WireResponse {
    const tx = this.active(id);
    const collection = stringParam(params.collectionName);
    const docId = asDocId(filterOf(params.query, now)._id);
    const data = parseWire(params.data, now);
    const current = this.view(tx, collection, docId);
    const key = documentKey(collection, docId);
    if (params.merge === false) {
      const next = replacementOf(docId, data);
      this.lock(tx, key);
      this.buffer(tx, collection, docId, next);
      const updated = current && !sameValue(current, next) ? 1 : 0;
      return { requestId, data: current ? { updated } : { updated, upsert_id: docId } };
    }
    if (!current) return { requestId, data: { updated: 0 } };
    const next = applyOperators(current, toModifier(data));
    if (next === current) return { requestId, data: { updated: 0 } };
    this.lock(tx, key);
    this.buffer(tx, collection, docId, next);
    return { requestId, data: { updated: 1 } };
  }

  private transactionalRemove(
    id: string,
    params: Plain,
    now: number,
    requestId: string,
  ): WireResponse {
    const tx = this.active(id);
    const collection = stringParam(params.collectionName);
    const docId = asDocId(filterOf(params.query, now)._id);
    if (!this.view(tx, collection, docId)) return { requestId, data: { deleted: 0 } };
    this.lock(tx, documentKey(collection, docId));
    this.buffer(tx, collection, docId, null);
    return { requestId, data: { deleted: 1 } };
  }
}

function conflictFailure(on: string): RequestFailure {
  return new RequestFailure(
    DB_ERROR.TRANSACTION_CONFLICT,
    `[ResourceUnavailable.TransactionConflict] Transaction is aborted because of a write conflict on ${on}; retry the whole transaction`,
  );
}

function stringParam(value: unknown): string {
  if (typeof value !== 'string' || value === '')
    throw new RequestFailure(DB_ERROR.INVALID_PARAM, 'missing string parameter');
  return value;
}

function filterOf(query: unknown, now: number): Plain {
  const filter = parseWire(query, now);
  if (filter === undefined) return {};
  if (!isPlainObject(filter))
    throw new RequestFailure(DB_ERROR.INVALID_PARAM, 'query must be an object');
  return filter;
}

/**
 * A projection or an order: the same few texts on every call of an action, so parsed once. The
 * parsed object is shared by every request that sends the text: nothing may change it.
 */
const shapeParams = new Map<string, Plain | undefined>();
const MAX_SHAPE_PARAMS = 1000;

function shapeParam(value: unknown, now: number): Plain | undefined {
  if (typeof value !== 'string') return objectParam(value, now);
  if (shapeParams.has(value)) return shapeParams.get(value);
  const parsed = objectParam(value, now);
  if (shapeParams.size >= MAX_SHAPE_PARAMS) shapeParams.clear();
  shapeParams.set(value, parsed);
  return parsed;
}

function objectParam(value: unknown, now: number): Plain | undefined {
  const parsed = parseWire(value, now);
  return isPlainObject(parsed) && Object.keys(parsed).length > 0 ? parsed : undefined;
}

function documentsOf(data: unknown, now: number): Doc[] {
  if (!Array.isArray(data) || data.length === 0)
    throw new RequestFailure(DB_ERROR.INVALID_PARAM, 'data must be a non-empty array');
  return data.map((item) => {
    const doc = parseWire(item, now);
    if (!isPlainObject(doc))
      throw new RequestFailure(DB_ERROR.INVALID_PARAM, 'each document must be an object');
    checkFieldNames(doc);
    const id = doc._id === undefined ? generateDocId() : asDocId(doc._id);
    const { _id: ignored, ...fields } = doc;
    void ignored;
    return { _id: id, ...fields };
  });
}

const START = 'database.startTransaction';
const COMMIT = 'database.commitTransaction';
const ABORT = 'database.abortTransaction';

// ---------------------------------------------------------------------------------------------
// The request class the library instantiates

interface Binding {
  backend: DatabaseBackend;
  env: string;
  faults: FaultSettings | undefined;
  random: () => number;
  /** the config of a transaction's view of the Db: only document-level operations allowed */
  transactional: boolean;
}

/** Db configs created here → how to serve them (the library passes the config to reqClass). */
const bindings = new WeakMap<object, Binding>();
const backends = new WeakMap<DocumentStore, DatabaseBackend>();

/** The source fault draws come from: the one given, else the faults' own (seedable), else Math.random. */
function randomOf(options: CreateDatabaseOptions): () => number {
  if (options.random) return options.random;
  const faults = options.faults;
  return () => (faults?.random ? faults.random() : Math.random());
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

class EmulatorRequest {
  constructor(private readonly config: object) {}

  /**
   * One round trip to the database service, with the faults the binding carries: latency, then a
   * failure before the operation (not applied), then the operation, then an invocation kill or a
   * lost reply (both applied). Rollbacks are exempt, so an injected fault never strands a
   * transaction's locks for 30 s. A killed invocation's calls never answer and apply nothing.
   */
  async send(action: string, params: Plain = {}): Promise<WireResponse> {
    const requestId = randomUUID();
    const invocation = currentInvocation();
    if (invocation?.killed) return halted();
    if (invocation) {
      invocation.dbCalls++;
      if (isDatabaseWrite(action)) invocation.dbWrites++;
      else invocation.dbReads++;
    }
    const binding = bindings.get(this.config);
    if (!binding) {
      return {
        requestId,
        code: DB_ERROR.SYSTEM_ERROR,
        message: '[InternalError] this Db was not created by the local emulator (createDatabase)',
      };
    }
    const faults = activeFaults(binding.faults);
    const exempt = action === ABORT;
    const draw = (rate: number): boolean => rate > 0 && !exempt && binding.random() < rate;
    // Latency goes before the operation, never inside it: the operation itself stays atomic.
    if (faults.latencyMs > 0) await delay(faults.latencyMs);
    if (invocation?.killed) return halted();
    if (draw(faults.failBeforeRate)) return injectedFailure(requestId);
    let response: WireResponse;
    try {
      response = await binding.backend.execute(action, params, binding, requestId);
      // Answer only once the state the answer reflects is on disk: nothing a caller was told is
      // lost in a crash.
      if (binding.backend.store.persistent) await binding.backend.store.whenDurable();
    } catch (error) {
      if (error instanceof InvocationKilled) return halted();
      const failure =
        error instanceof RequestFailure
          ? error
          : error instanceof StoreError
            ? fromStoreError(error, binding.env)
            : new RequestFailure(
                DB_ERROR.REQUEST_FAILED,
                `[InternalError] ${(error as Error).message ?? String(error)}`,
              );
      response = { requestId, code: failure.code, message: failure.message };
    }
    // Killed while the call ran (its timeout), or by the killRate fault at this very call.
    if (invocation?.killed) return halted();
    if (invocation?.kill && draw(faults.killRate)) {
      invocation.kill();
      return halted();
    }
    if (draw(faults.failAfterRate)) return injectedFailure(requestId);
    return response;
  }
}

function injectedFailure(requestId: string): WireResponse {
  return {
    requestId,
    code: DB_ERROR.SYSTEM_ERROR,
    message: '[InternalError] system error (injected by the local emulator)',
  };
}

Db.reqClass = EmulatorRequest;

function backendFor(
  store: DocumentStore,
  transactionTimeoutMs: number | undefined,
): DatabaseBackend {
  let backend = backends.get(store);
  if (!backend) {
    backend = new DatabaseBackend(store, transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS);
    backends.set(store, backend);
  }
  return backend;
}

type TransactionRunner = (this: Db, ...args: unknown[]) => Promise<unknown>;

/** Write statistics of a store's database since it was opened (or the stats were cleared). */
export function writeStatsOf(store: DocumentStore): Map<string, WriteStats> {
  return backendFor(store, undefined).writeStats;
}

/** A real `@cloudbase/database` Db whose requests execute on the store. */
export function createDatabase(options: CreateDatabaseOptions): Db {
  // Whoever loaded @cloudbase/node-sdk in this process may have swapped the request class.
  Db.reqClass = EmulatorRequest;
  const env = options.env ?? 'local';
  const base = {
    backend: backendFor(options.store, options.transactionTimeoutMs),
    env,
    faults: options.faults,
    random: randomOf(options),
  };
  const config: Record<string, unknown> = { env, ...options.config };
  const db = new Db(config);
  bindings.set(config, { ...base, transactional: false });
  // The library's transactions build their collection() queries on the Db they were started
  // from. Starting them from a view of this Db with its own config lets the backend recognise
  // those queries and refuse batch operations (where/count/aggregate) with a clear error.
  const transactionConfig: Record<string, unknown> = { ...config };
  bindings.set(transactionConfig, { ...base, transactional: true });
  const transactionView = Object.create(db, { config: { value: transactionConfig } }) as Db;
  const libraryStart = db.startTransaction as TransactionRunner;
  const libraryRun = db.runTransaction as TransactionRunner;
  db.startTransaction = (...args: unknown[]) => libraryStart.apply(transactionView, args);
  db.runTransaction = (...args: unknown[]) => libraryRun.apply(transactionView, args);
  return db;
}

/** Serve an existing Db config from a store too (e.g. one @cloudbase/node-sdk created). */
export function attachDatabaseConfig(config: object, options: CreateDatabaseOptions): void {
  Db.reqClass = EmulatorRequest;
  bindings.set(config, {
    backend: backendFor(options.store, options.transactionTimeoutMs),
    env: options.env ?? 'local',
    faults: options.faults,
    random: randomOf(options),
    transactional: false,
  });
}
