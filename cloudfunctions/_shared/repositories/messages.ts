/**
 * 订阅消息记录 (Rewards, issue 12): every reminder sent or attempted, one per cause (`_id`
 * derived from it: `progress:<inviter>:<friend>`, `expiring:<coupon>`…). The record is written
 * before the send, so a cause is sent at most once whatever retries or runs come after; a send
 * that fails is recorded as failed and never tried again.
 *
 * | operation     | rule                                            |
 * | ------------- | ----------------------------------------------- |
 * | claimMessage  | one message per cause (derived `_id`)          |
 * | settleMessage | a message's outcome is written once            |
 */
import type { ReminderEvent } from '../constants';
import { COLLECTIONS } from '../collections';
import { byIds, insert, updateWhere } from '../db';

export type MessageStatus = 'sending' | 'sent' | 'failed' | 'unsubscribed';

export interface MessageDoc {
  _id: string;
  cause: string;
  event: ReminderEvent;
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  status: MessageStatus;
  errCode: number | null;
  errMsg: string | null;
  at: Date;
  settledAt: Date | null;
}

/** Rule: one message per cause; true when this call claimed the cause. */
export function claimMessage(doc: MessageDoc): Promise<boolean> {
  return insert(COLLECTIONS.messages, doc);
}

/** Rule: a claimed message's outcome is written once. */
export async function settleMessage(
  id: string,
  outcome: { status: Exclude<MessageStatus, 'sending'>; errCode?: number; errMsg?: string },
  now: Date,
): Promise<void> {
  await updateWhere(
    COLLECTIONS.messages,
    { _id: id, status: 'sending' },
    {
      status: outcome.status,
      errCode: outcome.errCode ?? null,
      errMsg: outcome.errMsg ?? null,
      settledAt: now,
    },
  );
}

export function findMessagesByIds(ids: readonly string[]): Promise<MessageDoc[]> {
  return byIds<MessageDoc>(COLLECTIONS.messages, ids);
}
