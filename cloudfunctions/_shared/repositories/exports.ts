/**
 * CSV export jobs (People console, issue 13). An export is a job document with a cursor; each
 * step reads one page (≤ 1000 documents, CloudBase's most per get()), writes it as a part file
 * and moves the cursor; the last step joins the parts into one file. Steps run under a short
 * lease, so two callers (the admin page polling, cron) never write the same part twice, and a
 * step killed half-way is simply run again once its lease lapses.
 *
 * | operation     | rule                                                                   |
 * | ------------- | ---------------------------------------------------------------------- |
 * | takeLease     | one step of a job at a time (a lapsed lease may be taken again)        |
 * | advanceExport | a part is recorded once, from exactly the cursor it was read from      |
 * | finishExport  | a running job is finished once                                         |
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import type { ExportKind, GrowthTag } from '../contracts';
import { byId, command, insert, many, updateWhere } from '../db';

export interface ExportFilter {
  tag?: GrowthTag;
  channel?: string;
  blocked?: boolean;
}

export interface ExportDoc {
  _id: string;
  kind: ExportKind;
  filter: ExportFilter;
  campaignId: string;
  createdAt: Date;
  createdBy: string;
  createdByName: string;
  status: 'running' | 'done' | 'failed';
  /** which source of the kind is being read (an export of invites reads two) */
  phase: number;
  /** where the last page ended, within the phase (internal: never answered) */
  cursor: string | null;
  /** fileIDs of the part files, in order */
  parts: string[];
  rows: number;
  scanned: number;
  total: number;
  leaseUntil: Date | null;
  fileID: string | null;
  fileName: string | null;
  finishedAt: Date | null;
}

export function createExport(doc: ExportDoc): Promise<boolean> {
  return insert(COLLECTIONS.exports, doc);
}

export function findExport(id: string): Promise<ExportDoc | null> {
  return byId<ExportDoc>(COLLECTIONS.exports, id);
}

export function findRecentExports(limit: number): Promise<ExportDoc[]> {
  return many<ExportDoc>(
    db().collection(COLLECTIONS.exports).orderBy('createdAt', 'desc').limit(limit),
  );
}

export function findRunningExports(limit: number): Promise<ExportDoc[]> {
  return many<ExportDoc>(
    db()
      .collection(COLLECTIONS.exports)
      .where({ status: 'running' })
      .orderBy('createdAt', 'asc')
      .limit(limit),
  );
}

/** Rule: one step at a time; a lease that lapsed (its call died) may be taken again. */
export async function takeLease(id: string, now: Date, until: Date): Promise<boolean> {
  const _ = command();
  const n = await updateWhere(
    COLLECTIONS.exports,
    { _id: id, status: 'running', leaseUntil: _.or(_.eq(null), _.lt(now)) },
    { leaseUntil: until },
  );
  return n === 1;
}

export async function releaseLease(id: string): Promise<void> {
  await updateWhere(COLLECTIONS.exports, { _id: id }, { leaseUntil: null });
}

/** Rule: a part is recorded once, from exactly the position it was read from. */
export async function advanceExport(
  job: Pick<ExportDoc, '_id' | 'phase' | 'cursor' | 'parts'>,
  next: {
    phase: number;
    cursor: string | null;
    part: string | null;
    rows: number;
    scanned: number;
  },
): Promise<boolean> {
  const _ = command();
  const n = await updateWhere(
    COLLECTIONS.exports,
    {
      _id: job._id,
      status: 'running',
      phase: job.phase,
      cursor: job.cursor,
      [`parts.${job.parts.length}`]: _.exists(false),
    },
    {
      phase: next.phase,
      cursor: next.cursor,
      rows: _.inc(next.rows),
      scanned: _.inc(next.scanned),
      ...(next.part ? { parts: _.push([next.part]) } : {}),
    },
  );
  return n === 1;
}

/** Rule: a running job is finished once. */
export async function finishExport(
  id: string,
  outcome: { status: 'done' | 'failed'; fileID: string | null; fileName: string | null },
  now: Date,
): Promise<boolean> {
  const n = await updateWhere(
    COLLECTIONS.exports,
    { _id: id, status: 'running' },
    { ...outcome, finishedAt: now, leaseUntil: null },
  );
  return n === 1;
}
