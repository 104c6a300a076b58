/**
 * 订阅消息授权 (Rewards, issue 12): the one-time subscriptions each user accepted, per template.
 * Each acceptance of a one-time template allows one message (WeChat counts the same way), so a
 * send consumes one first; nothing is sent to someone who has none.
 *
 * | operation           | rule                                                          |
 * | ------------------- | ------------------------------------------------------------- |
 * | addSubscriptions    | every acceptance adds one (increments: concurrent ones add up) |
 * | consumeSubscription | a send takes one, only while one is left                      |
 * | dropSubscription    | WeChat says none is left (43101): none is                     |
 */
import { COLLECTIONS } from '../collections';
import { byIds, command, insert, updateWhere } from '../db';

export interface SubscriptionDoc {
  /** the openid */
  _id: string;
  /** template id → one-time acceptances not used yet */
  counts: Record<string, number>;
  updatedAt: Date;
}

/** Users' subscriptions by openid (one read for many). */
export function findSubscriptions(openids: readonly string[]): Promise<SubscriptionDoc[]> {
  return byIds<SubscriptionDoc>(COLLECTIONS.subscriptions, [...new Set(openids)]);
}

/** Rule: each acceptance adds one to its template's count. */
export async function addSubscriptions(
  openid: string,
  templateIds: readonly string[],
  now: Date,
): Promise<void> {
  if (templateIds.length === 0) return;
  const _ = command();
  const update = {
    updatedAt: now,
    ...Object.fromEntries(templateIds.map((id) => [`counts.${id}`, _.inc(1)])),
  };
  if ((await updateWhere(COLLECTIONS.subscriptions, { _id: openid }, update)) === 1) return;
  const counts = Object.fromEntries(templateIds.map((id) => [id, 1]));
  if (await insert(COLLECTIONS.subscriptions, { _id: openid, counts, updatedAt: now })) return;
  await updateWhere(COLLECTIONS.subscriptions, { _id: openid }, update);
}

/** Rule: a send takes one acceptance, while one is left; true when this call took it. */
export async function consumeSubscription(openid: string, templateId: string): Promise<boolean> {
  const _ = command();
  const path = `counts.${templateId}`;
  const changed = await updateWhere(
    COLLECTIONS.subscriptions,
    { _id: openid, [path]: _.gt(0) },
    { [path]: _.inc(-1) },
  );
  return changed === 1;
}

/** WeChat refused for want of a subscription: whatever was counted here is not there. */
export async function dropSubscription(openid: string, templateId: string): Promise<void> {
  await updateWhere(COLLECTIONS.subscriptions, { _id: openid }, { [`counts.${templateId}`]: 0 });
}

/** How many sends `openid` accepted for `templateId` and has not used yet. */
export function subscriptionsLeft(doc: SubscriptionDoc | undefined, templateId: string): number {
  const counts = doc?.counts ?? {};
  return Object.prototype.hasOwnProperty.call(counts, templateId) ? counts[templateId] : 0;
}
