/** Operator alerts raised by the hourly job (group pool filling up, QRs expiring). */
import { COLLECTIONS } from '../collections';
import { insert, many } from '../db';
import type { GroupAlert } from '../domain/group';
import { db } from '../cloud';

export interface AlertDoc {
  /** `<kind>:<groupId|pool>:<day>`: one alert per problem per day, however often cron runs */
  _id: string;
  kind: GroupAlert['kind'];
  groupId: string | null;
  message: string;
  at: Date;
}

export function raiseAlert(alert: GroupAlert, dayKey: string, now: Date): Promise<boolean> {
  return insert(COLLECTIONS.alerts, {
    _id: `${alert.kind}:${alert.groupId ?? 'pool'}:${dayKey}`,
    kind: alert.kind,
    groupId: alert.groupId ?? null,
    message: alert.message,
    at: now,
  } satisfies AlertDoc);
}

export function findRecentAlerts(limit: number): Promise<AlertDoc[]> {
  return many<AlertDoc>(db().collection(COLLECTIONS.alerts).orderBy('at', 'desc').limit(limit));
}
