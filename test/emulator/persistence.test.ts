import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { createDatabase } from '../../emulator/database';
import { DocumentStore, type Doc, type StoreOptions } from '../../emulator/store';
import { unique } from './helpers';

/**
 * Persistence: one write-ahead journal for every collection. A write is answered only once its
 * record is on disk; a restart (or a SIGKILL at any instant) recovers the state after a prefix of
 * the commits, never files from different moments; torn and corrupt records are dropped; the old
 * one-file-per-collection format is migrated on open.
 */

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'growth-kit-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function open(dataDir: string, options: Partial<StoreOptions> = {}): DocumentStore {
  return DocumentStore.open({
    dataDir,
    collections: ['users', 'events'],
    indexes: [unique('users', 'openid')],
    ...options,
  });
}

function journalFiles(dataDir: string): string[] {
  return readdirSync(join(dataDir, 'store')).filter((f) => f.startsWith('journal-'));
}

function journalText(dataDir: string): string {
  return journalFiles(dataDir)
    .map((f) => readFileSync(join(dataDir, 'store', f), 'utf8'))
    .join('');
}

describe('restart', () => {
  it('keeps documents, dates, created collections and unique indexes across a restart', async () => {
    const dataDir = tempDir();
    const first = open(dataDir);
    const db = createDatabase({ store: first, env: 'p' });
    const at = new Date('2024-03-04T05:06:07.089Z');
    await db.collection('users').add({ _id: 'u1', openid: 'o1', at, history: [{ at }], n: 1.5 });
    await db.createCollection('orders');
    await db.collection('events').add({ _id: 'e1' });
    await db.collection('events').doc('e1').remove();
    await first.close();

    const second = open(dataDir);
    const again = createDatabase({ store: second, env: 'p' });
    const doc = (await again.collection('users').doc('u1').get()).data[0] as {
      at: Date;
      history: Array<{ at: Date }>;
      n: number;
    };
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.toISOString()).toBe('2024-03-04T05:06:07.089Z');
    expect(doc.history[0].at).toBeInstanceOf(Date);
    expect(doc.n).toBe(1.5);
    expect(second.collectionExists('orders')).toBe(true);
    expect(second.count('events')).toBe(0);
    const dup = (await again.collection('users').add({ openid: 'o1' })) as { code?: string };
    expect(dup.code).toBe('DATABASE_REQUEST_FAILED');
    await second.close();
  });

  it('answers a write only once its journal record is on disk, one checksummed line per commit', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    const db = createDatabase({ store });
    await db.collection('users').add({ _id: 'u1', openid: 'o1', at: new Date(0) });
    // No flush, no close: the answer itself means the record is in the file.
    const lines = journalText(dataDir).split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^[0-9a-f]{8} \{/);
    expect(JSON.parse(lines[0].slice(9))).toEqual({
      seq: 1,
      changes: [
        {
          c: 'users',
          id: 'u1',
          d: { _id: 'u1', openid: 'o1', at: { $date: '1970-01-01T00:00:00.000Z' } },
        },
      ],
    });
    // A change set spanning collections is one record.
    store.commit([
      { collection: 'users', id: 'u2', after: { _id: 'u2', openid: 'o2' } },
      { collection: 'events', id: 'e1', after: { _id: 'e1' } },
    ]);
    await store.whenDurable();
    expect(journalText(dataDir).split('\n').filter(Boolean)).toHaveLength(2);
    await store.close();
  });

  it('drops a torn tail and everything from a corrupt record on, keeping the prefix before it', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const dataDir = tempDir();
    const store = open(dataDir);
    for (const id of ['a', 'b', 'c']) {
      store.commit([{ collection: 'events', id, after: { _id: id } }]);
      await store.whenDurable();
    }
    await store.close();
    const file = join(dataDir, 'store', journalFiles(dataDir)[0]);

    // A crash in the middle of appending: the last line has no newline.
    appendFileSync(file, '0badf00d {"seq":4,"changes":[{"c":"events","id":"d","d":{"_id"');
    const torn = open(dataDir);
    expect(torn.find('events').map((d) => d._id)).toEqual(['a', 'b', 'c']);
    torn.commit([{ collection: 'events', id: 'd', after: { _id: 'd' } }]);
    await torn.close();
    expect(
      open(dataDir)
        .find('events')
        .map((d) => d._id),
    ).toEqual(['a', 'b', 'c', 'd']);

    // Corrupt a record in the middle: it and everything after it are dropped, never skipped over.
    const fresh = tempDir();
    const writer = open(fresh);
    for (const id of ['a', 'b', 'c'])
      writer.commit([{ collection: 'events', id, after: { _id: id } }]);
    await writer.close();
    const journal = join(fresh, 'store', journalFiles(fresh)[0]);
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = lines[1].replace('"b"', '"B"'); // the checksum no longer matches
    writeFileSync(journal, lines.join('\n'));
    expect(
      open(fresh)
        .find('events')
        .map((d) => d._id),
    ).toEqual(['a']);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      '[emulator] dropped 1 incomplete journal line(s) after record 3',
      '[emulator] dropped 2 incomplete journal line(s) after record 1',
    ]);
    warn.mockRestore();
  });

  it('migrates data written one file per collection, then reads only the journal', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'db'));
    writeFileSync(
      join(dataDir, 'db', 'users.json'),
      JSON.stringify({
        collection: 'users',
        documents: [{ _id: 'u1', openid: 'o1', at: { $date: '2024-01-02T03:04:05.000Z' } }],
      }),
    );
    writeFileSync(
      join(dataDir, 'db', 'orders.json'),
      JSON.stringify({ collection: 'orders', documents: [] }),
    );
    // the leftover of a flush interrupted before its rename
    writeFileSync(join(dataDir, 'db', 'users.json.123.1.tmp'), '{"collection":"users","docu');

    const migrated = open(dataDir);
    expect((migrated.get('users', 'u1') as Doc & { at: Date }).at.toISOString()).toBe(
      '2024-01-02T03:04:05.000Z',
    );
    expect(migrated.collectionExists('orders')).toBe(true);
    expect(existsSync(join(dataDir, 'db'))).toBe(false);
    expect(readdirSync(join(dataDir, 'store'))).toEqual(['snapshot.json']);
    migrated.commit([{ collection: 'users', id: 'u2', after: { _id: 'u2', openid: 'o2' } }]);
    await migrated.close();

    const reopened = open(dataDir);
    expect(reopened.find('users').map((d) => d._id)).toEqual(['u1', 'u2']);
    expect(reopened.collectionExists('orders')).toBe(true);
    await reopened.close();
  });

  it('persists reset and import, and an import survives a restart', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    const db = createDatabase({ store });
    await db.collection('users').add({ _id: 'u1', openid: 'o1', at: new Date(5) });
    const snapshot = JSON.parse(JSON.stringify(store.exportSnapshot()));
    store.reset();
    await store.close();
    const afterReset = open(dataDir);
    expect(afterReset.count('users')).toBe(0);

    afterReset.importSnapshot(snapshot);
    await afterReset.close();
    const reopened = open(dataDir);
    const doc = reopened.get('users', 'u1') as Doc & { at: Date };
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.getTime()).toBe(5);
    await reopened.close();
  });

  it('replaces the journal with a snapshot as it grows, without losing or reordering anything', async () => {
    const dataDir = tempDir();
    const store = open(dataDir, { journal: { compactBytes: 2048 } });
    const db = createDatabase({ store });
    for (let i = 0; i < 200; i++) await db.collection('events').add({ _id: `e${i}`, i });
    await db
      .collection('events')
      .where({ i: db.command.gte(100) })
      .update({ late: true });
    await store.close();
    // Compactions ran: the journal holds only the records after the last snapshot.
    const snapshot = JSON.parse(readFileSync(join(dataDir, 'store', 'snapshot.json'), 'utf8'));
    expect(snapshot.seq).toBeGreaterThan(100);
    expect(journalText(dataDir).split('\n').filter(Boolean).length).toBeLessThan(100);

    const reopened = open(dataDir);
    expect(reopened.find('events').map((d) => d._id)).toEqual(
      Array.from({ length: 200 }, (_v, i) => `e${i}`),
    );
    expect(reopened.countMatching('events', { late: true })).toBe(100);
    await reopened.close();
  });
});

describe('crash', () => {
  const bundleDir = tempDir();
  const bundle = join(bundleDir, 'persist-child.js');

  beforeAll(() => {
    buildSync({
      entryPoints: [join(__dirname, 'fixtures', 'persist-child.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'error',
    });
  });

  function startChild(dataDir: string, ...args: string[]) {
    const child = spawn(process.execPath, [bundle, dataDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
      child.on('exit', (code, signal) => resolve(signal ?? code));
    });
    const failed = exited.then((how) => {
      throw new Error(`child exited (${String(how)}) before it was killed: ${stderr}`);
    });
    failed.catch(() => undefined);
    return { child, exited, failed };
  }

  it('keeps every write it answered, killed the moment it answered the last', async () => {
    const dataDir = tempDir();
    const count = 200;
    const { child, exited, failed } = startChild(dataDir, 'write', String(count));
    await Promise.race([
      failed,
      new Promise<void>((resolve) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('written')) resolve();
        });
      }),
    ]);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const store = open(dataDir);
    const db = createDatabase({ store });
    expect(store.count('events')).toBe(count);
    expect((await db.collection('events').where({ early: true }).count()).total).toBe(10);
    const last = (
      await db
        .collection('events')
        .doc(`e${count - 1}`)
        .get()
    ).data[0] as { at: Date; i: number };
    expect(last.i).toBe(count - 1);
    expect(last.at).toBeInstanceOf(Date);
    expect(last.at.getTime()).toBe(Date.UTC(2024, 0, 1, 0, 0, count - 1));
    await store.close();
  });

  // Kills after different numbers of answered transactions, so some land mid-fsync, some during a
  // snapshot or a journal rotation (the child compacts every 16 KiB).
  it.each([60, 170, 333])(
    'SIGKILLed mid-burst after %i answered transactions, every collection agrees on one prefix',
    async (killAfter) => {
      const dataDir = tempDir();
      const workers = 4;
      const { child, exited, failed } = startChild(dataDir, 'burst', String(workers));
      const acked = new Array<number>(workers).fill(0);
      let answered = 0;
      let buffer = '';
      await Promise.race([
        failed,
        new Promise<void>((resolve) => {
          child.stdout.on('data', (chunk: Buffer) => {
            buffer += chunk.toString();
            const lines = buffer.split('\n');
            buffer = lines.pop() ?? '';
            for (const line of lines) {
              const [, w, n] = line.split(' ').map(Number);
              acked[w] = Math.max(acked[w], n);
              if (++answered === killAfter) resolve();
            }
          });
        }),
      ]);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      const store = DocumentStore.open({ dataDir, collections: ['events', 'counters'] });
      let total = 0;
      for (let w = 0; w < workers; w++) {
        const n = (store.get('counters', `w${w}`)?.n as number | undefined) ?? 0;
        // Nothing answered is lost…
        expect(n).toBeGreaterThanOrEqual(acked[w]);
        // …and both collections are at the same commit: events w-1..w-n, no more, no fewer.
        const events = store
          .find('events', { filter: { worker: w } })
          .map((d) => d.n as number)
          .sort((a, b) => a - b);
        expect(events).toEqual(Array.from({ length: n }, (_v, i) => i + 1));
        total += n;
      }
      expect(total).toBeGreaterThanOrEqual(killAfter);
      await store.close();
    },
  );
});
