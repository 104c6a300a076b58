/** Which action makes an invite count (operator studio, issue 9). */
import { parseCampaign, type Campaign } from '../../../../cloudfunctions/_shared/campaign';
import { demoCampaign } from '../../../../cloudfunctions/_shared/demo-campaign';
import {
  inviteGaps,
  qualifyingAction,
  verdictFor,
} from '../../../../cloudfunctions/_shared/domain/qualify';

const NOW = new Date('2025-03-05T10:00:00+08:00');
const DAY = 24 * 3600 * 1000;

function campaign(whenClaimClosed: 'spin' | 'none'): Campaign {
  const c = structuredClone(demoCampaign(NOW));
  c.invite.whenClaimClosed = whenClaimClosed;
  const parsed = parseCampaign(c);
  if (!parsed.ok) throw new Error('invalid');
  return parsed.campaign;
}

it('is the claim while the window is open, then what the config names, and nothing outside', () => {
  const spin = campaign('spin');
  const none = campaign('none');
  const afterWindow = new Date(Date.parse(spin.magnet.claimWindow.endAt) + 1);
  expect(qualifyingAction(spin, NOW)).toBe('claim');
  expect(qualifyingAction(spin, afterWindow)).toBe('spin');
  expect(qualifyingAction(none, afterWindow)).toBeNull();
  expect(qualifyingAction(spin, new Date(Date.parse(spin.endAt)))).toBeNull();
  expect(qualifyingAction(spin, new Date(Date.parse(spin.startAt) - 1))).toBeNull();
});

it('judges only a pending invite, only at the qualifying action, refusing the risky', () => {
  const c = campaign('spin');
  const after = new Date(Date.parse(c.magnet.claimWindow.endAt) + DAY);
  const pending = { status: 'pending' };
  expect(
    verdictFor({ invite: pending, action: 'spin', campaign: c, risk: 'allow', now: after }),
  ).toEqual({ status: 'verified', verifiedAt: after });
  expect(
    verdictFor({ invite: pending, action: 'spin', campaign: c, risk: 'downgrade', now: after }),
  ).toEqual({ status: 'rejected', reason: 'RISK' });
  expect(
    verdictFor({ invite: pending, action: 'spin', campaign: c, risk: 'allow', now: NOW }),
  ).toBeNull();
  expect(
    verdictFor({ invite: pending, action: 'claim', campaign: c, risk: 'allow', now: NOW }),
  ).toEqual({
    status: 'verified',
    verifiedAt: NOW,
  });
  expect(
    verdictFor({
      invite: { status: 'verified' },
      action: 'claim',
      campaign: c,
      risk: 'allow',
      now: NOW,
    }),
  ).toBeNull();
  expect(
    verdictFor({ invite: null, action: 'claim', campaign: c, risk: 'allow', now: NOW }),
  ).toBeNull();
});

it('finds the stretch of the campaign where no invite can count', () => {
  expect(inviteGaps(campaign('spin'))).toEqual([]);
  const none = campaign('none');
  expect(inviteGaps(none)).toEqual([{ startAt: none.magnet.claimWindow.endAt, endAt: none.endAt }]);
});
