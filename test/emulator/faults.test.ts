import { invocationContext } from '../../emulator/context';
import { DB_ERROR } from '../../emulator/database';
import { Faults } from '../../emulator/faults';
import { asFailure, invocation, memoryDatabase, settle } from './helpers';

/**
 * The faults a database call can meet, each as CloudBase would show it to the function: a system
 * error before the operation (nothing applied), the same error after it (applied: the reply was
 * lost), the whole invocation killed at the call, per-document write latency, all drawn from a
 * random source that a seed makes reproducible.
 */

async function all(db: ReturnType<typeof memoryDatabase>['db'], collection: string) {
  return (await db.collection(collection).get()).data;
}

describe('failing before or after the operation', () => {
  it('failBeforeRate (alias failureRate) answers a system error and applies nothing', async () => {
    const { db, faults } = memoryDatabase();
    faults.failureRate = 1;
    expect(faults.failBeforeRate).toBe(1);
    const failure = asFailure(await db.collection('c').add({ _id: 'a' }));
    expect(failure.code).toBe(DB_ERROR.SYSTEM_ERROR);
    faults.failBeforeRate = 0;
    expect(await all(db, 'c')).toEqual([]);
  });

  it('failAfterRate applies the operation, then answers the same system error', async () => {
    const { db, faults } = memoryDatabase();
    await db.collection('c').add({ _id: 'a', n: 0 });
    faults.failAfterRate = 1;
    const lost = [
      asFailure(await db.collection('c').add({ _id: 'b' })),
      asFailure(
        await db
          .collection('c')
          .doc('a')
          .update({ n: db.command.inc(1) }),
      ),
    ];
    faults.failureRate = 1;
    const before = asFailure(await db.collection('c').add({ _id: 'x' }));
    faults.clear();
    // The same error the caller cannot tell apart from a failure before…
    for (const failure of lost) {
      expect([failure.code, failure.message]).toEqual([before.code, before.message]);
    }
    // …yet both were applied.
    expect(await all(db, 'c')).toEqual([{ _id: 'a', n: 1 }, { _id: 'b' }]);
  });

  it('never fails a rollback, so no transaction keeps its locks for 30 s', async () => {
    const { db, faults } = memoryDatabase();
    await db.collection('c').add({ _id: 'a', n: 0 });
    const transaction = await db.startTransaction();
    await transaction.collection('c').doc('a').update({ n: 1 });
    faults.failBeforeRate = 1;
    faults.failAfterRate = 1;
    const rollback = (await transaction.rollback()) as { code?: string };
    expect(rollback.code).toBeUndefined();
    faults.clear();
    // the lock is gone: a write outside the transaction goes through at once
    expect((await db.collection('c').doc('a').update({ n: 2 })).updated).toBe(1);
  });
});

describe('killRate', () => {
  it('kills the invocation at that call: applied, never answered, nothing after it applied', async () => {
    const { db, faults, store } = memoryDatabase();
    const context = invocation();
    let kills = 0;
    context.kill = () => {
      kills += 1;
      context.killed = true;
    };
    faults.killRate = 1;
    const answered = jest.fn();
    invocationContext.run(context, () => {
      db.collection('c').add({ _id: 'first' }).then(answered, answered);
    });
    await settle();
    expect(kills).toBe(1);
    expect(store.get('c', 'first')).toEqual({ _id: 'first' });
    faults.killRate = 0;
    // The dead invocation's next call neither happens nor answers; others' calls are unaffected.
    invocationContext.run(context, () => {
      db.collection('c').add({ _id: 'second' }).then(answered, answered);
    });
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).not.toHaveBeenCalled();
    expect(store.get('c', 'second')).toBeUndefined();
    expect(context.dbCalls).toBe(1);
    expect((await db.collection('c').add({ _id: 'other' })).id).toBe('other');
  });

  it('does nothing outside an invocation (there is nothing to kill)', async () => {
    const { db, faults } = memoryDatabase();
    faults.killRate = 1;
    expect((await db.collection('c').add({ _id: 'a' })).id).toBe('a');
  });
});

describe('docLatencyMs', () => {
  beforeEach(() => {
    // Only the timers: the store's clock and ids keep reading real time.
    jest.useFakeTimers({ doNotFake: ['Date', 'performance', 'nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('queues writes to one document behind each other; other documents do not wait', async () => {
    const { db, faults, store } = memoryDatabase();
    await db.collection('c').add([
      { _id: 'hot', n: 0 },
      { _id: 'cold', n: 0 },
    ]);
    faults.docLatencyMs = 20;
    const inc = (id: string) =>
      db
        .collection('c')
        .doc(id)
        .update({ n: db.command.inc(1) });
    const writes = [inc('hot'), inc('hot'), inc('hot'), inc('cold')];
    const n = (id: string) => store.get('c', id)?.n;

    await jest.advanceTimersByTimeAsync(19);
    expect([n('hot'), n('cold')]).toEqual([0, 0]); // each write holds its document first
    await jest.advanceTimersByTimeAsync(1);
    expect([n('hot'), n('cold')]).toEqual([1, 1]); // one hot write; the cold one did not queue
    await jest.advanceTimersByTimeAsync(20);
    expect(n('hot')).toBe(2);
    await jest.advanceTimersByTimeAsync(20);
    expect(n('hot')).toBe(3);
    expect((await Promise.all(writes)).map((r) => r.updated)).toEqual([1, 1, 1, 1]);
    // Reads never wait.
    faults.docLatencyMs = 1000;
    expect((await db.collection('c').doc('hot').get()).data).toEqual([{ _id: 'hot', n: 3 }]);
  });

  it('queues a where() update behind the writes to the documents it matches', async () => {
    const { db, faults, store } = memoryDatabase();
    await db.collection('c').add([
      { _id: 'a', group: 1, n: 0 },
      { _id: 'b', group: 2, n: 0 },
    ]);
    faults.docLatencyMs = 10;
    const first = db
      .collection('c')
      .doc('a')
      .update({ n: db.command.inc(1) });
    const batch = db
      .collection('c')
      .where({ group: 1 })
      .update({ n: db.command.inc(10) });
    await jest.advanceTimersByTimeAsync(10);
    expect(store.get('c', 'a')?.n).toBe(1);
    await jest.advanceTimersByTimeAsync(10);
    expect(store.get('c', 'a')?.n).toBe(11);
    await Promise.all([first, batch]);
  });
});

describe('the random source', () => {
  async function outcomes(db: ReturnType<typeof memoryDatabase>['db']) {
    const results: string[] = [];
    for (let i = 0; i < 24; i++) {
      results.push(((await db.collection('c').add({ i })) as { code?: string }).code ?? 'ok');
    }
    return results.join(',');
  }

  it('replays the same faults for the same seed', async () => {
    const first = memoryDatabase();
    first.faults.update({ failBeforeRate: 0.5, seed: 42 });
    const second = memoryDatabase();
    second.faults.update({ failBeforeRate: 0.5, seed: 42 });
    const third = memoryDatabase();
    third.faults.update({ failBeforeRate: 0.5, seed: 43 });
    const a = await outcomes(first.db);
    expect(a).toContain('ok');
    expect(a).toContain(DB_ERROR.SYSTEM_ERROR);
    expect(await outcomes(second.db)).toBe(a);
    expect(await outcomes(third.db)).not.toBe(a);
    // Setting the seed again restarts its sequence.
    first.faults.seed = 42;
    expect(await outcomes(first.db)).toBe(a);
  });

  it('refuses settings out of range and changes nothing then', () => {
    const faults = new Faults();
    faults.update({ latencyMs: 5 });
    expect(faults.update({ killRate: 2, docLatencyMs: -1, seed: 1.5, chaos: true })).toEqual([
      'unknown fault chaos',
      'killRate must be a number from 0 to 1',
      'docLatencyMs must be a number of milliseconds, 0 or more',
      'seed must be an integer, or null for Math.random',
    ]);
    expect(faults.update({ failAfterRate: 0.5, latencyMs: 'slow' })).toHaveLength(1);
    expect(faults.toJSON()).toEqual({
      latencyMs: 5,
      failBeforeRate: 0,
      failureRate: 0,
      failAfterRate: 0,
      killRate: 0,
      docLatencyMs: 0,
      seed: null,
    });
  });
});
