/**
 * Crediting an inviter once their invitee qualifies (claims the magnet): +1 verified, bonus
 * spins within today's cap, and the black card when the count reaches `invitesRequired`.
 *
 * Many invitees of one inviter may qualify at the same moment (a KOL posts in a big group), so
 * the inviter's document is never overwritten with values computed from a read: the update
 * increments, and its condition holds exactly the facts the computation relied on (this invitee
 * not credited yet, the day the daily figures belong to, room under today's bonus cap). Two
 * concurrent credits only collide at a day change or at the cap, and then re-read once.
 */
import type { Campaign } from '../../_shared/campaign';
import { command } from '../../_shared/db';
import { verifyInvite } from '../../_shared/domain/invite';
import { findUser, updateUserIf, type UserDoc } from '../../_shared/repositories/users';

const MAX_ATTEMPTS = 5;

export interface CreditOutcome {
  /** false when this invitee had already been credited (a retry) */
  credited: boolean;
  unlocksNow: boolean;
}

export async function creditInviter(
  invitee: Pick<UserDoc, 'inviteCode'>,
  inviterId: string,
  campaign: Campaign,
  now: Date,
): Promise<CreditOutcome> {
  const _ = command();
  const creditPath = `progress.credits.${invitee.inviteCode}`;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const inviter = await findUser(inviterId);
    if (!inviter || inviter.progress.credits[invitee.inviteCode]) break;
    const progress = inviter.progress;
    const outcome = verifyInvite({
      progress: {
        verified: progress.verified,
        bonusEarnedToday: progress.bonusEarnedToday,
        bonusDayKey: progress.dayKey,
        unlockedAt: progress.unlockedAt,
      },
      campaign,
      now,
      // the invitee's risk was judged at their claim; only allowed invitees get here
      inviteeRisk: 'allow',
    });
    if (!outcome.counts) break;

    const sameDay = progress.dayKey === outcome.dayKey;
    const { maxBonusSpinsPerDay } = campaign.lottery;
    const condition = {
      [creditPath]: _.exists(false),
      ...(sameDay
        ? {
            'progress.dayKey': outcome.dayKey,
            'progress.bonusEarnedToday':
              outcome.bonusSpins > 0
                ? _.lte(maxBonusSpinsPerDay - outcome.bonusSpins) // still room for these
                : _.gte(maxBonusSpinsPerDay), // still no room (nothing is taken)
          }
        : { 'progress.dayKey': _.neq(outcome.dayKey) }),
    };
    const applied = await updateUserIf(inviterId, condition, {
      [creditPath]: now,
      'progress.verified': _.inc(1),
      'progress.pending': _.inc(-1),
      // a balance that spins spend concurrently: always an increment
      'progress.bonusBalance': _.inc(outcome.bonusSpins),
      ...(sameDay
        ? {
            'progress.verifiedToday': _.inc(1),
            'progress.bonusEarnedToday': _.inc(outcome.bonusSpins),
          }
        : {
            'progress.dayKey': outcome.dayKey,
            'progress.verifiedToday': 1,
            'progress.bonusEarnedToday': outcome.bonusSpins,
          }),
    });
    if (!applied) continue; // the day turned or the cap filled meanwhile: read again

    // Unlock on the stored count, not on what this call read: when invitees qualify together,
    // whichever increment reaches `invitesRequired` is seen by its own check.
    const unlocksNow =
      progress.unlockedAt === null &&
      (await updateUserIf(
        inviterId,
        {
          'progress.unlockedAt': _.eq(null),
          'progress.verified': _.gte(campaign.blackCard.invitesRequired),
        },
        { 'progress.unlockedAt': now },
      ));
    return { credited: true, unlocksNow };
  }
  return { credited: false, unlocksNow: false };
}
