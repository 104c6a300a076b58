/**
 * Database round trips per visitor action, measured on a warm container by the emulator
 * (`test/cloudfunctions/round-trips.test.ts` asserts each figure, so they cannot drift from the
 * code) and read by the simulator (domain/simulate.ts) to project the database load a campaign
 * puts on its CloudBase plan. Each is the costliest path the test walks for that action.
 */
import type { ApiAction } from './contracts';

export const ROUND_TRIPS = {
  /**
   * a new visitor arriving with a friend's invite code, on the landing (the admin role is read
   * beside the person; the inviter's person and participant; the new person and participant; the
   * counters): the landing's campaign view comes from the container's cache, as campaign.get's
   */
  'session.enter': 8,
  /**
   * the campaign is cached per warm container; its social proof (已有 N 人领取, 仅剩 N 份: the
   * counters and the stock) costs 2 reads at most once per 10 s per container, counted here
   */
  'campaign.get': 2,
  /**
   * the first claim of a friend, verifying the invite (the inviter's first credit of the day),
   * the inviter's reminder subscriptions read (issue 12); a reminder sent adds 3, a credit that
   * reaches the card or a ladder step 2 (the unlock, the inviter read again: issue 14)
   */
  'magnet.claim': 7,
  'lottery.status': 1,
  /**
   * after the claim window, a friend's first spin crediting the inviter, with the inviter's
   * reminder subscriptions (a limited coupon prize alone: 6)
   */
  'lottery.spin': 9,
  'wallet.list': 1,
  /**
   * the participant, the invitees, the pending count, the invitees' public profiles, and the
   * uses of the rights this period (issue 12)
   */
  'blackcard.get': 5,
  /** the first hand-out (a seat taken, then held); later calls answer the held group in 2 */
  'group.get': 5,
} as const satisfies Partial<Record<ApiAction, number>>;

export type MeasuredAction = keyof typeof ROUND_TRIPS;
