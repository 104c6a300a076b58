/**
 * Operator alerts: raised by the hourly job (group pool filling up, QRs expiring) and by checks
 * that fail where nobody would otherwise notice (the risk service not answering).
 */
import { db } from '../cloud';
import { COLLECTIONS } from '../collections';
import { insert, many } from '../db';

export interface OperatorAlert {
  kind: string;
  groupId?: string;
  /** for operators, in Chinese */
  message: string;
}

export interface AlertDoc {
  /** `<kind>:<groupId|pool>:<day>`: one alert per problem per day, however often it is seen */
  _id: string;
  kind: string;
  groupId: string | null;
  message: string;
  at: Date;
}

/** One alert per problem per day. */
export function alertId(alert: OperatorAlert, dayKey: string): string {
  return `${alert.kind}:${alert.groupId ?? 'pool'}:${dayKey}`;
}

/** True when this is the first time the problem is raised today. */
export function raiseAlert(alert: OperatorAlert, dayKey: string, now: Date): Promise<boolean> {
  return insert(COLLECTIONS.alerts, {
    _id: alertId(alert, dayKey),
    kind: alert.kind,
    groupId: alert.groupId ?? null,
    message: alert.message,
    at: now,
  } satisfies AlertDoc);
}

export function findRecentAlerts(limit: number): Promise<AlertDoc[]> {
  return many<AlertDoc>(db().collection(COLLECTIONS.alerts).orderBy('at', 'desc').limit(limit));
}
