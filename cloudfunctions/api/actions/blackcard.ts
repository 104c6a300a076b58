/** `blackcard.get`: the inviter's card (黑卡), its progress, rights and invitees. */
import { requireCampaign, requireUser } from '../../_shared/context';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { inviteeLabel } from '../../_shared/domain/mask';
import { INVITEES_SHOWN } from '../../_shared/limits';
import { findInvitees } from '../../_shared/repositories/users';

export async function getBlackCard(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['blackcard.get']> {
  const campaign = (await requireCampaign(now, { running: false })).config;
  const user = await requireUser(caller.openid);
  const invitees = await findInvitees(caller.openid, INVITEES_SHOWN);
  const { progress } = user;
  return {
    required: campaign.blackCard.invitesRequired,
    verified: progress.verified,
    pending: progress.pending,
    unlocked: progress.unlockedAt !== null,
    ...(progress.unlockedAt ? { unlockedAt: progress.unlockedAt.toISOString() } : {}),
    joinedGroup: user.joinedAt !== null,
    // Always the current config: rights keep changing (权益会不断更新), never a copy.
    rights: campaign.blackCard.rights.map((r) => ({ ...r })),
    invitees: invitees
      .filter((u) => u.invite)
      .map((u) => ({
        label: inviteeLabel(null, u._id),
        status: u.invite!.status,
        at: (u.invite!.verifiedAt ?? u.invite!.at).toISOString(),
      })),
  };
}
