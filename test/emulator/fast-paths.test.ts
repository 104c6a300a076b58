import { isDeepStrictEqual } from 'node:util';
import { parseByEJSON, stringifyByEJSON } from '@cloudbase/database/dist/commonjs/utils/utils';
import fc from 'fast-check';
import { Query, update } from 'mingo';
import { applyOperators } from '../../emulator/database';
import { cloneValue, DocumentStore, sameValue, type Doc } from '../../emulator/store';
import { fromWireAsBefore, parseWire, toWire } from '../../emulator/wire';

/**
 * The emulator answers the commonest reads and writes without mingo's general machinery (plain
 * inclusion projections; `$set`, `$inc`, `$unset` on object paths). Each fast path is held to
 * mingo's own answer on random documents: the same fields in the same order, the same
 * "unchanged", and the stored document never touched.
 */

const leaf = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom('x', 'y'),
  fc.constant(null),
  fc.constant(new Date(Date.UTC(2025, 0, 1))),
  fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { weight: 3, arbitrary: leaf },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('node'), {
        maxKeys: 3,
        noNullPrototype: true,
      }),
    },
  ),
})).node;
const doc = fc
  .dictionary(fc.constantFrom('a', 'b', 'c', 'd'), value, { maxKeys: 4, noNullPrototype: true })
  .map((fields) => ({ _id: 'd1', ...fields }) as Doc);
const path = fc
  .array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 3 })
  .map((segments) => segments.join('.'));

describe('plain inclusion projections', () => {
  it('keep what mingo keeps, in the same order', () => {
    const store = DocumentStore.open({});
    fc.assert(
      fc.property(
        doc,
        fc.uniqueArray(path, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (d, paths, dropId) => {
          const projection: Record<string, unknown> = Object.fromEntries(paths.map((p) => [p, 1]));
          if (dropId) projection._id = 0;
          let expected: unknown;
          try {
            expected = new Query({}).find([d], projection).all();
          } catch {
            return; // a path inside another: mingo refuses, and so does the store (through mingo)
          }
          const actual = store.project([d], projection);
          expect(sameValue(actual, expected)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('$set, $inc, $unset, $max and $min', () => {
  const modifier = fc.oneof(
    fc.dictionary(path, value, { minKeys: 1, maxKeys: 2, noNullPrototype: true }).map((f) => ({
      $set: f,
    })),
    fc
      .dictionary(path, fc.integer({ min: -1, max: 1 }), {
        minKeys: 1,
        maxKeys: 2,
        noNullPrototype: true,
      })
      .map((f) => ({ $inc: f })),
    fc
      .dictionary(path, fc.constant(''), { minKeys: 1, maxKeys: 2, noNullPrototype: true })
      .map((f) => ({ $unset: f })),
    fc
      .tuple(
        fc.constantFrom('$max', '$min'),
        fc.dictionary(
          path,
          fc.oneof(
            fc.integer({ min: -3, max: 3 }),
            fc.constantFrom(new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2026, 0, 1))),
            fc.constant(null),
          ),
          { minKeys: 1, maxKeys: 2, noNullPrototype: true },
        ),
      )
      .map(([operator, f]) => ({ [operator]: f })),
  );

  it('change what mingo changes, and answer the stored document itself when nothing changed', () => {
    fc.assert(
      fc.property(doc, fc.array(modifier, { minLength: 1, maxLength: 2 }), (d, modifiers) => {
        const combined = Object.assign({}, ...modifiers) as Record<string, Record<string, unknown>>;
        const stored = cloneValue(d);
        let ours: Doc;
        try {
          ours = applyOperators(stored, combined);
        } catch {
          return; // MongoDB refuses it (a field inside a number…): checked before either path
        }
        const theirs = cloneValue(d);
        let changed: string[];
        try {
          changed = update(theirs, combined);
        } catch {
          return;
        }
        expect(sameValue(stored, d)).toBe(true); // never mutated
        const mingoChanged = changed.length > 0 && !sameValue(theirs, d);
        expect(ours !== stored).toBe(mingoChanged);
        if (mingoChanged) expect(sameValue(ours, theirs)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('leave a document whose fields already hold the values (equal copies, keys in any order)', () => {
    const stored = {
      _id: 'd1',
      at: new Date(Date.UTC(2025, 0, 1)),
      list: [1, { k: 2 }],
      profile: { a: 1, b: { c: null } },
      n: 3,
    } as Doc;
    const same = applyOperators(stored, {
      $set: {
        at: new Date(Date.UTC(2025, 0, 1)),
        list: [1, { k: 2 }],
        profile: { b: { c: null }, a: 1 },
      },
      $inc: { n: 0 },
      $unset: { 'missing.field': '' },
    });
    expect(same).toBe(stored);
    // a rank already as high, a date already as early
    expect(applyOperators(stored, { $max: { n: 3 } })).toBe(stored);
    expect(applyOperators(stored, { $min: { at: new Date(Date.UTC(2025, 0, 2)) } })).toBe(stored);
    expect(applyOperators(stored, { $max: { n: 4 } })).not.toBe(stored);
    expect(applyOperators(stored, { $set: { 'profile.b.c': 0 } })).not.toBe(stored);
  });
});

describe('the wire format', () => {
  const scalarOnWire = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -0, 2 ** 31, 2 ** 53 - 1, -(2 ** 40), 0.1, NaN, Infinity, -Infinity),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.date({ noInvalidDate: true }),
    // the library refuses the g flag
    fc.constantFrom(/a.b/i, /^x$/m, /[é]/u, /s/imsu),
  );
  const onWire: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { weight: 4, arbitrary: scalarOnWire },
      { weight: 1, arbitrary: fc.array(tie('node'), { maxLength: 3 }) },
      {
        weight: 1,
        arbitrary: fc.dictionary(
          fc.string().filter((k) => !k.startsWith('$') && k !== '__proto__'),
          tie('node'),
          { maxKeys: 3, noNullPrototype: true },
        ),
      },
    ),
  })).node;
  const library = { parse: parseByEJSON, stringify: stringifyByEJSON };

  it('reads what the library writes as the library reads it', () => {
    const old = (text: string) => fromWireAsBefore(library.parse(text));
    fc.assert(
      fc.property(onWire, (value) => {
        const text = library.stringify({ v: value }) as string;
        expect(isDeepStrictEqual(parseWire(text, 0), old(text))).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // db.serverDate() becomes the server's time, offset included
    const marker = library.stringify({ at: { $tcb_server_date: { offset: 1000 } } }) as string;
    expect(parseWire(marker, 5000)).toEqual({ at: new Date(6000) });
  });

  it('writes what the library reads back to the same values as its own text', () => {
    fc.assert(
      fc.property(onWire, (value) => {
        const doc = { _id: 'd', v: value };
        expect(
          isDeepStrictEqual(library.parse(toWire(doc)), library.parse(library.stringify(doc))),
        ).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
