/**
 * Rewards (issue 12) in tests: a member whose rights are active, a prize won at the wheel, a
 * user who accepted reminders (on WeChat's side and on ours, as a page does), and the message
 * log of the emulated WeChat.
 */
import type { ReminderEvent } from '../../cloudfunctions/_shared/constants';
import type { Coupon } from '../../cloudfunctions/_shared/contracts';
import { data, editCampaign, enter, enterAndClaim, requestId, type TestBackend } from './emulator';

type Config = Record<string, any>;
type Doc = Record<string, any>;

/** The documents of a collection as stored now. */
export function stored(backend: TestBackend, collection: string): Doc[] {
  return (backend.snapshot().collections[collection] ?? []) as Doc[];
}

/** Replaces stored documents, as a call killed before its last write would have left them. */
export async function rewriteStore(
  backend: TestBackend,
  collection: string,
  edit: (docs: Doc[]) => Doc[],
): Promise<void> {
  const snapshot = backend.snapshot();
  snapshot.collections[collection] = edit((snapshot.collections[collection] ?? []) as Doc[]);
  await backend.emulator.importSnapshot(snapshot);
}

/** A member: card unlocked by three friends who claimed, group joined (rights active). */
export async function activeMember(backend: TestBackend, openid: string): Promise<string> {
  const { session } = await enterAndClaim(backend, openid);
  for (const friend of [1, 2, 3]) {
    await enterAndClaim(backend, `${openid}-friend-${friend}`, session.inviteCode);
  }
  data(await backend.api(openid, 'group.get'));
  data(await backend.api(openid, 'group.confirmJoined'));
  return session.inviteCode;
}

/** Makes `prizeId` the wheel's certain outcome (with `edit` for more changes to it). */
export async function rigWheel(
  backend: TestBackend,
  prizeId: string,
  edit: (prize: Config) => void = () => undefined,
): Promise<void> {
  await editCampaign(backend, (config) => {
    for (const prize of config.lottery.prizes) {
      prize.weight = prize.id === prizeId ? 1000 : 0;
      if (prize.id === prizeId) edit(prize);
    }
  });
}

/** `openid` enters and spins once; the wallet item the spin issued. */
export async function spinForPrize(backend: TestBackend, openid: string): Promise<Coupon> {
  await enter(backend, openid);
  const spin = data(await backend.api(openid, 'lottery.spin', { requestId: requestId('spin') }));
  if (!spin.coupon) throw new Error(`the spin won ${spin.prize.id}, with nothing in the wallet`);
  return spin.coupon;
}

/**
 * `openid` taps 允许 on the subscribe sheet for `events` (all configured by default): WeChat
 * records the acceptances (the emulator), and the page tells the server (`reminders.subscribe`).
 */
export async function subscribe(
  backend: TestBackend,
  openid: string,
  events?: ReminderEvent[],
): Promise<string[]> {
  const { templates } = data(await backend.api(openid, 'reminders.get'));
  const ids = templates.filter((t) => !events || events.includes(t.event)).map((t) => t.templateId);
  backend.emulator.sdk.acceptSubscription(openid, ids);
  const results = Object.fromEntries(ids.map((id) => [id, 'accept' as const]));
  return data(await backend.api(openid, 'reminders.subscribe', { results })).accepted;
}

/** What the emulated WeChat delivered to `openid`, oldest first. */
export function messagesTo(backend: TestBackend, openid: string) {
  return backend.emulator.sdk.sentMessages(openid);
}

/** The template id the demo campaign uses for `event`. */
export async function templateOf(backend: TestBackend, event: ReminderEvent): Promise<string> {
  const { templates } = data(await backend.api('template-reader', 'reminders.get'));
  const found = templates.find((t) => t.event === event);
  if (!found) throw new Error(`no template for ${event}`);
  return found.templateId;
}
