/**
 * The audit log (People console, issue 13): what operators did to members — who, what, when and
 * why. Every entry's `_id` derives from the act it records (`auditIdFor`), so an act that is
 * retried or finished later (a block's steps, an approval) is recorded once.
 *
 * | operation   | rule                                                                    |
 * | ----------- | ----------------------------------------------------------------------- |
 * | recordAudit | one entry per act (derived `_id`; a duplicate is "already recorded")     |
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import type { AuditAction } from '../contracts';
import { byId, command, insert, many } from '../db';

export interface AuditDoc {
  _id: string;
  at: Date;
  action: AuditAction;
  /** the operator (admins' openids are never answered: `byName` is) */
  by: string;
  byName: string;
  /** the member concerned: openid (internal, for the index) and invite code (what is shown) */
  target: string | null;
  targetRef: string | null;
  campaignId: string | null;
  reason: string | null;
  /** what changed, in Chinese */
  detail: string;
  /** what a grant gave (the reconciler finishes its coupon from it) */
  grant?: {
    kind: 'template' | 'prize';
    id: string;
    title: string;
    label: string;
    couponId: string | null;
    templateId: string | null;
  };
}

/** Rule: one entry per act. True when this call recorded it. */
export function recordAudit(entry: AuditDoc): Promise<boolean> {
  return insert(COLLECTIONS.audit, entry);
}

export function findAudit(id: string): Promise<AuditDoc | null> {
  return byId<AuditDoc>(COLLECTIONS.audit, id);
}

/** What was done to one member, newest first. */
export function findAuditOf(target: string, limit: number): Promise<AuditDoc[]> {
  return many<AuditDoc>(
    db().collection(COLLECTIONS.audit).where({ target }).orderBy('at', 'desc').limit(limit),
  );
}

/** The whole log, newest first, after the entry `after` names. */
export function pageAudit(
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<AuditDoc[]> {
  return pageAuditWhere({}, after, limit);
}

/** A campaign's grants, a page at a time (the reconciler checks their coupons). */
export function pageGrants(
  campaignId: string,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<AuditDoc[]> {
  return pageAuditWhere({ campaignId, action: 'grant' }, after, limit);
}

/** Entries matching `where`, newest first (ties by id), after the one `after` names. */
function pageAuditWhere(
  where: Record<string, unknown>,
  after: { at: Date; id: string } | null,
  limit: number,
): Promise<AuditDoc[]> {
  const _ = command();
  const query = after
    ? _.and([where, _.or([{ at: _.lt(after.at) }, { at: after.at, _id: _.gt(after.id) }])])
    : where;
  return many<AuditDoc>(
    db()
      .collection(COLLECTIONS.audit)
      .where(query)
      .orderBy('at', 'desc')
      .orderBy('_id', 'asc')
      .limit(limit),
  );
}
