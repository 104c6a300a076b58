import {
  campaignSchema,
  parseCampaign,
  problemText,
} from '../../../cloudfunctions/_shared/campaign';
import type { Campaign, CampaignProblem } from '../../../cloudfunctions/_shared/campaign';
import { PROTOTYPE_KEYS } from '../../../cloudfunctions/_shared/contracts';
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

function structuredProblemsOf(input: unknown): CampaignProblem[] {
  const result = parseCampaign(input);
  if (result.ok) throw new Error('expected the config to be rejected');
  return result.problems;
}

function problemsOf(input: unknown): string[] {
  return structuredProblemsOf(input).map(problemText);
}

/** Worded in Chinese by the check itself, not by parseCampaign's fallback. */
function expectWorded(message: string): void {
  expect(message).toMatch(/[\u4e00-\u9fff]/);
  expect(message).not.toBe('填写有误');
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
      delete d.repurchase; // optional: no repurchase coupon (issue 15)
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
      whenClaimClosed: 'spin',
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
        ['lottery.prizes: 须有且只有一个兜底奖品，现有 0 个'],
      ],
      [
        'two fallback prizes',
        (d) => (d.lottery.prizes[4].fallback = true),
        ['lottery.prizes: 须有且只有一个兜底奖品，现有 2 个'],
      ],
      [
        'a negative stock',
        (d) => (d.lottery.prizes[2].stock = -1),
        ['lottery.prizes.2.stock: 库存须为不小于 0 的整数，留空表示不限量'],
      ],
      [
        'a fractional stock',
        (d) => (d.lottery.prizes[0].stock = 2.5),
        ['lottery.prizes.0.stock: 库存须为不小于 0 的整数，留空表示不限量'],
      ],
      [
        'a missing stock',
        (d) => delete d.lottery.prizes[0].stock,
        ['lottery.prizes.0.stock: 库存须为不小于 0 的整数，留空表示不限量'],
      ],
      [
        'weights summing to 0',
        (d) => d.lottery.prizes.forEach((p: { weight: number }) => (p.weight = 0)),
        ['lottery.prizes: 所有奖品的中奖权重之和须大于 0'],
      ],
      [
        'only 5 prizes',
        (d) => d.lottery.prizes.splice(0, 3),
        ['lottery.prizes: 转盘须有 6–12 个奖品（扇区），现有 5 个'],
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
        ['lottery.prizes: 转盘须有 6–12 个奖品（扇区），现有 13 个'],
      ],
      [
        'a claim window ending after the campaign',
        (d) => (d.magnet.claimWindow.endAt = '2099-01-01T00:00:00+08:00'),
        ['magnet.claimWindow: 领取时间须在活动时间之内（活动开始至结束）'],
      ],
      [
        'a claim window starting before the campaign',
        (d) => (d.magnet.claimWindow.startAt = '2020-01-01T00:00:00Z'),
        ['magnet.claimWindow: 领取时间须在活动时间之内（活动开始至结束）'],
      ],
      [
        'a claim window that ends before it starts',
        (d) => (d.magnet.claimWindow.endAt = d.magnet.claimWindow.startAt),
        ['magnet.claimWindow.endAt: 领取截止时间须晚于领取开始时间'],
      ],
      [
        'an unknown coupon template',
        (d) => (d.lottery.prizes[1].couponTemplateId = 'c9'),
        ['lottery.prizes.1.couponTemplateId: 优惠券模板 "c9" 不存在'],
      ],
      [
        'an unknown coupon template as the magnet reward',
        (d) => (d.magnet.reward.couponTemplateId = 'gone'),
        ['magnet.reward.couponTemplateId: 优惠券模板 "gone" 不存在'],
      ],
      // Retention (issue 15)
      [
        'an unknown coupon template as the repurchase coupon',
        (d) => (d.repurchase.couponTemplateId = 'loyal'),
        ['repurchase.couponTemplateId: 优惠券模板 "loyal" 不存在'],
      ],
      [
        'a repurchase coupon without its template',
        (d) => delete d.repurchase.couponTemplateId,
        ['repurchase.couponTemplateId: 请填写复购券的优惠券模板编号'],
      ],
      [
        'a repurchase coupon that is not an object',
        (d) => (d.repurchase = 'loyal-30-6'),
        ['repurchase: 复购券须为 JSON 对象'],
      ],
      [
        'a discount coupon without a rate',
        (d) => delete d.couponTemplates[0].rate,
        ['couponTemplates.0.rate: 折扣券须填写折扣率（0.1–0.99 之间，0.8 即 8 折）'],
      ],
      [
        'a discount rate of 8 (meant 0.8)',
        (d) => (d.couponTemplates[0].rate = 8),
        ['couponTemplates.0.rate: 折扣率须在 0.1–0.99 之间（0.8 即 8 折）'],
      ],
      [
        'a cash coupon without an amount',
        (d) => delete d.couponTemplates[1].amount,
        ['couponTemplates.1.amount: 满减券须填写减免金额（单位：分）'],
      ],
      [
        'a cash coupon taking off as much as its threshold',
        (d) => (d.couponTemplates[1].amount = 5000),
        ['couponTemplates.1.amount: 减免金额须小于使用门槛（5000 分）'],
      ],
      [
        'a coupon template with both validDays and validUntil',
        (d) => (d.couponTemplates[0].validUntil = d.endAt),
        ['couponTemplates.0: 有效天数与有效期截止时间须填且只填一项（现在两项都填了）'],
      ],
      [
        'a coupon template with neither validDays nor validUntil',
        (d) => delete d.couponTemplates[0].validDays,
        ['couponTemplates.0: 有效天数与有效期截止时间须填且只填一项（现在两项都没填）'],
      ],
      [
        'endAt before startAt',
        (d) => (d.endAt = '2025-03-01T00:00:00+08:00'),
        ['endAt: 活动结束时间须晚于活动开始时间'],
      ],
      [
        'duplicate prize ids',
        (d) => (d.lottery.prizes[5].id = d.lottery.prizes[0].id),
        [
          'lottery.prizes.5.id: 奖品编号 "tumbler" 重复',
          // the demo's invite ladder gives the tote, renamed away here (Rewards, issue 12)
          'blackCard.milestones.0.prizeId: 奖品 "tote" 不存在',
        ],
      ],
      [
        'a malformed date',
        (d) => (d.startAt = '2025-02-30T10:00:00+08:00'),
        ['startAt: 活动开始时间须为带时区的 ISO-8601 时间，如 2025-03-01T10:00:00+08:00'],
      ],
      [
        'a date without an offset (ambiguous instant)',
        (d) => (d.magnet.claimWindow.startAt = '2025-03-10T10:00:00'),
        [
          'magnet.claimWindow.startAt: 领取开始时间须为带时区的 ISO-8601 时间，如 2025-03-01T10:00:00+08:00',
        ],
      ],
      [
        'a fallback prize with limited stock',
        (d) => (d.lottery.prizes[7].stock = 100),
        ['lottery.prizes.7.stock: 兜底奖品须不限库存（库存留空）'],
      ],
      [
        'a coupon prize without a template',
        (d) => delete d.lottery.prizes[1].couponTemplateId,
        ['lottery.prizes.1.couponTemplateId: 优惠券奖品须指定优惠券模板'],
      ],
      [
        'a magnet without any reward',
        (d) => (d.magnet.reward = {}),
        ['magnet.reward: 领取奖励须有资料链接或优惠券模板，也可两者都有'],
      ],
      [
        'channels without share',
        (d) => (d.channels = d.channels.filter((c: { code: string }) => c.code !== 'share')),
        ['channels: 渠道须包含 "share"（邀请链接带 ch=share）'],
      ],
      [
        'a duplicate channel code',
        (d) => (d.channels[1].code = 'poster'),
        ['channels.1.code: 渠道代码 "poster" 重复'],
      ],
      [
        'a channel code unfit for a URL',
        (d) => (d.channels[0].code = 'Poster 1'),
        ['channels.0.code: 渠道代码须为 1–16 位小写字母、数字、_ 或 -'],
      ],
      [
        'a downgrade rank above the block rank',
        (d) => (d.invite = { riskRankBlock: 2, riskRankDowngrade: 3 }),
        ['invite.riskRankDowngrade: 降级的风险等级须不高于拦截的风险等级'],
      ],
      [
        'a group capacity above what a WeChat group admits',
        (d) => (d.groups.defaultCapacity = 201),
        ['groups.defaultCapacity: 每个群二维码的发放上限须为 1–200 的整数'],
      ],
      [
        'an unknown prize kind',
        (d) => (d.lottery.prizes[0].kind = 'voucher'),
        [
          'lottery.prizes.0.kind: 奖品类型须为 coupon（优惠券）、resource（资料）、physical（实物）、none（谢谢参与）之一',
        ],
      ],
      ['a missing title', (d) => delete d.title, ['title: 请填写活动标题']],
      ['a missing end', (d) => delete d.endAt, ['endAt: 请填写活动结束时间']],
      ['a blank title', (d) => (d.title = '   '), ['title: 活动标题不能为空']],
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
        'title: 请填写活动标题',
        'lottery.prizes.2.stock: 库存须为不小于 0 的整数，留空表示不限量',
        'lottery.prizes.1.couponTemplateId: 优惠券模板 "c9" 不存在',
        'lottery.prizes: 须有且只有一个兜底奖品，现有 0 个',
        'magnet.claimWindow: 领取时间须在活动时间之内（活动开始至结束）',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('rejects something that is not a campaign document', () => {
    expect(problemsOf('campaign')).toEqual(['活动配置须为 JSON 对象']);
    expect(problemsOf(null)).toEqual(['活动配置须为 JSON 对象']);
  });

  it('places each problem at its field: a path for the editor, the dotted field, the message', () => {
    expect(
      structuredProblemsOf(
        demoWith((d) => {
          d.lottery.prizes[2].stock = -1;
          d.couponTemplates[0].validUntil = d.endAt;
        }),
      ),
    ).toEqual([
      {
        path: ['lottery', 'prizes', 2, 'stock'],
        field: 'lottery.prizes.2.stock',
        message: '库存须为不小于 0 的整数，留空表示不限量',
      },
      {
        path: ['couponTemplates', 0],
        field: 'couponTemplates.0',
        message: '有效天数与有效期截止时间须填且只填一项（现在两项都填了）',
      },
    ]);
    expect(structuredProblemsOf(null)).toEqual([
      { path: [], field: '', message: '活动配置须为 JSON 对象' },
    ]);
  });

  it('reports a problem once, even when several checks of a field fail alike', () => {
    // beyond a safe integer and below 0: two checks, one message
    expect(problemsOf(demoWith((d) => (d.lottery.prizes[0].stock = -1e20)))).toEqual([
      'lottery.prizes.0.stock: 库存须为不小于 0 的整数，留空表示不限量',
    ]);
  });

  describe('words every field in Chinese', () => {
    /** Every path in the demo document: its sections, lists, items and values. */
    function pathsOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
      const children =
        typeof value === 'object' && value !== null
          ? Object.entries(value).map(([key, child]) =>
              pathsOf(child, [...path, Array.isArray(value) ? Number(key) : key]),
            )
          : [];
      return [...(path.length ? [path] : []), ...children.flat()];
    }
    const paths = pathsOf(demoWith(() => {}));
    const set = (doc: Doc, path: (string | number)[], value: unknown) => {
      const parent = path.slice(0, -1).reduce((node, key) => node[key], doc);
      if (value === undefined) delete parent[path[path.length - 1]];
      else parent[path[path.length - 1]] = value;
    };

    it('covers the whole document', () => {
      expect(paths.map((p) => p.join('.'))).toEqual(
        expect.arrayContaining(['lottery.prizes.7.fallback', 'channels.4.code', 'invite']),
      );
    });

    it.each(paths.map((p) => [p.join('.'), p]))('%s of the wrong type', (field, path) => {
      // an object where a value belongs, text where a section or a list belongs
      const problems = structuredProblemsOf(
        demoWith((d) => {
          const current = path.reduce((node: Doc, key) => node[key], d);
          set(d, path, typeof current === 'object' && current !== null ? 'x' : {});
        }),
      );
      expect(problems.map((p) => p.field)).toContain(field);
      for (const { message } of problems) expectWorded(message);
    });

    it.each(paths.map((p) => [p.join('.'), p]))('%s missing', (_field, path) => {
      const result = parseCampaign(demoWith((d) => set(d, path, undefined)));
      for (const { message } of result.ok ? [] : result.problems) expectWorded(message);
    });
  });

  describe('refuses ids that are Object.prototype names', () => {
    const NAMED = '：这是 JavaScript 对象自带的名称';
    const cases: Array<[string, (d: Doc) => void, string[]]> = [
      [
        'a prize id __proto__',
        (d) => (d.lottery.prizes[0].id = '__proto__'),
        [`lottery.prizes.0.id: 奖品编号不能是 "__proto__"${NAMED}`],
      ],
      [
        'a prize id constructor',
        (d) => (d.lottery.prizes[0].id = 'constructor'),
        [`lottery.prizes.0.id: 奖品编号不能是 "constructor"${NAMED}`],
      ],
      [
        'a channel code __proto__',
        (d) => (d.channels[0].code = '__proto__'),
        [`channels.0.code: 渠道代码不能是 "__proto__"${NAMED}`],
      ],
      [
        'a channel code constructor',
        (d) => (d.channels[0].code = 'constructor'),
        [`channels.0.code: 渠道代码不能是 "constructor"${NAMED}`],
      ],
      [
        'a coupon template id toString',
        (d) => d.couponTemplates.push({ ...d.couponTemplates[0], id: 'toString' }),
        [`couponTemplates.5.id: 模板编号不能是 "toString"${NAMED}`],
      ],
      [
        'a coupon template reference valueOf',
        (d) => (d.lottery.prizes[1].couponTemplateId = 'valueOf'),
        [
          `lottery.prizes.1.couponTemplateId: 优惠券模板编号不能是 "valueOf"${NAMED}`,
          'lottery.prizes.1.couponTemplateId: 优惠券模板 "valueOf" 不存在',
        ],
      ],
      [
        'a black-card right id hasOwnProperty',
        (d) => (d.blackCard.rights[0].id = 'hasOwnProperty'),
        [`blackCard.rights.0.id: 权益编号不能是 "hasOwnProperty"${NAMED}`],
      ],
      [
        'a campaign id __defineGetter__',
        (d) => (d.id = '__defineGetter__'),
        [`id: 活动编号不能是 "__defineGetter__"${NAMED}`],
      ],
    ];
    it.each(cases)('%s', (_name, edit, expected) => {
      expect(problemsOf(demoWith(edit))).toEqual(expected);
    });

    it.each([...PROTOTYPE_KEYS])('%j as any prize id, channel code or right id', (key) => {
      const problems = problemsOf(
        demoWith((d) => {
          d.lottery.prizes[0].id = key;
          d.channels[0].code = key;
          d.blackCard.rights[0].id = key;
        }),
      );
      expect(problems).toHaveLength(3);
      expect(problems.map((p) => p.split(':')[0])).toEqual([
        'lottery.prizes.0.id',
        'blackCard.rights.0.id',
        'channels.0.code',
      ]);
    });

    it('is case-sensitive: Constructor and PROTO are ids like any other', () => {
      const result = parseCampaign(
        demoWith((d) => {
          d.lottery.prizes[0].id = 'Constructor';
          d.blackCard.rights[0].id = '__PROTO__';
        }),
      );
      expect(result.ok).toBe(true);
    });
  });

  it('is the same schema admin edits go through', () => {
    expect(() => campaignSchema.parse(demoWith((d) => (d.lottery.prizes[2].stock = -1)))).toThrow();
  });
});
