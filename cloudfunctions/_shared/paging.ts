/**
 * Paged reads for the lists that must never scan (Rewards, issue 12): a page is `limit`
 * documents after a cursor, in the order of an indexed field with `_id` breaking ties, so a page
 * boundary between two documents with the same time neither loses nor repeats one.
 */
import { db } from './cloud';
import { command, many } from './db';
import { fail } from './errors';

export interface KeyCursor {
  value: unknown;
  id: string;
}

/**
 * The documents of `scope` ordered by `key.field` (then `_id`), after `cursor` (null: from the
 * start). `key.range`, a condition on the field itself, bounds every page (e.g. a time window).
 */
export function keysetPage<T>(
  collection: string,
  scope: Record<string, unknown>,
  key: { field: string; order: 'asc' | 'desc'; range?: unknown },
  cursor: KeyCursor | null,
  limit: number,
): Promise<T[]> {
  const _ = command();
  const beyond = (value: unknown) => (key.order === 'asc' ? _.gt(value) : _.lt(value));
  const bounded = (condition: ReturnType<typeof beyond>) =>
    key.range ? (key.range as typeof condition).and(condition) : condition;
  const where = cursor
    ? _.or([
        { ...scope, [key.field]: bounded(beyond(cursor.value)) },
        { ...scope, [key.field]: cursor.value, _id: beyond(cursor.id) },
      ])
    : { ...scope, ...(key.range ? { [key.field]: key.range } : {}) };
  return many<T>(
    db()
      .collection(collection)
      .where(where)
      .orderBy(key.field, key.order)
      .orderBy('_id', key.order)
      .limit(limit),
  );
}

/** The documents matching `where`, one page in `_id` order after `afterId` (the reconciler's walk). */
export function pageById<T>(
  collection: string,
  where: Record<string, unknown>,
  afterId: string | null,
  limit: number,
  fields?: Record<string, boolean>,
): Promise<T[]> {
  const query = db()
    .collection(collection)
    .where({ ...where, ...(afterId ? { _id: command().gt(afterId) } : {}) })
    .orderBy('_id', 'asc')
    .limit(limit);
  return many<T>(fields ? query.field(fields) : query);
}

/** `<ms base 36>.<id>`: where the next page of a list by time starts. */
export function encodeCursor(cursor: { value: Date; id: string }): string {
  return `${cursor.value.getTime().toString(36)}.${cursor.id}`;
}

/** A cursor a client sent back; a malformed one is BAD_REQUEST. */
export function decodeCursor(text: string): KeyCursor {
  const [ms, id] = text.split('.');
  const at = parseInt(ms ?? '', 36);
  if (!Number.isFinite(at) || !id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    return fail('BAD_REQUEST', 'cursor: must be the `next` of a previous page');
  }
  return { value: new Date(at), id };
}
