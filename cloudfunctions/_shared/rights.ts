/**
 * The black card's rights as a member (and the staff serving them) read them (Rewards, issue
 * 12): always from the current config (权益会不断更新: a right added or changed shows at once),
 * each with its quota and what is left of it in the current period, counted in `right_uses`.
 */
import type { BlackCardRight } from './campaign';
import type { RightUsage } from './contracts';
import { describeLeft, describeQuota, periodAt, quotaLeft, rightPeriod } from './domain/quota';
import { rightUseIdFor } from './ids';
import { findRightUses } from './repositories/right-uses';

/** Where one right's uses by one participant are counted now. */
export function rightUseDocId(participantId: string, right: BlackCardRight, now: Date): string {
  return rightUseIdFor(participantId, right.id, periodAt(rightPeriod(right), now).key);
}

export function rightUsage(right: BlackCardRight, used: number): RightUsage {
  return {
    id: right.id,
    title: right.title,
    description: right.description,
    rule: describeQuota(right),
    quota: right.quota ?? null,
    used,
    left: quotaLeft(right, used),
    leftText: describeLeft(right, used),
  };
}

/** Every right of the current config with this period's uses (one read for all). */
export async function rightUsages(
  participantId: string,
  rights: readonly BlackCardRight[],
  now: Date,
): Promise<RightUsage[]> {
  const ids = rights.map((right) => rightUseDocId(participantId, right, now));
  const used = new Map((await findRightUses(ids)).map((doc) => [doc._id, doc.used]));
  return rights.map((right, i) => rightUsage(right, used.get(ids[i]) ?? 0));
}
