/**
 * Operator studio (issue 9): the traffic the demo campaign (demo-campaign.ts) is projected with —
 * a neighbourhood tea shop's opening month: a poster and a counter card in the shop, a paid
 * Moments ad and a local food blogger. The editor starts from these for the demo and from the
 * defaults (domain/simulate.ts) for any other campaign; `npm run simulate -- --demo` uses them.
 */
import type { TrafficAssumptionsInput } from './contracts';

export const DEMO_ASSUMPTIONS: TrafficAssumptionsInput = {
  visitorsPerDay: { poster: 40, store: 25, moments: 60, kol: 30 },
  claimRate: 0.6,
  shareRate: 0.3,
  friendsPerSharer: 2,
  friendClaimRate: 0.5,
  spinsUsed: 0.9,
  redemptionRate: 0.35,
  averageOrderFen: 3_500,
  peakHourShare: 0.15,
};
