/**
 * Typed helpers over the server SDK's database. wx-server-sdk's typings allow callback-style
 * calls, so every `get()`/`update()` is typed as a union with `void`; these helpers narrow the
 * answers once, and name the few access patterns the repositories use.
 */
import { db } from './cloud';
import { isDuplicateKeyError } from './errors';

// The SDK's declared return types include `void` and `string` (callback style); we only ever
// use the promise style.
interface Gettable {
  get(): unknown;
}
interface Updatable {
  update(options: { data: object }): unknown;
}
interface Removable {
  remove(): unknown;
}

export async function many<T>(query: Gettable): Promise<T[]> {
  const res = (await query.get()) as { data: T[] };
  return res.data;
}

/**
 * One document by `_id`, or null. `where(_id)` rather than `doc(id).get()`: the latter rejects
 * when the document is missing, which is an ordinary answer here.
 */
export async function byId<T>(collection: string, id: string): Promise<T | null> {
  const [doc] = await many<T>(db().collection(collection).where({ _id: id }).limit(1));
  return doc ?? null;
}

export async function first<T>(collection: string, where: object): Promise<T | null> {
  const [doc] = await many<T>(db().collection(collection).where(where).limit(1));
  return doc ?? null;
}

/** Runs a (conditional) update; answers how many documents it changed. */
export async function updated(query: Updatable, data: object): Promise<number> {
  const res = (await query.update({ data })) as { stats: { updated: number } };
  return res.stats.updated;
}

/** `where(…).update(…)` on one collection; answers how many documents it changed. */
export function updateWhere(collection: string, where: object, data: object): Promise<number> {
  return updated(db().collection(collection).where(where), data);
}

export async function removed(query: Removable): Promise<number> {
  const res = (await query.remove()) as { stats: { removed: number } };
  return res.stats.removed;
}

/** Inserts a document; a unique-index violation is an answer (`false`), not an error. */
export async function insert(collection: string, doc: object): Promise<boolean> {
  try {
    await db().collection(collection).add({ data: doc });
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

export function command() {
  return db().command;
}

/** Documents by `_id`, at most `ids.length` (≤ 1000) in one round trip. */
export async function byIds<T>(collection: string, ids: readonly string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  return many<T>(
    db()
      .collection(collection)
      .where({ _id: command().in([...ids]) })
      .limit(ids.length),
  );
}

/** How many documents match, in one round trip. */
export async function countWhere(collection: string, where: object): Promise<number> {
  const res = (await db().collection(collection).where(where).count()) as { total: number };
  return res.total;
}

// Operator studio (issue 9) ------------------------------------------------------------------

/** The part of a CloudBase transaction the repositories use (the SDK types it as `any`). */
export interface TransactionLike {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<unknown>;
      update(options: { data: object }): Promise<unknown>;
      set(options: { data: object }): Promise<unknown>;
      remove(): Promise<unknown>;
    };
  };
}

/** A document read inside a transaction; wx-server-sdk rejects a missing one, an answer here. */
export async function readInTransaction<T>(
  transaction: TransactionLike,
  collection: string,
  id: string,
): Promise<T | null> {
  try {
    const res = (await transaction.collection(collection).doc(id).get()) as { data: T | null };
    return res.data ?? null;
  } catch (error) {
    if (/does not exist/.test(String((error as { errMsg?: string })?.errMsg ?? error))) return null;
    throw error;
  }
}
