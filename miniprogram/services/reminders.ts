/**
 * 订阅消息 on the phone (Rewards, issue 12). A page asks for reminders at a natural moment
 * (after claiming, after sharing, when a coupon is shown) with WeChat's own sheet,
 * `wx.requestSubscribeMessage`, and tells the server what the user accepted: each acceptance of
 * a one-time template allows the server one message.
 *
 * WeChat shows the sheet only from a tap, so the templates are loaded ahead (`preloadReminders`
 * on the page's load) and `askForReminders` calls the sheet at once, without waiting on the
 * network first.
 */
import type { ReminderEvent } from '../../cloudfunctions/_shared/constants';
import type { ReminderTemplate } from '../../cloudfunctions/_shared/contracts';
import { callApi } from './api';

let templates: ReadonlyMap<ReminderEvent, string> | null = null;
let loading: Promise<void> | null = null;

/** Loads the campaign's templates once per launch (a failure is retried by the next page). */
export function preloadReminders(): Promise<void> {
  loading ??= callApi('reminders.get', {}).then((answer) => {
    if (answer.ok) templates = new Map(answer.data.templates.map((t) => [t.event, t.templateId]));
    else loading = null;
  });
  return loading;
}

/** Performance (issue 14): the templates came with the landing's first screen: no call. */
export function primeReminders(list: readonly ReminderTemplate[]): void {
  templates = new Map(list.map((t) => [t.event, t.templateId]));
  loading = Promise.resolve();
}

/** Whether the campaign has a template for any of `events` (a page shows its ask only then). */
export function remindersOffered(events: readonly ReminderEvent[]): boolean {
  return events.some((event) => templates?.has(event));
}

/**
 * Shows WeChat's subscribe sheet for `events` (at most 3, WeChat's limit) — call it straight from
 * a tap — and records what the user accepted. Answers whether anything was accepted.
 */
export async function askForReminders(events: readonly ReminderEvent[]): Promise<boolean> {
  const ids = events.flatMap((event) => {
    const id = templates?.get(event);
    return id ? [id] : [];
  });
  if (ids.length === 0) return false;
  let results: Record<string, string>;
  try {
    results = (await wx.requestSubscribeMessage({
      tmplIds: ids.slice(0, 3),
    })) as unknown as Record<string, string>;
  } catch {
    return false; // dismissed, or the user turned reminders off for this Mini Program
  }
  const answers: Record<string, 'accept' | 'reject' | 'ban' | 'filter'> = {};
  for (const id of ids) {
    const answer = results[id];
    if (answer === 'accept' || answer === 'reject' || answer === 'ban' || answer === 'filter') {
      answers[id] = answer;
    }
  }
  const saved = await callApi('reminders.subscribe', { results: answers });
  return saved.ok && saved.data.accepted.length > 0;
}

/** A new launch (tests switch users): templates are read again. */
export function forgetReminders(): void {
  templates = null;
  loading = null;
}
