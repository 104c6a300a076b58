/**
 * The dashboard's figures recounted from the records (the reconciler's truth). Counters are
 * the fast path, bumped by the call that made each event happen; these functions say what they
 * must equal. Pure: the reconciler feeds them documents page by page.
 */
import { isCohortPath, returnIncrements } from './cohorts';
import { couponFaceValue } from './coupon';
import type { InviteRejection } from './invite';
import { tagOfRank } from './tags';
import { shanghaiDayKey } from './time';
import { dayPath, parseDayPath } from './trends';

/** What the tally reads of a participant document. */
export interface TalliedParticipant {
  channel: string;
  enteredAt: Date | null;
  invite: {
    status: string;
    reason?: InviteRejection;
    inviterChannel?: string;
    verifiedAt?: Date;
    at: Date;
  } | null;
  claim: { couponId: string | null; at: Date } | null;
  progress: { firstInviteAt: Date | null; unlockedAt: Date | null };
  spins: { log: Record<string, { prizeId: string; couponId?: string | null; at: Date }> };
  /** `firstAt`: the first hand-out's time, kept when a dead QR's group is replaced (issue 15) */
  group: { at: Date; firstAt?: Date } | null;
  joinedAt: Date | null;
  /** People console (issue 13): the growth tag rank (domain/tags) */
  tagRank?: number;
  // Retention (issue 15)
  /** the first visit on a later Shanghai day than the entry (domain/cohorts) */
  returnedAt?: Date | null;
  /** the coupons whose redemption counts on this member, keyed by coupon id */
  redeemed?: Record<string, Date>;
}

/** What the tally reads of a participant's coupon (issue 10: figures per channel). */
export interface TalliedCoupon {
  issuedAt: Date;
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

/**
 * When a verified invite was verified (its daily figure's day, issue 15); one verified before the
 * time was kept: the friend's claim, else their arrival.
 */
export function verifiedAtOf(p: Pick<TalliedParticipant, 'invite' | 'claim'>): Date {
  return p.invite?.verifiedAt ?? p.claim?.at ?? p.invite?.at ?? new Date(0);
}

export type Tally = Map<string, number>;

function add(tally: Tally, path: string, by = 1): void {
  tally.set(path, (tally.get(path) ?? 0) + by);
}

/** Adds a figure and (issue 15) its daily twin on the Shanghai day of `at`. */
function addOn(tally: Tally, at: Date, path: string, by = 1): void {
  add(tally, path, by);
  add(tally, dayPath(shanghaiDayKey(at), path), by);
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
    addOn(tally, p.enteredAt, 'visitors');
    addOn(tally, p.enteredAt, `channels.${p.channel}.visitors`);
    // Retention (issue 15): the cohort's returns, from the first return
    if (p.returnedAt) {
      const returns = returnIncrements(
        { enteredAt: p.enteredAt, channel: p.channel },
        p.returnedAt,
      );
      for (const [path, by] of Object.entries(returns)) add(tally, path, by);
    }
  }
  if (p.claim) {
    addOn(tally, p.claim.at, 'claims');
    addOn(tally, p.claim.at, `channels.${p.channel}.claims`);
  }
  const records = Object.values(p.spins.log);
  if (records.length > 0) {
    const first = records.reduce((a, b) => (b.at < a.at ? b : a)).at;
    addOn(tally, first, 'spinners');
    addOn(tally, first, `channels.${p.channel}.spinners`);
  }
  for (const record of records) {
    addOn(tally, record.at, 'spins');
    add(tally, `prizes.${record.prizeId}.issued`);
  }
  if (p.progress.firstInviteAt) addOn(tally, p.progress.firstInviteAt, 'inviters');
  if (p.progress.unlockedAt) addOn(tally, p.progress.unlockedAt, 'cardsUnlocked');
  if (p.invite?.status === 'verified') {
    const at = verifiedAtOf(p);
    addOn(tally, at, 'invitesVerified');
    addOn(tally, at, `channels.${broughtBy(p)}.verified`);
  }
  const couponIds = [p.claim?.couponId, ...records.map((r) => r.couponId)];
  for (const id of couponIds) {
    const coupon = id ? coupons.get(id) : undefined;
    if (!coupon) continue;
    addOn(tally, coupon.issuedAt, `channels.${p.channel}.couponsIssued`);
    if (coupon.redeemedAt) {
      addOn(tally, coupon.redeemedAt, `channels.${p.channel}.couponsRedeemed`);
      addOn(
        tally,
        coupon.redeemedAt,
        `channels.${p.channel}.redeemedValue`,
        couponFaceValue(coupon),
      );
      addOn(tally, coupon.redeemedAt, `channels.${p.channel}.revenue`, coupon.basket ?? 0);
    }
  }
  if (p.invite?.status === 'rejected' && p.invite.reason) add(tally, `rejected.${p.invite.reason}`);
  if (p.group) addOn(tally, p.group.firstAt ?? p.group.at, 'groupHandouts');
  if (p.joinedAt) addOn(tally, p.joinedAt, 'groupJoins');
  // People console (issue 13): members by tag, and invites waiting for review
  if (p.enteredAt) add(tally, `tags.${tagOfRank(p.tagRank)}`);
  if (p.invite?.status === 'held') add(tally, 'invitesHeld');
  // Retention (issue 15): members who redeemed once, and again (复购)
  if (p.enteredAt) {
    const redemptions = Object.keys(p.redeemed ?? {}).length;
    for (const path of redeemerPaths(p.channel, redemptions)) add(tally, path);
  }
}

/**
 * Retention (issue 15): the repurchase figures a member with `redemptions` counted redemptions
 * holds: `redeemers` (≥ 1) and `repeatRedeemers` (≥ 2), for the campaign and their channel.
 */
export function redeemerPaths(channel: string, redemptions: number): string[] {
  return [
    ...(redemptions >= 1 ? ['redeemers', `channels.${channel}.redeemers`] : []),
    ...(redemptions >= 2 ? ['repeatRedeemers', `channels.${channel}.repeatRedeemers`] : []),
  ];
}

/**
 * What a member's redemption count moving from `from` to `to` (by one) adds to the repurchase
 * figures: +1 redeemer at 0 → 1, +1 repeat redeemer at 1 → 2, and back for a reversal.
 */
export function redeemerMoves(channel: string, from: number, to: number): Record<string, number> {
  const moves: Record<string, number> = {};
  for (const path of redeemerPaths(channel, to)) moves[path] = (moves[path] ?? 0) + 1;
  for (const path of redeemerPaths(channel, from)) moves[path] = (moves[path] ?? 0) - 1;
  return Object.fromEntries(Object.entries(moves).filter(([, by]) => by !== 0));
}

/**
 * Retention (issue 15): one coupon (or prize voucher) of the campaign, whoever holds it: the
 * funnel's coupons issued and redeemed, and the face value redeemed, each on its day.
 */
export function tallyCampaignCoupon(tally: Tally, coupon: TalliedCoupon): void {
  addOn(tally, coupon.issuedAt, 'couponsIssued');
  if (coupon.redeemedAt) {
    addOn(tally, coupon.redeemedAt, 'couponsRedeemed');
    addOn(tally, coupon.redeemedAt, 'redeemedValue', couponFaceValue(coupon));
  }
}

/** Adds what other collections say: refusals of returning visitors. */
export function tallyRecords(
  tally: Tally,
  records: { rejections: ReadonlyMap<InviteRejection, number> },
): void {
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
  // Retention (issue 15)
  /^redeemedValue$/,
  /^(channels\.[^.]+\.)?(redeemers|repeatRedeemers)$/,
];

/** The counter paths the records can tell; others (failed risk checks…) stay as counted. */
export function isRecounted(path: string): boolean {
  // Retention (issue 15): the daily twins of recounted figures, and the cohorts' returns
  const daily = parseDayPath(path);
  if (daily) return isRecounted(daily.path);
  return isCohortPath(path) || RECOUNTED.some((pattern) => pattern.test(path));
}
