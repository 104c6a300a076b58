/**
 * Where `now` falls relative to the campaign and to the magnet's claim window (有时效).
 * Intervals are half-open, [startAt, endAt): at endAt exactly it is over.
 */
export type Phase = 'upcoming' | 'open' | 'over';

/** Instants as in the campaign document (ISO-8601 strings). */
export interface TimeWindow {
  startAt: string;
  endAt: string;
}

function phaseOf(window: TimeWindow, now: Date): Phase {
  const t = now.getTime();
  if (t < Date.parse(window.startAt)) return 'upcoming';
  return t < Date.parse(window.endAt) ? 'open' : 'over';
}

/** The campaign is running while its phase is 'open' (else CAMPAIGN_NOT_ACTIVE). */
export function campaignPhase(campaign: TimeWindow, now: Date): Phase {
  return phaseOf(campaign, now);
}

/** The magnet can be claimed while this is 'open' (else CLAIM_WINDOW_CLOSED). */
export function claimWindowPhase(
  campaign: { magnet: { claimWindow: TimeWindow } },
  now: Date,
): Phase {
  return phaseOf(campaign.magnet.claimWindow, now);
}
