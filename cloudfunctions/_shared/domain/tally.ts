/**
 * The dashboard's figures recounted from the records (the reconciler's truth). Counters are
 * the fast path, bumped by the call that made each event happen; these functions say what they
 * must equal. Pure: the reconciler feeds them documents page by page.
 */
import { couponFaceValue } from './coupon';
import type { InviteRejection } from './invite';
import { tagOfRank } from './tags';

/** What the tally reads of a participant document. */
export interface TalliedParticipant {
  channel: string;
  enteredAt: Date | null;
  invite: { status: string; reason?: InviteRejection; inviterChannel?: string } | null;
  claim: { couponId: string | null } | null;
  progress: { firstInviteAt: Date | null; unlockedAt: Date | null };
  spins: { log: Record<string, { prizeId: string; couponId?: string | null }> };
  group: unknown;
  joinedAt: Date | null;
  /** People console (issue 13): the growth tag rank (domain/tags) */
  tagRank?: number;
}

/** What the tally reads of a participant's coupon (issue 10: figures per channel). */
export interface TalliedCoupon {
  redeemedAt: Date | null;
  kind: 'discount' | 'cash' | 'prize';
  amount: number | null;
  rate: number | null;
  basket?: number | null;
}

/**
 * The channel a verified friend counts for ("brought by"): their inviter's channel when they
 * arrived; before that was recorded (issue 10), their own.
 */
export function broughtBy(p: Pick<TalliedParticipant, 'channel' | 'invite'>): string {
  return p.invite?.inviterChannel ?? p.channel;
}

export type Tally = Map<string, number>;

function add(tally: Tally, path: string, by = 1): void {
  tally.set(path, (tally.get(path) ?? 0) + by);
}

/**
 * Adds one participant's events to the tally; `coupons` are their coupons by id (those missing
 * were not issued, and count nowhere).
 */
export function tallyParticipant(
  tally: Tally,
  p: TalliedParticipant,
  coupons: ReadonlyMap<string, TalliedCoupon> = new Map(),
): void {
  if (p.enteredAt) {
    add(tally, 'visitors');
    add(tally, `channels.${p.channel}.visitors`);
  }
  if (p.claim) {
    add(tally, 'claims');
    add(tally, `channels.${p.channel}.claims`);
  }
  const records = Object.values(p.spins.log);
  if (records.length > 0) {
    add(tally, 'spinners');
    add(tally, `channels.${p.channel}.spinners`);
  }
  for (const record of records) {
    add(tally, 'spins');
    add(tally, `prizes.${record.prizeId}.issued`);
  }
  if (p.progress.firstInviteAt) add(tally, 'inviters');
  if (p.progress.unlockedAt) add(tally, 'cardsUnlocked');
  if (p.invite?.status === 'verified') {
    add(tally, 'invitesVerified');
    add(tally, `channels.${broughtBy(p)}.verified`);
  }
  const couponIds = [p.claim?.couponId, ...records.map((r) => r.couponId)];
  for (const id of couponIds) {
    const coupon = id ? coupons.get(id) : undefined;
    if (!coupon) continue;
    add(tally, `channels.${p.channel}.couponsIssued`);
    if (coupon.redeemedAt) {
      add(tally, `channels.${p.channel}.couponsRedeemed`);
      add(tally, `channels.${p.channel}.redeemedValue`, couponFaceValue(coupon));
      add(tally, `channels.${p.channel}.revenue`, coupon.basket ?? 0);
    }
  }
  if (p.invite?.status === 'rejected' && p.invite.reason) add(tally, `rejected.${p.invite.reason}`);
  if (p.group) add(tally, 'groupHandouts');
  if (p.joinedAt) add(tally, 'groupJoins');
  // People console (issue 13): members by tag, and invites waiting for review
  if (p.enteredAt) add(tally, `tags.${tagOfRank(p.tagRank)}`);
  if (p.invite?.status === 'held') add(tally, 'invitesHeld');
}

/** Adds what other collections say: coupons, and refusals of returning visitors. */
export function tallyRecords(
  tally: Tally,
  records: {
    couponsIssued: number;
    couponsRedeemed: number;
    rejections: ReadonlyMap<InviteRejection, number>;
  },
): void {
  add(tally, 'couponsIssued', records.couponsIssued);
  add(tally, 'couponsRedeemed', records.couponsRedeemed);
  for (const [reason, count] of records.rejections) add(tally, `rejected.${reason}`, count);
}

const RECOUNTED = [
  /^(visitors|claims|spins|spinners|inviters|invitesVerified|cardsUnlocked)$/,
  /^(groupHandouts|groupJoins|couponsIssued|couponsRedeemed)$/,
  /^rejected\.[A-Z_]+$/,
  /^channels\.[^.]+\.(visitors|claims|verified)$/,
  // issue 10
  /^channels\.[^.]+\.(spinners|couponsIssued|couponsRedeemed|redeemedValue|revenue)$/,
  /^prizes\.[^.]+\.issued$/,
  // People console (issue 13)
  /^tags\.[SABC]$/,
  /^invitesHeld$/,
];

/** The counter paths the records can tell; others (failed risk checks…) stay as counted. */
export function isRecounted(path: string): boolean {
  return RECOUNTED.some((pattern) => pattern.test(path));
}
