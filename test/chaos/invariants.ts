/**
 * The invariants of the reliability issue, checked from the raw export of the store — counted
 * here from the documents, independently of the functions' own tally — and answered as a list
 * of violations (empty: all hold). Used after every chaos burst, retries and one reconciler run.
 */
import { couponFaceValue } from '../../cloudfunctions/_shared/domain/coupon';
import { tagOfRank } from '../../cloudfunctions/_shared/domain/tags';
import type { StoreSnapshot } from '../../emulator/store';

type Doc = Record<string, any>;

export interface CampaignFacts {
  campaignId: string;
  /** configured stock of each limited prize */
  stock: Record<string, number>;
  invitesRequired: number;
  /** Retention (issue 15): the campaign names a repurchase coupon (复购券) */
  repurchase: boolean;
}

function all(snapshot: StoreSnapshot, collection: string): Doc[] {
  return (snapshot.collections[collection] ?? []) as Doc[];
}

/** Milliseconds of a date as the export writes it (`{ $date: iso }`). */
function ms(value: unknown): number {
  const raw = (value as { $date?: string | number } | null)?.$date ?? value;
  return typeof raw === 'number' ? raw : Date.parse(String(raw));
}

/** The Shanghai calendar day of a date (UTC+8, no daylight saving), counted here on its own. */
const SHANGHAI_MS = 8 * 3600e3;
const dayNumber = (value: unknown) => Math.floor((ms(value) + SHANGHAI_MS) / 86400e3);
const dayOf = (value: unknown) => new Date(ms(value) + SHANGHAI_MS).toISOString().slice(0, 10);

/** Figures as the dashboard should show them, counted from the records. */
export function recount(snapshot: StoreSnapshot, facts: CampaignFacts): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, by = 1) => counts.set(key, (counts.get(key) ?? 0) + by);
  // Retention (issue 15): a figure and its twin on the day it happened
  const addOn = (at: unknown, key: string, by = 1) => {
    add(key, by);
    add(`days.${dayOf(at)}.${key}`, by);
  };
  const participants = all(snapshot, 'participants').filter(
    (p) => p.campaignId === facts.campaignId,
  );
  const coupons = new Map(all(snapshot, 'coupons').map((c) => [c._id, c]));
  for (const p of participants) {
    if (p.enteredAt) {
      addOn(p.enteredAt, 'visitors');
      addOn(p.enteredAt, `channels.${p.channel}.visitors`);
      // Retention (issue 15): the first return's day after the first visit's, per window
      if (p.returnedAt) {
        const offset = dayNumber(p.returnedAt) - dayNumber(p.enteredAt);
        const cohort = `cohorts.${dayOf(p.enteredAt)}.${p.channel}`;
        if (offset === 1) add(`${cohort}.d1`);
        if (offset >= 1 && offset <= 7) add(`${cohort}.d7`);
        if (offset >= 1 && offset <= 30) add(`${cohort}.d30`);
      }
      // members who redeemed once, and again (复购)
      const redeemed = Object.keys(p.redeemed ?? {}).length;
      for (const [n, figure] of [
        [1, 'redeemers'],
        [2, 'repeatRedeemers'],
      ] as const) {
        if (redeemed < n) continue;
        add(figure);
        add(`channels.${p.channel}.${figure}`);
      }
    }
    if (p.claim) {
      addOn(p.claim.at, 'claims');
      addOn(p.claim.at, `channels.${p.channel}.claims`);
    }
    const records = Object.values(p.spins.log ?? {}) as Doc[];
    if (records.length) {
      const first = Math.min(...records.map((r) => ms(r.at)));
      addOn(first, 'spinners');
      addOn(first, `channels.${p.channel}.spinners`);
    }
    for (const r of records) {
      addOn(r.at, 'spins');
      add(`prizes.${r.prizeId}.issued`);
    }
    // a participant's coupons count for their channel
    for (const id of [p.claim?.couponId, ...records.map((r) => r.couponId)]) {
      const coupon = id ? coupons.get(id) : undefined;
      if (!coupon) continue;
      addOn(coupon.issuedAt, `channels.${p.channel}.couponsIssued`);
      if (coupon.redeemedAt) {
        const at = coupon.redeemedAt;
        addOn(at, `channels.${p.channel}.couponsRedeemed`);
        addOn(at, `channels.${p.channel}.redeemedValue`, couponFaceValue(coupon as never));
        addOn(at, `channels.${p.channel}.revenue`, coupon.basket ?? 0);
      }
    }
    if (p.progress.firstInviteAt) addOn(p.progress.firstInviteAt, 'inviters');
    if (p.progress.unlockedAt) addOn(p.progress.unlockedAt, 'cardsUnlocked');
    if (p.invite?.status === 'verified') {
      const at = p.invite.verifiedAt ?? p.claim?.at ?? p.invite.at;
      addOn(at, 'invitesVerified');
      // a friend counts for the channel that brought them: their inviter's when they arrived
      addOn(at, `channels.${p.invite.inviterChannel ?? p.channel}.verified`);
    }
    if (p.invite?.status === 'rejected') add(`rejected.${p.invite.reason}`);
    if (p.group) addOn(p.group.firstAt ?? p.group.at, 'groupHandouts');
    if (p.joinedAt) addOn(p.joinedAt, 'groupJoins');
    // People console (issue 13): members by growth tag, invites held for review
    if (p.enteredAt) add(`tags.${tagOfRank(p.tagRank)}`);
    if (p.invite?.status === 'held') add('invitesHeld');
  }
  for (const r of all(snapshot, 'invite_rejections')) {
    if (r.campaignId === facts.campaignId) add(`rejected.${r.reason}`);
  }
  for (const c of all(snapshot, 'coupons')) {
    if (c.campaignId !== facts.campaignId) continue;
    addOn(c.issuedAt, 'couponsIssued');
    if (c.redeemedAt) {
      addOn(c.redeemedAt, 'couponsRedeemed');
      addOn(c.redeemedAt, 'redeemedValue', couponFaceValue(c as never));
    }
  }
  return counts;
}

/** The stored counters of a campaign, summed over shards, as flat paths. */
export function storedCounters(snapshot: StoreSnapshot, campaignId: string): Map<string, number> {
  const totals = new Map<string, number>();
  const walk = (prefix: string, value: unknown) => {
    if (typeof value === 'number') totals.set(prefix, (totals.get(prefix) ?? 0) + value);
    else if (value && typeof value === 'object' && !('$date' in (value as object))) {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    }
  };
  for (const shard of all(snapshot, 'counters')) {
    if (shard.campaignId !== campaignId) continue;
    const { _id: _i, campaignId: _c, ...metrics } = shard;
    walk('', metrics);
  }
  return totals;
}

export function violations(snapshot: StoreSnapshot, facts: CampaignFacts): string[] {
  const problems: string[] = [];
  const participants = all(snapshot, 'participants').filter(
    (p) => p.campaignId === facts.campaignId,
  );
  const byId = new Map(participants.map((p) => [p._id, p]));
  const coupons = new Map(all(snapshot, 'coupons').map((c) => [c._id, c]));

  // Every consumed spin has exactly one recorded result; coupons belong to exactly one spin.
  const spinCoupons = new Map<string, number>();
  const held = new Map<string, string>(); // spinId → shard, from the records
  for (const p of participants) {
    const records = Object.values(p.spins.log ?? {}) as Doc[];
    if (p.spins.total !== records.length) {
      problems.push(`${p._id}: ${p.spins.total} spins consumed, ${records.length} recorded`);
    }
    for (const r of records) {
      if (r.couponId) {
        spinCoupons.set(r.couponId, (spinCoupons.get(r.couponId) ?? 0) + 1);
        if (!coupons.has(r.couponId)) problems.push(`${p._id}: spin ${r.spinId} has no coupon`);
      }
      if (r.stockShard) held.set(r.spinId, r.stockShard);
    }
    if (p.claim?.couponId && !coupons.has(p.claim.couponId)) {
      problems.push(`${p._id}: claim without its coupon`);
    }
  }
  for (const c of coupons.values()) {
    if (c.campaignId !== facts.campaignId || c.source !== 'lottery') continue;
    if (spinCoupons.get(c._id) !== 1) problems.push(`coupon ${c._id} belongs to no recorded spin`);
  }
  for (const [id, n] of spinCoupons) if (n > 1) problems.push(`coupon ${id} named by ${n} spins`);

  // Stock: never oversold; remaining + won = configured; every unit held by a recorded spin.
  const shards = all(snapshot, 'stock').filter((s) => s.campaignId === facts.campaignId);
  for (const [prizeId, configured] of Object.entries(facts.stock)) {
    const own = shards.filter((s) => s.prizeId === prizeId);
    const left = own.reduce((sum, s) => sum + s.left, 0);
    const holders = own.flatMap((s) => Object.keys(s.holders ?? {}).map((spin) => [spin, s._id]));
    const won = participants.reduce(
      (sum, p) =>
        sum +
        (Object.values(p.spins.log ?? {}) as Doc[]).filter((r) => r.prizeId === prizeId).length,
      0,
    );
    const sumConfigured = own.reduce((sum, s) => sum + s.configured, 0);
    if (sumConfigured !== configured) {
      problems.push(`${prizeId}: shards configured ${sumConfigured}, config says ${configured}`);
    }
    if (won > configured) problems.push(`${prizeId}: won ${won} of a stock of ${configured}`);
    if (left + won !== configured) {
      problems.push(`${prizeId}: remaining ${left} + won ${won} ≠ configured ${configured}`);
    }
    for (const s of own) if (s.left < 0) problems.push(`${s._id}: left ${s.left}`);
    for (const [spin, shard] of holders) {
      if (held.get(spin) !== shard) problems.push(`${shard}: unit held by unrecorded spin ${spin}`);
    }
  }

  // Invites: every verified invitee counted by the inviter exactly once; cards follow counts.
  const counted = new Map<string, number>();
  for (const p of participants) {
    const invite = p.invite;
    if (!invite || (invite.status !== 'verified' && invite.reason !== 'INVITER_DAILY_CAP'))
      continue;
    const inviter = byId.get(`${facts.campaignId}:${invite.inviterId}`);
    const credit = inviter?.progress.credits?.[p.inviteCode];
    if (invite.status === 'verified' && !(credit && credit.counted)) {
      problems.push(`${p._id}: verified but not counted by the inviter`);
    }
    if (invite.status === 'rejected' && !(credit && !credit.counted)) {
      problems.push(`${p._id}: refused for the cap but not judged so by the inviter`);
    }
  }
  // by invite code: the simulated campaign of `npm run bench` checks 100,000 participants
  const byCode = new Set(participants.map((q) => q.inviteCode));
  for (const p of participants) {
    for (const [code, credit] of Object.entries((p.progress.credits ?? {}) as Doc)) {
      if (credit.counted) counted.set(p._id, (counted.get(p._id) ?? 0) + 1);
      if (!byCode.has(code)) problems.push(`${p._id}: credit for unknown invitee ${code}`);
    }
    const n = counted.get(p._id) ?? 0;
    if (p.progress.verified !== n)
      problems.push(`${p._id}: verified ${p.progress.verified}, counted ${n}`);
    if (!!p.progress.unlockedAt !== n >= facts.invitesRequired) {
      problems.push(`${p._id}: card ${p.progress.unlockedAt ? 'unlocked' : 'locked'} at ${n}`);
    }
  }

  // Groups: hand-outs equal the participants holding the group; never over capacity.
  const holding = new Map<string, number>();
  for (const p of all(snapshot, 'participants')) {
    if (p.group) holding.set(p.group.groupId, (holding.get(p.group.groupId) ?? 0) + 1);
  }
  for (const g of all(snapshot, 'groups')) {
    const members = Object.keys(g.members ?? {}).length;
    if (g.handedOut !== members)
      problems.push(`${g._id}: handedOut ${g.handedOut}, members ${members}`);
    if (g.handedOut !== (holding.get(g._id) ?? 0)) {
      problems.push(`${g._id}: handedOut ${g.handedOut}, held by ${holding.get(g._id) ?? 0}`);
    }
    if (g.handedOut > g.capacity)
      problems.push(`${g._id}: ${g.handedOut} over capacity ${g.capacity}`);
  }

  // Retention (issue 15): each coupon redemption standing in the ledger earned exactly one
  // repurchase coupon, and each repurchase coupon follows one; a member counts exactly the
  // coupons of theirs that stand redeemed.
  const ledger = all(snapshot, 'redemptions').filter((r) => r.campaignId === facts.campaignId);
  const ledgerById = new Map(ledger.map((r) => [r._id as string, r]));
  const earned = new Map<string, number>();
  for (const c of coupons.values()) {
    if (c.campaignId !== facts.campaignId || c.source !== 'repurchase') continue;
    earned.set(c.repurchaseOf, (earned.get(c.repurchaseOf) ?? 0) + 1);
    const cause = ledgerById.get(c.repurchaseOf);
    if (!cause || cause.kind !== 'coupon') {
      problems.push(`repurchase coupon ${c._id} follows no coupon redemption`);
    } else if (cause.reversedAt && !c.redeemedAt && !c.withdrawnAt) {
      problems.push(`repurchase coupon ${c._id} usable after its redemption was reversed`);
    }
  }
  for (const r of ledger) {
    if (r.kind !== 'coupon' || r.reversedAt) continue;
    const n = earned.get(r._id) ?? 0;
    if (n !== (facts.repurchase ? 1 : 0))
      problems.push(`redemption ${r._id}: ${n} repurchase coupons`);
  }
  // each owner's coupons that stand redeemed, gathered once (a campaign of 100,000 members)
  const redeemedBy = new Map<string, string[]>();
  for (const c of coupons.values()) {
    if (c.campaignId !== facts.campaignId || !c.redeemedAt) continue;
    const own = redeemedBy.get(c.owner) ?? [];
    own.push(c._id as string);
    redeemedBy.set(c.owner, own);
  }
  for (const p of participants) {
    const marked = Object.keys(p.redeemed ?? {}).sort();
    const standing = (redeemedBy.get(p.openid) ?? []).sort();
    if (marked.join() !== standing.join()) {
      problems.push(`${p._id}: counts redemptions ${marked.join()}, redeemed ${standing.join()}`);
    }
    if ((p.redemptions ?? 0) !== marked.length) {
      problems.push(`${p._id}: redemptions ${p.redemptions}, marked ${marked.length}`);
    }
  }

  // Counters equal the counts of the records.
  const truth = recount(snapshot, facts);
  const stored = storedCounters(snapshot, facts.campaignId);
  for (const key of new Set([...truth.keys(), ...stored.keys()])) {
    if (key === 'riskChecksFailed') continue; // not a record: counted as it happens
    if ((truth.get(key) ?? 0) !== (stored.get(key) ?? 0)) {
      problems.push(
        `counter ${key}: stored ${stored.get(key) ?? 0}, records ${truth.get(key) ?? 0}`,
      );
    }
  }
  return problems;
}
