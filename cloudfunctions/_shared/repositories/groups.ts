/** 群活码: the pool of group QR codes, handed out in turn with an atomic count. */
import { COLLECTIONS } from '../collections';
import { byId, command, insert, many, updateWhere } from '../db';
import type { GroupQr } from '../domain/group';
import { db } from '../cloud';
import { POOL_LIMIT } from '../limits';

export interface GroupDoc extends Omit<GroupQr, 'id'> {
  _id: string;
}

export function toGroupQr(doc: GroupDoc): GroupQr {
  const { _id, ...rest } = doc;
  return { id: _id, ...rest };
}

/** The groups that could still take people, in pool order (index: active + createdAt). */
export async function findLiveGroups(now: Date): Promise<GroupQr[]> {
  const docs = await many<GroupDoc>(
    db()
      .collection(COLLECTIONS.groups)
      .where({ active: true, expiresAt: command().gt(now) })
      .orderBy('createdAt', 'asc')
      .limit(POOL_LIMIT),
  );
  return docs.map(toGroupQr);
}

/** Every group, newest first, for the dashboard and the alerts. */
export async function findAllGroups(): Promise<GroupQr[]> {
  const docs = await many<GroupDoc>(
    db().collection(COLLECTIONS.groups).orderBy('createdAt', 'desc').limit(POOL_LIMIT),
  );
  return docs.map(toGroupQr);
}

export async function findGroup(id: string): Promise<GroupQr | null> {
  const doc = await byId<GroupDoc>(COLLECTIONS.groups, id);
  return doc ? toGroupQr(doc) : null;
}

/** Counts one hand-out if the group still has room; false when it filled up meanwhile. */
export async function takeGroupSeat(group: GroupQr, now: Date): Promise<boolean> {
  const _ = command();
  const changed = await updateWhere(
    COLLECTIONS.groups,
    { _id: group.id, active: true, expiresAt: _.gt(now), handedOut: _.lt(group.capacity) },
    { handedOut: _.inc(1) },
  );
  return changed === 1;
}

/** Gives back a seat counted by a call that then lost the race to record it on the user. */
export async function releaseGroupSeat(groupId: string): Promise<void> {
  await updateWhere(COLLECTIONS.groups, { _id: groupId }, { handedOut: command().inc(-1) });
}

export function insertGroup(doc: GroupDoc): Promise<boolean> {
  return insert(COLLECTIONS.groups, doc);
}

export function updateGroup(id: string, data: object): Promise<number> {
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
