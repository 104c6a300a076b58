/**
 * Which action of an invited friend makes their invite count (is "qualifying"), at a moment.
 *
 * While the magnet can be claimed, claiming it is the qualifying action (SPEC §3). A campaign
 * usually runs longer than its claim window (the demo: a 7-day window in a 30-day campaign);
 * without another action, no invite could be verified for the rest of the campaign, and black
 * cards and bonus spins would quietly stop while every page still urged sharing. So whenever the
 * magnet cannot be claimed, the config names the qualifying action instead
 * (`invite.whenClaimClosed`): the friend's first spin, or none.
 *
 * `verdictFor` decides what the qualifying write records about a pending invite; the write
 * itself (`claimOnce`, `consumeSpin`) makes it once.
 */
import type { Campaign } from '../campaign';
import type { RiskDecision } from './risk';
import { campaignPhase, claimWindowPhase } from './schedule';

export type QualifyingAction = 'claim' | 'spin';

/** The action that verifies a pending invite now, or null when none can. */
export function qualifyingAction(
  campaign: Pick<Campaign, 'startAt' | 'endAt' | 'magnet' | 'invite'>,
  now: Date,
): QualifyingAction | null {
  if (campaignPhase(campaign, now) !== 'open') return null;
  if (claimWindowPhase(campaign, now) === 'open') return 'claim';
  return campaign.invite.whenClaimClosed === 'spin' ? 'spin' : null;
}

export type InviteVerdict =
  { status: 'verified'; verifiedAt: Date } | { status: 'rejected'; reason: 'RISK' };

/**
 * The verdict a qualifying action writes on the invite the participant arrived with: verified,
 * or refused when the participant is risky (a downgraded participant's invite never counts).
 * No verdict when the invite is not pending (none, already judged) or this action does not
 * qualify now.
 */
export function verdictFor(input: {
  invite: { status: string } | null;
  action: QualifyingAction;
  campaign: Pick<Campaign, 'startAt' | 'endAt' | 'magnet' | 'invite'>;
  risk: RiskDecision;
  now: Date;
}): InviteVerdict | null {
  if (input.invite?.status !== 'pending') return null;
  if (qualifyingAction(input.campaign, input.now) !== input.action) return null;
  return input.risk === 'allow'
    ? { status: 'verified', verifiedAt: input.now }
    : { status: 'rejected', reason: 'RISK' };
}

/**
 * Where in a campaign no invite can be verified: the instants from the claim window's end (or
 * before its start) while the campaign still runs, when `whenClaimClosed` is `none`. Empty when
 * invites count for the whole campaign.
 */
export function inviteGaps(
  campaign: Pick<Campaign, 'startAt' | 'endAt' | 'magnet' | 'invite'>,
): Array<{ startAt: string; endAt: string }> {
  if (campaign.invite.whenClaimClosed === 'spin') return [];
  const gaps: Array<{ startAt: string; endAt: string }> = [];
  const window = campaign.magnet.claimWindow;
  if (Date.parse(window.startAt) > Date.parse(campaign.startAt)) {
    gaps.push({ startAt: campaign.startAt, endAt: window.startAt });
  }
  if (Date.parse(window.endAt) < Date.parse(campaign.endAt)) {
    gaps.push({ startAt: window.endAt, endAt: campaign.endAt });
  }
  return gaps;
}
