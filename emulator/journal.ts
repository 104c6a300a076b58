/**
 * The document store's durability: one write-ahead journal for every collection.
 *
 * Why a journal and not one atomic snapshot per flush: a snapshot rewrites the whole data set, so
 * it can only run every so often and loses everything committed since the last one; the journal
 * appends just what a commit changed, so every commit can be on disk a fraction of a millisecond
 * after it happened. The store acknowledges a write only once its record is fsynced.
 *
 * On disk, under `<dataDir>/store/`:
 * - `snapshot.json`: `{ format, version: 2, seq, data }`, the whole store as of journal record
 *   `seq`, replaced atomically (tmp file, fsync, rename, fsync of the folder).
 * - `journal-<first seq>.log`: one line per committed change set, `<crc32 hex> <json>\n`, where
 *   the JSON is `{ seq, ...change }`. Records are appended in commit order and fsynced in groups
 *   (every commit made while one fsync is in flight goes into the next one: group commit).
 *
 * Recovery reads the snapshot, then the records after it in order, and stops at the first line that
 * is torn (no newline), fails its checksum, or does not carry the next sequence number: what it
 * rebuilds is always the state after some prefix of the commits, never a mix of moments. It then
 * writes a fresh snapshot and deletes the journal, so nothing is ever appended after a bad line.
 *
 * When the current journal file grows past `compactBytes`, the store's state is serialised (in
 * the same event-loop turn, so it is exactly the state after record S), later records go to a new
 * file, and the snapshot is written in the background; the older files are deleted once it is.
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { open as openFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { crc32 } from './crc32';

export const SNAPSHOT_FILE = 'snapshot.json';
const SNAPSHOT_FORMAT = 'growth-kit-emulator-store';
const SEGMENT_PATTERN = /^journal-(\d{16})\.log$/;
const TMP_SUFFIX = '.tmp';

export interface JournalRecord {
  seq: number;
  [field: string]: unknown;
}

export interface RecoveredJournal {
  /** the `data` of the snapshot (the store's export), or null when there is none yet */
  snapshot: unknown;
  /** records after the snapshot, consecutive, up to the first torn or corrupt line */
  records: JournalRecord[];
  /** the sequence number of the last record recovered (or of the snapshot) */
  lastSeq: number;
  /** complete or torn lines that were dropped (a torn tail after a crash is normal) */
  dropped: number;
}

export interface DurableBatch {
  records: number;
  /** performance.now() when the oldest record of the batch was appended (its commit) */
  firstAppendedAt: number;
  /** performance.now() when its fsync returned */
  durableAt: number;
}

export interface JournalOptions {
  /** journal size that triggers a snapshot (default 4 MiB) */
  compactBytes?: number;
  /** called after each fsync (benchmarks measure the commit-to-disk window with it) */
  onDurable?: (batch: DurableBatch) => void;
}

function frame(json: string): string {
  return `${crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0')} ${json}\n`;
}

function unframe(line: string): JournalRecord | null {
  const space = line.indexOf(' ');
  if (space !== 8) return null;
  const json = line.slice(9);
  if (parseInt(line.slice(0, 8), 16) !== crc32(Buffer.from(json, 'utf8'))) return null;
  try {
    const record = JSON.parse(json) as JournalRecord;
    return Number.isInteger(record?.seq) ? record : null;
  } catch {
    return null;
  }
}

function segmentName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(16, '0')}.log`;
}

function segmentsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => SEGMENT_PATTERN.test(f))
    .sort();
}

function snapshotText(seq: number, data: unknown): string {
  return JSON.stringify({ format: SNAPSHOT_FORMAT, version: 2, seq, data });
}

/** A new file's name reaches disk only with an fsync of its folder. */
function fsyncDirSync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await openFile(dir, 'r');
    await handle.sync();
  } catch {
    // as above
  } finally {
    await handle?.close();
  }
}

/** Reads what a previous run left in `dir` (null when there is no journal folder). */
export function readJournal(dir: string): RecoveredJournal | null {
  if (!existsSync(dir)) return null;
  let snapshot: unknown = null;
  let snapshotSeq = 0;
  const snapshotPath = join(dir, SNAPSHOT_FILE);
  if (existsSync(snapshotPath)) {
    const parsed = JSON.parse(readFileSync(snapshotPath, 'utf8')) as {
      format?: unknown;
      seq?: unknown;
      data?: unknown;
    };
    if (parsed?.format !== SNAPSHOT_FORMAT || !Number.isInteger(parsed.seq)) {
      throw new Error(`${snapshotPath} is not an emulator store snapshot`);
    }
    snapshot = parsed.data;
    snapshotSeq = parsed.seq as number;
  }
  const records: JournalRecord[] = [];
  let lastSeq = snapshotSeq;
  let dropped = 0;
  let stopped = false;
  for (const file of segmentsIn(dir)) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    const tail = lines.pop() ?? '';
    for (const line of lines) {
      if (stopped) {
        dropped++;
        continue;
      }
      const record = unframe(line);
      if (record && record.seq <= lastSeq) continue; // already in the snapshot
      if (!record || record.seq !== lastSeq + 1) {
        stopped = true;
        dropped++;
        continue;
      }
      records.push(record);
      lastSeq = record.seq;
    }
    if (tail !== '') {
      stopped = true;
      dropped++;
    }
  }
  return { snapshot, records, lastSeq, dropped };
}

export class Journal {
  private handle: FileHandle | null = null;
  private segmentFirstSeq: number;
  private segmentBytes = 0;
  /** files whose records a snapshot in progress (or the next one) covers */
  private retired: string[] = [];
  private pending: Array<{ seq: number; line: string; at: number }> = [];
  private lastSeq: number;
  private durableSeq: number;
  private waiters: Array<{ seq: number; resolve: () => void; reject: (error: Error) => void }> = [];
  private running: Promise<void> | null = null;
  /** a compaction in progress: records up to `seq` go to the current file, then it rotates */
  private rotation: { seq: number; text: string } | null = null;
  private snapshotting: Promise<void> | null = null;
  private failure: Error | null = null;
  private readonly compactBytes: number;

  private constructor(
    private readonly dir: string,
    seq: number,
    private readonly snapshotData: () => unknown,
    private readonly options: JournalOptions,
  ) {
    this.lastSeq = seq;
    this.durableSeq = seq;
    this.segmentFirstSeq = seq + 1;
    this.compactBytes = options.compactBytes ?? 4 * 1024 * 1024;
  }

  /**
   * Starts journaling in `dir` from the state `snapshotData()` returns, which must be the state
   * after record `seq`: writes it as the snapshot (synchronously, durably) and deletes every
   * journal file and leftover, so the new journal never follows a torn or stale line.
   */
  static start(
    dir: string,
    seq: number,
    snapshotData: () => unknown,
    options: JournalOptions = {},
  ): Journal {
    mkdirSync(dir, { recursive: true });
    const tmp = join(dir, SNAPSHOT_FILE + TMP_SUFFIX);
    writeFileSync(tmp, snapshotText(seq, snapshotData()));
    const fd = openSync(tmp, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(dir, SNAPSHOT_FILE));
    fsyncDirSync(dir);
    for (const file of readdirSync(dir)) {
      if (SEGMENT_PATTERN.test(file) || file.endsWith(TMP_SUFFIX)) unlinkSync(join(dir, file));
    }
    fsyncDirSync(dir);
    return new Journal(dir, seq, snapshotData, options);
  }

  /** Records a committed change set; it is on disk when `whenDurable()` resolves. */
  append(change: Record<string, unknown>): void {
    const seq = ++this.lastSeq;
    this.pending.push({
      seq,
      line: frame(JSON.stringify({ seq, ...change })),
      at: performance.now(),
    });
    if (!this.running && !this.failure) this.running = this.run();
  }

  /** Resolves once every record appended so far is fsynced; rejects if the disk failed. */
  whenDurable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.lastSeq;
    if (seq <= this.durableSeq) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ seq, resolve, reject }));
  }

  /** Takes a snapshot soon (e.g. after an import wrote the whole data set into one record). */
  compactSoon(): void {
    this.segmentBytes = Math.max(this.segmentBytes, this.compactBytes);
    if (!this.running && !this.failure) this.running = this.run();
  }

  /** Waits until everything appended is on disk and any snapshot in progress is written. */
  async close(): Promise<void> {
    while (this.running || this.snapshotting) {
      await this.running;
      await this.snapshotting;
    }
    await this.handle?.close();
    this.handle = null;
    if (this.failure) throw this.failure;
  }

  private async run(): Promise<void> {
    try {
      // Let the commits of this event-loop turn join the first write (group commit).
      await new Promise((resolve) => setImmediate(resolve));
      for (;;) {
        const limit = this.rotation?.seq ?? Infinity;
        let n = 0;
        while (n < this.pending.length && this.pending[n].seq <= limit) n++;
        if (n > 0) await this.write(this.pending.splice(0, n));
        if (
          this.rotation &&
          (this.pending.length === 0 || this.pending[0].seq > this.rotation.seq)
        ) {
          await this.rotate(this.rotation);
        } else if (!this.rotation && !this.snapshotting && this.segmentBytes >= this.compactBytes) {
          // Serialised in this turn: exactly the state after the last record appended.
          this.rotation = {
            seq: this.lastSeq,
            text: snapshotText(this.lastSeq, this.snapshotData()),
          };
        } else if (this.pending.length === 0) {
          break;
        }
      }
    } catch (error) {
      this.fail(error as Error);
    } finally {
      this.running = null;
      if (this.pending.length > 0 && !this.failure) this.running = this.run();
    }
  }

  private async write(batch: Array<{ seq: number; line: string; at: number }>): Promise<void> {
    if (!this.handle) {
      this.handle = await openFile(join(this.dir, segmentName(this.segmentFirstSeq)), 'a');
      await fsyncDir(this.dir);
    }
    const text = batch.map((b) => b.line).join('');
    await this.handle.appendFile(text, 'utf8');
    await this.handle.datasync();
    this.segmentBytes += Buffer.byteLength(text);
    this.durableSeq = batch[batch.length - 1].seq;
    this.options.onDurable?.({
      records: batch.length,
      firstAppendedAt: batch[0].at,
      durableAt: performance.now(),
    });
    const still: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.seq <= this.durableSeq) waiter.resolve();
      else still.push(waiter);
    }
    this.waiters = still;
  }

  /** Closes the current file; later records start a new one; the snapshot covers the old ones. */
  private async rotate(rotation: { seq: number; text: string }): Promise<void> {
    this.rotation = null;
    if (this.handle) {
      await this.handle.close();
      this.handle = null;
      this.retired.push(join(this.dir, segmentName(this.segmentFirstSeq)));
    }
    this.segmentFirstSeq = rotation.seq + 1;
    this.segmentBytes = 0;
    const covered = this.retired;
    this.retired = [];
    this.snapshotting = this.writeSnapshot(rotation.text, covered)
      .catch((error: unknown) => this.fail(error as Error))
      .finally(() => {
        this.snapshotting = null;
      });
  }

  private async writeSnapshot(text: string, covered: string[]): Promise<void> {
    const tmp = join(this.dir, SNAPSHOT_FILE + TMP_SUFFIX);
    const handle = await openFile(tmp, 'w');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, join(this.dir, SNAPSHOT_FILE));
    await fsyncDir(this.dir);
    for (const file of covered) await unlink(file);
    await fsyncDir(this.dir);
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    console.error('[emulator] the store journal could not be written:', error);
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters = [];
  }
}
