import { parseCampaign } from '../../../cloudfunctions/_shared/campaign';
import { demoCampaign } from '../../../cloudfunctions/_shared/demo-campaign';
import { describeCouponTemplate } from '../../../cloudfunctions/_shared/domain/coupon';
import { campaignPhase, claimWindowPhase } from '../../../cloudfunctions/_shared/domain/schedule';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

describe('demoCampaign', () => {
  // Noon, a minute before and a minute after Shanghai midnight (16:00Z).
  const nows = ['2025-03-10T04:00:00Z', '2025-03-10T15:59:00Z', '2025-03-10T16:01:00Z'].map(
    (s) => new Date(s),
  );

  it.each(nows)('is a valid campaign that is live at %s', (now) => {
    const campaign = demoCampaign(now);
    expect(parseCampaign(campaign)).toEqual({ ok: true, campaign });
    expect(campaignPhase(campaign, now)).toBe('open');
    expect(claimWindowPhase(campaign, now)).toBe('open');

    const start = Date.parse(campaign.startAt);
    expect(now.getTime() - start).toBeGreaterThanOrEqual(DAY); // started a day ago or more
    expect(now.getTime() - start).toBeLessThan(2 * DAY);
    expect(Date.parse(campaign.endAt) - start).toBe(30 * DAY);
    const claimLeft = Date.parse(campaign.magnet.claimWindow.endAt) - now.getTime();
    expect(claimLeft).toBeGreaterThan(7 * DAY);
    expect(claimLeft).toBeLessThanOrEqual(8 * DAY);
    expect(campaign.startAt).toMatch(/\+08:00$/); // readable in the shop's own time
  });

  it('has what the product needs to show', () => {
    const campaign = demoCampaign(nows[0]);
    const prizes = campaign.lottery.prizes;
    expect(prizes).toHaveLength(8);
    expect(prizes.filter((p) => p.fallback)).toEqual([
      expect.objectContaining({ name: '谢谢参与', stock: null }),
    ]);
    const physical = prizes.filter((p) => p.kind === 'physical');
    expect(physical.some((p) => p.stock !== null && p.stock <= 20)).toBe(true);
    expect(prizes.some((p) => p.kind === 'resource' && p.resourceUrl)).toBe(true);

    const labels = campaign.couponTemplates.map(describeCouponTemplate);
    expect(labels).toEqual(expect.arrayContaining(['8折', '满50减10', '5元无门槛']));
    expect(campaign.blackCard.rights).toHaveLength(4);
    expect(campaign.channels.map((c) => c.code).sort()).toEqual([
      'kol',
      'moments',
      'poster',
      'share',
      'store',
    ]);
    expect(campaign.channels.some((c) => c.cost !== undefined)).toBe(true);
  });
});
