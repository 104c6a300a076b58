import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Aggregator, Query } from 'mingo';
import { Journal, readJournal, type JournalOptions, type JournalRecord } from './journal';

/**
 * The emulator's document store: collections of documents with MongoDB semantics (queries,
 * projections, sorting and aggregation through mingo), unique and equality indexes kept in
 * memory, and persistence to a folder through one write-ahead journal (journal.ts): a crash at
 * any instant leaves the state after some prefix of the commits. It knows nothing of the CloudBase
 * wire format; the request backend in `database.ts` translates `@cloudbase/database` requests into
 * calls here.
 *
 * Stored documents are never mutated in place: every write replaces the document object. That
 * lets open transactions keep the previous object as their snapshot without copying it.
 */

export type DocId = string | number;
export interface Doc {
  _id: DocId;
  [field: string]: unknown;
}

export interface IndexSpec {
  collection: string;
  name: string;
  keys: Record<string, 1 | -1>;
  unique?: boolean;
}

export interface StoreOptions {
  /** null/undefined = memory only; else persist under this folder */
  dataDir?: string | null;
  /** if given, only these (plus ones created by db.createCollection) exist */
  collections?: string[];
  /** unique ones are enforced on insert/update (E11000-style duplicate key error) */
  indexes?: IndexSpec[];
  /** journal size that triggers a snapshot, and a hook called after each fsync (see journal.ts) */
  journal?: JournalOptions;
}

/** JSON-safe (dates as {"$date": iso}). */
export interface StoreSnapshot {
  version: 1;
  collections: Record<string, unknown[]>;
}

/** Collections whose name starts with this prefix belong to the emulator and always exist. */
export const EMULATOR_COLLECTION_PREFIX = '_emulator_';

export type StoreErrorKind =
  'collection-not-exists' | 'duplicate-key' | 'invalid-operation' | 'closed';

/** A failure the request backend maps onto a CloudBase error response. */
export class StoreError extends Error {
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    readonly details: { collection?: string; index?: string; keyValues?: unknown[] } = {},
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** One document-level write. `after: null` deletes; `mode: 'insert'` requires the id to be free. */
export interface DocumentChange {
  collection: string;
  id: DocId;
  after: Doc | null;
  mode?: 'insert';
}

/**
 * What a transaction sees of documents that others changed after it started: the first time a
 * committed write touches a document, its previous version (or null if it did not exist) is
 * recorded here. A transaction reads its own writes first, then these, then the live data.
 */
export interface SnapshotTracker {
  readonly preImages: Map<string, Doc | null>;
  readonly generation: number;
}

export interface FindOptions {
  filter?: Record<string, unknown>;
  sort?: Record<string, 1 | -1>;
  skip?: number;
  limit?: number;
  projection?: Record<string, unknown>;
}

/** A 32-hex-character id like the ones CloudBase generates (time-ordered prefix + randomness). */
export function generateDocId(): string {
  const seconds = Math.floor(Date.now() / 1000) >>> 0;
  return seconds.toString(16).padStart(8, '0') + randomBytes(12).toString('hex');
}

/** The key under which transactions and locks refer to one document. */
export function documentKey(collection: string, id: DocId): string {
  return `${collection}\u0000${typeof id === 'number' ? 'n' : 's'}${id}`;
}

// ---------------------------------------------------------------------------------------------
// Values

type Plain = Record<string, unknown>;

/** A plain object from any realm (Jest runs tests in a vm context with its own Object). */
export function isPlainObject(value: unknown): value is Plain {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

export function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

export function isRegExp(value: unknown): value is RegExp {
  return Object.prototype.toString.call(value) === '[object RegExp]';
}

/**
 * Deep copy of a stored value (plain objects, arrays, Dates, RegExps, buffers, primitives).
 * Not structuredClone: that builds objects in the host realm, which confuses realm-bound checks.
 */
export function cloneValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneValue) as T;
  if (isDate(value)) return new Date(value.getTime()) as T;
  if (isRegExp(value)) return new RegExp(value.source, value.flags) as T;
  if (Buffer.isBuffer(value)) return Buffer.from(value) as T;
  if (!isPlainObject(value)) return value;
  const out: Plain = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneValue(v);
  return out as T;
}

/** Order-preserving canonical text of a value, for index keys (field order matters in MongoDB). */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'number')
    return Number.isNaN(value) ? 'NaN' : String(value === 0 ? 0 : value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (isDate(value)) return `Date(${value.getTime()})`;
  if (isRegExp(value)) return `RegExp(${String(value)})`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Plain)
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return String(value);
}

/** Structural equality with MongoDB's notion of "unchanged" (field order included). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** Index key of one value; distinct for values MongoDB considers distinct (1 vs '1' vs Date(1)). */
function keyOf(value: unknown): string {
  if (value === undefined || value === null) return 'n';
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return `d${Number.isNaN(value) ? 'NaN' : value === 0 ? 0 : value}`;
    case 'boolean':
      return value ? 't' : 'f';
    default:
      if (isDate(value)) return `D${value.getTime()}`;
      return `o${canonical(value)}`;
  }
}

/** Query values an equality index can answer: strings, numbers, booleans and dates. */
function isIndexableScalar(value: unknown): value is string | number | boolean | Date {
  return (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    isDate(value)
  );
}

/**
 * Every value reachable at a dotted path, descending into arrays of objects the way MongoDB
 * does. Arrays at the end of the path contribute themselves and their elements. A path that
 * does not resolve contributes `undefined` (indexed as null, like MongoDB).
 */
function valuesAtPath(value: unknown, segments: string[], at: number, out: unknown[]): void {
  if (at === segments.length) {
    out.push(value);
    if (Array.isArray(value)) for (const element of value) out.push(element);
    return;
  }
  if (Array.isArray(value)) {
    let any = false;
    for (const element of value) {
      if (isPlainObject(element)) {
        any = true;
        valuesAtPath(element, segments, at, out);
      }
    }
    if (!any) out.push(undefined);
    return;
  }
  if (isPlainObject(value)) {
    valuesAtPath(value[segments[at]], segments, at + 1, out);
    return;
  }
  out.push(undefined);
}

/** The keys a unique index holds for a document: arrays are expanded (multikey), as in MongoDB. */
function uniqueKeysOf(doc: Doc, fields: string[][]): Array<{ key: string; values: unknown[] }> {
  const perField = fields.map((segments) => {
    const found: unknown[] = [];
    collectUniqueValues(doc, segments, 0, found);
    const distinct = new Map<string, unknown>();
    for (const v of found.length ? found : [null]) distinct.set(keyOf(v), v);
    return [...distinct.entries()];
  });
  // Cartesian product of the per-field values (compound multikey index).
  let combos: Array<{ keys: string[]; values: unknown[] }> = [{ keys: [], values: [] }];
  for (const entries of perField) {
    const next: typeof combos = [];
    for (const combo of combos) {
      for (const [key, value] of entries)
        next.push({ keys: [...combo.keys, key], values: [...combo.values, value] });
    }
    combos = next;
  }
  return combos.map((c) => ({ key: JSON.stringify(c.keys), values: c.values }));
}

function collectUniqueValues(value: unknown, segments: string[], at: number, out: unknown[]): void {
  if (at === segments.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else for (const element of value) out.push(element);
    } else {
      out.push(value);
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const element of value) collectUniqueValues(element, segments, at, out);
    return;
  }
  if (isPlainObject(value)) collectUniqueValues(value[segments[at]], segments, at + 1, out);
  else out.push(undefined);
}

// ---------------------------------------------------------------------------------------------
// JSON-safe encoding for snapshots and files

/** Dates become {"$date": iso}; regular expressions {"$regularExpression": {pattern, options}}. */
export function toJsonSafe(value: unknown): unknown {
  if (isDate(value)) return { $date: value.toISOString() };
  if (isRegExp(value))
    return { $regularExpression: { pattern: value.source, options: value.flags } };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $numberDouble: String(value) };
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value !== null && typeof value === 'object') {
    const out: Plain = {};
    for (const [k, v] of Object.entries(value as Plain))
      if (v !== undefined) out[k] = toJsonSafe(v);
    return out;
  }
  return value;
}

export function fromJsonSafe(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fromJsonSafe);
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const [key] = keys;
      const inner = value[key];
      if (key === '$date' && (typeof inner === 'string' || typeof inner === 'number'))
        return new Date(inner);
      if (key === '$numberDouble' && typeof inner === 'string') return Number(inner);
      if (
        key === '$regularExpression' &&
        isPlainObject(inner) &&
        typeof inner.pattern === 'string'
      ) {
        return new RegExp(inner.pattern, typeof inner.options === 'string' ? inner.options : '');
      }
    }
    const out: Plain = {};
    for (const [k, v] of Object.entries(value)) out[k] = fromJsonSafe(v);
    return out;
  }
  return value;
}

function decodeDocument(raw: unknown, where: string): Doc {
  const doc = fromJsonSafe(raw);
  if (!isPlainObject(doc) || (typeof doc._id !== 'string' && typeof doc._id !== 'number')) {
    throw new Error(`${where}: every document must be an object with a string or number _id`);
  }
  return doc as Doc;
}

// ---------------------------------------------------------------------------------------------
// Collections and indexes

interface Entry {
  doc: Doc;
  /** insertion order: queries without orderBy return documents in natural (insertion) order */
  seq: number;
}

class IndexState {
  readonly fields: string[][];
  /** the leading key can answer equality queries when its path has no array positions */
  readonly leadingPath: string | null;
  /** leading-key value → ids (a superset of the documents equal to that value) */
  readonly leading = new Map<string, Set<DocId>>();
  /** unique indexes: full key → owning id */
  readonly owners: Map<string, DocId> | null;

  constructor(readonly spec: IndexSpec) {
    const paths = Object.keys(spec.keys);
    if (paths.length === 0) throw new Error(`index ${spec.name} on ${spec.collection} has no keys`);
    this.fields = paths.map((p) => p.split('.'));
    this.leadingPath = this.fields[0].some((s) => /^\d+$/.test(s)) ? null : paths[0];
    this.owners = spec.unique ? new Map() : null;
  }

  leadingKeys(doc: Doc): Set<string> {
    const values: unknown[] = [];
    valuesAtPath(doc, this.fields[0], 0, values);
    return new Set(values.map(keyOf));
  }

  add(doc: Doc): void {
    for (const key of this.leadingKeys(doc)) {
      let ids = this.leading.get(key);
      if (!ids) this.leading.set(key, (ids = new Set()));
      ids.add(doc._id);
    }
    if (this.owners)
      for (const { key } of uniqueKeysOf(doc, this.fields)) this.owners.set(key, doc._id);
  }

  remove(doc: Doc): void {
    for (const key of this.leadingKeys(doc)) {
      const ids = this.leading.get(key);
      if (!ids) continue;
      ids.delete(doc._id);
      if (ids.size === 0) this.leading.delete(key);
    }
    if (this.owners) {
      for (const { key } of uniqueKeysOf(doc, this.fields)) {
        if (this.owners.get(key) === doc._id) this.owners.delete(key);
      }
    }
  }
}

class CollectionData {
  readonly docs = new Map<DocId, Entry>();
  readonly indexes: IndexState[];

  constructor(
    readonly name: string,
    specs: IndexSpec[],
  ) {
    this.indexes = specs.map((s) => new IndexState(s));
  }

  /** Documents a filter could match, in natural order, or null when it has to scan. */
  candidates(filter: Plain): Doc[] | null {
    const plan = this.plan(filter);
    if (!plan) return null;
    const entries: Entry[] = [];
    for (const id of plan.ids) {
      const entry = this.docs.get(id);
      if (entry) entries.push(entry);
    }
    entries.sort((a, b) => a.seq - b.seq);
    return entries.map((e) => e.doc);
  }

  /** Which ids an equality on `_id` or on an index's leading key pins the filter to. */
  plan(filter: Plain): { via: string; ids: Iterable<DocId> } | null {
    const byId = equalityValues(filter._id);
    if (byId)
      return {
        via: '_id_',
        ids: byId.filter((v): v is DocId => typeof v === 'string' || typeof v === 'number'),
      };
    for (const index of this.indexes) {
      if (!index.leadingPath) continue;
      const values = equalityValues(filter[index.leadingPath]);
      if (!values) continue;
      const ids = new Set<DocId>();
      for (const v of values) for (const id of index.leading.get(keyOf(v)) ?? []) ids.add(id);
      return { via: index.spec.name, ids };
    }
    if (Array.isArray(filter.$and)) {
      for (const clause of filter.$and) {
        if (isPlainObject(clause)) {
          const plan = this.plan(clause);
          if (plan) return plan;
        }
      }
    }
    return null;
  }
}

/** The values a filter condition pins a field to (`v`, `{$eq: v}`, `{$in: [...]}`), if scalar. */
function equalityValues(condition: unknown): unknown[] | null {
  if (condition === undefined) return null;
  if (isIndexableScalar(condition)) return [condition];
  if (!isPlainObject(condition)) return null;
  if ('$eq' in condition && isIndexableScalar(condition.$eq)) return [condition.$eq];
  if (
    Array.isArray(condition.$in) &&
    condition.$in.length > 0 &&
    condition.$in.every(isIndexableScalar)
  ) {
    return condition.$in;
  }
  return null;
}

function describeKeyValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (isDate(value)) return `new Date(${value.getTime()})`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return canonical(value);
}

// ---------------------------------------------------------------------------------------------
// The store

/** Before the journal, each collection was a `<dataDir>/db/<name>.json` file; still read, once. */
const LEGACY_DIR = 'db';
const LEGACY_SUFFIX = '.json';

interface LegacyCollectionFile {
  collection: string;
  documents: unknown[];
}

/** What one journal record holds (besides its sequence number). */
type JournalChange =
  | { changes: Array<{ c: string; id: DocId; d: unknown }> }
  | { create: string }
  | { reset: true }
  | { import: StoreSnapshot };

export class DocumentStore {
  private collections = new Map<string, CollectionData>();
  /** collections that exist without documents or declaration (db.createCollection, imports) */
  private created = new Set<string>();
  private readonly declared: Set<string> | null;
  private readonly indexSpecs: IndexSpec[];
  private readonly dataDir: string | null;
  private readonly trackers = new Set<SnapshotTracker & { preImages: Map<string, Doc | null> }>();
  private seq = 0;
  /** null for a memory store, and while the store replays what it recovered */
  private journal: Journal | null = null;
  private closed = false;
  /** documents tested against query filters so far (lets tests prove indexes are used) */
  examinedDocuments = 0;
  /** bumped by reset/import, so transactions opened before know their snapshot is gone */
  private generationCounter = 0;

  private constructor(options: StoreOptions) {
    this.declared = options.collections ? new Set(options.collections) : null;
    this.indexSpecs = options.indexes ?? [];
    this.dataDir = options.dataDir ?? null;
    for (const name of options.collections ?? []) this.ensureData(name);
  }

  /**
   * Opens a store, recovering what `dataDir` holds: the journal (snapshot, then the records after
   * it up to the first torn or corrupt one) or, from older versions, one file per collection.
   */
  static open(options: StoreOptions = {}): DocumentStore {
    const store = new DocumentStore(options);
    if (store.dataDir) store.recover(store.dataDir, options.journal ?? {});
    return store;
  }

  get persistentDir(): string | null {
    return this.dataDir;
  }

  get generation(): number {
    return this.generationCounter;
  }

  // --- collections ----------------------------------------------------------------------------

  collectionExists(name: string): boolean {
    if (name.startsWith(EMULATOR_COLLECTION_PREFIX) || this.declared === null) return true;
    return this.declared.has(name) || this.created.has(name);
  }

  /** db.createCollection: false if it already existed. */
  createCollection(name: string): boolean {
    this.assertOpen();
    const existed =
      this.declared === null || name.startsWith(EMULATOR_COLLECTION_PREFIX)
        ? this.collections.has(name) || this.created.has(name)
        : this.collectionExists(name);
    if (existed) return false;
    this.created.add(name);
    this.ensureData(name);
    this.record({ create: name });
    return true;
  }

  /** Collections that exist now (declared, created, or holding documents). */
  listCollections(): string[] {
    const names = new Set<string>([...(this.declared ?? []), ...this.created]);
    for (const [name, data] of this.collections) if (data.docs.size > 0) names.add(name);
    return [...names].filter((n) => this.collectionExists(n)).sort();
  }

  indexesOf(collection: string): IndexSpec[] {
    return this.indexSpecs.filter((s) => s.collection === collection);
  }

  private ensureData(name: string): CollectionData {
    let data = this.collections.get(name);
    if (!data) {
      data = new CollectionData(name, this.indexesOf(name));
      this.collections.set(name, data);
    }
    return data;
  }

  private requireCollection(name: string): CollectionData {
    if (!this.collectionExists(name)) {
      throw new StoreError('collection-not-exists', `collection ${name} does not exist`, {
        collection: name,
      });
    }
    return this.ensureData(name);
  }

  // --- reads ----------------------------------------------------------------------------------

  /** The stored document (do not mutate it) or undefined. */
  get(collection: string, id: DocId): Doc | undefined {
    return this.requireCollection(collection).docs.get(id)?.doc;
  }

  /** Matching documents; projected results are new objects, others are the stored ones. */
  find(collection: string, options: FindOptions = {}): Doc[] {
    const data = this.requireCollection(collection);
    const filter = options.filter ?? {};
    const source = data.candidates(filter) ?? [...data.docs.values()].map((e) => e.doc);
    const query = compileQuery(filter);
    this.examinedDocuments += source.length;
    let cursor = query.find<Doc>(
      source,
      options.projection && Object.keys(options.projection).length ? options.projection : undefined,
    );
    if (options.sort && Object.keys(options.sort).length) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    return cursor.all();
  }

  /** Applies a projection ({field: 1} / {field: 0}…) to documents, as find() would. */
  project(docs: Doc[], projection: Record<string, unknown> | undefined): Doc[] {
    if (!projection || Object.keys(projection).length === 0) return docs;
    return compileQuery({}).find<Doc>(docs, projection).all();
  }

  /** How a filter would be answered: through `_id`, an index's leading key, or a full scan. */
  explain(
    collection: string,
    filter: Record<string, unknown>,
  ): { via: string; candidates: number } {
    const data = this.requireCollection(collection);
    const plan = data.plan(filter);
    return plan
      ? { via: plan.via, candidates: data.candidates(filter)?.length ?? 0 }
      : { via: 'scan', candidates: data.docs.size };
  }

  /** Number of documents in a collection (for tests). */
  count(collection: string): number {
    return this.collections.get(collection)?.docs.size ?? 0;
  }

  countMatching(collection: string, filter: Record<string, unknown> = {}): number {
    const data = this.requireCollection(collection);
    if (Object.keys(filter).length === 0) return data.docs.size;
    const source = data.candidates(filter) ?? [...data.docs.values()].map((e) => e.doc);
    const query = compileQuery(filter);
    this.examinedDocuments += source.length;
    let n = 0;
    for (const doc of source) if (query.test(doc)) n++;
    return n;
  }

  /** Runs a pipeline; `$lookup` reads the other collections of this store. */
  aggregate(collection: string, pipeline: Array<Record<string, unknown>>): Plain[] {
    const data = this.requireCollection(collection);
    // A leading $match is answered like a find (indexes included) before anything is copied.
    let source: Doc[];
    let rest = pipeline;
    const first = pipeline[0];
    if (first && Object.keys(first).length === 1 && isPlainObject(first.$match)) {
      const filter = first.$match;
      const query = compileQuery(filter);
      const candidates = data.candidates(filter) ?? [...data.docs.values()].map((e) => e.doc);
      this.examinedDocuments += candidates.length;
      source = candidates.filter((d) => query.test(d));
      rest = pipeline.slice(1);
    } else {
      source = [...data.docs.values()].map((e) => e.doc);
      this.examinedDocuments += source.length;
    }
    const aggregator = new Aggregator(rest, {
      collectionResolver: (name: string) =>
        this.collectionExists(name)
          ? [...(this.collections.get(name)?.docs.values() ?? [])].map((e) => e.doc)
          : [],
    });
    // mingo may reshape documents in place ($addFields, $unwind…): give it copies.
    return aggregator.run(source.map((d) => cloneValue(d))) as Plain[];
  }

  // --- writes ---------------------------------------------------------------------------------

  /**
   * Applies document changes atomically: either every change is applied or, when one breaks a
   * unique index (or an insert finds its id taken), none is and a duplicate-key StoreError is
   * thrown. Synchronous, so no other request can interleave.
   */
  commit(changes: DocumentChange[]): void {
    this.assertOpen();
    if (changes.length === 0) return;
    const resolved = changes.map((change) => {
      const data = this.requireCollection(change.collection);
      const before = data.docs.get(change.id)?.doc ?? null;
      if (change.after && change.after._id !== change.id) {
        throw new StoreError(
          'invalid-operation',
          `document _id ${String(change.after._id)} does not match ${String(change.id)}`,
        );
      }
      return { change, data, before };
    });
    this.checkUnique(resolved);

    for (const tracker of this.trackers) {
      for (const { change, before } of resolved) {
        const key = documentKey(change.collection, change.id);
        if (!tracker.preImages.has(key)) tracker.preImages.set(key, before);
      }
    }
    for (const { change, data, before } of resolved) {
      if (before) for (const index of data.indexes) index.remove(before);
      if (change.after) {
        const existing = data.docs.get(change.id);
        data.docs.set(change.id, { doc: change.after, seq: existing ? existing.seq : ++this.seq });
        for (const index of data.indexes) index.add(change.after);
      } else {
        data.docs.delete(change.id);
      }
    }
    // One record for the whole change set: after a crash it is there entirely or not at all.
    this.record({
      changes: changes.map((c) => ({
        c: c.collection,
        id: c.id,
        d: c.after ? toJsonSafe(c.after) : null,
      })),
    });
  }

  private checkUnique(
    resolved: Array<{ change: DocumentChange; data: CollectionData; before: Doc | null }>,
  ): void {
    const inserted = new Set<string>();
    for (const { change, before } of resolved) {
      if (change.mode !== 'insert') continue;
      const key = documentKey(change.collection, change.id);
      if (before || inserted.has(key)) this.throwDuplicate(change.collection, '_id_', [change.id]);
      inserted.add(key);
    }
    const byCollection = new Map<CollectionData, typeof resolved>();
    for (const item of resolved) {
      const list = byCollection.get(item.data) ?? [];
      list.push(item);
      byCollection.set(item.data, list);
    }
    for (const [data, items] of byCollection) {
      for (const index of data.indexes) {
        if (!index.owners) continue;
        const freed = new Set<string>();
        for (const { before } of items) {
          if (!before) continue;
          for (const { key } of uniqueKeysOf(before, index.fields))
            if (index.owners.get(key) === before._id) freed.add(key);
        }
        const claimed = new Map<string, DocId>();
        for (const { change } of items) {
          if (!change.after) continue;
          for (const { key, values } of uniqueKeysOf(change.after, index.fields)) {
            const owner = claimed.get(key) ?? (freed.has(key) ? undefined : index.owners.get(key));
            if (owner !== undefined && owner !== change.id)
              this.throwDuplicate(data.name, index.spec.name, values);
            claimed.set(key, change.id);
          }
        }
      }
    }
  }

  private throwDuplicate(collection: string, index: string, values: unknown[]): never {
    throw new StoreError(
      'duplicate-key',
      `E11000 duplicate key error collection: ${collection} index: ${index} dup key: { ${values
        .map((v) => `: ${describeKeyValue(v)}`)
        .join(', ')} }`,
      { collection, index, keyValues: values },
    );
  }

  // --- snapshots for transactions -------------------------------------------------------------

  openSnapshot(): SnapshotTracker {
    const tracker = {
      preImages: new Map<string, Doc | null>(),
      generation: this.generationCounter,
    };
    this.trackers.add(tracker);
    return tracker;
  }

  closeSnapshot(tracker: SnapshotTracker): void {
    this.trackers.delete(tracker as SnapshotTracker & { preImages: Map<string, Doc | null> });
  }

  /** A document as a snapshot sees it (before changes committed after the snapshot opened). */
  getAsOf(tracker: SnapshotTracker, collection: string, id: DocId): Doc | null {
    const key = documentKey(collection, id);
    if (tracker.preImages.has(key)) return tracker.preImages.get(key) ?? null;
    return this.get(collection, id) ?? null;
  }

  // --- admin ----------------------------------------------------------------------------------

  /** Drops all documents; declared collections and indexes stay, created ones go. */
  reset(): void {
    this.assertOpen();
    this.collections = new Map();
    this.created = new Set();
    for (const name of this.declared ?? []) this.ensureData(name);
    this.invalidateSnapshots();
    this.record({ reset: true });
  }

  exportSnapshot(): StoreSnapshot {
    const collections: Record<string, unknown[]> = {};
    for (const name of this.listCollections()) {
      const data = this.collections.get(name);
      const entries = data ? [...data.docs.values()].sort((a, b) => a.seq - b.seq) : [];
      collections[name] = entries.map((e) => toJsonSafe(e.doc));
    }
    return { version: 1, collections };
  }

  /** Replaces all data. Validates the whole snapshot (shape, unique indexes) before touching anything. */
  importSnapshot(snapshot: StoreSnapshot): void {
    this.assertOpen();
    if (
      !isPlainObject(snapshot) ||
      snapshot.version !== 1 ||
      !isPlainObject(snapshot.collections)
    ) {
      throw new Error('snapshot must be {version: 1, collections: {name: documents[]}}');
    }
    const next = new Map<string, CollectionData>();
    const created = new Set<string>();
    let seq = this.seq;
    for (const [name, docs] of Object.entries(snapshot.collections)) {
      if (!Array.isArray(docs)) throw new Error(`snapshot collection ${name} must be an array`);
      const data = new CollectionData(name, this.indexesOf(name));
      for (const raw of docs) {
        const doc = decodeDocument(raw, `snapshot collection ${name}`);
        if (data.docs.has(doc._id))
          throw new Error(`snapshot collection ${name} has _id ${String(doc._id)} twice`);
        for (const index of data.indexes) {
          if (!index.owners) continue;
          for (const { key, values } of uniqueKeysOf(doc, index.fields)) {
            if (index.owners.has(key)) {
              throw new Error(
                `snapshot collection ${name} breaks unique index ${index.spec.name}: ${values.map(describeKeyValue).join(', ')}`,
              );
            }
          }
        }
        data.docs.set(doc._id, { doc, seq: ++seq });
        for (const index of data.indexes) index.add(doc);
      }
      next.set(name, data);
      if (!this.declared?.has(name)) created.add(name);
    }
    this.collections = next;
    this.created = created;
    this.seq = seq;
    for (const name of this.declared ?? []) this.ensureData(name);
    this.invalidateSnapshots();
    if (this.journal) {
      // The record holds the whole data set: have a snapshot replace it soon.
      this.record({ import: this.exportSnapshot() });
      this.journal.compactSoon();
    }
  }

  private invalidateSnapshots(): void {
    this.generationCounter++;
    this.trackers.clear();
  }

  // --- persistence ----------------------------------------------------------------------------

  /** Whether commits are journaled to disk (false for a memory store). */
  get persistent(): boolean {
    return this.dataDir !== null;
  }

  /**
   * Resolves once every change made so far is on disk (at once for a memory store). The request
   * backend answers a write only after this, so an acknowledged write survives a crash.
   */
  whenDurable(): Promise<void> {
    return this.journal ? this.journal.whenDurable() : Promise.resolve();
  }

  /** Same as whenDurable(); the name older callers use. */
  flush(): Promise<void> {
    return this.whenDurable();
  }

  private recover(dataDir: string, options: JournalOptions): void {
    const dir = join(dataDir, 'store');
    const recovered = readJournal(dir);
    let seq = 0;
    if (recovered) {
      if (recovered.snapshot !== null) this.importSnapshot(recovered.snapshot as StoreSnapshot);
      for (const record of recovered.records) this.replay(record);
      seq = recovered.lastSeq;
      if (recovered.dropped > 0) {
        console.warn(
          `[emulator] dropped ${recovered.dropped} incomplete journal line(s) after record ${seq}`,
        );
      }
    } else {
      this.loadLegacy(join(dataDir, LEGACY_DIR));
    }
    // A fresh snapshot of what was recovered; the old journal (and any legacy files) go.
    this.journal = Journal.start(dir, seq, () => this.exportSnapshot(), options);
    rmSync(join(dataDir, LEGACY_DIR), { recursive: true, force: true });
  }

  private record(change: JournalChange): void {
    this.journal?.append(change);
  }

  private replay(record: JournalRecord): void {
    const change = record as JournalRecord & Partial<Record<string, unknown>>;
    if (Array.isArray(change.changes)) {
      this.commit(
        (change.changes as Array<{ c: string; id: DocId; d: unknown }>).map((c) => ({
          collection: c.c,
          id: c.id,
          after: c.d === null ? null : decodeDocument(c.d, `journal record ${record.seq}`),
        })),
      );
    } else if (typeof change.create === 'string') {
      this.createCollection(change.create);
    } else if (change.reset === true) {
      this.reset();
    } else if (isPlainObject(change.import)) {
      this.importSnapshot(change.import as unknown as StoreSnapshot);
    } else {
      throw new Error(`journal record ${record.seq} holds no change the store knows`);
    }
  }

  /** Data written before the journal existed: one JSON file per collection. */
  private loadLegacy(dir: string): void {
    if (!existsSync(dir)) return;
    for (const file of readdirSync(dir)) {
      // `.tmp` files are flushes interrupted before their rename: the previous file is intact.
      if (!file.endsWith(LEGACY_SUFFIX)) continue;
      const path = join(dir, file);
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as LegacyCollectionFile;
      if (
        !isPlainObject(parsed) ||
        typeof parsed.collection !== 'string' ||
        !Array.isArray(parsed.documents)
      ) {
        throw new Error(`${path} is not an emulator collection file`);
      }
      const data = this.ensureData(parsed.collection);
      for (const raw of parsed.documents) {
        const doc = decodeDocument(raw, path);
        data.docs.set(doc._id, { doc, seq: ++this.seq });
        for (const index of data.indexes) index.add(doc);
      }
      if (!this.collectionExists(parsed.collection)) this.created.add(parsed.collection);
    }
  }

  /** Waits until everything is on disk; the store rejects writes afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.journal?.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreError('closed', 'the document store is closed');
  }
}

// ---------------------------------------------------------------------------------------------

/** A mingo query; malformed filters (unknown operators…) surface as invalid-operation errors. */
export function compileQuery(filter: Record<string, unknown>): Query {
  try {
    return new Query(filter);
  } catch (error) {
    throw new StoreError('invalid-operation', (error as Error).message);
  }
}
