/** What background jobs remember between runs (the reconciler's last pass). */
import { COLLECTIONS } from '../collections';
import { byId, command, updateWhere, insert } from '../db';

export interface JobDoc {
  _id: string;
  lastRunAt: Date | null;
  lastReport: Record<string, unknown> | null;
}

export function findJob(id: string): Promise<JobDoc | null> {
  return byId<JobDoc>(COLLECTIONS.jobs, id);
}

export async function recordJobRun(
  id: string,
  report: Record<string, unknown>,
  now: Date,
): Promise<void> {
  const data = { lastRunAt: now, lastReport: command().set(report) };
  if ((await updateWhere(COLLECTIONS.jobs, { _id: id }, data)) === 1) return;
  if (await insert(COLLECTIONS.jobs, { _id: id, lastRunAt: now, lastReport: report })) return;
  await updateWhere(COLLECTIONS.jobs, { _id: id }, data);
}
