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
}

function all(snapshot: StoreSnapshot, collection: string): Doc[] {
  return (snapshot.collections[collection] ?? []) as Doc[];
}

/** Figures as the dashboard should show them, counted from the records. */
export function recount(snapshot: StoreSnapshot, facts: CampaignFacts): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string, by = 1) => counts.set(key, (counts.get(key) ?? 0) + by);
  const participants = all(snapshot, 'participants').filter(
    (p) => p.campaignId === facts.campaignId,
  );
  const coupons = new Map(all(snapshot, 'coupons').map((c) => [c._id, c]));
  for (const p of participants) {
    if (p.enteredAt) {
      add('visitors');
      add(`channels.${p.channel}.visitors`);
    }
    if (p.claim) {
      add('claims');
      add(`channels.${p.channel}.claims`);
    }
    const records = Object.values(p.spins.log ?? {}) as Doc[];
    if (records.length) {
      add('spinners');
      add(`channels.${p.channel}.spinners`);
    }
    for (const r of records) {
      add('spins');
      add(`prizes.${r.prizeId}.issued`);
    }
    // a participant's coupons count for their channel
    for (const id of [p.claim?.couponId, ...records.map((r) => r.couponId)]) {
      const coupon = id ? coupons.get(id) : undefined;
      if (!coupon) continue;
      add(`channels.${p.channel}.couponsIssued`);
      if (coupon.redeemedAt) {
        add(`channels.${p.channel}.couponsRedeemed`);
        add(`channels.${p.channel}.redeemedValue`, couponFaceValue(coupon as never));
        add(`channels.${p.channel}.revenue`, coupon.basket ?? 0);
      }
    }
    if (p.progress.firstInviteAt) add('inviters');
    if (p.progress.unlockedAt) add('cardsUnlocked');
    if (p.invite?.status === 'verified') {
      add('invitesVerified');
      // a friend counts for the channel that brought them: their inviter's when they arrived
      add(`channels.${p.invite.inviterChannel ?? p.channel}.verified`);
    }
    if (p.invite?.status === 'rejected') add(`rejected.${p.invite.reason}`);
    if (p.group) add('groupHandouts');
    if (p.joinedAt) add('groupJoins');
    // People console (issue 13): members by growth tag, invites held for review
    if (p.enteredAt) add(`tags.${tagOfRank(p.tagRank)}`);
    if (p.invite?.status === 'held') add('invitesHeld');
  }
  for (const r of all(snapshot, 'invite_rejections')) {
    if (r.campaignId === facts.campaignId) add(`rejected.${r.reason}`);
  }
  for (const c of all(snapshot, 'coupons')) {
    if (c.campaignId !== facts.campaignId) continue;
    add('couponsIssued');
    if (c.redeemedAt) add('couponsRedeemed');
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
