/**
 * `blackcard.get`: the inviter's card (黑卡), its progress, rights and invitees; with the rights'
 * quotas and what is left this period, and the invite ladder (Rewards, issue 12).
 */
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { inviteeLabel } from '../../_shared/domain/mask';
import { requireCampaign, requireParticipant } from '../../_shared/guards';
import { INVITEES_SHOWN } from '../../_shared/limits';
import { countPendingInvitees, findInvitees } from '../../_shared/repositories/participants';
import { findProfiles, type UserProfile } from '../../_shared/repositories/users';
import { ladderOf } from '../../_shared/domain/milestones';
import { rightUsages } from '../../_shared/rights';

export async function getBlackCard(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['blackcard.get']> {
  const campaignDoc = await requireCampaign(now, { running: false });
  const campaign = campaignDoc.config;
  const participant = await requireParticipant(campaignDoc._id, caller.openid);
  // Pending is counted from the invitees themselves, so it can never drift or go negative.
  const [invitees, pending, rights] = await Promise.all([
    findInvitees(campaignDoc._id, caller.openid, INVITEES_SHOWN),
    countPendingInvitees(campaignDoc._id, caller.openid),
    rightUsages(participant._id, campaign.blackCard.rights, now),
  ]);
  // Distribution (issue 10): invitees by the nickname they chose (masked openid as a last resort)
  const profiles = invitees.length
    ? new Map((await findProfiles(invitees.map((p) => p.openid))).map((u) => [u._id, u.profile]))
    : new Map<string, UserProfile | null | undefined>();
  const { progress } = participant;
  return {
    required: campaign.blackCard.invitesRequired,
    verified: progress.verified,
    pending,
    unlocked: progress.unlockedAt !== null,
    ...(progress.unlockedAt ? { unlockedAt: progress.unlockedAt.toISOString() } : {}),
    joinedGroup: participant.joinedAt !== null,
    // Always the current config: rights keep changing (权益会不断更新), never a copy.
    rights,
    invitees: invitees
      .filter((p) => p.invite)
      .map((p) => ({
        label: inviteeLabel(profiles.get(p.openid)?.nickname, p.openid),
        status: p.invite!.status,
        at: (p.invite!.verifiedAt ?? p.invite!.at).toISOString(),
      })),
    ladder: ladderOf(campaign, progress.verified),
  };
}
