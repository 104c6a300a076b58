/**
 * 群活码: the pool of group QR codes. Each group counts its hand-outs and records who holds a
 * seat (`members`, keyed by an opaque seat key per participant), and both change in the same
 * write: `handedOut` is always the number of members, and never exceeds `capacity`.
 *
 * | operation   | rule                                                                    |
 * | ----------- | ----------------------------------------------------------------------- |
 * | takeSeat    | a seat only while the group is live and has room, at most one per holder |
 * | releaseSeat | a seat comes back once (a hand-out that was never recorded, a move)      |
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import { byId, command, insert, many, updateWhere } from '../db';
import type { GroupQr } from '../domain/group';
import { POOL_LIMIT } from '../limits';

export interface SeatDoc {
  at: Date;
  /** the participant holding the seat (the reconciler checks they still hold the group) */
  holder: string;
}

export interface GroupDoc extends Omit<GroupQr, 'id'> {
  _id: string;
  members?: Record<string, SeatDoc>;
}

/** A group as the pool sees it; `seated` says whether the asked-about holder has a seat. */
export interface PoolGroup extends GroupQr {
  seated: boolean;
}

const LISTED = {
  _id: true,
  name: true,
  qrUrl: true,
  expiresAt: true,
  capacity: true,
  handedOut: true,
  active: true,
  createdAt: true,
} as const;

export function toGroupQr(doc: GroupDoc): GroupQr {
  const { _id, members: _members, ...rest } = doc;
  return { id: _id, ...rest };
}

/**
 * The groups that could still take people, in pool order (index: active + createdAt), and
 * whether `seatKey` already holds a seat in each (a hand-out that died before it was recorded).
 */
export async function findLiveGroups(now: Date, seatKey: string): Promise<PoolGroup[]> {
  const docs = await many<GroupDoc>(
    db()
      .collection(COLLECTIONS.groups)
      .where({ active: true, expiresAt: command().gt(now) })
      .orderBy('createdAt', 'asc')
      .limit(POOL_LIMIT)
      .field({ ...LISTED, [`members.${seatKey}`]: true }),
  );
  return docs.map((doc) => ({ ...toGroupQr(doc), seated: Boolean(doc.members?.[seatKey]) }));
}

/** Every group, newest first, for the dashboard and the alerts (without the member lists). */
export async function findAllGroups(): Promise<GroupQr[]> {
  const docs = await many<GroupDoc>(
    db()
      .collection(COLLECTIONS.groups)
      .orderBy('createdAt', 'desc')
      .limit(POOL_LIMIT)
      .field(LISTED),
  );
  return docs.map(toGroupQr);
}

/** Whole groups with their members, for the reconciler and the invariant checks. */
export function findGroupsWithMembers(): Promise<GroupDoc[]> {
  return many<GroupDoc>(db().collection(COLLECTIONS.groups).limit(1000));
}

export async function findGroup(id: string): Promise<GroupQr | null> {
  const doc = await byId<GroupDoc>(COLLECTIONS.groups, id);
  return doc ? toGroupQr(doc) : null;
}

/** Rule: a seat only while the group is live and has room, and at most one per holder. */
export async function takeSeat(
  group: GroupQr,
  seat: { key: string; holder: string },
  now: Date,
): Promise<boolean> {
  const _ = command();
  const path = `members.${seat.key}`;
  const changed = await updateWhere(
    COLLECTIONS.groups,
    {
      _id: group.id,
      active: true,
      expiresAt: _.gt(now),
      handedOut: _.lt(group.capacity),
      [path]: _.exists(false),
    },
    { handedOut: _.inc(1), [path]: _.set({ at: now, holder: seat.holder } satisfies SeatDoc) },
  );
  return changed === 1;
}

/** Rule: a holder's seat comes back once, and only while they hold it. */
export async function releaseSeat(groupId: string, seatKey: string): Promise<boolean> {
  const _ = command();
  const path = `members.${seatKey}`;
  const changed = await updateWhere(
    COLLECTIONS.groups,
    { _id: groupId, [path]: _.exists(true) },
    { handedOut: _.inc(-1), [path]: _.remove() },
  );
  return changed === 1;
}

export function insertGroup(doc: GroupDoc): Promise<boolean> {
  return insert(COLLECTIONS.groups, doc);
}

/** An operator's edit of the group's QR, name, expiry, capacity or state (never its seats). */
export function updateGroup(
  id: string,
  data: Partial<Pick<GroupDoc, 'name' | 'qrUrl' | 'expiresAt' | 'capacity' | 'active'>>,
): Promise<number> {
  return updateWhere(COLLECTIONS.groups, { _id: id }, data);
}

/** The hourly job: expired QRs leave the pool. */
export function retireExpiredGroups(now: Date): Promise<number> {
  return updateWhere(
    COLLECTIONS.groups,
    { active: true, expiresAt: command().lte(now) },
    { active: false },
  );
}
