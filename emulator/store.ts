import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Aggregator, Context, Query } from 'mingo';
import { Query as CoreQuery } from 'mingo/query';
import { Journal, readJournal, type JournalOptions, type JournalRecord } from './journal';
import {
  indexableConditions,
  OrderedIndex,
  type IndexEntry,
  type IndexPlan,
} from './ordered-index';

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

/** A unique index: the keys MongoDB would hold for it (arrays expanded), and who holds each. */
class UniqueIndex {
  readonly fields: string[][];
  /** full key → owning id */
  readonly owners = new Map<string, DocId>();

  constructor(readonly spec: IndexSpec) {
    const paths = Object.keys(spec.keys);
    if (paths.length === 0) throw new Error(`index ${spec.name} on ${spec.collection} has no keys`);
    this.fields = paths.map((p) => p.split('.'));
  }

  add(doc: Doc): void {
    for (const { key } of uniqueKeysOf(doc, this.fields)) this.owners.set(key, doc._id);
  }

  remove(doc: Doc): void {
    for (const { key } of uniqueKeysOf(doc, this.fields)) {
      if (this.owners.get(key) === doc._id) this.owners.delete(key);
    }
  }
}

/** A query's answer before projection: matching documents in order, and the work it took. */
interface Selection {
  docs: Doc[];
  examined: number;
}

/** Inserts beyond this share of a collection rebuild its indexes at once instead of one by one. */
const BULK_SHARE = 0.25;
const BULK_MIN = 1000;

class CollectionData {
  readonly docs = new Map<DocId, Entry>();
  readonly unique: UniqueIndex[];
  readonly ordered: OrderedIndex[];

  constructor(
    readonly name: string,
    specs: IndexSpec[],
  ) {
    this.unique = specs.filter((s) => s.unique).map((s) => new UniqueIndex(s));
    // every collection's `_id` is indexed, as on the database: a walk in `_id` order after a
    // cursor (the reconciler's, an export's) reads one page, not the whole collection
    this.ordered = [
      new OrderedIndex('_id_', { _id: 1 }),
      ...specs.map((s) => new OrderedIndex(s.name, s.keys)),
    ];
  }

  /** A document as loaded (a snapshot, the journal's legacy files): indexes are rebuilt after. */
  load(doc: Doc, seq: number): void {
    this.docs.set(doc._id, { doc, seq });
    for (const index of this.unique) index.add(doc);
  }

  rebuildOrdered(): void {
    for (const index of this.ordered) {
      index.load(
        [...this.docs.values()].map(({ doc, seq }) => ({
          id: doc._id,
          seq,
          key: index.keyOf(doc),
        })),
      );
    }
  }

  /** Moves a document's ordered-index entries from `before` to `after` (either may be absent). */
  reindex(before: Entry | undefined, after: Entry | undefined): void {
    for (const index of this.ordered) {
      if (before && after && before.seq === after.seq && index.untouched(before.doc, after.doc)) {
        continue;
      }
      const old = before ? index.keyOf(before.doc) : undefined;
      const next = after ? index.keyOf(after.doc) : undefined;
      if (
        before &&
        after &&
        before.seq === after.seq &&
        old !== undefined &&
        next !== undefined &&
        index.sameKey(old, next)
      ) {
        continue;
      }
      if (before && old !== undefined) index.remove(before.doc._id, before.seq, old);
      if (after && next !== undefined) index.add(after.doc._id, after.seq, next);
    }
  }

  /** Documents `_id` conditions name (top level or in `$and`), or null if none do. */
  private byIds(filter: Plain): Entry[] | null {
    const ids = idValues(filter);
    if (!ids) return null;
    const entries: Entry[] = [];
    for (const id of new Set(ids)) {
      const entry = this.docs.get(id);
      if (entry) entries.push(entry);
    }
    return entries.sort((a, b) => a.seq - b.seq);
  }

  /**
   * The index plan that pins the filter down to the fewest entries (null: none narrows); among
   * equals, one that holds the whole filter. A count takes any that holds it: it reads nothing.
   */
  private narrowest(plans: IndexPlan[], forCount = false): IndexPlan | null {
    let best: IndexPlan | null = null;
    const better = (a: IndexPlan, b: IndexPlan) =>
      forCount && a.covers !== b.covers
        ? a.covers
        : a.candidates < b.candidates || (a.candidates === b.candidates && a.covers && !b.covers);
    for (const plan of plans) {
      if (plan.narrows && (!best || better(plan, best))) best = plan;
    }
    return best;
  }

  /** The documents of a plan's blocks and its loose ones, in natural order. */
  private entriesOf(plan: IndexPlan): Entry[] {
    const entries: Entry[] = [];
    const seen = plan.blocks.length > 1 || plan.index.loose.size > 0 ? new Set<DocId>() : null;
    const take = (id: DocId) => {
      if (seen) {
        if (seen.has(id)) return;
        seen.add(id);
      }
      const entry = this.docs.get(id);
      if (entry) entries.push(entry);
    };
    for (const indexEntry of plan.index.walk(plan, false)) take(plan.index.idOf(indexEntry));
    for (const id of plan.index.loose) take(id);
    return entries.sort((a, b) => a.seq - b.seq);
  }

  private plans(filter: Plain, sort: Array<[string, 1 | -1]> | null): IndexPlan[] {
    const conditions = indexableConditions(filter);
    const plans: IndexPlan[] = [];
    for (const index of this.ordered) {
      const plan = index.plan(conditions, sort);
      if (plan) plans.push(plan);
    }
    return plans;
  }

  /**
   * Matching documents in the order a scan and mingo's sort give, skipped and limited. Through
   * `_id` when the filter names ids; else through the index that pins the fewest entries; an
   * `orderBy` that an index follows walks it and stops at the limit (given up, for the narrowest
   * index, once it has examined as many entries as that one holds); without any, a scan (which
   * stops at the limit when nothing is sorted).
   */
  select(
    filter: Plain,
    query: Query,
    options: { sort?: Record<string, 1 | -1>; skip?: number; limit?: number },
  ): Selection {
    const skip = options.skip ?? 0;
    const sort = options.sort && Object.keys(options.sort).length ? options.sort : undefined;
    const finish = (source: Entry[], examined: number, matching = false): Selection => {
      const matched: Doc[] = [];
      for (const { doc } of source) if (matching || query.test(doc)) matched.push(doc);
      let docs = sort ? (compileQuery({}).find<Doc>(matched).sort(sort).all() as Doc[]) : matched;
      if (skip || options.limit !== undefined) {
        docs = docs.slice(skip, options.limit === undefined ? undefined : skip + options.limit);
      }
      return { docs, examined };
    };

    const byId = this.byIds(filter);
    if (byId) {
      // `{_id: v}` (or `$eq`, `$in` of ids) alone names exactly the documents found: nothing to
      // test (mingo's `$in` against a page of a thousand ids is a thousand comparisons a document)
      const keys = Object.keys(filter);
      const exact =
        keys.length === 1 &&
        keys[0] === '_id' &&
        (!isPlainObject(filter._id) || Object.keys(filter._id).length === 1);
      return exact ? finish(byId, byId.length, true) : finish(byId, byId.length);
    }

    const wanted = options.limit === undefined ? Infinity : skip + options.limit;
    const plans = this.plans(filter, sort ? Object.entries(sort) : null);
    const narrowest = this.narrowest(plans);
    const budget = narrowest ? narrowest.candidates : this.docs.size;
    let examined = 0;
    if (sort && wanted !== Infinity) {
      const ordered = plans.filter((p) => p.order).sort((a, b) => a.candidates - b.candidates);
      for (const plan of ordered) {
        const streamed = this.stream(plan, query, wanted, budget);
        examined += streamed.examined;
        if (streamed.docs) return { docs: streamed.docs.slice(skip), examined };
      }
    }
    if (narrowest) {
      const entries = this.entriesOf(narrowest);
      return finish(entries, examined + entries.length);
    }
    if (!sort) {
      // A scan in natural order stops once it has what the limit asks for.
      const docs: Doc[] = [];
      for (const { doc } of this.docs.values()) {
        examined++;
        if (query.test(doc)) docs.push(doc);
        if (docs.length >= wanted) break;
      }
      return { docs: skip ? docs.slice(skip) : docs, examined };
    }
    return finish([...this.docs.values()], examined + this.docs.size);
  }

  /**
   * Walks an index in a sort's order, testing each document, until `wanted` match; gives up
   * (docs: null) after `budget` entries. Entries that tie on the sort's fields come out in
   * natural order, as mingo's stable `$sort` leaves them.
   */
  private stream(
    plan: IndexPlan,
    query: Query,
    wanted: number,
    budget: number,
  ): { docs: Doc[] | null; examined: number } {
    const { index, order } = plan;
    if (!order) return { docs: null, examined: 0 };
    if (index.tiesInSequence(order)) {
      // ties come out in natural order: no group to hold (a million members tied at 4 invites)
      const docs: Doc[] = [];
      let examined = 0;
      for (const entry of index.walkTiesInOrder(plan, order.backward)) {
        if (++examined > budget) return { docs: null, examined };
        const doc = this.docs.get(index.idOf(entry))?.doc;
        if (doc && query.test(doc)) docs.push(doc);
        if (docs.length >= wanted) break;
      }
      return { docs, examined };
    }
    const docs: Doc[] = [];
    let group: IndexEntry[] = [];
    const flush = (): boolean => {
      if (group.length > 1) group.sort((a, b) => index.seqOf(a) - index.seqOf(b));
      for (const entry of group) {
        const doc = this.docs.get(index.idOf(entry))?.doc;
        if (doc && query.test(doc)) docs.push(doc);
        if (docs.length >= wanted) return true;
      }
      group = [];
      return false;
    };
    let examined = 0;
    for (const entry of index.walk(plan, order.backward)) {
      if (++examined > budget) return { docs: null, examined };
      if (group.length > 0 && !index.tie(group[0], entry, order.fields) && flush()) {
        return { docs, examined };
      }
      group.push(entry);
    }
    flush();
    return { docs, examined };
  }

  /** How many documents match (through the narrowest index, never sorting). */
  count(filter: Plain, query: Query): Selection & { total: number } {
    const byId = this.byIds(filter);
    const narrowest = byId ? null : this.narrowest(this.plans(filter, null), true);
    let total = 0;
    let examined = 0;
    const test = (doc: Doc | undefined) => {
      examined++;
      if (doc && query.test(doc)) total++;
    };
    if (byId) for (const { doc } of byId) test(doc);
    else if (narrowest?.covers) {
      // the index's blocks are the matching documents: counted without reading one
      total = narrowest.candidates;
    } else if (narrowest) {
      const seen = narrowest.blocks.length > 1 ? new Set<DocId>() : null;
      for (const entry of narrowest.index.walk(narrowest, false)) {
        const id = narrowest.index.idOf(entry);
        if (seen) {
          if (seen.has(id)) continue;
          seen.add(id);
        }
        test(this.docs.get(id)?.doc);
      }
      for (const id of narrowest.index.loose) if (!seen?.has(id)) test(this.docs.get(id)?.doc);
    } else for (const { doc } of this.docs.values()) test(doc);
    return { docs: [], examined, total };
  }

  /** The documents a filter could match, in natural order (for a pipeline's leading $match). */
  candidates(filter: Plain): Entry[] {
    const byId = this.byIds(filter);
    if (byId) return byId;
    const narrowest = this.narrowest(this.plans(filter, null));
    return narrowest ? this.entriesOf(narrowest) : [...this.docs.values()];
  }

  /** How a filter would be answered: `_id`, an index and how many entries, or a scan. */
  explain(filter: Plain): { via: string; candidates: number } {
    const byId = this.byIds(filter);
    if (byId) return { via: '_id_', candidates: byId.length };
    const narrowest = this.narrowest(this.plans(filter, null));
    return narrowest
      ? { via: narrowest.index.name, candidates: narrowest.candidates }
      : { via: 'scan', candidates: this.docs.size };
  }
}

/** The ids an `_id` condition pins the filter to (`v`, `{$eq: v}`, `{$in: [...]}`), if any. */
function idValues(filter: Plain): DocId[] | null {
  const own = idsOf(filter._id);
  if (own) return own;
  if (Array.isArray(filter.$and)) {
    for (const clause of filter.$and) {
      if (isPlainObject(clause)) {
        const ids = idValues(clause);
        if (ids) return ids;
      }
    }
  }
  return null;
}

function idsOf(condition: unknown): DocId[] | null {
  const isId = (v: unknown): v is DocId => typeof v === 'string' || typeof v === 'number';
  if (isId(condition)) return [condition];
  if (!isPlainObject(condition)) return null;
  if (Object.keys(condition).some((k) => !k.startsWith('$'))) return null;
  if ('$eq' in condition) return isId(condition.$eq) ? [condition.$eq] : null;
  if (Array.isArray(condition.$in) && condition.$in.every(isId)) return condition.$in;
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
    const { docs, examined } = data.select(filter, compileQuery(filter), options);
    this.examinedDocuments += examined;
    return this.project(docs, options.projection);
  }

  /** Applies a projection ({field: 1} / {field: 0}…) to documents, as find() would. */
  project(docs: Doc[], projection: Record<string, unknown> | undefined): Doc[] {
    if (!projection || Object.keys(projection).length === 0) return docs;
    let inclusion = inclusionTrees.get(projection);
    if (inclusion === undefined) {
      inclusion = inclusionTree(projection);
      inclusionTrees.set(projection, inclusion);
    }
    if (inclusion) {
      const out: Doc[] = [];
      for (const doc of docs) {
        const projected = includeFields(doc, inclusion.fields);
        if (!projected) break;
        // mingo adds an `_id` the projection did not name after the fields it did
        if (inclusion.implicitId && doc._id !== undefined) projected._id = doc._id;
        out.push(projected as Doc);
      }
      if (out.length === docs.length) return out;
    }
    return compileQuery({}).find<Doc>(docs, projection).all();
  }

  /** How a filter would be answered: through `_id`, an index (how many entries), or a scan. */
  explain(
    collection: string,
    filter: Record<string, unknown>,
  ): { via: string; candidates: number } {
    return this.requireCollection(collection).explain(filter);
  }

  /** Number of documents in a collection (for tests). */
  count(collection: string): number {
    return this.collections.get(collection)?.docs.size ?? 0;
  }

  countMatching(collection: string, filter: Record<string, unknown> = {}): number {
    const data = this.requireCollection(collection);
    if (Object.keys(filter).length === 0) return data.docs.size;
    const { total, examined } = data.count(filter, compileQuery(filter));
    this.examinedDocuments += examined;
    return total;
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
      const candidates = data.candidates(filter);
      this.examinedDocuments += candidates.length;
      source = candidates.map((e) => e.doc).filter((d) => query.test(d));
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
    // Many changes to one collection (a bulk load) rebuild its ordered indexes once at the end.
    const perCollection = new Map<CollectionData, number>();
    for (const { data } of resolved) perCollection.set(data, (perCollection.get(data) ?? 0) + 1);
    const bulk = new Set(
      [...perCollection]
        .filter(([data, n]) => n > Math.max(BULK_MIN, data.docs.size * BULK_SHARE))
        .map(([data]) => data),
    );
    for (const { change, data } of resolved) {
      const existing = data.docs.get(change.id);
      if (existing) for (const index of data.unique) index.remove(existing.doc);
      let next: Entry | undefined;
      if (change.after) {
        next = { doc: change.after, seq: existing ? existing.seq : ++this.seq };
        data.docs.set(change.id, next);
        for (const index of data.unique) index.add(change.after);
      } else {
        data.docs.delete(change.id);
      }
      if (!bulk.has(data)) data.reindex(existing, next);
    }
    for (const data of bulk) data.rebuildOrdered();
    // One record for the whole change set: after a crash it is there entirely or not at all.
    if (this.journal) {
      this.record({
        changes: changes.map((c) => ({
          c: c.collection,
          id: c.id,
          d: c.after ? toJsonSafe(c.after) : null,
        })),
      });
    }
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
      for (const index of data.unique) {
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
        for (const index of data.unique) {
          for (const { key, values } of uniqueKeysOf(doc, index.fields)) {
            if (index.owners.has(key)) {
              throw new Error(
                `snapshot collection ${name} breaks unique index ${index.spec.name}: ${values.map(describeKeyValue).join(', ')}`,
              );
            }
          }
        }
        data.load(doc, ++seq);
      }
      data.rebuildOrdered();
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
        data.load(doc, ++this.seq);
      }
      data.rebuildOrdered();
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
    return new CoreQuery(filter, queryOptions());
  } catch (error) {
    throw new StoreError('invalid-operation', (error as Error).message);
  }
}

/**
 * mingo's options with its whole operator context, built once. `new Query(filter)` builds them
 * for every query, copying every operator table (a sixth of the emulator's time under load);
 * handed an options object mingo made itself (`ComputeOptions`), a query reuses it as it is. The
 * only way to get one is to be handed it: a one-off operator takes it while a query compiles.
 */
type MingoOptions = ConstructorParameters<typeof Query>[1];
let sharedQueryOptions: MingoOptions | null = null;

function queryOptions(): MingoOptions {
  if (sharedQueryOptions) return sharedQueryOptions;
  const capture = (_field: string, _value: unknown, options: MingoOptions) => {
    sharedQueryOptions = options;
    return () => true;
  };
  new Query(
    { _: { $captureOptions: 1 } },
    { context: Context.init({ query: { $captureOptions: capture } }) },
  );
  if (!sharedQueryOptions) throw new Error('mingo did not hand its options to a query operator');
  return sharedQueryOptions;
}

// ---------------------------------------------------------------------------------------------
// Projections

/** Which fields an inclusion projection keeps: `true` for a whole field, a tree for parts of it. */
type FieldTree = { [field: string]: true | FieldTree };

/** Projections seen before (the request backend hands the same object for the same text). */
const inclusionTrees = new WeakMap<object, ReturnType<typeof inclusionTree>>();

/** Each level's field names in sorted order, worked out once per projection. */
const sortedNames = new WeakMap<FieldTree, string[]>();

function namesOf(tree: FieldTree): string[] {
  let names = sortedNames.get(tree);
  if (!names) sortedNames.set(tree, (names = Object.keys(tree).sort()));
  return names;
}

/**
 * The tree of a plain inclusion projection (`{a: 1, 'b.c': true}`, `_id` kept unless `0`), or
 * null for anything else (exclusions, operators, a path inside another): mingo projects those.
 * Every read that names its fields goes through here, so it is worth not walking mingo's
 * general machinery for it.
 */
function inclusionTree(
  projection: Record<string, unknown>,
): { fields: FieldTree; implicitId: boolean } | null {
  const tree: FieldTree = {};
  const include = (path: string): boolean => {
    const segments = path.split('.');
    let node = tree;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i];
      if (segment === '' || segment.startsWith('$') || /^\d+$/.test(segment)) return false;
      const existing = Object.prototype.hasOwnProperty.call(node, segment)
        ? node[segment]
        : undefined;
      if (existing === true) return false; // collides with a shorter path
      if (i === segments.length - 1) {
        if (existing) return false; // collides with a longer one
        node[segment] = true;
      } else {
        const next: FieldTree = existing ?? {};
        node[segment] = next;
        node = next;
      }
    }
    return true;
  };
  let keepId = true;
  for (const [path, value] of Object.entries(projection)) {
    if (path === '_id' && (value === 0 || value === false)) {
      keepId = false;
      continue;
    }
    if (value !== 1 && value !== true) return null;
    if (!include(path)) return null;
  }
  return { fields: tree, implicitId: keepId && !Object.prototype.hasOwnProperty.call(tree, '_id') };
}

/**
 * `doc` with only the fields of `tree`, as mingo's $project builds it: the fields in sorted name
 * order (at every level), a path into a missing or scalar value left out, into an object the
 * object with what it has. Null when a path meets an array (mingo projects into its elements).
 */
function includeFields(doc: Plain, tree: FieldTree): Plain | null {
  const out: Plain = {};
  for (const key of namesOf(tree)) {
    if (!Object.prototype.hasOwnProperty.call(doc, key)) continue;
    const wanted = tree[key];
    const value = doc[key];
    if (value === undefined) continue;
    if (wanted === true) {
      out[key] = value;
      continue;
    }
    if (Array.isArray(value)) return null;
    if (!isPlainObject(value)) continue;
    const inner = includeFields(value, wanted);
    if (!inner) return null;
    out[key] = inner;
  }
  return out;
}
