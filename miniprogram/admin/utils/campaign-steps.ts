/**
 * 活动编辑器的步骤 (operator studio, issue 9; rewards, issue 12; people console, issue 13): every
 * field of a campaign config, grouped into steps a person can follow on a phone, each with its
 * Chinese label and hint, the control it needs, and what a choice decides around it (a coupon
 * prize gets a template, a right without a quota has no period…). Data only: the form's engine
 * (campaign-form.ts) reads these specs to render a step, write a field and place a problem.
 *
 * The enums' words are Records of the contract's types (the Mini Program cannot load the schema at
 * run time): a value added to the schema fails `tsc` here until it has its words.
 */
import type {
  BlackCardRight,
  LeaderRules,
  Prize,
  PrizeKind,
  TagFact,
} from '../../../cloudfunctions/_shared/campaign';
import type { GrowthTag } from '../../../cloudfunctions/_shared/contracts';
import { getAt, isRecord, parsePath, type Loose } from './config-paths';
import { TAG_LABELS, TAG_ORDER } from './labels';
import {
  REMINDER_MOMENTS,
  REMINDER_NAMES,
  REMINDER_VARIABLES,
  VARIABLE_LABELS,
  type ReminderVariable,
} from './reminder-events';

export type FieldType =
  | 'text'
  | 'textarea'
  | 'int'
  | 'fen'
  | 'stock'
  | 'rate'
  | 'datetime'
  | 'image'
  /** one of `options`, stored at the field */
  | 'select'
  /** one of `options`, not stored itself: `write` sets the fields it decides (有效期方式) */
  | 'choice'
  /** true or false */
  | 'switch'
  /** whether an optional part exists (a reminder, the velocity rule): on makes it with `make` */
  | 'section'
  /** rows of key → text (a subscribe-message template's fields) */
  | 'map';

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** the path within its parent: `title`, `claimWindow.startAt`, `stock` */
  key: string;
  label: string;
  hint: string;
  type: FieldType;
  options?: Option[] | ((config: Loose, parent: Loose) => Option[]);
  /** empty removes the value (an optional field), rather than sending an empty one */
  optional?: boolean;
  placeholder?: string;
  /** shown only while this holds (`parent`: the object holding the field, a list's item) */
  shown?: (parent: Loose, config: Loose) => boolean;
  /** label and control on one line (short choices: the tag rules, a switch) */
  inline?: boolean;
  /** the option a select shows as chosen, when that is not the stored value itself */
  read?: (parent: Loose) => string;
  /** writes a choice in place of storing it (a pseudo-field, or a value that decides others) */
  write?: (parent: Loose, value: string, config: Loose) => void;
  /** after the field is written: keeps what it decides coherent */
  then?: (parent: Loose, config: Loose) => void;
  /** a section: what it starts as when switched on */
  make?: (config: Loose) => Loose;
  /** a figure beside the control: `= ¥5`, `约 0.44%` (money, rates and images have theirs) */
  extra?: (value: unknown, parent: Loose, config: Loose) => string;
}

export interface ListSpec {
  list: string;
  label: string;
  hint: string;
  itemName: (item: Loose, index: number, config: Loose) => string;
  fields: FieldSpec[];
  newItem: (config: Loose) => Loose;
  min: number;
  max: number;
  /** the order means something (the wheel's sectors, a ladder): items can move up and down */
  ordered?: boolean;
}

/** A heading inside a step, and the place for problems of a part that has no field of its own. */
export interface GroupSpec {
  group: string;
  label?: string;
  hint?: string;
}

export type BlockSpec = FieldSpec | ListSpec | GroupSpec;

export interface StepSpec {
  key: string;
  title: string;
  intro: string;
  /** the config's top-level keys whose problems belong to this step */
  owns: string[];
  blocks: BlockSpec[];
}

export const isList = (block: BlockSpec): block is ListSpec => 'list' in block;
export const isGroup = (block: BlockSpec): block is GroupSpec => 'group' in block;

// ---------------------------------------------------------------------------------------------
// Options

const optionsOf = <K extends string>(labels: Record<K, string>): Option[] =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));

const PRIZE_KINDS: Record<PrizeKind, string> = {
  coupon: '优惠券',
  physical: '实物',
  resource: '资料',
  none: '谢谢参与',
};

const FULFILMENT: Record<NonNullable<Prize['fulfilment']>, string> = {
  pickup: '到店自提',
  shipping: '邮寄到家',
};

const COUPON_TYPES: Option[] = [
  { value: 'discount', label: '折扣券（如 8 折）' },
  { value: 'cash', label: '满减券（满 X 减 Y）' },
  { value: 'free', label: '无门槛券（直接减 Y）' },
];

const PERIODS: Record<NonNullable<BlackCardRight['period']>, string> = {
  day: '每天',
  week: '每周（周一至周日）',
  month: '每月',
  year: '每年',
  campaign: '整个活动期间',
};

const TAG_FACTS: Record<TagFact, string> = {
  claimed: '领取福利后',
  spun: '抽过奖后',
  shared: '分享带来好友后',
  verified: '邀请成功后',
  cardUnlocked: '解锁黑卡后',
  joinedGroup: '确认入群后',
  redeemed: '到店核销后',
};

const TAG_OPTIONS: Option[] = TAG_ORDER.map((tag: GrowthTag) => ({
  value: tag,
  label: `${tag} · ${TAG_LABELS[tag]}`,
}));

const LEADER_METRICS: Record<LeaderRules['metric'], string> = {
  claims: '领取福利的成员人数',
  members: '带来的成员人数',
  redemptions: '成员到店核销次数',
};

const list = (value: unknown): Loose[] => (Array.isArray(value) ? value : []);

/** The coupon templates a prize, the gift or a ladder step may hand out. */
function templateOptions(config: Loose, none?: string): Option[] {
  return [
    ...(none ? [{ value: '', label: none }] : []),
    ...list(config.couponTemplates).map((t) => ({
      value: String(t.id),
      label: String(t.title || t.id),
    })),
  ];
}

/** The wheel's physical prizes: what a ladder step may give besides a coupon. */
function physicalPrizes(config: Loose): Option[] {
  return list(config.lottery?.prizes)
    .filter((p) => p.kind === 'physical')
    .map((p) => ({ value: String(p.id), label: String(p.name || p.id) }));
}

/** 无门槛 is a 满减 without a threshold. */
export function couponTypeOf(template: Loose): string {
  if (
    template.kind === 'cash' &&
    (template.threshold ?? 0) === 0 &&
    template.threshold !== undefined
  )
    return 'free';
  return String(template.kind ?? '');
}

/** `prize-7`: the first id of that shape no item of `items` has. */
export function freshId(items: unknown, prefix: string, key = 'id'): string {
  const taken = new Set(list(items).map((i) => i?.[key]));
  for (let n = list(items).length + 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Shown while the optional part at `path` is on (a section switched on). */
const whileOn = (path: string) => (_parent: Loose, config: Loose) =>
  isRecord(getAt(config, parsePath(path)));

const hasText = (value: unknown) =>
  isRecord(value) && Object.values(value).some((v) => typeof v === 'string' && v.trim() !== '');

// ---------------------------------------------------------------------------------------------
// The steps

const REMINDER_EVENTS = Object.keys(REMINDER_NAMES) as Array<keyof typeof REMINDER_NAMES>;

export const STEPS: StepSpec[] = [
  {
    key: 'basics',
    title: '基本信息',
    intro: '活动叫什么、什么时候开始和结束。到点自动开始、自动结束，无需手动操作。',
    owns: ['id', 'title', 'startAt', 'endAt', 'organizer'],
    blocks: [
      {
        key: 'title',
        label: '活动标题',
        hint: '访客在活动首页顶部看到的标题，最多 40 字',
        type: 'text',
      },
      { key: 'startAt', label: '开始时间', hint: '到点自动开始', type: 'datetime' },
      {
        key: 'endAt',
        label: '结束时间',
        hint: '到点自动结束：领福利、抽奖、邀请都在这段时间内',
        type: 'datetime',
      },
      { group: 'organizer' },
      ...(
        [
          ['name', '主办方', '写在活动规则页上，如门店或公司名称'],
          ['contact', '联系方式', '顾客有疑问时怎么找到你：电话或微信号'],
          ['address', '活动地址', '选填，如门店地址'],
        ] as const
      ).map(([key, label, hint]): FieldSpec => ({
        key: `organizer.${key}`,
        label,
        hint,
        type: 'text',
        optional: true,
        // the organiser is optional as a whole: nothing filled in means none
        then: (_organizer, config) => {
          if (!hasText(config.organizer)) delete config.organizer;
        },
      })),
    ],
  },
  {
    key: 'magnet',
    title: '引流福利',
    intro: '新访客免费领取的福利（引流抓手）：限时可领，领取即算好友的有效邀请。',
    owns: ['magnet'],
    blocks: [
      {
        key: 'magnet.title',
        label: '福利名称',
        hint: '如：免费领《夏日特调配方手册》，最多 40 字',
        type: 'text',
      },
      {
        key: 'magnet.description',
        label: '福利介绍',
        hint: '说清楚能得到什么、怎么用，最多 500 字',
        type: 'textarea',
      },
      {
        key: 'magnet.image',
        label: '活动主图',
        hint: '首页顶部的大图，建议 750×420 像素',
        type: 'image',
      },
      { group: 'magnet.claimWindow' },
      {
        key: 'magnet.claimWindow.startAt',
        label: '开始领取',
        hint: '在活动时间之内',
        type: 'datetime',
      },
      {
        key: 'magnet.claimWindow.endAt',
        label: '截止领取',
        hint: '首页显示倒计时；截止后可设定好友首次抽奖即算有效邀请（见第 5 步）',
        type: 'datetime',
      },
      { group: 'magnet.reward' },
      {
        key: 'magnet.reward.couponTemplateId',
        label: '赠送的券',
        hint: '从第 4 步的优惠券中选择',
        type: 'select',
        optional: true,
        options: (config) => templateOptions(config, '不送券'),
      },
      {
        key: 'magnet.reward.resourceUrl',
        label: '资料链接',
        hint: '选填：领取后可复制的链接（资料包、电子书）。券和资料至少有一项',
        type: 'text',
        optional: true,
      },
    ],
  },
  {
    key: 'lottery',
    title: '转盘奖品',
    intro: '转盘有 6–12 个奖品，其中一个是“兜底”：没抽中或奖品抽完时给它。',
    owns: ['lottery'],
    blocks: [
      {
        key: 'lottery.dailyFreeSpins',
        label: '每天免费抽奖次数',
        hint: '每人每天，0–20',
        type: 'int',
      },
      {
        key: 'lottery.spinsPerVerifiedInvite',
        label: '邀请成功奖励次数',
        hint: '好友成为有效邀请后，邀请人多得的抽奖次数，0–20',
        type: 'int',
      },
      {
        key: 'lottery.maxBonusSpinsPerDay',
        label: '每天最多奖励次数',
        hint: '每人每天最多因邀请得到的次数，0–100；没用完的留到以后',
        type: 'int',
      },
      {
        list: 'lottery.prizes',
        label: '奖品',
        hint: '转盘上按这个顺序排列。概率 = 该奖品权重 ÷ 所有权重之和；某个奖品抽完后，其余奖品按权重分它的概率',
        itemName: (prize, index) => `奖品 ${index + 1}${prize.name ? ` · ${prize.name}` : ''}`,
        min: 6,
        max: 12,
        ordered: true,
        newItem: (config) => ({
          id: freshId(config.lottery?.prizes, 'prize'),
          name: '新奖品',
          kind: 'physical',
          weight: 10,
          stock: 10,
          fallback: false,
        }),
        fields: [
          { key: 'name', label: '名称', hint: '转盘上显示，最多 20 字', type: 'text' },
          {
            key: 'kind',
            label: '类型',
            hint: '',
            type: 'select',
            options: optionsOf(PRIZE_KINDS),
            then: (prize, config) => {
              if (prize.kind === 'coupon')
                prize.couponTemplateId ??= templateOptions(config)[0]?.value;
              else delete prize.couponTemplateId;
              if (prize.kind === 'resource') prize.resourceUrl ??= '';
              else delete prize.resourceUrl;
              if (prize.kind !== 'physical') {
                delete prize.fulfilment;
                delete prize.claimDays;
              }
            },
          },
          {
            key: 'couponTemplateId',
            label: '发放的券',
            hint: '从第 4 步的优惠券中选择',
            type: 'select',
            options: (config) => templateOptions(config),
            shown: (prize) => prize.kind === 'coupon',
          },
          {
            key: 'resourceUrl',
            label: '资料链接',
            hint: '抽中后可复制的链接',
            type: 'text',
            shown: (prize) => prize.kind === 'resource',
          },
          {
            key: 'weight',
            label: '权重',
            hint: '整数，越大越容易抽中；0 表示不会抽中',
            type: 'int',
            extra: (weight, _prize, config) => {
              if (typeof weight !== 'number') return '';
              const total = list(config.lottery?.prizes).reduce(
                (sum, p) => sum + (typeof p.weight === 'number' ? p.weight : 0),
                0,
              );
              return total > 0
                ? `约 ${(Math.round((weight / total) * 10_000) / 100).toFixed(2)}%`
                : '';
            },
          },
          {
            key: 'stock',
            label: '库存',
            hint: '整个活动共发多少份；留空为不限量（兜底奖品须不限量）',
            type: 'stock',
            placeholder: '不限量',
          },
          {
            key: 'fulfilment',
            label: '领取方式',
            hint: '到店自提：奖品进券包，店员扫码核销；邮寄：中奖人填写收货地址，你在「中奖名单」里标记寄出',
            type: 'select',
            options: optionsOf(FULFILMENT),
            read: (prize) => prize.fulfilment ?? 'pickup',
            shown: (prize) => prize.kind === 'physical',
          },
          {
            key: 'claimDays',
            label: '领取期限（天）',
            hint: '中奖后第 N 天 23:59 前到店领取或填好地址，0 为仅限当天；留空为 30 天',
            type: 'int',
            optional: true,
            placeholder: '30',
            shown: (prize) => prize.kind === 'physical',
          },
          {
            key: 'cost',
            label: '单件成本',
            hint: '选填，单位：分（500 即 5 元），用于推演成本',
            type: 'fen',
            optional: true,
            shown: (prize) => prize.kind === 'physical',
          },
        ],
      },
    ],
  },
  {
    key: 'coupons',
    title: '优惠券',
    intro: '福利和转盘发出的券从这里来：折扣、满减或无门槛，以及有效期。',
    owns: ['couponTemplates', 'repurchase'],
    blocks: [
      {
        list: 'couponTemplates',
        label: '优惠券',
        hint: '金额单位为分：500 即 5 元',
        itemName: (t, index) => `券 ${index + 1}${t.title ? ` · ${t.title}` : ''}`,
        min: 0,
        max: 20,
        newItem: (config) => ({
          id: freshId(config.couponTemplates, 'coupon'),
          title: '新券',
          kind: 'cash',
          threshold: 0,
          amount: 500,
          validDays: 7,
        }),
        fields: [
          { key: 'title', label: '券名称', hint: '券包里显示，最多 40 字', type: 'text' },
          {
            key: 'kind',
            label: '券类型',
            hint: '',
            type: 'select',
            options: COUPON_TYPES,
            read: couponTypeOf,
            write: (template, type) => {
              if (type === 'discount') {
                template.kind = 'discount';
                template.rate ??= 0.8;
                delete template.amount;
                if (template.threshold === 0) delete template.threshold;
              } else {
                template.kind = 'cash';
                delete template.rate;
                template.amount ??= 500;
                if (type === 'free') template.threshold = 0;
                else if (!template.threshold) template.threshold = 5000;
              }
            },
          },
          {
            key: 'rate',
            label: '折扣率',
            hint: '0.1–0.99，0.8 即 8 折',
            type: 'rate',
            shown: (t) => t.kind === 'discount',
          },
          {
            key: 'threshold',
            label: '使用门槛',
            hint: '消费满多少可用，单位：分（5000 即 50 元）',
            type: 'fen',
            optional: true,
            shown: (t) => t.kind !== 'cash' || t.threshold !== 0,
          },
          {
            key: 'amount',
            label: '减免金额',
            hint: '单位：分（1000 即 10 元），须小于门槛',
            type: 'fen',
            shown: (t) => t.kind === 'cash',
          },
          {
            key: 'validity',
            label: '有效期',
            hint: '',
            type: 'choice',
            options: [
              { value: 'days', label: '领取后 N 天内有效' },
              { value: 'until', label: '到固定时间截止' },
            ],
            read: (t) => (t.validUntil !== undefined ? 'until' : 'days'),
            write: (template, validity, config) => {
              if (validity === 'until') {
                delete template.validDays;
                template.validUntil ??= config.endAt;
              } else {
                delete template.validUntil;
                template.validDays ??= 7;
              }
            },
          },
          {
            key: 'validDays',
            label: '有效天数',
            hint: '领取后第 N 天的 23:59 前有效；0 为仅限领取当天',
            type: 'int',
            shown: (t) => t.validUntil === undefined,
          },
          {
            key: 'validUntil',
            label: '截止时间',
            hint: '无论何时领取，都到这个时间为止',
            type: 'datetime',
            shown: (t) => t.validUntil !== undefined,
          },
          {
            key: 'variantOf',
            label: '按成长标签替代',
            hint: '选填：让某个成长标签的会员领所选的券时改领这张（如给 S 级会员更大的优惠），选好后在下面选标签',
            type: 'select',
            optional: true,
            options: (config, template) => [
              { value: '', label: '不替代（人人一样）' },
              ...list(config.couponTemplates)
                .filter((t) => t.id !== template.id && t.variantOf === undefined)
                .map((t) => ({ value: String(t.id), label: `替代「${t.title || t.id}」` })),
            ],
            // a variant is for one growth tag: a free-text audience no longer fits
            then: (template) => {
              const isTag = TAG_ORDER.includes(template.segment as GrowthTag);
              if (template.variantOf !== undefined && !isTag) delete template.segment;
            },
          },
          {
            key: 'segment',
            label: '发给哪个标签',
            hint: '成长标签为此的会员领到这张券',
            type: 'select',
            options: TAG_OPTIONS,
            shown: (t) => t.variantOf !== undefined,
          },
          {
            key: 'segment',
            label: '目标人群',
            hint: '选填，如 new（新客），仅供报表区分',
            type: 'text',
            optional: true,
            shown: (t) => t.variantOf === undefined,
          },
          {
            key: 'basket',
            label: '客单价估算',
            hint: '选填，单位：分；核销这张券的顾客一单大约消费多少，用来估算渠道营收和 ROI',
            type: 'fen',
            optional: true,
          },
        ],
      },
      // Retention (issue 15): 老用户回馈 — a redeemed coupon earns the next
      {
        key: 'repurchase.couponTemplateId',
        label: '复购券',
        hint: '顾客每用掉一张券，自动再送一张所选的券，下次到店可用（老顾客回馈）；不选则不送',
        type: 'select',
        optional: true,
        options: (config) => templateOptions(config, '不送复购券'),
        // no template chosen means no repurchase coupon at all
        then: (_repurchase, config) => {
          if (!(config.repurchase as Loose | undefined)?.couponTemplateId) delete config.repurchase;
        },
      },
    ],
  },
  {
    key: 'invite',
    title: '邀请与黑卡',
    intro: '好友完成有效动作后，邀请人多得抽奖次数，邀请满人数点亮黑卡，还可以按人数阶梯送奖励。',
    owns: ['blackCard', 'invite'],
    blocks: [
      {
        key: 'blackCard.invitesRequired',
        label: '解锁黑卡所需人数',
        hint: '有效邀请满多少位点亮黑卡，1–100',
        type: 'int',
      },
      {
        list: 'blackCard.rights',
        label: '黑卡权益',
        hint: '权益随时可改，会员看到的永远是最新的；店员扫会员码核销一次算用一次',
        itemName: (right, index) => `权益 ${index + 1}${right.title ? ` · ${right.title}` : ''}`,
        min: 1,
        max: 12,
        ordered: true,
        newItem: (config) => ({
          id: freshId(config.blackCard?.rights, 'right'),
          title: '新权益',
          description: '请写清楚怎么使用',
        }),
        fields: [
          { key: 'title', label: '权益名称', hint: '最多 20 字', type: 'text' },
          { key: 'description', label: '权益说明', hint: '最多 200 字', type: 'textarea' },
          {
            key: 'quota',
            label: '可用次数',
            hint: '每个周期可用几次，1–1000；留空为不限次数',
            type: 'int',
            optional: true,
            placeholder: '不限次数',
            // no quota, no period: an unlimited right is not counted per anything
            then: (right) => {
              if (right.quota === undefined) delete right.period;
            },
          },
          {
            key: 'period',
            label: '周期',
            hint: '按上海日历：每月即每个自然月重新计次',
            type: 'select',
            options: optionsOf(PERIODS),
            read: (right) => right.period ?? 'month',
            shown: (right) => right.quota !== undefined,
          },
        ],
      },
      {
        list: 'blackCard.milestones',
        label: '阶梯奖励',
        hint: '有效邀请满 N 人时再送一份奖励，每人每档一次；黑卡页显示阶梯和进度',
        itemName: (m, _index, config) => {
          const reward =
            m.title ||
            [...templateOptions(config), ...physicalPrizes(config)].find(
              (o) => o.value === (m.prizeId ?? m.couponTemplateId),
            )?.label;
          return `满 ${m.invites ?? '?'} 人${reward ? ` · ${reward}` : ''}`;
        },
        min: 0,
        max: 10,
        ordered: true,
        newItem: (config) => {
          const reached = list(config.blackCard?.milestones).map((m) => Number(m.invites) || 0);
          const invites = Math.min(
            100,
            Math.max(Number(config.blackCard?.invitesRequired) || 0, ...reached) + 1,
          );
          const coupon = templateOptions(config)[0]?.value;
          const prize = physicalPrizes(config)[0]?.value;
          return coupon || !prize
            ? { invites, couponTemplateId: coupon ?? '' }
            : { invites, prizeId: prize };
        },
        fields: [
          {
            key: 'invites',
            label: '邀请人数',
            hint: '有效邀请满多少人时发放，1–100，各档不能相同',
            type: 'int',
          },
          {
            key: 'reward',
            label: '奖励',
            hint: '',
            type: 'choice',
            options: [
              { value: 'coupon', label: '优惠券' },
              { value: 'prize', label: '实物奖品' },
            ],
            read: (m) => (m.prizeId !== undefined ? 'prize' : 'coupon'),
            write: (m, reward, config) => {
              if (reward === 'prize') {
                delete m.couponTemplateId;
                m.prizeId ??= physicalPrizes(config)[0]?.value ?? '';
              } else {
                delete m.prizeId;
                m.couponTemplateId ??= templateOptions(config)[0]?.value ?? '';
              }
            },
          },
          {
            key: 'couponTemplateId',
            label: '送的券',
            hint: '从第 4 步的优惠券中选择',
            type: 'select',
            options: (config) => templateOptions(config),
            shown: (m) => m.prizeId === undefined,
          },
          {
            key: 'prizeId',
            label: '送的奖品',
            hint: '第 3 步里的实物奖品，按它的领取方式发放；不占转盘库存',
            type: 'select',
            options: physicalPrizes,
            shown: (m) => m.prizeId !== undefined,
          },
          {
            key: 'title',
            label: '阶梯名称',
            hint: '选填，黑卡页阶梯上显示，最多 20 字；留空显示券名或奖品名',
            type: 'text',
            optional: true,
          },
        ],
      },
      {
        key: 'invite.whenClaimClosed',
        label: '福利领取截止后',
        hint: '福利领完或截止后，好友做什么才算有效邀请。选“不再认定”时，截止后黑卡和奖励次数都会停止增长',
        type: 'select',
        options: [
          { value: 'spin', label: '好友首次抽奖即算有效邀请' },
          { value: 'none', label: '不再认定新的有效邀请' },
        ],
      },
      {
        key: 'invite.maxVerifiedPerInviterPerDay',
        label: '每人每天最多有效邀请',
        hint: '防刷：超出的当天不计，1–10000',
        type: 'int',
      },
      {
        key: 'invite.riskRankDowngrade',
        label: '降级的风险等级',
        hint: '微信安全风控 0–4，达到此等级只能抽到兜底、邀请不算数',
        type: 'int',
      },
      {
        key: 'invite.riskRankBlock',
        label: '拦截的风险等级',
        hint: '达到此等级不能参与，0–4，不低于降级等级',
        type: 'int',
      },
      {
        key: 'invite.velocity',
        label: '邀请速度限制',
        hint: '防羊毛党：同一邀请人短时间内成功邀请太多时，超出的先待审核，你在看板的「待审核」里通过后才计入',
        type: 'section',
        make: () => ({ maxVerified: 5, withinMinutes: 10 }),
        extra: (velocity) =>
          isRecord(velocity) &&
          typeof velocity.maxVerified === 'number' &&
          typeof velocity.withinMinutes === 'number'
            ? `${velocity.withinMinutes} 分钟内超过 ${velocity.maxVerified} 人即待审核`
            : '',
      },
      {
        key: 'invite.velocity.maxVerified',
        label: '时段内最多计入',
        hint: '人数，1–1000；超出的邀请进入审核',
        type: 'int',
        shown: whileOn('invite.velocity'),
      },
      {
        key: 'invite.velocity.withinMinutes',
        label: '时段（分钟）',
        hint: '1–1440（一天）',
        type: 'int',
        shown: whileOn('invite.velocity'),
      },
      {
        key: 'invite.vestingHours',
        label: '邀请奖励冻结（小时）',
        hint: '选填：邀请得到的抽奖次数过多少小时才能用，给你留出审核时间，0–720；留空为立即可用',
        type: 'int',
        optional: true,
        placeholder: '立即可用',
      },
    ],
  },
  {
    key: 'groups',
    title: '社群与渠道',
    intro: '什么时候给访客群二维码，群满时找谁；访客从哪些渠道来、花了多少。',
    owns: ['groups', 'channels'],
    blocks: [
      {
        key: 'groups.after',
        label: '发群二维码的时机',
        hint: '',
        type: 'select',
        options: [
          { value: 'claim', label: '领取福利后' },
          { value: 'blackcard', label: '解锁黑卡后' },
        ],
      },
      {
        key: 'groups.defaultCapacity',
        label: '每个群码发放上限',
        hint: '微信群扫码最多进 200 人，建议 180，1–200',
        type: 'int',
      },
      { group: 'groups.fallbackContact' },
      {
        key: 'groups.fallbackContact.title',
        label: '群满时的客服',
        hint: '如：添加店长微信，最多 40 字',
        type: 'text',
      },
      {
        key: 'groups.fallbackContact.qrUrl',
        label: '客服二维码',
        hint: '群都满了时，访客看到的二维码',
        type: 'image',
      },
      {
        key: 'groups.fallbackContact.note',
        label: '客服说明',
        hint: '选填，如：群暂时满员，加店长微信稍后拉你进群',
        type: 'textarea',
        optional: true,
      },
      {
        list: 'channels',
        label: '渠道',
        hint: '渠道代码放进海报二维码（ch=代码）；须保留 share（好友分享）',
        itemName: (channel, index) =>
          `渠道 ${index + 1}${channel.name ? ` · ${channel.name}` : ''}`,
        min: 1,
        max: 30,
        newItem: (config) => ({ code: freshId(config.channels, 'ch', 'code'), name: '新渠道' }),
        fields: [
          {
            key: 'code',
            label: '渠道代码',
            hint: '小写字母、数字、_ 或 -，最多 16 位',
            type: 'text',
          },
          { key: 'name', label: '渠道名称', hint: '看板上显示，最多 20 字', type: 'text' },
          {
            key: 'cost',
            label: '投放花费',
            hint: '选填，单位：分（30000 即 300 元），用于算获客成本',
            type: 'fen',
            optional: true,
          },
        ],
      },
    ],
  },
  {
    key: 'people',
    title: '会员运营',
    intro: '会员的成长标签怎么打，团长（小当家、大当家）的奖励阶梯，以及要不要公开邀请排行榜。',
    owns: ['growthTags', 'leaders', 'leaderboard'],
    blocks: [
      {
        group: 'growthTags.rules',
        label: '成长标签规则',
        hint: '会员做到哪一步，标签升到哪一级。新会员从 C 开始，规则只升不降；你在会员详情页手动设的标签，规则不会改动',
      },
      ...(Object.keys(TAG_FACTS) as TagFact[]).map((fact): FieldSpec => ({
        key: `growthTags.rules.${fact}`,
        label: TAG_FACTS[fact],
        hint: '',
        type: 'select',
        optional: true,
        inline: true,
        options: [{ value: '', label: '不改变' }, ...TAG_OPTIONS],
      })),
      {
        key: 'leaders.metric',
        label: '团长阶梯按什么算',
        hint: '团长由你在会员详情页任命；他的邀请树带来的这个数字达到门槛，即升到那一级',
        type: 'select',
        options: optionsOf(LEADER_METRICS),
      },
      {
        list: 'leaders.ladder',
        label: '团长奖励阶梯',
        hint: '门槛逐级升高；团长在小程序里看到自己在第几级、奖励是什么，奖励由你发放',
        itemName: (step, index) => `第 ${index + 1} 级${step.title ? ` · ${step.title}` : ''}`,
        min: 0,
        max: 10,
        ordered: true,
        newItem: (config) => {
          const ladder = list(config.leaders?.ladder);
          const top = Math.max(0, ...ladder.map((s) => Number(s.threshold) || 0));
          return {
            id: freshId(ladder, 'level'),
            title: '新级别',
            threshold: top + 10,
            reward: '请写明奖励',
          };
        },
        fields: [
          { key: 'title', label: '级别名称', hint: '如 铜牌当家，最多 20 字', type: 'text' },
          {
            key: 'threshold',
            label: '门槛',
            hint: '按上面的计量达到多少，须比上一级高',
            type: 'int',
            extra: (threshold, _step, config) =>
              typeof threshold === 'number'
                ? `${threshold} ${config.leaders?.metric === 'redemptions' ? '次' : '人'}`
                : '',
          },
          {
            key: 'reward',
            label: '奖励',
            hint: '团长看到的奖励说明，如 门店饮品券 5 张，最多 100 字',
            type: 'text',
          },
        ],
      },
      {
        key: 'leaderboard.public',
        label: '公开邀请排行榜',
        hint: '开启后，会员在黑卡页可以看邀请排行（昵称打码）',
        type: 'switch',
      },
      {
        key: 'leaderboard.size',
        label: '排行榜显示人数',
        hint: '会员看到前几名，3–50',
        type: 'int',
        shown: (board) => board.public === true,
      },
    ],
  },
  {
    key: 'reminders',
    title: '消息提醒',
    intro:
      '用微信订阅消息把会员请回来：在公众平台「订阅消息」里选用模板，把模板编号和字段填在这里。会员在页面上点了同意才会收到；没开启的提醒不发送。',
    owns: ['reminders'],
    blocks: REMINDER_EVENTS.flatMap((event): FieldSpec[] => {
      const path = `reminders.${event}`;
      const variables = REMINDER_VARIABLES[event]
        .map((v) => `{${v}} ${VARIABLE_LABELS[v as ReminderVariable]}`)
        .join('、');
      return [
        {
          key: path,
          label: REMINDER_NAMES[event],
          hint: REMINDER_MOMENTS[event],
          type: 'section',
          make: () => ({ templateId: '', fields: { thing1: '' } }),
        },
        {
          key: `${path}.templateId`,
          label: '模板编号',
          hint: '公众平台 → 订阅消息 → 我的模板，复制模板 ID',
          type: 'text',
          shown: whileOn(path),
        },
        {
          key: `${path}.fields`,
          label: '模板字段',
          hint: `「字段」填模板详情里的字段名（如 thing1、time2），下面填它显示的内容，可用：${variables}`,
          type: 'map',
          placeholder: '显示的内容',
          shown: whileOn(path),
        },
      ];
    }),
  },
];

/** The last step, after the config: the projection, its warnings and 发布. */
export const SIMULATE_STEP = { key: 'simulate', title: '推演与发布' };
