/**
 * The campaign: one JSON document that configures everything (SPEC §2), validated on load and
 * on every admin edit. `parseCampaign` answers every problem at once, each with the path of its
 * field (`['lottery', 'prizes', 2, 'stock']`, dotted `lottery.prizes.2.stock`) and a Chinese
 * message naming the field (`库存须为不小于 0 的整数，留空表示不限量`), so the campaign editor
 * shows it beside the field; an invalid config changes nothing and the old one stays active.
 *
 * Decisions:
 * - Instants stay ISO-8601 strings with an offset or Z (`2025-03-01T10:00:00+08:00`): a JSON
 *   document round-trips unchanged and the offset makes the instant unambiguous. Domain code
 *   turns them into `Date`s where it compares them.
 * - Money is in fen (分), integers, as WeChat Pay counts it.
 * - Prize weights are whole numbers (relative odds, e.g. 5 / 150 / 300): the server draws with an
 *   integer RNG, so no float rounding skews the odds.
 * - Unknown keys are dropped rather than rejected, so a stored document may carry bookkeeping
 *   fields (`_id`, `updatedAt`) next to the config.
 * - Cross-field checks run even when some other field is broken, so one edit reports every
 *   problem instead of revealing them one at a time.
 * - Every message is written here, beside its field's Chinese label: operators read them, and
 *   zod/mini has no locale of its own.
 */
import * as z from 'zod/mini';
import { GROWTH_TAGS, REMINDER_EVENTS } from './constants';
import { KEY_KINDS, keyId, type KeyKind } from './contracts';
import { REMINDER_NAMES, REMINDER_VARIABLES, placeholdersOf } from './domain/reminders';

/** `请填写…` when the field is absent, else `message` (a wrong type, or a check's failure). */
const worded = (label: string, message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `请填写${label}` : message),
});

const ISO_INSTANT = z.iso.datetime({ offset: true });
const instant = (label: string) =>
  z.iso.datetime({
    offset: true,
    ...worded(label, `${label}须为带时区的 ISO-8601 时间，如 2025-03-01T10:00:00+08:00`),
  });
const id = (label: string, kind: KeyKind = KEY_KINDS.configId) =>
  keyId(kind, {
    missing: `请填写${label}`,
    format: `${label}须为 ${kind.min}–${kind.max} 位${kind.zh}`,
    reserved: (name) => `${label}不能是 "${name}"：这是 JavaScript 对象自带的名称`,
  });
const text = (label: string, max: number) =>
  z
    .string(worded(label, `${label}须为文字`))
    .check(
      z.trim(),
      z.minLength(1, `${label}不能为空`),
      z.maxLength(max, `${label}最多 ${max} 个字`),
    );
/** A link or a cloud fileID (`cloud://…`) or a bundled path (`/assets/…`). */
const location = (label: string) => text(label, 1024);
const wholeNumber = (label: string, min: number, max: number) => {
  const message = `${label}须为 ${min}–${max} 的整数`;
  return z.int(worded(label, message)).check(z.gte(min, message), z.lte(max, message));
};
const fen = (label: string, min: number) => {
  const message = `${label}须为不小于 ${min} 的整数（单位：分）`;
  return z.int(worded(label, message)).check(z.gte(min, message));
};
/** One of `options`' keys; the message lists each with its meaning. */
const choice = <K extends string>(label: string, options: Record<K, string>) => {
  const listed = Object.entries(options).map(([value, meaning]) => `${value}（${meaning}）`);
  return z.enum(
    Object.keys(options) as [K, ...K[]],
    worded(label, `${label}须为 ${listed.join('、')}之一`),
  );
};
const section = <S extends z.core.$ZodLooseShape>(label: string, shape: S) =>
  z.object(shape, worded(label, `${label}须为 JSON 对象`));
const list = <T extends z.core.SomeType>(label: string, item: T) =>
  z.array(item, worded(label, `${label}须为列表`));

/** Checks that must run even when sibling fields failed (they read the raw value defensively). */
const always = { when: () => true };

type Loose = Record<string, unknown>;
function asRecord(value: unknown): Loose | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Loose)
    : undefined;
}
function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
/** Milliseconds of a valid instant string, else undefined (its own field already reports it). */
function instantMs(value: unknown): number | undefined {
  return ISO_INSTANT.safeParse(value).success ? Date.parse(value as string) : undefined;
}
/** Reports every repeat of a value at `[index, key]`. */
function reportDuplicates(
  items: unknown[],
  key: string,
  label: string,
  ctx: z.core.$RefinementCtx,
): void {
  const seen = new Set<unknown>();
  items.forEach((item, index) => {
    const value = asRecord(item)?.[key];
    if (typeof value !== 'string') return;
    if (seen.has(value)) {
      ctx.addIssue({ code: 'custom', path: [index, key], message: `${label} "${value}" 重复` });
    }
    seen.add(value);
  });
}
const noDuplicates = (key: string, label: string) =>
  z.superRefine<unknown[]>(
    (items, ctx) => reportDuplicates(asList(items), key, label, ctx),
    always,
  );

const RATE_RANGE = '0.1–0.99 之间，0.8 即 8 折';
const RATE_HINT = '折扣率须在 0.1–0.99 之间（0.8 即 8 折）';

// 优惠券模板: what a coupon grants; coupons are issued from it by the magnet or the wheel.
const couponTemplateSchema = section('优惠券模板', {
  id: id('模板编号'),
  title: text('券名称', 40),
  kind: choice('券类型', { discount: '折扣券', cash: '满减券' }),
  /** 0.8 = 8折 (the customer pays 80 %). */
  rate: z.optional(
    z.number(worded('折扣率', RATE_HINT)).check(z.gte(0.1, RATE_HINT), z.lte(0.99, RATE_HINT)),
  ),
  /** 满 threshold 减 amount; 0 or absent = no threshold (无门槛). */
  threshold: z.optional(fen('使用门槛', 0)),
  amount: z.optional(fen('减免金额', 1)),
  /** Valid until the end of the Shanghai day `validDays` after issue (0 = the issue day). */
  validDays: z.optional(wholeNumber('有效天数', 0, 3650)),
  /** Or valid until this instant, whenever issued. */
  validUntil: z.optional(instant('有效期截止时间')),
  /**
   * Audience segment the template is meant for (e.g. `new`), for the operator's reports. People
   * console (issue 13): a growth tag (S/A/B/C) together with `variantOf` makes it act.
   */
  segment: z.optional(text('目标人群', 32)),
  /**
   * Distribution (issue 10): 客单价估算, the order a redemption of this coupon typically comes
   * with, in fen: the dashboard's estimated takings and ROI per channel.
   */
  basket: z.optional(fen('客单价估算', 1)),
  /**
   * People console (issue 13): issued *instead of* the template `variantOf` names, wherever that
   * one is issued (the magnet, a wheel prize), to members whose growth tag is `segment`.
   */
  variantOf: z.optional(id('替代的优惠券模板编号')),
}).check(
  z.superRefine((value, ctx) => {
    const t = asRecord(value);
    if (!t) return;
    const at = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: field ? [field] : [], message });
    if (t.kind === 'discount') {
      if (t.rate === undefined) at('rate', `折扣券须填写折扣率（${RATE_RANGE}）`);
      if (t.amount !== undefined) at('amount', '折扣券没有减免金额，只有满减券才有');
    }
    if (t.kind === 'cash') {
      if (t.amount === undefined) at('amount', '满减券须填写减免金额（单位：分）');
      if (t.rate !== undefined) at('rate', '满减券没有折扣率，只有折扣券才有');
    }
    if (
      typeof t.threshold === 'number' &&
      typeof t.amount === 'number' &&
      t.threshold > 0 &&
      t.amount >= t.threshold
    ) {
      at('amount', `减免金额须小于使用门槛（${t.threshold} 分）`);
    }
    if (t.variantOf !== undefined && !GROWTH_TAGS.includes(t.segment as never)) {
      at('segment', `按标签替代其他券时，目标人群须为成长标签 ${GROWTH_TAGS.join('、')} 之一`);
    }
    const hasDays = t.validDays !== undefined;
    if (hasDays === (t.validUntil !== undefined)) {
      at(
        '',
        `有效天数与有效期截止时间须填且只填一项（现在${hasDays ? '两项都填了' : '两项都没填'}）`,
      );
    }
  }, always),
);

const STOCK_HINT = '库存须为不小于 0 的整数，留空表示不限量';
const WEIGHT_HINT = '中奖权重须为不小于 0 的整数（相对概率）';

// 奖品 / 转盘扇区: one sector of the wheel.
const prizeSchema = section('奖品', {
  id: id('奖品编号'),
  name: text('奖品名称', 20),
  kind: choice('奖品类型', {
    coupon: '优惠券',
    resource: '资料',
    physical: '实物',
    none: '谢谢参与',
  }),
  weight: z
    .int(worded('中奖权重', WEIGHT_HINT))
    .check(z.gte(0, WEIGHT_HINT), z.lte(1_000_000, '中奖权重最大为 1000000')),
  // absent is reported like a wrong value: "leave it empty" is how an operator says unlimited
  stock: z.nullable(z.int(STOCK_HINT).check(z.gte(0, STOCK_HINT))),
  couponTemplateId: z.optional(id('优惠券模板编号')),
  resourceUrl: z.optional(location('资料链接')),
  // Operator studio (issue 9): what one unit costs the shop (the simulator's prize cost).
  cost: z.optional(fen('奖品单件成本', 0)),
  /** 兜底: what a lost stock race or a risk downgrade gets; exactly one, unlimited stock. */
  fallback: z._default(z.boolean(worded('是否兜底', '是否兜底须为 true 或 false')), false),
  // Rewards (issue 12): a physical prize becomes a voucher (实物奖品) in the winner's wallet.
  /** picked up at the counter (staff scan its code; the default) or shipped to an address */
  fulfilment: z.optional(choice('领取方式', { pickup: '到店领取', shipping: '快递寄送' })),
  /** days after the win (to the end of that Shanghai day) to pick it up or give an address */
  claimDays: z.optional(wholeNumber('领取期限天数', 0, 3650)),
}).check(
  z.superRefine((value, ctx) => {
    const p = asRecord(value);
    if (!p) return;
    const at = (field: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [field], message });
    if (p.kind === 'coupon' && p.couponTemplateId === undefined) {
      at('couponTemplateId', '优惠券奖品须指定优惠券模板');
    }
    if (p.kind !== 'coupon' && p.couponTemplateId !== undefined) {
      at('couponTemplateId', '只有优惠券奖品才能指定优惠券模板');
    }
    if (p.kind === 'resource' && p.resourceUrl === undefined) {
      at('resourceUrl', '资料奖品须填写资料链接（如资料包的链接）');
    }
    if (p.fallback === true && typeof p.stock === 'number') {
      at('stock', '兜底奖品须不限库存（库存留空）');
    }
    // Rewards (issue 12)
    if (p.kind !== 'physical' && p.fulfilment !== undefined) {
      at('fulfilment', '只有实物奖品才有领取方式');
    }
    if (p.kind !== 'physical' && p.claimDays !== undefined) {
      at('claimDays', '只有实物奖品才有领取期限');
    }
  }, always),
);

// Rewards (issue 12) ----------------------------------------------------------------------------

// 黑卡权益: what a member may use at the counter, `quota` times per `period` (absent: unlimited).
const rightSchema = section('黑卡权益', {
  id: id('权益编号'),
  title: text('权益名称', 20),
  description: text('权益说明', 200),
  quota: z.optional(wholeNumber('每期可用次数', 1, 1000)),
  period: z.optional(
    choice('权益周期', {
      day: '每天',
      week: '每周',
      month: '每月',
      year: '每年',
      campaign: '活动期间',
    }),
  ),
}).check(
  z.superRefine((value, ctx) => {
    const r = asRecord(value);
    if (r && r.period !== undefined && r.quota === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['quota'],
        message: '设置了权益周期，请填写每期可用次数（不填周期和次数表示不限次数）',
      });
    }
  }, always),
);

// 阶梯奖励: a reward when the verified invites reach `invites` (a coupon or a physical prize).
const milestoneSchema = section('阶梯奖励', {
  invites: wholeNumber('阶梯所需邀请人数', 1, 100),
  /** as the ladder shows it; default: the coupon's title or the prize's name */
  title: z.optional(text('阶梯奖励名称', 20)),
  couponTemplateId: z.optional(id('优惠券模板编号')),
  prizeId: z.optional(id('奖品编号')),
}).check(
  z.superRefine((value, ctx) => {
    const m = asRecord(value);
    if (m && (m.couponTemplateId === undefined) === (m.prizeId === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: '阶梯奖励须指定优惠券模板或实物奖品（二选一）',
      });
    }
  }, always),
);

const milestonesSchema = list('阶梯奖励', milestoneSchema).check(
  z.superRefine((value, ctx) => {
    const seen = new Set<unknown>();
    asList(value).forEach((item, index) => {
      const invites = asRecord(item)?.invites;
      if (typeof invites !== 'number') return;
      if (seen.has(invites)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'invites'],
          message: `邀请 ${invites} 人的阶梯重复`,
        });
      }
      seen.add(invites);
    });
  }, always),
);

// 订阅消息: per event, the WeChat template and its fields filled from the event's variables.
const reminderSchema = (event: (typeof REMINDER_EVENTS)[number]) => {
  const label = `${REMINDER_NAMES[event]}提醒`;
  const variables = REMINDER_VARIABLES[event];
  return section(label, {
    templateId: id(`${label}的模板编号`, KEY_KINDS.docId),
    fields: z
      .record(z.string().check(z.regex(/^[a-z_]+[0-9]+$/)), text(`${label}的字段内容`, 100), {
        error: (issue: { code?: string; input?: unknown }) =>
          issue.input === undefined
            ? `请填写${label}的字段`
            : issue.code === 'invalid_key'
              ? `${label}的字段名须如 thing1、number2、time3`
              : `${label}的字段须为 JSON 对象，如 { "thing1": "{title}" }`,
      })
      .check(
        z.superRefine((fields, ctx) => {
          if (Object.keys(fields).length === 0) {
            ctx.addIssue({ code: 'custom', path: [], message: `${label}须至少有一个字段` });
          }
          for (const [field, template] of Object.entries(fields)) {
            for (const name of placeholdersOf(template)) {
              if (!variables.includes(name)) {
                ctx.addIssue({
                  code: 'custom',
                  path: [field],
                  message: `未知的变量 {${name}}，可用：${variables.map((v) => `{${v}}`).join('、')}`,
                });
              }
            }
          }
        }),
      ),
  });
};

const remindersSchema = z.object(
  Object.fromEntries(
    REMINDER_EVENTS.map((event) => [event, z.optional(reminderSchema(event))]),
  ) as {
    [E in (typeof REMINDER_EVENTS)[number]]: z.ZodMiniOptional<ReturnType<typeof reminderSchema>>;
  },
  worded('订阅消息', '订阅消息须为 JSON 对象'),
);

const prizesSchema = list('转盘奖品', prizeSchema).check(
  z.superRefine((value, ctx) => {
    if (!Array.isArray(value)) return;
    const prizes: unknown[] = value;
    const problem = (message: string) => ctx.addIssue({ code: 'custom', path: [], message });
    if (prizes.length < 6 || prizes.length > 12) {
      problem(`转盘须有 6–12 个奖品（扇区），现有 ${prizes.length} 个`);
    }
    const fallbacks = prizes.filter((p) => asRecord(p)?.fallback === true).length;
    if (fallbacks !== 1) problem(`须有且只有一个兜底奖品，现有 ${fallbacks} 个`);
    reportDuplicates(prizes, 'id', '奖品编号', ctx);
    const weights = prizes.map((p) => asRecord(p)?.weight);
    const allValid = weights.every((w) => typeof w === 'number' && Number.isInteger(w) && w >= 0);
    if (prizes.length > 0 && allValid && (weights as number[]).reduce((a, b) => a + b, 0) <= 0) {
      problem('所有奖品的中奖权重之和须大于 0');
    }
  }, always),
);

const claimWindowSchema = section('领取时间', {
  startAt: instant('领取开始时间'),
  endAt: instant('领取截止时间'),
}).check(
  z.refine((w: { startAt: string; endAt: string }) => Date.parse(w.endAt) > Date.parse(w.startAt), {
    path: ['endAt'],
    error: '领取截止时间须晚于领取开始时间',
  }),
);

// People console (issue 13)
/** The seeds' tag rules: new → C; claimed → B; shared or verified an invite → A; redeemed → S. */
export const DEFAULT_TAG_RULES = {
  claimed: 'B',
  shared: 'A',
  verified: 'A',
  redeemed: 'S',
} as const;

export const campaignSchema = section('活动配置', {
  id: id('活动编号'),
  title: text('活动标题', 40),
  startAt: instant('活动开始时间'),
  endAt: instant('活动结束时间'),
  // 引流抓手: the lead magnet a visitor claims, available during its claim window (有时效).
  magnet: section('引流抓手', {
    title: text('引流抓手标题', 40),
    description: text('引流抓手介绍', 500),
    image: location('引流抓手图片'),
    claimWindow: claimWindowSchema,
    reward: section('领取奖励', {
      resourceUrl: z.optional(location('资料链接')),
      couponTemplateId: z.optional(id('优惠券模板编号')),
    }).check(
      z.refine(
        (r: { resourceUrl?: string; couponTemplateId?: string }) =>
          r.resourceUrl !== undefined || r.couponTemplateId !== undefined,
        '领取奖励须有资料链接或优惠券模板，也可两者都有',
      ),
    ),
  }),
  // 大转盘
  lottery: section('大转盘', {
    dailyFreeSpins: z._default(wholeNumber('每日免费抽奖次数', 0, 20), 1),
    spinsPerVerifiedInvite: z._default(wholeNumber('每邀请成功一人奖励的抽奖次数', 0, 20), 1),
    /** At most this many bonus spins can be *earned* per Shanghai day; the balance carries over. */
    maxBonusSpinsPerDay: z._default(wholeNumber('每日最多获得的奖励抽奖次数', 0, 100), 5),
    prizes: prizesSchema,
  }),
  couponTemplates: z._default(
    list('优惠券模板', couponTemplateSchema).check(noDuplicates('id', '优惠券模板编号')),
    [],
  ),
  // Retention (issue 15): 复购券 (老用户回馈 / 会员日). Each redemption of a coupon issues its
  // member one coupon of this template, for the next visit (absent: none).
  repurchase: z.optional(
    section('复购券', {
      couponTemplateId: id('复购券的优惠券模板编号'),
    }),
  ),
  // 黑卡: unlocked by verified invites. Rights are read from the current config, never copied.
  blackCard: section('黑卡', {
    invitesRequired: z._default(wholeNumber('解锁黑卡所需的邀请人数', 1, 100), 3),
    rights: list('黑卡权益', rightSchema).check(
      z.minLength(1, '黑卡须至少有一项权益'),
      noDuplicates('id', '权益编号'),
    ),
    // Rewards (issue 12)
    milestones: z._default(milestonesSchema, []),
  }),
  // 邀请 and 风控 (risk ranks from riskControl.getUserRiskRank are 0–4, 4 the riskiest)
  invite: z.prefault(
    section('邀请规则', {
      maxVerifiedPerInviterPerDay: z._default(
        wholeNumber('每位邀请人每日最多成功邀请人数', 1, 10_000),
        50,
      ),
      riskRankBlock: z._default(wholeNumber('拦截的风险等级', 0, 4), 4),
      riskRankDowngrade: z._default(wholeNumber('降级的风险等级', 0, 4), 3),
      // Operator studio (issue 9): while the magnet cannot be claimed (its window closed, or not
      // yet open), a friend's invite counts at this action instead (domain/qualify.ts).
      whenClaimClosed: z._default(
        choice('领取关闭时的有效邀请条件', {
          spin: '好友首次抽奖即算有效邀请',
          none: '不再认定新的有效邀请',
        }),
        'spin',
      ),
      // People console (issue 13): 羊毛党 brakes. Beyond `maxVerified` credited invites within
      // `withinMinutes`, an inviter's further invites wait on hold for the owner's review.
      velocity: z.optional(
        section('邀请速度限制', {
          maxVerified: wholeNumber('限制时段内最多计入的邀请人数', 1, 1000),
          withinMinutes: wholeNumber('速度限制的时段（分钟）', 1, 24 * 60),
        }),
      ),
      /** Bonus spins an invite earns become spendable this many hours after it counts. */
      vestingHours: z.optional(wholeNumber('邀请奖励的冻结时长（小时）', 0, 30 * 24)),
    }).check(
      z.refine(
        (r: { riskRankBlock: number; riskRankDowngrade: number }) =>
          r.riskRankDowngrade <= r.riskRankBlock,
        { path: ['riskRankDowngrade'], error: '降级的风险等级须不高于拦截的风险等级' },
      ),
    ),
    {},
  ),
  // 社群 / 群活码
  groups: section('社群', {
    /** When a visitor may be handed a group QR: after claiming the magnet, or after the black card. */
    after: choice('发放群二维码的时机', { claim: '领取引流抓手后', blackcard: '解锁黑卡后' }),
    /** Shown when no group has room (客服 QR). */
    fallbackContact: section('客服联系方式', {
      title: text('客服名称', 40),
      qrUrl: location('客服二维码'),
      note: z.optional(text('客服说明', 200)),
    }),
    /** Hand-outs per group QR; a WeChat group QR stops admitting scanners at 200 members. */
    defaultCapacity: z._default(wholeNumber('每个群二维码的发放上限', 1, 200), 180),
  }),
  // 渠道: where visitors come from, with optional spend for cost per verified user.
  channels: list(
    '渠道',
    section('渠道', {
      code: id('渠道代码', KEY_KINDS.channelCode),
      name: text('渠道名称', 20),
      cost: z.optional(fen('渠道花费', 0)),
    }),
  ).check(
    noDuplicates('code', '渠道代码'),
    z.superRefine((value, ctx) => {
      if (Array.isArray(value) && !value.some((c) => asRecord(c)?.code === 'share')) {
        ctx.addIssue({
          code: 'custom',
          path: [],
          message: '渠道须包含 "share"（邀请链接带 ch=share）',
        });
      }
    }, always),
  ),
  // Operator studio (issue 9): who runs the campaign, for the 活动规则 page (WeChat's review and
  // a careful consumer expect the organiser and a way to reach them).
  organizer: z.optional(
    section('主办方', {
      name: text('主办方名称', 40),
      contact: text('联系方式', 100),
      address: z.optional(text('活动地址', 100)),
    }),
  ),
  // Rewards (issue 12): 订阅消息 templates; an event without one sends nothing.
  reminders: z._default(remindersSchema, {}),
  // People console (issue 13) ---------------------------------------------------------------
  // 成长标签: which acts of a member raise their tag to which (rules only ever raise a tag; new
  // members start at C; an operator's manual tag is never undone by them).
  growthTags: z.prefault(
    section('成长标签', {
      rules: z._default(
        section('标签规则', {
          claimed: z.optional(tagChoice('领取福利后的标签')),
          spun: z.optional(tagChoice('抽奖后的标签')),
          shared: z.optional(tagChoice('分享带来好友后的标签')),
          verified: z.optional(tagChoice('邀请成功后的标签')),
          cardUnlocked: z.optional(tagChoice('解锁黑卡后的标签')),
          joinedGroup: z.optional(tagChoice('确认入群后的标签')),
          redeemed: z.optional(tagChoice('核销优惠券后的标签')),
        }),
        DEFAULT_TAG_RULES,
      ),
    }),
    {},
  ),
  // 团长 (小当家 / 大当家): the reward ladder a leader climbs with what their invite tree brings.
  leaders: z.prefault(
    section('团长', {
      metric: z._default(
        choice('团长阶梯的计量', {
          members: '带来的成员人数',
          claims: '领取福利的成员人数',
          redemptions: '成员核销次数',
        }),
        'claims',
      ),
      ladder: z._default(
        list(
          '团长奖励阶梯',
          section('阶梯', {
            id: id('阶梯编号'),
            title: text('阶梯名称', 20),
            threshold: wholeNumber('阶梯门槛', 1, 1_000_000),
            reward: text('阶梯奖励', 100),
          }),
        ).check(
          noDuplicates('id', '阶梯编号'),
          z.superRefine((value, ctx) => {
            let previous = 0;
            asList(value).forEach((step, index) => {
              const threshold = asRecord(step)?.threshold;
              if (typeof threshold !== 'number') return;
              if (threshold <= previous) {
                ctx.addIssue({
                  code: 'custom',
                  path: [index, 'threshold'],
                  message: '阶梯门槛须逐级升高',
                });
              }
              previous = threshold;
            });
          }, always),
        ),
        [],
      ),
    }),
    {},
  ),
  // 邀请排行榜: members may see the top inviters (names masked) when the owner switches it on.
  leaderboard: z.prefault(
    section('邀请排行榜', {
      public: z._default(z.boolean(worded('公开排行榜', '公开排行榜须为 true 或 false')), false),
      size: z._default(wholeNumber('排行榜显示人数', 3, 50), 10),
    }),
    {},
  ),
}).check(
  z.superRefine((value, ctx) => {
    const c = asRecord(value);
    if (!c) return;
    const at = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message });
    const start = instantMs(c.startAt);
    const end = instantMs(c.endAt);
    const campaignValid = start !== undefined && end !== undefined && end > start;
    if (start !== undefined && end !== undefined && end <= start) {
      at(['endAt'], '活动结束时间须晚于活动开始时间');
    }

    const magnet = asRecord(c.magnet);
    const claimWindow = asRecord(magnet?.claimWindow);
    const claimStart = instantMs(claimWindow?.startAt);
    const claimEnd = instantMs(claimWindow?.endAt);
    if (
      campaignValid &&
      claimStart !== undefined &&
      claimEnd !== undefined &&
      (claimStart < start || claimEnd > end)
    ) {
      at(['magnet', 'claimWindow'], '领取时间须在活动时间之内（活动开始至结束）');
    }

    // References to coupon templates must resolve, or an issue would hand out nothing.
    const templates = asList(c.couponTemplates).map(asRecord);
    const known = new Set(templates.map((t) => t?.id).filter((x) => typeof x === 'string'));
    const checkReference = (ref: unknown, path: (string | number)[]) => {
      if (typeof ref === 'string' && !known.has(ref)) at(path, `优惠券模板 "${ref}" 不存在`);
    };
    checkReference(asRecord(magnet?.reward)?.couponTemplateId, [
      'magnet',
      'reward',
      'couponTemplateId',
    ]);
    // Retention (issue 15)
    checkReference(asRecord(c.repurchase)?.couponTemplateId, ['repurchase', 'couponTemplateId']);
    asList(asRecord(c.lottery)?.prizes).forEach((prize, index) =>
      checkReference(asRecord(prize)?.couponTemplateId, [
        'lottery',
        'prizes',
        index,
        'couponTemplateId',
      ]),
    );

    // Rewards (issue 12): a milestone's coupon template exists; its prize is a physical one.
    const prizes = asList(asRecord(c.lottery)?.prizes).map(asRecord);
    asList(asRecord(c.blackCard)?.milestones).forEach((item, index) => {
      const m = asRecord(item);
      checkReference(m?.couponTemplateId, ['blackCard', 'milestones', index, 'couponTemplateId']);
      if (typeof m?.prizeId !== 'string') return;
      const prize = prizes.find((p) => p?.id === m.prizeId);
      if (!prize) at(['blackCard', 'milestones', index, 'prizeId'], `奖品 "${m.prizeId}" 不存在`);
      else if (prize.kind !== 'physical') {
        at(['blackCard', 'milestones', index, 'prizeId'], `阶梯奖励的奖品须为实物奖品`);
      }
    });

    templates.forEach((t, index) => {
      const until = instantMs(t?.validUntil);
      if (start !== undefined && until !== undefined && until <= start) {
        at(['couponTemplates', index, 'validUntil'], '有效期截止时间须晚于活动开始时间');
      }
    });
    reportVariantProblems(templates, at);
  }, always),
);

// People console (issue 13) ---------------------------------------------------------------------

function tagChoice(label: string) {
  return choice(label, { S: '高意向', A: '活跃', B: '已领取', C: '新成员' });
}

/** A variant replaces a template that exists and is no variant itself, once per tag. */
function reportVariantProblems(
  templates: Array<Loose | undefined>,
  at: (path: (string | number)[], message: string) => void,
): void {
  const byId = new Map(templates.map((t) => [t?.id, t]));
  const seen = new Set<string>();
  templates.forEach((t, index) => {
    const base = t?.variantOf;
    if (typeof base !== 'string') return;
    const path = ['couponTemplates', index, 'variantOf'];
    const target = byId.get(base);
    if (!target) return at(path, `优惠券模板 "${base}" 不存在`);
    if (base === t?.id) return at(path, '不能替代自己');
    if (target.variantOf !== undefined) return at(path, `"${base}" 本身是替代券，不能再被替代`);
    const key = `${base}:${String(t?.segment)}`;
    if (seen.has(key)) at(path, `"${base}" 已有标签 ${String(t?.segment)} 的替代券`);
    seen.add(key);
  });
}

export type Campaign = z.output<typeof campaignSchema>;
/** What an operator writes: defaults not yet applied. */
export type CampaignInput = z.input<typeof campaignSchema>;
export type Prize = Campaign['lottery']['prizes'][number];
export type PrizeKind = Prize['kind'];
export type CouponTemplate = Campaign['couponTemplates'][number];
export type BlackCardRight = Campaign['blackCard']['rights'][number];
// Rewards (issue 12)
export type Milestone = Campaign['blackCard']['milestones'][number];
export type ReminderTemplate = NonNullable<Campaign['reminders'][keyof Campaign['reminders']]>;
export type Channel = Campaign['channels'][number];
export type InviteRules = Campaign['invite'];
// People console (issue 13)
export type TagRules = Campaign['growthTags']['rules'];
export type TagFact = keyof TagRules;
export type LeaderRules = Campaign['leaders'];

/** One problem of a config, placed at its field. */
export interface CampaignProblem {
  /** Where, for an editor: `['lottery', 'prizes', 2, 'stock']`; `[]` is the whole document. */
  path: (string | number)[];
  /** The same path dotted: `lottery.prizes.2.stock`; '' for the whole document. */
  field: string;
  /** In Chinese, naming the field: `库存须为不小于 0 的整数，留空表示不限量`. */
  message: string;
}

/** The flat text of a problem: `lottery.prizes.2.stock: 库存须为不小于 0 的整数，留空表示不限量`. */
export function problemText({ field, message }: CampaignProblem): string {
  return field ? `${field}: ${message}` : message;
}

export function parseCampaign(
  input: unknown,
): { ok: true; campaign: Campaign } | { ok: false; problems: CampaignProblem[] } {
  // Every check words its own problem; the fallback only guards against a check that does not.
  const result = campaignSchema.safeParse(input, { error: () => '填写有误' });
  if (result.success) return { ok: true, campaign: result.data };
  const problems = new Map<string, CampaignProblem>();
  for (const issue of result.error.issues) {
    const path = issue.path.map((key) => (typeof key === 'number' ? key : String(key)));
    const problem = { path, field: path.join('.'), message: issue.message };
    problems.set(problemText(problem), problem);
  }
  return { ok: false, problems: [...problems.values()] };
}
