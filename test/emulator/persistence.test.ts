import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { createDatabase } from '../../emulator/database';
import { DocumentStore, type Doc, type StoreOptions } from '../../emulator/store';
import { unique } from './helpers';

/**
 * Persistence: data written through the database survives a restart, reaches disk within about a
 * second on its own (a SIGKILLed process keeps what it wrote more than a second before), files are
 * replaced atomically, and Dates come back as Dates.
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

  it('writes one JSON file per collection, dates as $date, and leaves no temporary files', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    const db = createDatabase({ store });
    await db.collection('users').add({ _id: 'u1', openid: 'o1', at: new Date(0) });
    await store.flush();
    // declared collections exist without a file; only written ones get one
    expect(readdirSync(join(dataDir, 'db'))).toEqual(['users.json']);
    expect(JSON.parse(readFileSync(join(dataDir, 'db', 'users.json'), 'utf8'))).toEqual({
      collection: 'users',
      documents: [{ _id: 'u1', openid: 'o1', at: { $date: '1970-01-01T00:00:00.000Z' } }],
    });
    await store.close();
  });

  it('ignores the leftover of a flush that was interrupted before its rename', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    await createDatabase({ store }).collection('users').add({ _id: 'u1', openid: 'o1' });
    await store.close();
    const leftover = join(dataDir, 'db', 'users.json.123.1.tmp');
    writeFileSync(leftover, '{"collection":"users","documents":[{"_id":"half');
    const reopened = open(dataDir);
    expect(reopened.find('users').map((d) => d._id)).toEqual(['u1']);
    expect(existsSync(leftover)).toBe(false);
    await reopened.close();
  });

  it('persists reset and import, and an import survives a restart', async () => {
    const dataDir = tempDir();
    const store = open(dataDir);
    const db = createDatabase({ store });
    await db.collection('users').add({ _id: 'u1', openid: 'o1', at: new Date(5) });
    const snapshot = JSON.parse(JSON.stringify(store.exportSnapshot()));
    store.reset();
    await store.flush();
    expect(open(dataDir).count('users')).toBe(0);

    store.importSnapshot(snapshot);
    await store.close();
    const reopened = open(dataDir);
    const doc = reopened.get('users', 'u1') as Doc & { at: Date };
    expect(doc.at).toBeInstanceOf(Date);
    expect(doc.at.getTime()).toBe(5);
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

  it('keeps every write made more than a second before a SIGKILL', async () => {
    const dataDir = tempDir();
    const count = 200;
    const child = spawn(process.execPath, [bundle, dataDir, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => {
      child.on('exit', (code, signal) => resolve(signal ?? code));
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('written')) resolve();
      });
      child.on('exit', () => reject(new Error(`child exited before writing: ${stderr}`)));
    });
    // The guarantee under test: writes reach disk within ~1 s without any flush call.
    await new Promise((resolve) => setTimeout(resolve, 1200));
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
});
