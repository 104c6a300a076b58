/**
 * Ordered indexes of the emulator's store, as a database keeps them: each declared index holds
 * one entry per document, sorted by the index's keys (each in its declared direction), so a
 * query finds the documents an equality prefix and a range pin down with two binary searches,
 * and an `orderBy` that follows the index walks it in order and stops at its `limit`. At a
 * million members `stats.overview`'s top inviters read ten entries instead of sorting everyone.
 *
 * Semantics never depend on an index: the store still tests every candidate against the whole
 * filter with mingo, and an index only ever narrows (a superset of what mingo matches) or orders
 * (exactly as mingo's `$sort` orders). Values are ordered as mingo compares them (null < numbers
 * < strings < booleans < dates; a missing field counts as null, as `$sort` groups them). A
 * document whose indexed value is not such a scalar (an array, an object, NaN) is kept aside in
 * `loose`: it is a candidate of every query through the index, and while there is one the index
 * does not serve an order (test/emulator/ordered-index.test.ts checks index answers against scans).
 */
import type { Doc, DocId } from './store';

/** A value an ordered index keeps: a missing field is kept as null. */
export type IndexValue = null | number | string | boolean | Date;

/**
 * One entry: the indexed values, then the document's insertion sequence (ties are in natural
 * order, as a scan returns them), then its id. One small array per entry: an index of a million
 * documents holds a million of them.
 */
export type IndexEntry = unknown[];

/** Type order of mingo's `compare` (util/_internal SORT_ORDER) for the scalars kept here. */
const NULL_RANK = 2;
const NUMBER_RANK = 3;
const STRING_RANK = 4;
const BOOLEAN_RANK = 9;
const DATE_RANK = 10;

function isDateValue(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** The rank of a value an index can order, or -1 for anything else (kept loose). */
export function rankOf(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return STRING_RANK;
    case 'number':
      return Number.isNaN(value) ? -1 : NUMBER_RANK;
    case 'boolean':
      return BOOLEAN_RANK;
    case 'undefined':
      return NULL_RANK;
    default:
      if (value === null) return NULL_RANK;
      return isDateValue(value) ? DATE_RANK : -1;
  }
}

/** Where a range of one type starts or ends (a `$gt: 5` runs to the last number). */
class TypeEdge {
  constructor(
    readonly rank: number,
    /** -1: before every value of the type; 1: after every one */
    readonly side: -1 | 1,
  ) {}
}

/** What a bound holds at a position: a value, or the edge of a type. */
type BoundValue = IndexValue | TypeEdge;

/** mingo's order on the scalars kept here (a missing field and null are equal). */
export function compareValues(a: BoundValue, b: BoundValue): number {
  if (a instanceof TypeEdge) return -compareValues(b, a);
  if (b instanceof TypeEdge) {
    const rank = rankOf(a);
    return rank === b.rank ? -b.side : rank < b.rank ? -1 : 1;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const rankA = rankOf(a);
  const rankB = rankOf(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  if (rankA === NULL_RANK) return 0;
  const x = rankA === DATE_RANK ? (a as Date).getTime() : (a as number | boolean);
  const y = rankB === DATE_RANK ? (b as Date).getTime() : (b as number | boolean);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Conditions an index can use

/** One end of a range on a field, in value order. */
interface RangeEnd {
  value: BoundValue;
  inclusive: boolean;
}

/** What a filter says about one field that an index can use. */
export interface FieldConditions {
  /** the values an equality (`v`, `$eq`, `$in`) allows; a missing field is null */
  equals?: IndexValue[];
  low?: RangeEnd;
  high?: RangeEnd;
  /** the ranges contradict each other (`$gt: 5, $lt: 'a'`): nothing matches */
  empty?: boolean;
  /** `$ne: null`: any value but a missing one or null */
  notNull?: boolean;
  /** some condition on the field narrows nothing (`$exists`, `$ne: 5`, a regular expression…) */
  inexact?: boolean;
}

/** A filter's conditions by field, and whether any part of it is beyond fields (`$or`, `$expr`). */
export interface IndexableConditions {
  fields: Map<string, FieldConditions>;
  /** every condition is a field's, and understood: an index that uses them all needs no test */
  exact: boolean;
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A value an equality can pin an index position to (null: missing or null). */
function equalityValue(value: unknown): IndexValue | undefined {
  if (value === null) return null;
  return rankOf(value) > NULL_RANK ? (value as IndexValue) : undefined;
}

/**
 * The conditions of a filter an index can use: its top-level fields and those of `$and` clauses.
 * Anything else (`$or`, `$ne`, `$exists`, regular expressions…) narrows nothing; the store tests
 * every candidate against the whole filter anyway.
 */
export function indexableConditions(filter: Plain): IndexableConditions {
  const fields = new Map<string, FieldConditions>();
  let exact = true;
  const visit = (clause: Plain): void => {
    for (const [field, condition] of Object.entries(clause)) {
      if (field === '$and' && Array.isArray(condition)) {
        for (const inner of condition) {
          if (isPlain(inner)) visit(inner);
          else exact = false;
        }
        continue;
      }
      if (field.startsWith('$')) {
        exact = false;
        continue;
      }
      let into = fields.get(field);
      if (!into) fields.set(field, (into = {}));
      addCondition(into, condition);
    }
  };
  visit(filter);
  return { fields, exact };
}

function addCondition(into: FieldConditions, condition: unknown): void {
  const keys = isPlain(condition) ? Object.keys(condition) : [];
  if (!isPlain(condition) || keys.length === 0 || !keys.every((k) => k.startsWith('$'))) {
    const value = equalityValue(condition);
    if (value !== undefined && !into.equals) into.equals = [value];
    else into.inexact = true;
    return;
  }
  for (const [operator, operand] of Object.entries(condition)) {
    switch (operator) {
      case '$eq': {
        const value = equalityValue(operand);
        if (value !== undefined && !into.equals) into.equals = [value];
        else into.inexact = true;
        break;
      }
      case '$in': {
        const values = Array.isArray(operand) ? operand.map(equalityValue) : [];
        // a regular expression in $in matches strings: no point of the index pins that
        if (values.length > 0 && values.every((v) => v !== undefined) && !into.equals) {
          // each value once: blocks of equal values would be counted twice
          into.equals = (values as IndexValue[]).filter(
            (v, i, all) =>
              all.findIndex((w) => compareValues(v, w) === 0 && rankOf(v) === rankOf(w)) === i,
          );
        } else into.inexact = true;
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (!addRange(into, operator, operand)) into.inexact = true;
        break;
      case '$ne':
        if (operand === null) into.notNull = true;
        else into.inexact = true;
        break;
      default:
        into.inexact = true;
        break;
    }
  }
}

/**
 * mingo's `$gt`… compare values of the operand's own type only (a `$gt: 5` skips strings).
 * False when the operand narrows nothing (null, or a value no index orders).
 */
function addRange(into: FieldConditions, operator: string, operand: unknown): boolean {
  const rank = rankOf(operand);
  if (rank <= NULL_RANK) return false;
  const end: RangeEnd = { value: operand as IndexValue, inclusive: operator.endsWith('e') };
  const side = operator.startsWith('$g') ? 'low' : 'high';
  const other = side === 'low' ? into.high : into.low;
  if (other && rankOfBound(other.value) !== rank) {
    into.empty = true;
    return true;
  }
  const current = into[side];
  if (current && rankOfBound(current.value) !== rank) {
    into.empty = true;
    return true;
  }
  const tighter =
    !current ||
    (side === 'low'
      ? compareValues(end.value, current.value) > 0 ||
        (compareValues(end.value, current.value) === 0 && !end.inclusive)
      : compareValues(end.value, current.value) < 0 ||
        (compareValues(end.value, current.value) === 0 && !end.inclusive));
  if (tighter) into[side] = end;
  return true;
}

function rankOfBound(value: BoundValue): number {
  return value instanceof TypeEdge ? value.rank : rankOf(value);
}

// ---------------------------------------------------------------------------------------------
// Sorted entries

/** Entries per chunk before it splits: inserts move at most this many references. */
const CHUNK = 256;

/** A place between entries: before `chunks[chunk][offset]`. */
export interface Position {
  chunk: number;
  offset: number;
}

/** A sorted list of entries in chunks (inserts and removals move at most a chunk). */
class SortedEntries {
  private chunks: IndexEntry[][] = [];
  size = 0;

  constructor(private readonly compare: (a: IndexEntry, b: IndexEntry) => number) {}

  /** The first position whose entry `isBefore` says is not before the bound. */
  seek(isBefore: (entry: IndexEntry) => boolean): Position {
    const { chunks } = this;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const chunk = chunks[mid];
      if (isBefore(chunk[chunk.length - 1])) lo = mid + 1;
      else hi = mid;
    }
    if (lo === chunks.length) return { chunk: lo, offset: 0 };
    const chunk = chunks[lo];
    let a = 0;
    let b = chunk.length;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (isBefore(chunk[mid])) a = mid + 1;
      else b = mid;
    }
    return { chunk: lo, offset: a };
  }

  insert(entry: IndexEntry): void {
    const at = this.seek((e) => this.compare(e, entry) < 0);
    if (this.chunks.length === 0) {
      this.chunks.push([entry]);
    } else {
      // past the end: append to the last chunk
      const index = Math.min(at.chunk, this.chunks.length - 1);
      const chunk = this.chunks[index];
      chunk.splice(at.chunk === index ? at.offset : chunk.length, 0, entry);
      if (chunk.length > 2 * CHUNK)
        this.chunks.splice(index, 1, chunk.slice(0, CHUNK), chunk.slice(CHUNK));
    }
    this.size++;
  }

  /** Removes the entry equal to `entry` (same values and sequence); false if absent. */
  remove(entry: IndexEntry): boolean {
    const at = this.seek((e) => this.compare(e, entry) < 0);
    const chunk = this.chunks[at.chunk];
    if (!chunk || at.offset >= chunk.length || this.compare(chunk[at.offset], entry) !== 0) {
      return false;
    }
    chunk.splice(at.offset, 1);
    if (chunk.length === 0) this.chunks.splice(at.chunk, 1);
    this.size--;
    return true;
  }

  /** Replaces everything with `entries` (sorted here): loading many documents at once. */
  load(entries: IndexEntry[]): void {
    entries.sort(this.compare);
    this.chunks = [];
    for (let i = 0; i < entries.length; i += CHUNK) this.chunks.push(entries.slice(i, i + CHUNK));
    this.size = entries.length;
  }

  all(): IndexEntry[] {
    return this.chunks.flat();
  }

  /** How many entries lie between two positions. */
  count(from: Position, to: Position): number {
    if (to.chunk < from.chunk || (to.chunk === from.chunk && to.offset <= from.offset)) return 0;
    if (from.chunk === to.chunk) return to.offset - from.offset;
    let n = this.chunks[from.chunk].length - from.offset + to.offset;
    for (let c = from.chunk + 1; c < to.chunk; c++) n += this.chunks[c].length;
    return n;
  }

  /** The entries from `from` up to `to`, forward or backward. */
  *walk(from: Position, to: Position, backward: boolean): Generator<IndexEntry> {
    const { chunks } = this;
    if (!backward) {
      for (
        let c = from.chunk, o = from.offset;
        c < to.chunk || (c === to.chunk && o < to.offset);
      ) {
        const chunk = chunks[c];
        if (o >= chunk.length) {
          c++;
          o = 0;
          continue;
        }
        yield chunk[o++];
      }
      return;
    }
    let c = to.chunk;
    let o = to.offset - 1;
    for (;;) {
      if (o < 0) {
        if (c <= from.chunk) return;
        c--;
        o = chunks[c].length - 1;
        continue;
      }
      if (c < from.chunk || (c === from.chunk && o < from.offset)) return;
      yield chunks[c][o--];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The index

/** The entries of an index a filter pins down (one block per combination of `$in` values). */
export interface IndexBlock {
  from: Position;
  to: Position;
}

/** How an index would answer a filter, and whether it can give a sort's order. */
export interface IndexPlan {
  index: OrderedIndex;
  blocks: IndexBlock[];
  /** entries in the blocks, plus the loose documents */
  candidates: number;
  /** the filter pins part of the index down (false: the whole index, walked for its order) */
  narrows: boolean;
  /** the blocks hold exactly the matching documents: a count needs no test of each */
  covers: boolean;
  /** the walk that gives the sort's order (null: the index cannot give it) */
  order: { backward: boolean; fields: number[] } | null;
}

/** Compound combinations of `$in` values beyond this are not worth an index lookup each. */
const MAX_BLOCKS = 64;

export class OrderedIndex {
  readonly paths: string[];
  private readonly segments: string[][];
  private readonly directions: Array<1 | -1>;
  /** the top-level fields the key paths start with */
  private readonly topFields: string[];
  private readonly entries: SortedEntries;
  /** documents whose indexed values are not scalars an index orders */
  readonly loose = new Set<DocId>();
  /** false when a key path has an array position (`a.0`): MongoDB's meaning is not kept here */
  readonly usable: boolean;

  constructor(
    readonly name: string,
    keys: Record<string, 1 | -1>,
  ) {
    this.paths = Object.keys(keys);
    this.segments = this.paths.map((p) => p.split('.'));
    this.directions = this.paths.map((p) => (keys[p] === -1 ? -1 : 1));
    this.topFields = [...new Set(this.segments.map((s) => s[0]))];
    this.usable = !this.segments.some((s) => s.some((part) => /^\d+$/.test(part)));
    const n = this.paths.length;
    this.entries = new SortedEntries((a, b) => {
      for (let i = 0; i < n; i++) {
        const c = compareValues(a[i] as IndexValue, b[i] as IndexValue);
        if (c !== 0) return c * this.directions[i];
      }
      return (a[n] as number) - (b[n] as number);
    });
  }

  get size(): number {
    return this.entries.size + this.loose.size;
  }

  /** The document's indexed values, or null when one is not a scalar an index orders. */
  keyOf(doc: Doc): IndexValue[] | null {
    const values: IndexValue[] = [];
    for (const segments of this.segments) {
      let value: unknown = doc;
      for (const segment of segments) {
        if (value === undefined || value === null) break;
        if (Array.isArray(value)) return null;
        value = isPlain(value) ? value[segment] : undefined;
      }
      const rank = rankOf(value);
      if (rank < 0) return null;
      values.push(rank === NULL_RANK ? null : (value as IndexValue));
    }
    return values;
  }

  /**
   * Whether an update left every field this index reads as it was, object for object: writes copy
   * only the objects on their paths, so a field nobody touched is the very same value.
   */
  untouched(before: Doc, after: Doc): boolean {
    for (const field of this.topFields) if (before[field] !== after[field]) return false;
    return true;
  }

  /** Whether two documents' keys are the same (then an update needs no index work). */
  sameKey(a: IndexValue[] | null, b: IndexValue[] | null): boolean {
    if (a === null || b === null) return a === b;
    for (let i = 0; i < a.length; i++) {
      if (compareValues(a[i], b[i]) !== 0 || rankOf(a[i]) !== rankOf(b[i])) return false;
    }
    return true;
  }

  add(id: DocId, seq: number, key: IndexValue[] | null): void {
    if (key === null) this.loose.add(id);
    else this.entries.insert([...key, seq, id]);
  }

  remove(id: DocId, seq: number, key: IndexValue[] | null): void {
    if (key === null) this.loose.delete(id);
    else this.entries.remove([...key, seq, id]);
  }

  /** Rebuilds from every document at once (a snapshot loaded, many documents inserted). */
  load(docs: Iterable<{ id: DocId; seq: number; key: IndexValue[] | null }>): void {
    const entries: IndexEntry[] = [];
    this.loose.clear();
    for (const { id, seq, key } of docs) {
      if (key === null) this.loose.add(id);
      else entries.push([...key, seq, id]);
    }
    this.entries.load(entries);
  }

  /** Every entry's document id, with its sequence (for rebuilding along other entries). */
  allEntries(): IndexEntry[] {
    return this.entries.all();
  }

  /**
   * The blocks of this index a filter's conditions pin down: equalities on a prefix of its keys,
   * then a range on the next one. Null when the index narrows nothing.
   */
  plan(
    { fields: conditions, exact }: IndexableConditions,
    sort: Array<[string, 1 | -1]> | null,
  ): IndexPlan | null {
    if (!this.usable) return null;
    const n = this.paths.length;
    const none = (): IndexPlan => ({
      index: this,
      blocks: [],
      candidates: this.loose.size,
      narrows: true,
      covers: false,
      order: null,
    });
    let prefixes: BoundValue[][] = [[]];
    let p = 0;
    for (; p < n; p++) {
      const condition = conditions.get(this.paths[p]);
      if (condition?.empty) return none();
      const equals = condition?.equals;
      if (!equals) break;
      if (prefixes.length * equals.length > MAX_BLOCKS) break;
      prefixes = prefixes.flatMap((prefix) => equals.map((v) => [...prefix, v]));
    }
    const range = p < n ? conditions.get(this.paths[p]) : undefined;
    if (range?.empty) return none();
    const hasRange = Boolean(range?.low || range?.high || range?.notNull);
    const order = this.orderFor(sort, p, prefixes.length, conditions);
    if (p === 0 && !hasRange && !order) return null;

    const blocks = prefixes.map((prefix) => this.block(prefix, p < n ? range : undefined, p));
    let candidates = this.loose.size;
    for (const block of blocks) candidates += this.entries.count(block.from, block.to);
    // every condition is on a key the bounds used, and used whole
    const used = new Set(this.paths.slice(0, p + (range ? 1 : 0)));
    const covers =
      exact &&
      this.loose.size === 0 &&
      [...conditions].every(([field, c]) => used.has(field) && !c.inexact) &&
      this.paths.slice(0, p).every((path) => {
        const c = conditions.get(path);
        return !c?.low && !c?.high && !c?.notNull;
      }) &&
      !range?.equals;
    return { index: this, blocks, candidates, narrows: p > 0 || hasRange, covers, order };
  }

  /**
   * The walk that yields documents in `sort`'s order: the sort's fields (other than those pinned
   * to one value) must be the keys right after the pinned prefix, all in the index's directions
   * or all against them. Ties come out grouped (see `walk`).
   */
  private orderFor(
    sort: Array<[string, 1 | -1]> | null,
    pinned: number,
    blockCount: number,
    conditions: ReadonlyMap<string, FieldConditions>,
  ): IndexPlan['order'] {
    if (!sort || blockCount !== 1 || this.loose.size > 0) return null;
    const single = new Set(
      this.paths.slice(0, pinned).filter((path) => conditions.get(path)?.equals?.length === 1),
    );
    const wanted = sort.filter(([field]) => !single.has(field));
    if (wanted.length === 0 || pinned + wanted.length > this.paths.length) return null;
    let backward: boolean | null = null;
    const fields: number[] = [];
    for (let j = 0; j < wanted.length; j++) {
      const [field, direction] = wanted[j];
      const position = pinned + j;
      if (this.paths[position] !== field) return null;
      const against = direction !== this.directions[position];
      if (backward === null) backward = against;
      else if (backward !== against) return null;
      fields.push(position);
    }
    return { backward: backward ?? false, fields };
  }

  private block(prefix: BoundValue[], range: FieldConditions | undefined, p: number): IndexBlock {
    let start = prefix;
    let end = prefix;
    let startInclusive = true;
    let endInclusive = true;
    if (range?.low || range?.high || range?.notNull) {
      // `$ne: null` alone: every value above null, of whatever type
      const rank = range.low || range.high ? rankOfBound((range.low ?? range.high)!.value) : null;
      const low = range.low ?? {
        value: rank === null ? new TypeEdge(NULL_RANK, 1) : new TypeEdge(rank, -1),
        inclusive: true,
      };
      const high = range.high ?? {
        value: new TypeEdge(rank ?? DATE_RANK, 1),
        inclusive: true,
      };
      // an index key kept descending meets the high end of a range first
      const [first, last] = this.directions[p] === 1 ? [low, high] : [high, low];
      start = [...prefix, first.value];
      end = [...prefix, last.value];
      startInclusive = first.inclusive;
      endInclusive = last.inclusive;
    }
    const compareTo = (entry: IndexEntry, bound: BoundValue[]): number => {
      for (let i = 0; i < bound.length; i++) {
        const c = compareValues(entry[i] as IndexValue, bound[i]);
        if (c !== 0) return c * this.directions[i];
      }
      return 0;
    };
    return {
      from: this.entries.seek((e) =>
        startInclusive ? compareTo(e, start) < 0 : compareTo(e, start) <= 0,
      ),
      to: this.entries.seek((e) => (endInclusive ? compareTo(e, end) <= 0 : compareTo(e, end) < 0)),
    };
  }

  /** The entries of the blocks, in index order, or backward. */
  *walk(plan: IndexPlan, backward: boolean): Generator<IndexEntry> {
    const blocks = backward ? [...plan.blocks].reverse() : plan.blocks;
    for (const block of blocks) yield* this.entries.walk(block.from, block.to, backward);
  }

  /**
   * Whether entries that tie on a walk's order fields differ in nothing but their sequence: the
   * order's fields run to the index's last key (the block pins everything before them).
   */
  tiesInSequence(order: NonNullable<IndexPlan['order']>): boolean {
    return order.fields[order.fields.length - 1] === this.paths.length - 1;
  }

  /**
   * The entries of a one-block plan in its order, ties in natural order (ascending sequence) as
   * mingo's stable `$sort` gives them, one at a time: a forward walk is already so; a backward one
   * reads each tie group forward from its first entry (found by a binary search), so a limit met
   * in a group of a million ties reads only what it needs. Only when `tiesInSequence`.
   */
  *walkTiesInOrder(plan: IndexPlan, backward: boolean): Generator<IndexEntry> {
    const [block] = plan.blocks;
    if (!block) return;
    if (!backward) {
      yield* this.entries.walk(block.from, block.to, false);
      return;
    }
    const n = this.paths.length;
    const before = (entry: IndexEntry, key: IndexEntry): boolean => {
      for (let i = 0; i < n; i++) {
        const c = compareValues(entry[i] as IndexValue, key[i] as IndexValue);
        if (c !== 0) return c * this.directions[i] < 0;
      }
      return false;
    };
    let to = block.to;
    for (;;) {
      const last = this.entries.walk(block.from, to, true).next();
      if (last.done) return;
      const start = this.entries.seek((entry) => before(entry, last.value));
      yield* this.entries.walk(start, to, false);
      to = start;
    }
  }

  /** The id and sequence of an entry. */
  idOf(entry: IndexEntry): DocId {
    return entry[this.paths.length + 1] as DocId;
  }

  seqOf(entry: IndexEntry): number {
    return entry[this.paths.length] as number;
  }

  /** Whether two entries tie on the given key positions (mingo's $sort keeps ties in order). */
  tie(a: IndexEntry, b: IndexEntry, fields: number[]): boolean {
    for (const i of fields) {
      if (compareValues(a[i] as IndexValue, b[i] as IndexValue) !== 0) return false;
    }
    return true;
  }
}
