import { Query } from 'mingo';
import {
  DocumentStore,
  StoreError,
  fromJsonSafe,
  toJsonSafe,
  type Doc,
  type IndexSpec,
} from '../../emulator/store';

/**
 * The document store on its own: which collections exist, unique indexes, index-served queries,
 * snapshots for transactions, export/import and reset. (Everything user code does goes through
 * @cloudbase/database; see database-conformance.test.ts.)
 */

const usersByOpenid: IndexSpec = {
  collection: 'users',
  name: 'openid_1',
  keys: { openid: 1 },
  unique: true,
};

function storeWith(
  indexes: IndexSpec[] = [usersByOpenid],
  collections = ['users', 'coupons'],
): DocumentStore {
  return DocumentStore.open({ collections, indexes });
}

function insert(store: DocumentStore, collection: string, ...docs: Doc[]): void {
  store.commit(
    docs.map((doc) => ({ collection, id: doc._id, after: doc, mode: 'insert' as const })),
  );
}

function duplicateError(run: () => void): StoreError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).kind).toBe('duplicate-key');
    return error as StoreError;
  }
  throw new Error('expected a duplicate key error');
}

describe('collections', () => {
  it('knows declared collections, emulator collections and created ones, nothing else', () => {
    const store = storeWith();
    expect(store.collectionExists('users')).toBe(true);
    expect(store.collectionExists('_emulator_anything')).toBe(true);
    expect(store.collectionExists('orders')).toBe(false);
    expect(() => store.find('orders')).toThrow(
      expect.objectContaining({ kind: 'collection-not-exists' }),
    );

    expect(store.createCollection('orders')).toBe(true);
    expect(store.createCollection('orders')).toBe(false);
    expect(store.createCollection('users')).toBe(false);
    expect(store.collectionExists('orders')).toBe(true);
    expect(store.listCollections()).toEqual(['coupons', 'orders', 'users']);
  });

  it('treats every collection as existing when none are declared', () => {
    const store = DocumentStore.open();
    insert(store, 'anything', { _id: 'a' });
    expect(store.find('other')).toEqual([]);
    expect(store.listCollections()).toEqual(['anything']);
  });
});

describe('unique indexes', () => {
  it('rejects a duplicate insert and writes nothing of the batch', () => {
    const store = storeWith();
    insert(store, 'users', { _id: 'u1', openid: 'o1' });
    const error = duplicateError(() =>
      insert(store, 'users', { _id: 'u2', openid: 'o2' }, { _id: 'u3', openid: 'o1' }),
    );
    expect(error.message).toContain(
      'E11000 duplicate key error collection: users index: openid_1 dup key: { : "o1" }',
    );
    expect(store.count('users')).toBe(1);
    expect(store.get('users', 'u2')).toBeUndefined();
  });

  it('rejects an insert of an existing _id (index _id_)', () => {
    const store = storeWith([]);
    insert(store, 'users', { _id: 'u1' });
    expect(duplicateError(() => insert(store, 'users', { _id: 'u1', x: 1 })).details.index).toBe(
      '_id_',
    );
    expect(store.get('users', 'u1')).toEqual({ _id: 'u1' });
  });

  it('rejects an update that takes another document’s key, and allows swapping keys in one commit', () => {
    const store = storeWith();
    insert(store, 'users', { _id: 'u1', openid: 'a' }, { _id: 'u2', openid: 'b' });
    duplicateError(() =>
      store.commit([{ collection: 'users', id: 'u2', after: { _id: 'u2', openid: 'a' } }]),
    );
    expect(store.get('users', 'u2')).toEqual({ _id: 'u2', openid: 'b' });

    store.commit([
      { collection: 'users', id: 'u1', after: { _id: 'u1', openid: 'b' } },
      { collection: 'users', id: 'u2', after: { _id: 'u2', openid: 'a' } },
    ]);
    expect(store.find('users', { filter: { openid: 'a' } }).map((d) => d._id)).toEqual(['u2']);
  });

  it('follows MongoDB: a missing field counts as null, array elements are keys, compound keys combine', () => {
    const store = storeWith([
      usersByOpenid,
      { collection: 'coupons', name: 'tags_1', keys: { tags: 1 }, unique: true },
      { collection: 'coupons', name: 'owner_1_code_1', keys: { owner: 1, code: 1 }, unique: true },
    ]);
    insert(store, 'users', { _id: 'u1' });
    duplicateError(() => insert(store, 'users', { _id: 'u2' }));

    insert(store, 'coupons', { _id: 'c1', tags: ['x', 'y'], owner: 'o', code: 1 });
    duplicateError(() =>
      insert(store, 'coupons', { _id: 'c2', tags: ['z', 'y'], owner: 'p', code: 1 }),
    );
    duplicateError(() => insert(store, 'coupons', { _id: 'c2', tags: ['z'], owner: 'o', code: 1 }));
    insert(store, 'coupons', { _id: 'c2', tags: ['z'], owner: 'o', code: 2 });
    expect(store.count('coupons')).toBe(2);
  });

  it('frees a key when its document is removed or changed', () => {
    const store = storeWith();
    insert(store, 'users', { _id: 'u1', openid: 'a' });
    store.commit([{ collection: 'users', id: 'u1', after: null }]);
    insert(store, 'users', { _id: 'u2', openid: 'a' });
    store.commit([{ collection: 'users', id: 'u2', after: { _id: 'u2', openid: 'b' } }]);
    insert(store, 'users', { _id: 'u3', openid: 'a' });
    expect(store.count('users')).toBe(2);
  });
});

describe('queries', () => {
  const N = 10_000;
  const store = DocumentStore.open({
    collections: ['users'],
    indexes: [
      usersByOpenid,
      { collection: 'users', name: 'channel_1_createdAt_-1', keys: { channel: 1, createdAt: -1 } },
      { collection: 'users', name: 'profile.city_1', keys: { 'profile.city': 1 } },
    ],
  });
  const channels = ['poster', 'share', 'group', 'search'];
  const cities = ['sh', 'bj', 'gz', 'sz', 'hz'];
  const docs: Doc[] = [];
  for (let i = 0; i < N; i++) {
    docs.push({
      _id: `u${i}`,
      openid: `o${i}`,
      channel: channels[i % channels.length],
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000),
      profile: { city: cities[i % cities.length] },
      tags: i % 3 === 0 ? ['vip', `t${i % 7}`] : [`t${i % 7}`],
      score: i % 100,
    });
  }
  store.commit(
    docs.map((doc) => ({ collection: 'users', id: doc._id, after: doc, mode: 'insert' as const })),
  );

  it('answers _id lookups and equalities on an index’s leading key without scanning', () => {
    expect(store.explain('users', { _id: 'u42' })).toEqual({ via: '_id_', candidates: 1 });
    expect(store.explain('users', { openid: 'o42', score: 42 })).toEqual({
      via: 'openid_1',
      candidates: 1,
    });
    expect(store.explain('users', { channel: 'share' })).toEqual({
      via: 'channel_1_createdAt_-1',
      candidates: N / 4,
    });
    expect(store.explain('users', { 'profile.city': { $in: ['sh', 'bj'] } })).toEqual({
      via: 'profile.city_1',
      candidates: (N / 5) * 2,
    });
    expect(store.explain('users', { $and: [{ score: { $gt: 5 } }, { openid: 'o7' }] })).toEqual({
      via: 'openid_1',
      candidates: 1,
    });
    expect(store.explain('users', { score: 3 })).toEqual({ via: 'scan', candidates: N });

    const before = store.examinedDocuments;
    expect(store.find('users', { filter: { openid: 'o9999' } }).map((d) => d._id)).toEqual([
      'u9999',
    ]);
    expect(store.examinedDocuments - before).toBe(1);
  });

  it('returns exactly what a full scan returns, in natural order, for indexed filters', () => {
    const filters: Array<Record<string, unknown>> = [
      { channel: 'group', score: { $lt: 10 } },
      { openid: { $in: ['o1', 'o5000', 'nobody', 'o9999'] } },
      { 'profile.city': 'gz', tags: 'vip' },
      { _id: { $in: ['u3', 'u1', 'missing'] } },
      { channel: 'poster', createdAt: { $gte: new Date(Date.UTC(2024, 0, 5)) } },
    ];
    for (const filter of filters) {
      const query = new Query(filter);
      const expected = docs.filter((d) => query.test(d)).map((d) => d._id);
      expect(store.find('users', { filter }).map((d) => d._id)).toEqual(expected);
      expect(store.countMatching('users', filter)).toBe(expected.length);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  it('sorts, skips, limits and projects like MongoDB', () => {
    const page = store.find('users', {
      filter: { channel: 'search' },
      sort: { score: -1, openid: 1 },
      skip: 2,
      limit: 3,
      projection: { openid: 1, score: 1 },
    });
    expect(page).toEqual([
      // openids sort as strings: o1099, o1199, o1299, o1399…
      { _id: 'u1299', openid: 'o1299', score: 99 },
      { _id: 'u1399', openid: 'o1399', score: 99 },
      { _id: 'u1499', openid: 'o1499', score: 99 },
    ]);
  });

  it('keeps indexes right when documents change', () => {
    const local = DocumentStore.open({
      indexes: [{ collection: 'c', name: 'k_1', keys: { k: 1 } }],
    });
    insert(local, 'c', { _id: 1, k: 'a' }, { _id: 2, k: 'a' });
    local.commit([{ collection: 'c', id: 1, after: { _id: 1, k: 'b' } }]);
    local.commit([{ collection: 'c', id: 2, after: null }]);
    expect(local.find('c', { filter: { k: 'a' } })).toEqual([]);
    expect(local.find('c', { filter: { k: 'b' } })).toEqual([{ _id: 1, k: 'b' }]);
    expect(local.explain('c', { k: 'a' })).toEqual({ via: 'k_1', candidates: 0 });
  });
});

describe('snapshots for transactions', () => {
  it('shows a snapshot the documents as they were when it opened', () => {
    const store = storeWith([]);
    insert(store, 'users', { _id: 'a', n: 1 });
    const snapshot = store.openSnapshot();
    store.commit([{ collection: 'users', id: 'a', after: { _id: 'a', n: 2 } }]);
    store.commit([{ collection: 'users', id: 'a', after: { _id: 'a', n: 3 } }]);
    insert(store, 'users', { _id: 'b' });
    expect(store.getAsOf(snapshot, 'users', 'a')).toEqual({ _id: 'a', n: 1 });
    expect(store.getAsOf(snapshot, 'users', 'b')).toBeNull();
    expect(store.get('users', 'a')).toEqual({ _id: 'a', n: 3 });
    store.closeSnapshot(snapshot);
    store.commit([{ collection: 'users', id: 'a', after: { _id: 'a', n: 4 } }]);
    expect(snapshot.preImages.size).toBe(2);
  });
});

describe('export, import and reset', () => {
  it('exports JSON-safe documents (dates as $date) and imports them back as Dates', () => {
    const store = storeWith();
    const at = new Date('2024-05-01T08:00:00.000Z');
    insert(store, 'users', { _id: 'u1', openid: 'o1', at, nested: { list: [at, /re+/i, 1.5] } });
    store.createCollection('orders');
    const exported = store.exportSnapshot();
    const text = JSON.stringify(exported);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      collections: {
        coupons: [],
        orders: [],
        users: [
          {
            _id: 'u1',
            openid: 'o1',
            at: { $date: '2024-05-01T08:00:00.000Z' },
            nested: {
              list: [
                { $date: '2024-05-01T08:00:00.000Z' },
                { $regularExpression: { pattern: 're+', options: 'i' } },
                1.5,
              ],
            },
          },
        ],
      },
    });

    const other = storeWith();
    other.importSnapshot(JSON.parse(text));
    const doc = other.get('users', 'u1') as Doc & { at: Date; nested: { list: unknown[] } };
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.getTime()).toBe(at.getTime());
    expect(doc.nested.list[1]).toEqual(/re+/i);
    expect(other.collectionExists('orders')).toBe(true);
    // unique indexes hold on imported data
    duplicateError(() => insert(other, 'users', { _id: 'u2', openid: 'o1' }));
  });

  it('refuses a snapshot that breaks a unique index and keeps the current data', () => {
    const store = storeWith();
    insert(store, 'users', { _id: 'keep', openid: 'k' });
    const bad = {
      version: 1 as const,
      collections: {
        users: [
          { _id: 'a', openid: 'x' },
          { _id: 'b', openid: 'x' },
        ],
      },
    };
    expect(() => store.importSnapshot(bad)).toThrow(/unique index openid_1/);
    expect(store.find('users').map((d) => d._id)).toEqual(['keep']);
  });

  it('reset drops documents and created collections but keeps declared ones and indexes', () => {
    const store = storeWith();
    insert(store, 'users', { _id: 'u1', openid: 'o1' });
    insert(store, '_emulator_risk', { _id: 'o1', riskRank: 3 });
    store.createCollection('orders');
    store.reset();
    expect(store.count('users')).toBe(0);
    expect(store.count('_emulator_risk')).toBe(0);
    expect(store.collectionExists('orders')).toBe(false);
    expect(store.collectionExists('users')).toBe(true);
    insert(store, 'users', { _id: 'u1', openid: 'o1' });
    duplicateError(() => insert(store, 'users', { _id: 'u2', openid: 'o1' }));
  });

  it('round-trips values through the JSON-safe form', () => {
    const value = { d: new Date(0), n: [1, -0, Infinity], s: 'x', nil: null, r: /a/g };
    const back = fromJsonSafe(JSON.parse(JSON.stringify(toJsonSafe(value)))) as typeof value;
    expect(back.d).toBeInstanceOf(Date);
    expect(back.d.getTime()).toBe(0);
    expect(back.n).toEqual([1, 0, Infinity]);
    expect(back.r).toEqual(/a/g);
    expect(back.nil).toBeNull();
  });
});
