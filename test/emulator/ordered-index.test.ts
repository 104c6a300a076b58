import fc from 'fast-check';
import { DocumentStore, type Doc, type IndexSpec } from '../../emulator/store';

/**
 * The store's ordered indexes (emulator/ordered-index.ts) against the scan they replace: a store
 * with indexes and one without answer every query alike — the same documents in the same order,
 * skipped and limited, and the same counts — through inserts, updates and deletes, with values of
 * every type an index orders, missing fields, nulls, ties, and the arrays and objects it keeps
 * aside. Then: an `orderBy` the index follows, with a limit, examines a handful of entries, not
 * the collection.
 */

const INDEXES: Array<Omit<IndexSpec, 'collection'>> = [
  { name: 'a_b', keys: { a: 1, b: -1 } },
  { name: 'b', keys: { b: 1 } },
  { name: 'nc_a', keys: { 'n.c': -1, a: 1 } },
  { name: 'a_b_nc', keys: { a: 1, b: 1, 'n.c': 1 } },
];

const at = (day: number) => new Date(Date.UTC(2025, 0, day));

/** Small domains, so that equalities, ranges and ties meet. */
const scalar = fc.oneof(
  fc.integer({ min: -2, max: 4 }),
  fc.constantFrom('x', 'y', 'z', ''),
  fc.constantFrom(true, false),
  fc.integer({ min: 1, max: 4 }).map(at),
  fc.constant(null),
);
/** Mostly scalars; now and then what an index keeps aside. */
const fieldValue = fc.oneof(
  { weight: 12, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.record({ k: scalar }, { noNullPrototype: true }) },
);
const docBody = fc.record(
  {
    a: fieldValue,
    b: fieldValue,
    n: fc.oneof(fc.record({ c: fieldValue }, { requiredKeys: [], noNullPrototype: true }), scalar),
  },
  { requiredKeys: [], noNullPrototype: true },
);

const field = fc.constantFrom('a', 'b', 'n.c');
const condition = fc.oneof(
  scalar,
  scalar.map((v) => ({ $eq: v })),
  fc.array(scalar, { minLength: 1, maxLength: 3 }).map((vs) => ({ $in: vs })),
  fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), scalar).map(([op, v]) => ({ [op]: v })),
  fc.tuple(scalar, scalar).map(([low, high]) => ({ $gte: low, $lt: high })),
  scalar.map((v) => ({ $ne: v })),
  fc.constant({ $ne: null }),
  fc.boolean().map((b) => ({ $exists: b })),
);
const clause = fc.dictionary(field, condition, { minKeys: 1, maxKeys: 3, noNullPrototype: true });
const filter: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 5, arbitrary: clause },
  { weight: 1, arbitrary: fc.constant({}) },
  {
    weight: 2,
    arbitrary: fc.array(clause, { minLength: 1, maxLength: 3 }).map((c) => ({ $and: c })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(clause, fc.array(clause, { minLength: 1, maxLength: 2 }))
      .map(([where, alternatives]) => ({ ...where, $or: alternatives })),
  },
);
const sort = fc.option(
  fc
    .uniqueArray(fc.tuple(field, fc.constantFrom<1 | -1>(1, -1)), {
      selector: ([f]) => f,
      minLength: 1,
      maxLength: 3,
    })
    .map((pairs) => Object.fromEntries(pairs) as Record<string, 1 | -1>),
  { nil: undefined },
);

/** Writes after the first load: updates (keys change or not) and deletes. */
const write = fc.record({
  id: fc.integer({ min: 0, max: 59 }),
  body: fc.option(docBody, { nil: null }),
});

function storesWith(docs: Array<Record<string, unknown>>): [DocumentStore, DocumentStore] {
  const indexed = DocumentStore.open({
    collections: ['c'],
    indexes: INDEXES.map((i) => ({ collection: 'c', ...i })),
  });
  const scanned = DocumentStore.open({ collections: ['c'] });
  for (const store of [indexed, scanned]) {
    store.commit(
      docs.map((body, i) => ({
        collection: 'c',
        id: `d${i}`,
        after: { _id: `d${i}`, ...body } as Doc,
        mode: 'insert' as const,
      })),
    );
  }
  return [indexed, scanned];
}

describe('ordered indexes answer exactly what a scan answers', () => {
  it('for random documents, writes, filters, sorts, skips and limits', () => {
    fc.assert(
      fc.property(
        fc.array(docBody, { minLength: 0, maxLength: 60 }),
        fc.array(write, { maxLength: 20 }),
        fc.array(
          fc.record({
            filter,
            sort,
            skip: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
            limit: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (docs, writes, queries) => {
          const stores = storesWith(docs);
          for (const { id, body } of writes) {
            for (const store of stores) {
              const key = `d${id}`;
              store.commit([
                { collection: 'c', id: key, after: body ? ({ _id: key, ...body } as Doc) : null },
              ]);
            }
          }
          const [indexed, scanned] = stores;
          for (const query of queries) {
            const ids = (store: DocumentStore) => store.find('c', query).map((d) => d._id);
            expect(ids(indexed)).toEqual(ids(scanned));
            expect(indexed.countMatching('c', query.filter)).toBe(
              scanned.countMatching('c', query.filter),
            );
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('an orderBy that an index follows', () => {
  const N = 20_000;
  const store = DocumentStore.open({
    collections: ['people'],
    indexes: [
      { collection: 'people', name: 'top', keys: { campaignId: 1, verified: -1 } },
      { collection: 'people', name: 'newest', keys: { campaignId: 1, enteredAt: -1, code: 1 } },
    ],
  });
  store.commit(
    Array.from({ length: N }, (_, i) => ({
      collection: 'people',
      id: `p${i}`,
      after: {
        _id: `p${i}`,
        campaignId: i % 10 === 0 ? 'old' : 'live',
        verified: i % 97,
        enteredAt: new Date(Date.UTC(2025, 0, 1) + (i % 5000) * 60_000),
        code: `C${(N - i).toString().padStart(6, '0')}`,
      },
      mode: 'insert' as const,
    })),
  );
  const examined = (run: () => unknown): number => {
    const before = store.examinedDocuments;
    run();
    return store.examinedDocuments - before;
  };

  it('stops at the limit instead of sorting everyone (top inviters, newest members)', () => {
    let top: Doc[] = [];
    expect(
      examined(() => {
        top = store.find('people', {
          filter: { campaignId: 'live', verified: { $gt: 0 } },
          sort: { verified: -1 },
          limit: 10,
        });
      }),
    ).toBe(10); // ties differ only in sequence: none is read beyond the limit
    expect(top.map((d) => d.verified)).toEqual(Array(10).fill(96));
    // natural order among the ties, as mingo's stable sort keeps it
    const live = (verified: number) =>
      Array.from({ length: N }, (_, i) => i)
        .filter((i) => i % 97 === verified && i % 10 !== 0)
        .slice(0, 10)
        .map((i) => `p${i}`);
    expect(top.map((d) => d._id)).toEqual(live(96));

    // against the index's direction: each tie group read forward from its first entry
    let bottom: Doc[] = [];
    expect(
      examined(() => {
        bottom = store.find('people', {
          filter: { campaignId: 'live', verified: { $gt: 0 } },
          sort: { verified: 1 },
          limit: 10,
        });
      }),
    ).toBe(10);
    expect(bottom.map((d) => d.verified)).toEqual(Array(10).fill(1));
    expect(bottom.map((d) => d._id)).toEqual(live(1));

    let page: Doc[] = [];
    expect(
      examined(() => {
        page = store.find('people', {
          filter: { campaignId: 'live', enteredAt: { $lte: new Date(Date.UTC(2025, 0, 2)) } },
          sort: { enteredAt: -1, code: 1 },
          limit: 20,
        });
      }),
    ).toBeLessThanOrEqual(21); // one entry past the page shows the page is whole
    expect(page).toHaveLength(20);

    // every collection's _id is indexed: a walk in _id order after a cursor reads one page
    let next: Doc[] = [];
    expect(
      examined(() => {
        next = store.find('people', {
          filter: { campaignId: 'live', _id: { $gt: 'p5000' } },
          sort: { _id: 1 },
          limit: 20,
        });
      }),
    ).toBeLessThanOrEqual(23); // every tenth is another campaign's
    expect(next).toHaveLength(20);
    expect(next[0]._id > 'p5000').toBe(true);
  });

  it('counts through the narrowest index, from the index alone when it holds the whole filter', () => {
    const matching = Array.from({ length: N }, (_, i) => i).filter(
      (i) => i % 10 === 0 && i % 97 === 5,
    ).length;
    let count = 0;
    // every condition is the index's: no document is read
    expect(
      examined(() => (count = store.countMatching('people', { campaignId: 'old', verified: 5 }))),
    ).toBe(0);
    expect(count).toBe(matching);
    // a condition the index does not hold: the block's documents are tested
    expect(
      examined(
        () =>
          (count = store.countMatching('people', {
            campaignId: 'old',
            verified: 5,
            code: { $ne: 'x' },
          })),
      ),
    ).toBe(matching);
    expect(count).toBe(matching);
    // the export's total (entered members): `$ne: null` on the next key is a range too
    expect(
      examined(
        () =>
          (count = store.countMatching('people', { campaignId: 'live', enteredAt: { $ne: null } })),
      ),
    ).toBe(0);
    expect(count).toBe(N - N / 10);
    expect(
      store.explain('people', { campaignId: 'live', verified: { $gte: 90, $lt: 95 } }).via,
    ).toBe('top');
  });
});
