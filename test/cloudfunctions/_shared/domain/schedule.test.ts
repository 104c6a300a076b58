import {
  campaignPhase,
  claimWindowPhase,
} from '../../../../cloudfunctions/_shared/domain/schedule';

const campaign = {
  startAt: '2025-03-01T00:00:00+08:00',
  endAt: '2025-03-31T00:00:00+08:00',
  magnet: {
    claimWindow: { startAt: '2025-03-05T10:00:00+08:00', endAt: '2025-03-08T00:00:00+08:00' },
  },
};

describe('campaign and claim-window phases', () => {
  it.each([
    ['2025-02-28T15:59:59.999Z', 'upcoming'],
    ['2025-02-28T16:00:00.000Z', 'open'],
    ['2025-03-30T15:59:59.999Z', 'open'],
    ['2025-03-30T16:00:00.000Z', 'over'],
  ] as const)('campaign at %s is %s', (now, phase) => {
    expect(campaignPhase(campaign, new Date(now))).toBe(phase);
  });

  it.each([
    ['2025-03-05T01:59:59.999Z', 'upcoming'],
    ['2025-03-05T02:00:00.000Z', 'open'],
    ['2025-03-07T15:59:59.999Z', 'open'],
    ['2025-03-07T16:00:00.000Z', 'over'],
  ] as const)('claim window at %s is %s', (now, phase) => {
    expect(claimWindowPhase(campaign, new Date(now))).toBe(phase);
  });
});
