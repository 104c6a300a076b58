/**
 * A leader's (团长) community figures per campaign (`leader_stats`, `_id` = `<campaign>:<openid>`;
 * People console, issue 13): members, claims and redemptions their invite tree brought, in total
 * and per Shanghai week (domain/community). Bumped by the call that made the event, recounted by
 * the reconciler from the records and corrected by the difference, like the dashboard's counters.
 */
import { db } from '../cloud';
import { COLLECTIONS, leaderStatsId } from '../collections';
import type { LeaderMetric } from '../contracts';
import { byId, command, insert, many, updateWhere } from '../db';
import { communityIncrements, type CommunityFigures } from '../domain/community';

export interface CommunityDoc extends CommunityFigures {
  _id: string;
  campaignId: string;
  leader: string;
}

/** One event of a member adds to each of their leaders' figures (usually one or two). */
export async function bumpCommunity(
  campaignId: string,
  leaders: readonly string[],
  metric: LeaderMetric,
  at: Date,
): Promise<void> {
  for (const leader of new Set(leaders)) {
    await addToCommunity(campaignId, leader, communityIncrements(metric, at));
  }
}

async function addToCommunity(
  campaignId: string,
  leader: string,
  increments: Record<string, number>,
): Promise<void> {
  const entries = Object.entries(increments).filter(([, by]) => by !== 0);
  if (entries.length === 0) return;
  const _ = command();
  const id = leaderStatsId(campaignId, leader);
  const update = Object.fromEntries(entries.map(([path, by]) => [path, _.inc(by)]));
  if ((await updateWhere(COLLECTIONS.leaderStats, { _id: id }, update)) === 1) return;
  // The first event of this leader in this campaign: the document starts with it (or, if a
  // concurrent event made it meanwhile, is incremented as theirs).
  const doc: Record<string, unknown> = { _id: id, campaignId, leader };
  for (const [path, by] of entries) setPath(doc, path, by);
  if (await insert(COLLECTIONS.leaderStats, doc)) return;
  await updateWhere(COLLECTIONS.leaderStats, { _id: id }, update);
}

function setPath(root: Record<string, unknown>, path: string, value: number): void {
  const keys = path.split('.');
  let node = root;
  for (const key of keys.slice(0, -1)) {
    node[key] ??= {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

export function findCommunity(campaignId: string, leader: string): Promise<CommunityDoc | null> {
  return byId<CommunityDoc>(COLLECTIONS.leaderStats, leaderStatsId(campaignId, leader));
}

export function findCommunities(campaignId: string, limit: number): Promise<CommunityDoc[]> {
  return many<CommunityDoc>(
    db().collection(COLLECTIONS.leaderStats).where({ campaignId }).limit(limit),
  );
}

/** Flat figures of a stored document (`members`, `weeks.w20250303.claims`, …). */
export function flatFigures(doc: CommunityFigures | null): Map<string, number> {
  const flat = new Map<string, number>();
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'number') flat.set(prefix, value);
    else if (value && typeof value === 'object' && !(value instanceof Date)) {
      for (const [key, inner] of Object.entries(value))
        walk(prefix ? `${prefix}.${key}` : key, inner);
    }
  };
  if (doc)
    walk('', {
      members: doc.members,
      claims: doc.claims,
      redemptions: doc.redemptions,
      weeks: doc.weeks,
    });
  return flat;
}

/** Moves a leader's stored figures to `truth` by the difference; answers the changes made. */
export async function correctCommunity(
  campaignId: string,
  leader: string,
  stored: CommunityFigures | null,
  truth: ReadonlyMap<string, number>,
): Promise<Record<string, number>> {
  const current = flatFigures(stored);
  const diff: Record<string, number> = {};
  for (const path of new Set([...truth.keys(), ...current.keys()])) {
    const by = (truth.get(path) ?? 0) - (current.get(path) ?? 0);
    if (by !== 0) diff[path] = by;
  }
  await addToCommunity(campaignId, leader, diff);
  return diff;
}
