import { riskDecision } from '../../../../cloudfunctions/_shared/domain/risk';

describe('riskDecision', () => {
  const rules = { riskRankBlock: 4, riskRankDowngrade: 3 };

  it.each([
    [0, 'allow'],
    [2, 'allow'],
    [3, 'downgrade'],
    [4, 'block'],
  ] as const)('rank %d → %s', (rank, decision) => {
    expect(riskDecision(rank, rules)).toBe(decision);
  });

  it('allows when the risk service is unavailable', () => {
    expect(riskDecision(null, rules)).toBe('allow');
    expect(riskDecision(Number.NaN, rules)).toBe('allow');
  });

  it('follows the configured thresholds', () => {
    const strict = { riskRankBlock: 2, riskRankDowngrade: 1 };
    expect(riskDecision(1, strict)).toBe('downgrade');
    expect(riskDecision(2, strict)).toBe('block');
    // downgrade == block: nothing is merely downgraded
    expect(riskDecision(3, { riskRankBlock: 3, riskRankDowngrade: 3 })).toBe('block');
  });
});
