import { campaignSchema, parseCampaign } from '../../../cloudfunctions/_shared/campaign';
import type { Campaign } from '../../../cloudfunctions/_shared/campaign';
import { demoCampaign } from '../../../cloudfunctions/_shared/demo-campaign';

const NOW = new Date('2025-03-10T04:00:00Z'); // 12:00 in Shanghai

// The cases edit the JSON freely, into shapes no type describes; that is the point.
type Doc = any;

/** The demo as a plain JSON document (what an operator edits), changed by `edit`. */
function demoWith(edit: (doc: Doc) => void): unknown {
  const doc = JSON.parse(JSON.stringify(demoCampaign(NOW)));
  edit(doc);
  return doc;
}

function problemsOf(input: unknown): string[] {
  const result = parseCampaign(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems;
}

describe('parseCampaign', () => {
  it('accepts the demo campaign unchanged', () => {
    const doc = demoWith(() => {});
    const result = parseCampaign(doc);
    expect(result).toEqual({ ok: true, campaign: doc });
  });

  it('applies the documented defaults', () => {
    const doc = demoWith((d) => {
      delete d.lottery.dailyFreeSpins;
      delete d.lottery.spinsPerVerifiedInvite;
      delete d.lottery.maxBonusSpinsPerDay;
      delete d.blackCard.invitesRequired;
      delete d.invite;
      delete d.groups.defaultCapacity;
      delete d.couponTemplates;
      d.lottery.prizes = d.lottery.prizes.map((p: Record<string, unknown>) => {
        const { couponTemplateId: _t, ...rest } = p;
        return { ...rest, kind: p.kind === 'coupon' ? 'none' : p.kind };
      });
      delete d.magnet.reward.couponTemplateId;
      delete d.lottery.prizes[0].fallback; // non-fallback prizes may omit the flag
    });
    const result = parseCampaign(doc);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    const c: Campaign = result.campaign;
    expect(c.lottery).toMatchObject({
      dailyFreeSpins: 1,
      spinsPerVerifiedInvite: 1,
      maxBonusSpinsPerDay: 5,
    });
    expect(c.blackCard.invitesRequired).toBe(3);
    expect(c.invite).toEqual({
      maxVerifiedPerInviterPerDay: 50,
      riskRankBlock: 4,
      riskRankDowngrade: 3,
    });
    expect(c.groups.defaultCapacity).toBe(180);
    expect(c.couponTemplates).toEqual([]);
    expect(c.lottery.prizes[0].fallback).toBe(false);
  });

  it('drops unknown keys such as the stored _id', () => {
    const result = parseCampaign(demoWith((d) => (d._id = 'abc')));
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.campaign).not.toHaveProperty('_id');
    expect(result.campaign.id).toBe('demo-opening');
  });

  describe('rejects a bad config with a line naming the problem', () => {
    const cases: Array<[string, (d: Doc) => void, string[]]> = [
      [
        'no fallback prize',
        (d) => (d.lottery.prizes[7].fallback = false),
        ['lottery.prizes: exactly one prize must be the fallback (found 0)'],
      ],
      [
        'two fallback prizes',
        (d) => (d.lottery.prizes[4].fallback = true),
        ['lottery.prizes: exactly one prize must be the fallback (found 2)'],
      ],
      [
        'a negative stock',
        (d) => (d.lottery.prizes[2].stock = -1),
        ['lottery.prizes[2].stock: must be a whole number ≥ 0 or null (unlimited)'],
      ],
      [
        'a fractional stock',
        (d) => (d.lottery.prizes[0].stock = 2.5),
        ['lottery.prizes[0].stock: must be a whole number ≥ 0 or null (unlimited)'],
      ],
      [
        'a missing stock',
        (d) => delete d.lottery.prizes[0].stock,
        ['lottery.prizes[0].stock: must be a whole number ≥ 0 or null (unlimited)'],
      ],
      [
        'weights summing to 0',
        (d) => d.lottery.prizes.forEach((p: { weight: number }) => (p.weight = 0)),
        ['lottery.prizes: weights must add up to more than 0'],
      ],
      [
        'only 5 prizes',
        (d) => d.lottery.prizes.splice(0, 3),
        ['lottery.prizes: must have 6–12 prizes (wheel sectors), found 5'],
      ],
      [
        '13 prizes',
        (d) => {
          for (let i = 0; i < 5; i++) {
            d.lottery.prizes.push({
              id: `extra-${i}`,
              name: '贴纸',
              kind: 'physical',
              weight: 1,
              stock: 10,
            });
          }
        },
        ['lottery.prizes: must have 6–12 prizes (wheel sectors), found 13'],
      ],
      [
        'a claim window ending after the campaign',
        (d) => (d.magnet.claimWindow.endAt = '2099-01-01T00:00:00+08:00'),
        ['magnet.claimWindow: must lie inside the campaign (startAt … endAt)'],
      ],
      [
        'a claim window starting before the campaign',
        (d) => (d.magnet.claimWindow.startAt = '2020-01-01T00:00:00Z'),
        ['magnet.claimWindow: must lie inside the campaign (startAt … endAt)'],
      ],
      [
        'a claim window that ends before it starts',
        (d) => (d.magnet.claimWindow.endAt = d.magnet.claimWindow.startAt),
        ['magnet.claimWindow.endAt: must be after startAt'],
      ],
      [
        'an unknown coupon template',
        (d) => (d.lottery.prizes[1].couponTemplateId = 'c9'),
        ['lottery.prizes[1].couponTemplateId: unknown coupon template "c9"'],
      ],
      [
        'an unknown coupon template as the magnet reward',
        (d) => (d.magnet.reward.couponTemplateId = 'gone'),
        ['magnet.reward.couponTemplateId: unknown coupon template "gone"'],
      ],
      [
        'a discount coupon without a rate',
        (d) => delete d.couponTemplates[0].rate,
        [
          'couponTemplates[0].rate: a discount coupon needs a rate between 0.1 and 0.99 (0.8 = 8折)',
        ],
      ],
      [
        'a discount rate of 8 (meant 0.8)',
        (d) => (d.couponTemplates[0].rate = 8),
        ['couponTemplates[0].rate: must be between 0.1 and 0.99 (0.8 = 8折)'],
      ],
      [
        'a cash coupon without an amount',
        (d) => delete d.couponTemplates[1].amount,
        ['couponTemplates[1].amount: a cash coupon needs an amount in fen (分)'],
      ],
      [
        'a cash coupon taking off as much as its threshold',
        (d) => (d.couponTemplates[1].amount = 5000),
        ['couponTemplates[1].amount: must be less than the threshold (5000 fen)'],
      ],
      [
        'a coupon template with both validDays and validUntil',
        (d) => (d.couponTemplates[0].validUntil = d.endAt),
        ['couponTemplates[0]: needs exactly one of validDays or validUntil (found both)'],
      ],
      [
        'a coupon template with neither validDays nor validUntil',
        (d) => delete d.couponTemplates[0].validDays,
        ['couponTemplates[0]: needs exactly one of validDays or validUntil (found neither)'],
      ],
      [
        'endAt before startAt',
        (d) => (d.endAt = '2025-03-01T00:00:00+08:00'),
        ['endAt: must be after startAt'],
      ],
      [
        'duplicate prize ids',
        (d) => (d.lottery.prizes[5].id = d.lottery.prizes[0].id),
        ['lottery.prizes[5].id: duplicate prize id "tumbler"'],
      ],
      [
        'a malformed date',
        (d) => (d.startAt = '2025-02-30T10:00:00+08:00'),
        [
          'startAt: must be an ISO-8601 instant with an offset or Z, e.g. 2025-03-01T10:00:00+08:00',
        ],
      ],
      [
        'a date without an offset (ambiguous instant)',
        (d) => (d.magnet.claimWindow.startAt = '2025-03-10T10:00:00'),
        [
          'magnet.claimWindow.startAt: must be an ISO-8601 instant with an offset or Z, e.g. 2025-03-01T10:00:00+08:00',
        ],
      ],
      [
        'a fallback prize with limited stock',
        (d) => (d.lottery.prizes[7].stock = 100),
        ['lottery.prizes[7].stock: the fallback prize must have unlimited stock (null)'],
      ],
      [
        'a coupon prize without a template',
        (d) => delete d.lottery.prizes[1].couponTemplateId,
        ['lottery.prizes[1].couponTemplateId: a coupon prize needs a couponTemplateId'],
      ],
      [
        'a magnet without any reward',
        (d) => (d.magnet.reward = {}),
        ['magnet.reward: needs a resourceUrl, a couponTemplateId, or both'],
      ],
      [
        'channels without share',
        (d) => (d.channels = d.channels.filter((c: { code: string }) => c.code !== 'share')),
        ['channels: must include the "share" channel (invite links use ch=share)'],
      ],
      [
        'a duplicate channel code',
        (d) => (d.channels[1].code = 'poster'),
        ['channels[1].code: duplicate channel code "poster"'],
      ],
      [
        'a channel code unfit for a URL',
        (d) => (d.channels[0].code = 'Poster 1'),
        ['channels[0].code: must be 1–16 characters of a-z, 0-9, _ or -'],
      ],
      [
        'a downgrade rank above the block rank',
        (d) => (d.invite = { riskRankBlock: 2, riskRankDowngrade: 3 }),
        ['invite.riskRankDowngrade: must be ≤ riskRankBlock'],
      ],
      [
        'a group capacity above what a WeChat group admits',
        (d) => (d.groups.defaultCapacity = 201),
        ['groups.defaultCapacity: must be a whole number from 1 to 200'],
      ],
      [
        'an unknown prize kind',
        (d) => (d.lottery.prizes[0].kind = 'voucher'),
        ['lottery.prizes[0].kind: must be one of "coupon", "resource", "physical", "none"'],
      ],
      ['a missing title', (d) => delete d.title, ['title: is required']],
      ['a missing end', (d) => delete d.endAt, ['endAt: is required']],
      ['a blank title', (d) => (d.title = '   '), ['title: must not be empty']],
    ];

    it.each(cases)('%s', (_name, edit, expected) => {
      expect(problemsOf(demoWith(edit))).toEqual(expected);
    });
  });

  it('reports every problem of one edit at once, cross-field checks included', () => {
    const problems = problemsOf(
      demoWith((d) => {
        delete d.title;
        d.lottery.prizes[2].stock = -3;
        d.lottery.prizes[1].couponTemplateId = 'c9';
        d.lottery.prizes[7].fallback = false;
        d.magnet.claimWindow.endAt = '2099-01-01T00:00:00Z';
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'title: is required',
        'lottery.prizes[2].stock: must be a whole number ≥ 0 or null (unlimited)',
        'lottery.prizes[1].couponTemplateId: unknown coupon template "c9"',
        'lottery.prizes: exactly one prize must be the fallback (found 0)',
        'magnet.claimWindow: must lie inside the campaign (startAt … endAt)',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('rejects something that is not a campaign document', () => {
    expect(problemsOf('campaign')).toEqual(['(campaign): must be an object']);
    expect(problemsOf(null)).toEqual(['(campaign): must be an object']);
  });

  it('is the same schema admin edits go through', () => {
    expect(() => campaignSchema.parse(demoWith((d) => (d.lottery.prizes[2].stock = -1)))).toThrow();
  });
});
