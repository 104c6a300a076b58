/**
 * Sending a reminder (订阅消息, Rewards issue 12), at most once per cause. In order:
 * 1. The campaign maps the event to a template; none → nothing to send.
 * 2. The user must have a one-time subscription left for it (they accepted it on a page): none →
 *    nothing is sent and nothing is written.
 * 3. `claimMessage`: the record, with an id derived from the cause. A cause already claimed (a
 *    retry, the next cron run) stops here: at most one message per cause, ever.
 * 4. `consumeSubscription`, then `subscribeMessage.send`, then the outcome on the record. A
 *    refusal (43101: no subscription left on WeChat's side; 47003…) is recorded as failed and not
 *    retried: the record already holds the cause.
 */
import type { Campaign } from '../campaign';
import { sendSubscribeMessage } from '../cloud';
import type { ReminderEvent } from '../constants';
import { renderReminder } from '../domain/reminders';
import { messageIdFor } from '../ids';
import { claimMessage, settleMessage } from '../repositories/messages';
import {
  consumeSubscription,
  dropSubscription,
  findSubscriptions,
  subscriptionsLeft,
  type SubscriptionDoc,
} from '../repositories/subscriptions';

/** WeChat: the user accepted no (more) message of this template. */
const NO_SUBSCRIPTION = 43101;

export interface Reminder {
  event: ReminderEvent;
  /** the recipient's openid */
  to: string;
  /** what the message is about, e.g. `credit:<inviter>:<friend>`: one message per cause */
  cause: string;
  /** the page the message opens, with its query */
  page: string;
  vars: Record<string, string | number>;
}

export type ReminderOutcome = 'off' | 'unsubscribed' | 'duplicate' | 'sent' | 'failed';

/**
 * Sends `reminder` once. `subscriptions` may carry what the caller already read (a page of
 * recipients read at once); otherwise the recipient's is read here.
 */
export async function sendReminder(
  reminder: Reminder,
  campaign: Campaign,
  now: Date,
  subscriptions?: ReadonlyMap<string, SubscriptionDoc>,
): Promise<ReminderOutcome> {
  const template = campaign.reminders[reminder.event];
  if (!template) return 'off';
  const subscription = subscriptions
    ? subscriptions.get(reminder.to)
    : (await findSubscriptions([reminder.to]))[0];
  if (subscriptionsLeft(subscription, template.templateId) <= 0) return 'unsubscribed';

  const id = messageIdFor(reminder.cause);
  const data = renderReminder(template.fields, { campaign: campaign.title, ...reminder.vars });
  const claimed = await claimMessage({
    _id: id,
    cause: reminder.cause,
    event: reminder.event,
    touser: reminder.to,
    templateId: template.templateId,
    page: reminder.page,
    data,
    status: 'sending',
    errCode: null,
    errMsg: null,
    at: now,
    settledAt: null,
  });
  if (!claimed) return 'duplicate';
  if (!(await consumeSubscription(reminder.to, template.templateId))) {
    // used meanwhile by another reminder
    await settleMessage(id, { status: 'unsubscribed' }, now);
    return 'unsubscribed';
  }
  const sent = await sendSubscribeMessage({
    touser: reminder.to,
    templateId: template.templateId,
    page: reminder.page,
    data,
  });
  if (sent.ok) {
    await settleMessage(id, { status: 'sent' }, now);
    return 'sent';
  }
  if (sent.errCode === NO_SUBSCRIPTION) await dropSubscription(reminder.to, template.templateId);
  await settleMessage(id, { status: 'failed', errCode: sent.errCode, errMsg: sent.errMsg }, now);
  return 'failed';
}

/** Subscriptions of many recipients, read at once, by openid. */
export async function subscriptionsOf(
  openids: readonly string[],
): Promise<Map<string, SubscriptionDoc>> {
  const docs = openids.length ? await findSubscriptions(openids) : [];
  return new Map(docs.map((doc) => [doc._id, doc]));
}
