/**
 * What the People console tests (issue 13) do again and again: friends arriving through a code,
 * redeeming a coupon, reading the store, and the config's velocity rule.
 */
import type { TestBackend } from '../../support/emulator';
import { OWNER, STAFF, data, editCampaign, enter, requestId } from '../../support/emulator';
import { toJsonSafe } from '../../../emulator/store';

type Doc = Record<string, any>;

export function docs(backend: TestBackend, collection: string): Doc[] {
  return (backend.snapshot().collections[collection] ?? []) as Doc[];
}

export function participantOf(backend: TestBackend, openid: string): Doc {
  const found = docs(backend, 'participants').find((p) => p.openid === openid);
  if (!found) throw new Error(`no participant ${openid}`);
  return found;
}

/** Replaces stored documents, as a call killed before its last write would have left them. */
export async function rewrite(
  backend: TestBackend,
  collection: string,
  edit: (docs: Doc[]) => Doc[],
): Promise<void> {
  const snapshot = backend.snapshot();
  snapshot.collections[collection] = edit((snapshot.collections[collection] ?? []) as Doc[]).map(
    (doc) => toJsonSafe(doc) as Doc,
  );
  await backend.emulator.importSnapshot(snapshot);
}

/** A friend who arrives through `code` and claims the gift. */
export async function friendClaims(backend: TestBackend, openid: string, code: string) {
  const session = await enter(backend, openid, code);
  data(await backend.api(openid, 'magnet.claim', { requestId: `claim-${openid}` }));
  return session;
}

/** The visitor's first available coupon, redeemed by the demo's staff. */
export async function redeemFirstCoupon(backend: TestBackend, openid: string) {
  const coupon = data(await backend.api(openid, 'wallet.list', { status: 'available' })).coupons[0];
  const { token } = data(await backend.api(openid, 'coupon.token', { couponId: coupon.id }));
  return backend.admin(STAFF, 'coupon.redeem', { token });
}

export async function velocityRule(backend: TestBackend, maxVerified: number, minutes: number) {
  await editCampaign(backend, (config) => {
    config.invite.velocity = { maxVerified, withinMinutes: minutes };
  });
}

/** The wheel always stops on `prizeId` (the other prizes weigh nothing). */
export async function favour(backend: TestBackend, prizeId: string) {
  await editCampaign(backend, (config) => {
    for (const prize of config.lottery.prizes) prize.weight = prize.id === prizeId ? 1000 : 0;
  });
}

export async function spin(backend: TestBackend, openid: string) {
  return data(await backend.api(openid, 'lottery.spin', { requestId: requestId('spin') }));
}

export async function memberPage(backend: TestBackend, userRef: string) {
  return data(await backend.admin(OWNER, 'users.get', { userRef }));
}

export async function funnel(backend: TestBackend): Promise<Record<string, number>> {
  const stats = data(await backend.admin(OWNER, 'stats.overview'));
  return {
    ...Object.fromEntries(stats.funnel.map((s) => [s.key, s.count])),
    ...Object.fromEntries((stats.tags ?? []).map((t) => [`tags.${t.tag}`, t.count])),
    heldInvites: stats.heldInvites ?? 0,
  };
}
