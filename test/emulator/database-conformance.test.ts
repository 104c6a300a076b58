import { Db } from '@cloudbase/database';
import { ERRORS } from '@cloudbase/database/dist/commonjs/const/code';
import { EmulatedClock, installClock } from '../../emulator/clock';
import { DB_ERROR } from '../../emulator/database';
import { asFailure, inInvocation, memoryDatabase, settle, TEST_ENV, unique } from './helpers';

/**
 * Conformance of the local database with CloudBase, exercised only through the real
 * `@cloudbase/database` query builder (the one wx-server-sdk wraps): what a request returns, what
 * it writes, and how it fails.
 */

type Row = Record<string, unknown> & { _id: string | number };

async function all(db: Db, collection: string, query: object = {}): Promise<Row[]> {
  const res = await db.collection(collection).where(query).limit(1000).get();
  return res.data as Row[];
}

async function ids(promise: Promise<{ data: Row[] }>): Promise<Array<string | number>> {
  return (await promise).data.map((d) => d._id);
}

describe('add', () => {
  it('generates 32-hex ids, keeps given ones, and reports batch ids', async () => {
    const { db } = memoryDatabase();
    const generated = await db.collection('items').add({ name: 'a' });
    expect(generated.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await db.collection('items').add({ _id: 'given', name: 'b' })).id).toBe('given');
    expect((await db.collection('items').add({ _id: 7, name: 'c' })).id).toBe(7);
    const batch = await db.collection('items').add([{ name: 'd' }, { _id: 'e', name: 'e' }]);
    expect(batch.ids).toHaveLength(2);
    expect(batch.ids?.[1]).toBe('e');
    expect(
      (
        await db
          .collection('items')
          .doc(generated.id as string)
          .get()
      ).data,
    ).toEqual([{ _id: generated.id, name: 'a' }]);
    expect((await db.collection('items').count()).total).toBe(5);
  });

  it('fails a duplicate _id like MongoDB behind CloudBase, and keeps the first document', async () => {
    const { db } = memoryDatabase();
    await db.collection('items').add({ _id: 'x', v: 1 });
    const failure = asFailure(await db.collection('items').add({ _id: 'x', v: 2 }));
    expect(failure.code).toBe(DB_ERROR.REQUEST_FAILED);
    expect(failure.message).toBe(
      `[FailedOperation] multiple write errors: [{write errors: [{E11000 duplicate key error collection: ${TEST_ENV}.items index: _id_ dup key: { : "x" }}]}, {<nil>}]`,
    );
    expect(await all(db, 'items')).toEqual([{ _id: 'x', v: 1 }]);
  });

  it('refuses $-prefixed field names', async () => {
    const { db } = memoryDatabase();
    const failure = asFailure(await db.collection('items').add({ a: { $bad: 1 } }));
    expect(failure.message).toContain("Document can't have $ prefixed field names: $bad");
    expect((await db.collection('items').count()).total).toBe(0);
  });
});

describe('queries with db.command', () => {
  const { db } = memoryDatabase();
  const _ = db.command;
  const products: Row[] = [
    {
      _id: 'p1',
      name: 'Apple',
      price: 5,
      stock: 0,
      tags: ['fruit', 'red'],
      spec: { color: 'red', size: { w: 1 } },
      items: [{ sku: 'a', qty: 1 }],
    },
    {
      _id: 'p2',
      name: 'apricot',
      price: 12,
      stock: 3,
      tags: ['fruit'],
      spec: { color: 'orange', size: { w: 2 } },
      items: [{ sku: 'a', qty: 5 }],
    },
    {
      _id: 'p3',
      name: 'Banana',
      price: 8,
      stock: 10,
      tags: [],
      spec: { color: 'yellow' },
      items: [],
    },
    { _id: 'p4', name: 'cherry', price: 20, stock: 1, tags: ['red'], discontinued: true },
  ];
  beforeAll(async () => {
    await db.collection('products').add(products);
  });

  it.each<[string, () => object, string[]]>([
    ['eq', () => ({ price: _.eq(8) }), ['p3']],
    ['plain equality', () => ({ name: 'cherry' }), ['p4']],
    ['neq (matches missing fields too)', () => ({ discontinued: _.neq(true) }), ['p1', 'p2', 'p3']],
    ['gt / lte', () => ({ price: _.gt(5).and(_.lte(12)) }), ['p2', 'p3']],
    ['gte / lt', () => ({ price: _.gte(12), stock: _.lt(3) }), ['p4']],
    ['in', () => ({ _id: _.in(['p4', 'p1', 'nope']) }), ['p1', 'p4']],
    ['nin', () => ({ price: _.nin([5, 20]) }), ['p2', 'p3']],
    ['array contains', () => ({ tags: 'red' }), ['p1', 'p4']],
    ['and', () => _.and([{ tags: 'fruit' }, { stock: _.gt(0) }]), ['p2']],
    ['or', () => _.or([{ price: 5 }, { stock: _.gte(10) }]), ['p1', 'p3']],
    ['field-level or', () => ({ price: _.lt(6).or(_.gt(15)) }), ['p1', 'p4']],
    ['exists false', () => ({ discontinued: _.exists(false) }), ['p1', 'p2', 'p3']],
    ['elemMatch', () => ({ items: _.elemMatch({ sku: 'a', qty: _.gt(2) }) }), ['p2']],
    ['size', () => ({ tags: _.size(0) }), ['p3']],
    ['nested path string', () => ({ 'spec.size.w': 2 }), ['p2']],
    ['nested object notation', () => ({ spec: { color: 'red' } }), ['p1']],
    ['db.RegExp', () => ({ name: db.RegExp({ regexp: '^ap', options: 'i' }) }), ['p1', 'p2']],
    ['JavaScript RegExp', () => ({ name: /an/ }), ['p3']],
  ])('%s', async (_name, query, expected) => {
    expect(await ids(db.collection('products').where(query()).get())).toEqual(expected);
  });

  it('orders, skips, limits and projects', async () => {
    const res = await db
      .collection('products')
      .orderBy('stock', 'desc')
      .orderBy('price', 'asc')
      .skip(1)
      .limit(2)
      .field({ name: true, stock: true })
      .get();
    expect(res.data).toEqual([
      { _id: 'p2', name: 'apricot', stock: 3 },
      { _id: 'p4', name: 'cherry', stock: 1 },
    ]);
    const excluded = await db
      .collection('products')
      .where({ _id: 'p3' })
      .field({ spec: false, items: false, tags: false })
      .get();
    expect(excluded.data).toEqual([{ _id: 'p3', name: 'Banana', price: 8, stock: 10 }]);
    expect((await db.collection('products').doc('p1').field({ price: true }).get()).data).toEqual([
      { _id: 'p1', price: 5 },
    ]);
  });

  it('counts matching documents', async () => {
    expect((await db.collection('products').where({ tags: 'fruit' }).count()).total).toBe(2);
    expect((await db.collection('products').count()).total).toBe(4);
  });

  it('returns an empty list for a missing document', async () => {
    expect((await db.collection('products').doc('none').get()).data).toEqual([]);
  });
});

describe('updates', () => {
  it('applies inc, set, remove, push, addToSet and friends on nested paths', async () => {
    const { db } = memoryDatabase();
    const _ = db.command;
    await db.collection('u').add({
      _id: 'a',
      n: 1,
      tags: ['x'],
      list: [1, 2, 3],
      profile: { name: 'A', level: { value: 1 } },
      gone: true,
      m: 2,
    });
    const res = await db
      .collection('u')
      .doc('a')
      .update({
        n: _.inc(2),
        tags: _.addToSet('y'),
        list: _.push([4, 5]),
        'profile.level.value': _.inc(10),
        profile: { nick: 'aa' },
        gone: _.remove(),
        m: _.mul(3),
        created: { deep: { flag: true } },
      });
    expect(res.updated).toBe(1);
    expect((await db.collection('u').doc('a').get()).data[0]).toEqual({
      _id: 'a',
      n: 3,
      tags: ['x', 'y'],
      list: [1, 2, 3, 4, 5],
      profile: { name: 'A', level: { value: 11 }, nick: 'aa' },
      m: 6,
      created: { deep: { flag: true } },
    });

    await db
      .collection('u')
      .doc('a')
      .update({
        tags: _.addToSet('x'),
        list: _.pop(),
        profile: _.set({ replaced: true }),
        n: _.max(100),
      });
    await db
      .collection('u')
      .doc('a')
      .update({ list: _.unshift(0), tags: _.pull('x') });
    expect((await db.collection('u').doc('a').get()).data[0]).toEqual({
      _id: 'a',
      n: 100,
      tags: ['y'],
      list: [0, 1, 2, 3, 4],
      profile: { replaced: true },
      m: 6,
      created: { deep: { flag: true } },
    });
  });

  it('doc().set replaces the whole document, or creates it', async () => {
    const { db } = memoryDatabase();
    await db.collection('u').add({ _id: 'a', keep: false, old: 1 });
    const replaced = await db.collection('u').doc('a').set({ fresh: 2 });
    expect(replaced).toMatchObject({ updated: 1, upsertedId: undefined });
    expect((await db.collection('u').doc('a').get()).data).toEqual([{ _id: 'a', fresh: 2 }]);
    const created = await db.collection('u').doc('b').set({ v: 1 });
    expect(created).toMatchObject({ updated: 0, upsertedId: 'b' });
    expect(await all(db, 'u')).toEqual([
      { _id: 'a', fresh: 2 },
      { _id: 'b', v: 1 },
    ]);
    expect((await db.collection('u').doc('b').set({ v: 1 })).updated).toBe(0);
  });

  it('where().update and where().remove report how many documents they changed', async () => {
    const { db } = memoryDatabase();
    const _ = db.command;
    await db.collection('c').add([{ s: 'new' }, { s: 'new' }, { s: 'used' }, { s: 'new', n: 1 }]);
    expect((await db.collection('c').where({ s: 'new' }).update({ s: 'sent' })).updated).toBe(3);
    expect((await db.collection('c').where({ s: 'sent' }).update({ s: 'sent' })).updated).toBe(0);
    expect((await db.collection('c').where({ s: 'nothing' }).update({ s: 'x' })).updated).toBe(0);
    expect(
      (
        await db
          .collection('c')
          .where({ n: _.exists(true) })
          .remove()
      ).deleted,
    ).toBe(1);
    expect((await db.collection('c').where({ s: 'sent' }).remove()).deleted).toBe(2);
    expect((await db.collection('c').doc('missing').update({ s: 'x' })).updated).toBe(0);
    expect((await db.collection('c').doc('missing').remove()).deleted).toBe(0);
    expect((await all(db, 'c')).map((d) => d.s)).toEqual(['used']);
  });

  it('fails updates MongoDB refuses, and leaves the document as it was', async () => {
    const { db } = memoryDatabase();
    const _ = db.command;
    await db.collection('u').add({ _id: 'a', name: 'x', result: null, list: 'not-an-array' });
    const inc = asFailure(
      await db
        .collection('u')
        .doc('a')
        .update({ name: _.inc(1) }),
    );
    expect(inc.code).toBe(DB_ERROR.REQUEST_FAILED);
    expect(inc.message).toContain(
      'Cannot apply $inc to a value of non-numeric type. {_id: "a"} has the field \'name\' of non-numeric type string',
    );
    const create = asFailure(await db.collection('u').doc('a').update({ 'result.date': 1 }));
    expect(create.message).toBe(
      "[FailedOperation] multiple write errors: [{write errors: [{Cannot create field 'date' in element {result: null}}]}, {<nil>}]",
    );
    const push = asFailure(
      await db
        .collection('u')
        .where({ _id: 'a' })
        .update({ list: _.push(['x']) }),
    );
    expect(push.message).toContain("The field 'list' must be an array but is of type string");
    expect((await db.collection('u').doc('a').get()).data).toEqual([
      { _id: 'a', name: 'x', result: null, list: 'not-an-array' },
    ]);
  });
});

describe('limits', () => {
  const { db } = memoryDatabase();
  beforeAll(async () => {
    const docs = Array.from({ length: 1500 }, (_v, i) => ({
      _id: `d${String(i).padStart(4, '0')}`,
      i,
    }));
    for (let i = 0; i < docs.length; i += 500)
      await db.collection('many').add(docs.slice(i, i + 500));
  });

  it('returns 100 documents by default and up to 1000 with limit()', async () => {
    expect((await db.collection('many').get()).data).toHaveLength(100);
    expect((await db.collection('many').limit(500).get()).data).toHaveLength(500);
    // The library caps limit at 1000 before sending, so limit(5000) quietly returns 1000.
    expect((await db.collection('many').limit(5000).get()).data).toHaveLength(1000);
    const lastPage = await db.collection('many').orderBy('i', 'asc').skip(1400).limit(1000).get();
    expect(lastPage.data).toHaveLength(100);
    expect(lastPage.data[0]).toEqual({ _id: 'd1400', i: 1400 });
  });

  it('caps a raw request for more than 1000 documents at 1000 too', async () => {
    const request = new Db.reqClass(db.config) as {
      send(action: string, params: object): Promise<{ data: { list: string[] } }>;
    };
    const res = await request.send('database.getDocument', {
      collectionName: 'many',
      queryType: 'WHERE',
      limit: 5000,
    });
    expect(res.data.list).toHaveLength(1000);
  });
});

describe('aggregate', () => {
  const { db } = memoryDatabase();
  const $ = db.command.aggregate;
  beforeAll(async () => {
    await db.collection('orders').add([
      { _id: 'o1', user: 'u1', amount: 10, status: 'paid' },
      { _id: 'o2', user: 'u2', amount: 25, status: 'paid' },
      { _id: 'o3', user: 'u1', amount: 5, status: 'paid' },
      { _id: 'o4', user: 'u3', amount: 100, status: 'refunded' },
    ]);
    await db.collection('users').add([
      { _id: 'u1', name: 'Ann' },
      { _id: 'u2', name: 'Bo' },
    ]);
    await db.collection('events').add(Array.from({ length: 30 }, (_v, i) => ({ i })));
  });

  it('runs $match, $group with $sum, $sort, $limit, $project and $lookup', async () => {
    const res = await db
      .collection('orders')
      .aggregate()
      .match({ status: 'paid' })
      .group({ _id: '$user', total: $.sum('$amount'), orders: $.sum(1) })
      .sort({ total: -1 })
      .limit(10)
      .lookup({ from: 'users', localField: '_id', foreignField: '_id', as: 'who' })
      .project({ _id: 0, user: '$_id', total: 1, orders: 1, name: $.arrayElemAt(['$who.name', 0]) })
      .end();
    expect(res.data).toEqual([
      { user: 'u2', total: 25, orders: 1, name: 'Bo' },
      { user: 'u1', total: 15, orders: 2, name: 'Ann' },
    ]);
  });

  it('answers at most 20 documents when the pipeline has no $limit, as CloudBase does', async () => {
    expect((await db.collection('events').aggregate().match({}).end()).data).toHaveLength(20);
    expect((await db.collection('events').aggregate().limit(25).end()).data).toHaveLength(25);
  });
});

describe('server dates and the emulated clock', () => {
  it('resolves db.serverDate() to the server’s time when the request executes', async () => {
    const clock = new EmulatedClock();
    installClock(clock);
    clock.setNow(Date.UTC(2031, 4, 6, 7, 8, 9));
    const { db, faults } = memoryDatabase();
    faults.latencyMs = 20;
    const before = Date.now();
    const added = await db
      .collection('t')
      .add({ at: db.serverDate(), later: db.serverDate({ offset: 60_000 }) });
    const after = Date.now();
    const doc = (
      await db
        .collection('t')
        .doc(added.id as string)
        .get()
    ).data[0] as { at: Date; later: Date };
    expect(doc.at).toBeInstanceOf(Date);
    // executed after the injected latency, on the emulated clock
    expect(doc.at.getTime()).toBeGreaterThanOrEqual(before + 20);
    expect(doc.at.getTime()).toBeLessThanOrEqual(after);
    expect(doc.later.getTime() - doc.at.getTime()).toBe(60_000);
    expect(doc.at.getUTCFullYear()).toBe(2031);

    const _ = db.command;
    expect(
      (
        await db
          .collection('t')
          .where({ at: _.lte(db.serverDate()) })
          .count()
      ).total,
    ).toBe(1);
    expect(
      (
        await db
          .collection('t')
          .where({ later: _.lte(db.serverDate()) })
          .count()
      ).total,
    ).toBe(0);
    clock.advance(120_000);
    expect(
      (
        await db
          .collection('t')
          .where({ later: _.lte(db.serverDate()) })
          .count()
      ).total,
    ).toBe(1);
    clock.setOffset(0);
  });
});

describe('collections', () => {
  it('fails every operation on an undeclared collection with CloudBase’s error', async () => {
    const { db, store } = memoryDatabase({ collections: ['known'] });
    const results = [
      await db.collection('unknown').get(),
      await db.collection('unknown').add({ a: 1 }),
      await db.collection('unknown').doc('x').get(),
      await db.collection('unknown').doc('x').set({ a: 1 }),
      await db.collection('unknown').where({ a: 1 }).update({ a: 2 }),
      await db.collection('unknown').where({ a: 1 }).remove(),
      await db.collection('unknown').count(),
      await db.collection('unknown').aggregate().match({}).end(),
    ];
    for (const result of results) {
      const failure = asFailure(result);
      expect(failure.code).toBe('DATABASE_COLLECTION_NOT_EXIST');
      expect(failure.message).toBe('[ResourceNotFound] Db or Table not exist: unknown');
    }
    expect(store.collectionExists('unknown')).toBe(false);
  });

  it('createCollection makes one, and refuses to make it twice', async () => {
    const { db } = memoryDatabase({ collections: ['known'] });
    expect((await db.createCollection('fresh')).code).toBeUndefined();
    expect((await db.collection('fresh').add({ a: 1 })).id).toBeDefined();
    const again = asFailure(await db.createCollection('fresh'));
    expect(again.code).toBe(DB_ERROR.COLLECTION_ALREADY_EXIST);
    expect(asFailure(await db.createCollection('known')).code).toBe(
      DB_ERROR.COLLECTION_ALREADY_EXIST,
    );
  });

  it('always has the emulator’s own collections', async () => {
    const { db } = memoryDatabase({ collections: ['known'] });
    await db.collection('_emulator_meta').doc('clock').set({ offsetMs: 5 });
    expect((await db.collection('_emulator_meta').doc('clock').get()).data).toEqual([
      { _id: 'clock', offsetMs: 5 },
    ]);
  });
});

describe('unique indexes', () => {
  it('fails a duplicate insert or update with an E11000 error and writes nothing', async () => {
    const { db } = memoryDatabase({ collections: ['users'], indexes: [unique('users', 'openid')] });
    await db.collection('users').add({ _id: 'a', openid: 'o-a' });
    await db.collection('users').add({ _id: 'b', openid: 'o-b' });

    const insert = asFailure(await db.collection('users').add({ _id: 'c', openid: 'o-a' }));
    expect(insert.code).toBe('DATABASE_REQUEST_FAILED');
    expect(insert.message).toContain(
      `E11000 duplicate key error collection: ${TEST_ENV}.users index: openid_1 dup key: { : "o-a" }`,
    );

    const batch = asFailure(
      await db.collection('users').add([
        { _id: 'd', openid: 'o-d' },
        { _id: 'e', openid: 'o-b' },
      ]),
    );
    expect(batch.message).toContain('E11000 duplicate key error');

    const update = asFailure(await db.collection('users').doc('b').update({ openid: 'o-a' }));
    expect(update.message).toContain('E11000 duplicate key error');
    // where().update is all-or-nothing too: the second document would collide
    const multi = asFailure(await db.collection('users').where({}).update({ openid: 'same' }));
    expect(multi.message).toContain('dup key: { : "same" }');

    expect(await all(db, 'users')).toEqual([
      { _id: 'a', openid: 'o-a' },
      { _id: 'b', openid: 'o-b' },
    ]);
  });
});

describe('atomic conditional updates', () => {
  it.each([0, 3])(
    'hands out exactly the stock under concurrency (latency %i ms)',
    async (latencyMs) => {
      const { db, faults } = memoryDatabase();
      const _ = db.command;
      await db.collection('prizes').add({ _id: 'p', stock: 5 });
      faults.latencyMs = latencyMs;
      const attempts = await Promise.all(
        Array.from({ length: 40 }, () =>
          db
            .collection('prizes')
            .where({ _id: 'p', stock: _.gt(0) })
            .update({ stock: _.inc(-1) }),
        ),
      );
      const won = attempts.filter((r) => r.updated === 1).length;
      expect(won).toBe(5);
      expect(attempts.filter((r) => r.updated === 0)).toHaveLength(35);
      expect((await db.collection('prizes').doc('p').get()).data[0].stock).toBe(0);
    },
  );
});

describe('transactions', () => {
  it('reads a snapshot plus its own writes, and applies its writes atomically at commit', async () => {
    const { db } = memoryDatabase();
    const _ = db.command;
    await db.collection('acc').add([
      { _id: 'a', balance: 100 },
      { _id: 'b', balance: 0 },
      { _id: 'c', balance: 1 },
    ]);
    const tx = await db.startTransaction();
    expect((await tx.collection('acc').doc('a').get()).data).toEqual({ _id: 'a', balance: 100 });
    // someone else changes a document the transaction has not written
    await db.collection('acc').doc('c').update({ balance: 2 });
    expect((await tx.collection('acc').doc('c').get()).data).toEqual({ _id: 'c', balance: 1 });

    await tx
      .collection('acc')
      .doc('a')
      .update({ balance: _.inc(-30) });
    await tx.collection('acc').doc('b').set({ balance: 30 });
    await tx.collection('acc').add({ _id: 'log1', from: 'a', to: 'b' });
    expect((await tx.collection('acc').doc('a').get()).data).toEqual({ _id: 'a', balance: 70 });
    expect((await tx.collection('acc').doc('log1').get()).data).toEqual({
      _id: 'log1',
      from: 'a',
      to: 'b',
    });
    // nothing visible outside yet
    expect((await db.collection('acc').doc('a').get()).data).toEqual([{ _id: 'a', balance: 100 }]);
    expect((await db.collection('acc').doc('log1').get()).data).toEqual([]);

    await tx.commit();
    expect(await all(db, 'acc')).toEqual([
      { _id: 'a', balance: 70 },
      { _id: 'b', balance: 30 },
      { _id: 'c', balance: 2 },
      { _id: 'log1', from: 'a', to: 'b' },
    ]);
  });

  it('discards everything on rollback', async () => {
    const { db } = memoryDatabase();
    await db.collection('acc').add({ _id: 'a', balance: 1 });
    const tx = await db.startTransaction();
    await tx.collection('acc').doc('a').remove();
    await tx.collection('acc').add({ _id: 'b' });
    await tx.rollback();
    expect(await all(db, 'acc')).toEqual([{ _id: 'a', balance: 1 }]);
    // the transaction is gone
    const late = await tx.collection('acc').doc('a').get();
    expect(asFailure(late).code).toBe(DB_ERROR.TRANSACTION_FAIL);
  });

  it('fails the second writer of a document with the conflict code runTransaction retries on', async () => {
    const { db } = memoryDatabase();
    await db.collection('c').add({ _id: 'n', v: 0 });
    const first = await db.startTransaction();
    const second = await db.startTransaction();
    await first.collection('c').doc('n').update({ v: 1 });
    const conflict = asFailure(await second.collection('c').doc('n').update({ v: 2 }));
    expect(conflict.code).toBe(ERRORS.DATABASE_TRANSACTION_CONFLICT.code);
    expect(conflict.message).toContain('TransactionConflict');
    // the loser is aborted as a whole: its commit fails with the same code
    await expect(second.commit()).rejects.toMatchObject({
      code: ERRORS.DATABASE_TRANSACTION_CONFLICT.code,
    });
    await first.commit();
    expect((await db.collection('c').doc('n').get()).data).toEqual([{ _id: 'n', v: 1 }]);
  });

  it('fails a transaction that writes a document changed after its snapshot', async () => {
    const { db } = memoryDatabase();
    const _ = db.command;
    await db.collection('c').add({ _id: 'n', v: 0 });
    const tx = await db.startTransaction();
    const read = await tx.collection('c').doc('n').get();
    await db
      .collection('c')
      .doc('n')
      .update({ v: _.inc(5) });
    const conflict = asFailure(
      await tx
        .collection('c')
        .doc('n')
        .update({ v: read.data.v + 1 }),
    );
    expect(conflict.code).toBe(ERRORS.DATABASE_TRANSACTION_CONFLICT.code);
    await expect(tx.commit()).rejects.toMatchObject({
      code: ERRORS.DATABASE_TRANSACTION_CONFLICT.code,
    });
    expect((await db.collection('c').doc('n').get()).data).toEqual([{ _id: 'n', v: 5 }]);
  });

  it('makes a plain write to a document the transaction wrote wait for the transaction to end', async () => {
    const { db } = memoryDatabase();
    const _ = db.command;
    await db.collection('c').add({ _id: 'n', v: 0 });
    const tx = await db.startTransaction();
    await tx.collection('c').doc('n').update({ v: 10 });
    let plainDone = false;
    const plain = db
      .collection('c')
      .doc('n')
      .update({ v: _.inc(1) })
      .then((res) => {
        plainDone = true;
        return res;
      });
    await settle();
    expect(plainDone).toBe(false);
    // reads are not blocked: they see the committed value
    expect((await db.collection('c').doc('n').get()).data).toEqual([{ _id: 'n', v: 0 }]);
    await tx.commit();
    expect((await plain).updated).toBe(1);
    expect((await db.collection('c').doc('n').get()).data).toEqual([{ _id: 'n', v: 11 }]);
  });

  it('refuses query-level operations inside a transaction and changes nothing', async () => {
    const { db } = memoryDatabase();
    await db.collection('c').add([
      { _id: 'a', v: 1 },
      { _id: 'b', v: 1 },
    ]);
    const outcomes = await db
      .runTransaction(
        async (transaction: { collection(name: string): ReturnType<Db['collection']> }) => {
          const coll = transaction.collection('c');
          return [
            await coll.where({ v: 1 }).update({ v: 2 }),
            await coll.where({ v: 1 }).get(),
            await coll.where({ v: 1 }).remove(),
            await coll.count(),
            await coll.doc('a').update({ v: 3 }),
          ];
        },
      )
      .catch((error: unknown) => error);
    const [update, get, remove, count, docUpdate] = outcomes as unknown[];
    for (const refused of [update, get, remove, count]) {
      const failure = asFailure(refused);
      expect(failure.code).toBe(DB_ERROR.INVALID_OPERATOR);
      expect(failure.message).toContain('transactions support document-level operations only');
    }
    expect(docUpdate).toMatchObject({ updated: 1 });
    expect(await all(db, 'c')).toEqual([
      { _id: 'a', v: 3 },
      { _id: 'b', v: 1 },
    ]);
  });

  it('never loses an increment: N concurrent runTransaction calls end at N with enough retries', async () => {
    const { db } = memoryDatabase();
    await db.collection('counters').add({ _id: 'hits', n: 0 });
    const N = 12;
    const increment = (times: number) =>
      db.runTransaction(
        async (transaction: { collection(name: string): ReturnType<Db['collection']> }) => {
          const doc = await transaction.collection('counters').doc('hits').get();
          await transaction
            .collection('counters')
            .doc('hits')
            .update({ n: doc.data.n + 1 });
        },
        times,
      );
    const results = await Promise.allSettled(Array.from({ length: N }, () => increment(N + 1)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(N);
    expect((await db.collection('counters').doc('hits').get()).data[0].n).toBe(N);
  });

  it('gives the losers the conflict error when retries run out, and still loses nothing', async () => {
    const { db } = memoryDatabase();
    await db.collection('counters').add({ _id: 'hits', n: 0 });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () =>
        db.runTransaction(
          async (transaction: { collection(name: string): ReturnType<Db['collection']> }) => {
            const doc = await transaction.collection('counters').doc('hits').get();
            await transaction
              .collection('counters')
              .doc('hits')
              .update({ n: doc.data.n + 1 });
          },
          1,
        ),
      ),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled').length;
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toBeGreaterThanOrEqual(1);
    expect(rejected.length).toBeGreaterThan(0);
    for (const r of rejected)
      expect(r.reason).toMatchObject({ code: ERRORS.DATABASE_TRANSACTION_CONFLICT.code });
    expect((await db.collection('counters').doc('hits').get()).data[0].n).toBe(fulfilled);
  });

  it('fails the commit (and writes nothing) when it would break a unique index', async () => {
    const { db } = memoryDatabase({ indexes: [unique('users', 'openid')] });
    await db.collection('users').add({ _id: 'a', openid: 'x' });
    const tx = await db.startTransaction();
    await tx.collection('users').add({ _id: 'b', openid: 'y' });
    await tx.collection('users').add({ _id: 'c', openid: 'x' });
    await expect(tx.commit()).rejects.toMatchObject({
      code: DB_ERROR.REQUEST_FAILED,
      message: expect.stringContaining('E11000'),
    });
    expect((await db.collection('users').count()).total).toBe(1);
  });

  it('expires a transaction left open, releasing what it locked', async () => {
    const { db } = memoryDatabase({}, { transactionTimeoutMs: 30 });
    await db.collection('c').add({ _id: 'n', v: 0 });
    const tx = await db.startTransaction();
    await tx.collection('c').doc('n').update({ v: 1 });
    // blocked behind the abandoned transaction until it expires
    expect((await db.collection('c').doc('n').update({ v: 2 })).updated).toBe(1);
    await expect(tx.commit()).rejects.toMatchObject({ code: DB_ERROR.TRANSACTION_FAIL });
    expect((await db.collection('c').doc('n').get()).data).toEqual([{ _id: 'n', v: 2 }]);
  });
});

describe('round trips and faults', () => {
  it('counts every request of an invocation as one database call', async () => {
    const { db } = memoryDatabase();
    const { context } = await inInvocation(async () => {
      await db.collection('c').add({ _id: 'a', n: 0 }); // 1
      await db.collection('c').doc('a').get(); // 2
      await db.collection('c').where({ n: 0 }).update({ n: 1 }); // 3
      await db.runTransaction(
        async (t: { collection(name: string): ReturnType<Db['collection']> }) => {
          // start (4), get (5), update (6), commit (7)
          const doc = await t.collection('c').doc('a').get();
          await t
            .collection('c')
            .doc('a')
            .update({ n: doc.data.n + 1 });
        },
      );
    });
    expect(context.dbCalls).toBe(7);
    // as the quota counts them: the add, both updates and the commit write; the gets and the
    // transaction's start read
    expect([context.dbReads, context.dbWrites]).toEqual([3, 4]);
    // outside an invocation nothing is counted, and nothing fails
    expect((await db.collection('c').count()).total).toBe(1);
  });

  it('fails requests with a system error before touching data when faults say so', async () => {
    const { db, faults } = memoryDatabase();
    await db.collection('c').add({ _id: 'a', n: 0 });
    faults.failureRate = 1;
    const failures = [
      await db.collection('c').add({ _id: 'b' }),
      await db.collection('c').doc('a').update({ n: 5 }),
      await db.collection('c').where({}).remove(),
      await db.collection('c').get(),
    ];
    for (const failure of failures) expect(asFailure(failure).code).toBe(DB_ERROR.SYSTEM_ERROR);
    faults.failureRate = 0;
    expect(await all(db, 'c')).toEqual([{ _id: 'a', n: 0 }]);
  });

  it('draws failures from the random source it is given', async () => {
    const draws = [0.1, 0.9, 0.2, 0.8];
    let next = 0;
    const { db, faults } = memoryDatabase({}, { random: () => draws[next++ % draws.length] });
    faults.failureRate = 0.5;
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await db.collection('c').add({ i }));
    expect(results.map((r) => (r as { code?: string }).code ?? 'ok')).toEqual([
      DB_ERROR.SYSTEM_ERROR,
      'ok',
      DB_ERROR.SYSTEM_ERROR,
      'ok',
    ]);
    faults.failureRate = 0;
    expect((await db.collection('c').count()).total).toBe(2);
  });
});

describe('performance at 10,000 documents', () => {
  it('serves _id lookups and indexed equalities from indexes, scanning only without one', async () => {
    const { db, store } = memoryDatabase({
      collections: ['users'],
      indexes: [
        unique('users', 'openid'),
        { collection: 'users', name: 'channel_1', keys: { channel: 1 } },
      ],
    });
    const N = 10_000;
    for (let start = 0; start < N; start += 1000) {
      await db.collection('users').add(
        Array.from({ length: 1000 }, (_v, k) => ({
          _id: `u${start + k}`,
          openid: `o${start + k}`,
          channel: `ch${(start + k) % 10}`,
          n: start + k,
        })),
      );
    }
    const examined = async (run: () => Promise<unknown>): Promise<number> => {
      const before = store.examinedDocuments;
      await run();
      return store.examinedDocuments - before;
    };
    expect(await examined(() => db.collection('users').doc('u4242').get())).toBe(1);
    expect(await examined(() => db.collection('users').where({ openid: 'o777' }).get())).toBe(1);
    expect(
      await examined(() =>
        db
          .collection('users')
          .where({ channel: 'ch3', n: db.command.gt(9000) })
          .count(),
      ),
    ).toBe(N / 10);
    expect(
      await examined(() =>
        db.collection('users').where({ openid: 'o5', n: 5 }).update({ seen: true }),
      ),
    ).toBe(1);
    expect(await examined(() => db.collection('users').where({ n: 77 }).get())).toBe(N);
    expect(
      (
        await db
          .collection('users')
          .where({ channel: 'ch3', n: db.command.gt(9000) })
          .count()
      ).total,
    ).toBe(100);
  });
});
