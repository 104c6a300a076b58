/**
 * Operator studio (issue 9): a prize's odds as the 活动规则 page prints them and the simulator
 * checks them: its weight over the total weight, in percent with two decimals, while every prize
 * has stock (a prize that runs out leaves the draw, and the others share its weight).
 */
export function oddsPercent(weight: number, totalWeight: number): number {
  if (totalWeight <= 0) return 0;
  return Math.round((weight / totalWeight) * 10_000) / 100;
}
