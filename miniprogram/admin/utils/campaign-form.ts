/**
 * 活动编辑器的表单 (operator studio, issue 9): the campaign config as steps a person can follow
 * on a phone, every field with its label and hint, and the server's problems and warnings placed
 * beside the field they concern. Pure: the editor page keeps the config being edited and renders
 * `stepView`; `setField` turns what a control gave into the config's value.
 *
 * The config is edited as loose JSON (it may be invalid while a person types); the server
 * validates it in full on every save and answers each problem at its path
 * (`config.lottery.prizes.2.stock`), in Chinese. A problem is shown at the field with that path,
 * or else at the nearest list, item or group shown around it (`lottery.prizes` for "须有且只有一个
 * 兜底奖品"), or else at the top of its step.
 */
import type { CampaignWarning, ValidationIssue } from '../../../cloudfunctions/_shared/contracts';
import { formatFen } from '../../utils/format';

// the config being edited is loose JSON: it may be anything while a person types
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = Record<string, any>;
export type Path = Array<string | number>;

export type FieldType =
  | 'text'
  | 'textarea'
  | 'int'
  | 'fen'
  | 'stock'
  | 'rate'
  | 'datetime'
  | 'select'
  | 'image'
  | 'couponType'
  | 'validity';

export interface Option {
  value: string;
  label: string;
}

export interface FieldSpec {
  /** within its parent: `title`, `claimWindow.startAt`, `stock` */
  key: string;
  label: string;
  hint: string;
  type: FieldType;
  options?: Option[] | ((config: Loose) => Option[]);
  /** empty removes the value (an optional field), rather than sending an empty one */
  optional?: boolean;
  placeholder?: string;
  /** shown only while this holds for the field's parent (the item of a list) */
  shown?: (parent: Loose, config: Loose) => boolean;
}

export interface ListSpec {
  list: string;
  label: string;
  hint: string;
  itemName: (item: Loose, index: number) => string;
  fields: FieldSpec[];
  newItem: (config: Loose) => Loose;
  min: number;
  max: number;
}

export interface StepSpec {
  key: string;
  title: string;
  intro: string;
  /** the config's top-level keys whose problems belong to this step */
  owns: string[];
  blocks: Array<FieldSpec | ListSpec | { group: string }>;
}

const isList = (block: StepSpec['blocks'][number]): block is ListSpec => 'list' in block;
const isGroup = (block: StepSpec['blocks'][number]): block is { group: string } => 'group' in block;

// ---------------------------------------------------------------------------------------------
// The steps

const PRIZE_KINDS: Option[] = [
  { value: 'coupon', label: '优惠券' },
  { value: 'physical', label: '实物' },
  { value: 'resource', label: '资料' },
  { value: 'none', label: '谢谢参与' },
];

const COUPON_TYPES: Option[] = [
  { value: 'discount', label: '折扣券（如 8 折）' },
  { value: 'cash', label: '满减券（满 X 减 Y）' },
  { value: 'free', label: '无门槛券（直接减 Y）' },
];

const VALIDITY: Option[] = [
  { value: 'days', label: '领取后 N 天内有效' },
  { value: 'until', label: '到固定时间截止' },
];

/** The coupon templates a prize or the gift may hand out. */
function templateOptions(config: Loose, none?: string): Option[] {
  const templates = Array.isArray(config.couponTemplates) ? config.couponTemplates : [];
  return [
    ...(none ? [{ value: '', label: none }] : []),
    ...templates.map((t: Loose) => ({ value: String(t.id), label: String(t.title || t.id) })),
  ];
}

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
      {
        key: 'organizer.name',
        label: '主办方',
        hint: '写在活动规则页上，如门店或公司名称',
        type: 'text',
        optional: true,
      },
      {
        key: 'organizer.contact',
        label: '联系方式',
        hint: '顾客有疑问时怎么找到你：电话或微信号',
        type: 'text',
        optional: true,
      },
      {
        key: 'organizer.address',
        label: '活动地址',
        hint: '选填，如门店地址',
        type: 'text',
        optional: true,
      },
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
        hint: '概率 = 该奖品权重 ÷ 所有权重之和；某个奖品抽完后，其余奖品按权重分它的概率',
        itemName: (prize, index) => `奖品 ${index + 1}${prize.name ? ` · ${prize.name}` : ''}`,
        min: 6,
        max: 12,
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
          { key: 'kind', label: '类型', hint: '', type: 'select', options: PRIZE_KINDS },
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
          },
          {
            key: 'stock',
            label: '库存',
            hint: '整个活动共发多少份；留空为不限量（兜底奖品须不限量）',
            type: 'stock',
            placeholder: '不限量',
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
          { key: 'kind', label: '券类型', hint: '', type: 'couponType', options: COUPON_TYPES },
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
          { key: 'validity', label: '有效期', hint: '', type: 'validity', options: VALIDITY },
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
            key: 'segment',
            label: '目标人群',
            hint: '选填，如 new（新客），仅供报表区分',
            type: 'text',
            optional: true,
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
      },
    ],
  },
  {
    key: 'invite',
    title: '邀请与黑卡',
    intro: '好友完成有效动作后，邀请人多得抽奖次数，邀请满人数点亮黑卡。',
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
        hint: '权益随时可改，会员看到的永远是最新的',
        itemName: (right, index) => `权益 ${index + 1}${right.title ? ` · ${right.title}` : ''}`,
        min: 1,
        max: 12,
        newItem: (config) => ({
          id: freshId(config.blackCard?.rights, 'right'),
          title: '新权益',
          description: '请写清楚怎么使用',
        }),
        fields: [
          { key: 'title', label: '权益名称', hint: '最多 20 字', type: 'text' },
          { key: 'description', label: '权益说明', hint: '最多 200 字', type: 'textarea' },
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
];

/** The last step, after the config: the projection, its warnings and 发布. */
export const SIMULATE_STEP = { key: 'simulate', title: '推演与发布' };

/** `prize-7`: the first id of that shape no item of `items` has. */
function freshId(items: unknown, prefix: string, key = 'id'): string {
  const taken = new Set((Array.isArray(items) ? items : []).map((i: Loose) => i?.[key]));
  for (let n = (Array.isArray(items) ? items.length : 0) + 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.has(id)) return id;
  }
}

// ---------------------------------------------------------------------------------------------
// Paths

export const dotted = (path: Path): string => path.join('.');

export function parsePath(dottedPath: string): Path {
  return dottedPath === ''
    ? []
    : dottedPath.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function getAt(root: unknown, path: Path): any {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let node: any = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
  }
  return node;
}

/** Sets (or, with `undefined`, removes) the value at `path`, making objects on the way. */
export function setAt(root: Loose, path: Path, value: unknown): void {
  let node: Loose = root;
  for (const [i, key] of path.slice(0, -1).entries()) {
    if (node[key] === null || typeof node[key] !== 'object') {
      node[key] = typeof path[i + 1] === 'number' ? [] : {};
    }
    node = node[key];
  }
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') (node as unknown[]).splice(last, 1);
    else delete (node as Loose)[last];
  } else {
    node[last] = value;
  }
}

// ---------------------------------------------------------------------------------------------
// Values: what a control shows, and what it gives back

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000;
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** The Shanghai date and time pickers' values of an instant ('' when it cannot be read). */
export function pickerParts(iso: unknown): { date: string; time: string } {
  const ms = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (!Number.isFinite(ms)) return { date: '', time: '' };
  const d = new Date(ms + SHANGHAI_OFFSET_MS);
  return {
    date: `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`,
    time: `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`,
  };
}

/** A date and a time read in Shanghai, as the config's instant. */
export function instantOf(date: string, time: string): string {
  return `${date}T${time || '00:00'}:00+08:00`;
}

/** What a text control gives, as the config's value for a field of `type`. */
export function parseValue(type: FieldType, raw: string, optional = false): unknown {
  const text = raw.trim();
  if (text === '') {
    if (type === 'stock') return null; // an empty stock is unlimited
    return optional ? undefined : '';
  }
  if (type === 'int' || type === 'fen' || type === 'stock' || type === 'rate') {
    const n = Number(text);
    // what is not a number goes as typed: the server names the problem beside the field
    return Number.isFinite(n) ? n : text;
  }
  return raw;
}

/** The coupon type a template reads as: 无门槛 is a 满减 without a threshold. */
export function couponTypeOf(template: Loose): string {
  if (
    template.kind === 'cash' &&
    (template.threshold ?? 0) === 0 &&
    template.threshold !== undefined
  )
    return 'free';
  return String(template.kind ?? '');
}

/**
 * Sets the field at `path` (dotted) from a control's value, keeping the config coherent where a
 * choice decides other fields (a coupon prize needs a template, a discount has no amount…).
 */
export function setField(config: Loose, dottedPath: string, type: FieldType, raw: string): void {
  const path = parsePath(dottedPath);
  const parent = getAt(config, path.slice(0, -1)) ?? {};
  const key = path[path.length - 1];
  if (type === 'couponType') {
    const template = parent as Loose;
    if (raw === 'discount') {
      template.kind = 'discount';
      template.rate ??= 0.8;
      delete template.amount;
      if (template.threshold === 0) delete template.threshold;
    } else {
      template.kind = 'cash';
      delete template.rate;
      template.amount ??= 500;
      if (raw === 'free') template.threshold = 0;
      else if (!template.threshold) template.threshold = 5000;
    }
    return;
  }
  if (type === 'validity') {
    const template = parent as Loose;
    if (raw === 'until') {
      delete template.validDays;
      template.validUntil ??= config.endAt;
    } else {
      delete template.validUntil;
      template.validDays ??= 7;
    }
    return;
  }
  const spec = fieldSpecAt(dottedPath);
  const value = type === 'select' ? (raw === '' && spec?.optional ? undefined : raw) : raw;
  setAt(
    config,
    path,
    type === 'select' || type === 'datetime' ? value : parseValue(type, raw, spec?.optional),
  );
  if (path[0] === 'lottery' && path[1] === 'prizes' && key === 'kind') {
    const prize = parent as Loose;
    if (raw === 'coupon') prize.couponTemplateId ??= templateOptions(config)[0]?.value;
    else delete prize.couponTemplateId;
    if (raw !== 'resource') delete prize.resourceUrl;
    else prize.resourceUrl ??= '';
  }
  // Retention (issue 15): no template chosen means no repurchase coupon at all
  if (path[0] === 'repurchase' && !(config.repurchase as Loose | undefined)?.couponTemplateId) {
    delete config.repurchase;
  }
  if (path[0] === 'organizer') {
    // the organiser is optional as a whole: nothing filled in means none
    const organizer = config.organizer as Loose | undefined;
    if (organizer && !Object.values(organizer).some((v) => typeof v === 'string' && v.trim())) {
      delete config.organizer;
    }
  }
}

/** Makes prize `index` the fallback (兜底): the only one, with unlimited stock. */
export function setFallback(config: Loose, index: number): void {
  const prizes: Loose[] = config.lottery?.prizes ?? [];
  prizes.forEach((prize, i) => {
    prize.fallback = i === index;
    if (i === index) prize.stock = null;
  });
}

// ---------------------------------------------------------------------------------------------
// Where problems and warnings go

/** The spec of the field at `path` (list items' fields by their index-free shape). */
export function fieldSpecAt(dottedPath: string): FieldSpec | undefined {
  for (const step of STEPS) {
    for (const block of step.blocks) {
      if (isGroup(block)) continue;
      if (isList(block)) {
        const prefix = `${block.list}.`;
        if (!dottedPath.startsWith(prefix)) continue;
        const rest = dottedPath.slice(prefix.length).replace(/^\d+\./, '');
        const spec = block.fields.find((f) => f.key === rest);
        if (spec) return spec;
      } else if (block.key === dottedPath) {
        return block;
      }
    }
  }
  return undefined;
}

/** The step a config path belongs to (by its top-level key). */
export function stepOf(dottedPath: string): number {
  const top = dottedPath.split('.')[0];
  const index = STEPS.findIndex((step) => step.owns.includes(top));
  return index >= 0 ? index : 0;
}

/** Every place a message can be shown, for the config as it is: fields, lists, items, groups. */
export function anchorsOf(config: Loose): Set<string> {
  const anchors = new Set<string>();
  for (const step of STEPS) {
    for (const block of step.blocks) {
      if (isGroup(block)) anchors.add(block.group);
      else if (isList(block)) {
        anchors.add(block.list);
        const items: Loose[] = getAt(config, parsePath(block.list)) ?? [];
        items.forEach((item, index) => {
          anchors.add(`${block.list}.${index}`);
          for (const field of block.fields) {
            if (!field.shown || field.shown(item, config)) {
              anchors.add(`${block.list}.${index}.${field.key}`);
            }
          }
        });
      } else if (!block.shown || block.shown(config, config)) {
        anchors.add(block.key);
      }
    }
  }
  return anchors;
}

/** Where a message about `field` is shown: the field itself, or what is shown around it. */
export function anchorFor(field: string, anchors: Set<string>): string {
  for (let path = field; path; path = path.slice(0, Math.max(0, path.lastIndexOf('.')))) {
    if (anchors.has(path)) return path;
    if (!path.includes('.')) break;
  }
  return '';
}

export interface Notes {
  /** anchor (dotted path, '' = the top of its step) → messages */
  problems: Record<string, string[]>;
  warnings: Record<string, string[]>;
  /** how many problems each step has (the step indicator's dots) */
  perStep: number[];
}

/** The server's issues (`config.…`) and a save's warnings, placed for this config. */
export function placeNotes(
  config: Loose,
  issues: ValidationIssue[],
  warnings: CampaignWarning[] = [],
): Notes {
  const anchors = anchorsOf(config);
  const notes: Notes = { problems: {}, warnings: {}, perStep: STEPS.map(() => 0) };
  const add = (into: Record<string, string[]>, field: string, message: string) => {
    const anchor = anchorFor(field, anchors);
    const key = anchor || `step:${stepOf(field)}`;
    const messages = (into[key] ??= []);
    if (!messages.includes(message)) messages.push(message);
  };
  for (const issue of issues) {
    const field = issue.path === 'config' ? '' : issue.path.replace(/^config\./, '');
    add(notes.problems, field, issue.message);
    notes.perStep[stepOf(field)] += 1;
  }
  for (const warning of warnings) add(notes.warnings, warning.field, warning.message);
  return notes;
}

// ---------------------------------------------------------------------------------------------
// What the page renders

export interface FieldView {
  path: string;
  /** the path as a class name (`lottery-prizes-0-stock`): tests and styles find a field by it */
  slug: string;
  /** where this field sits in the page's data (`view.blocks[3].items[0].fields[2]`) */
  view: string;
  label: string;
  hint: string;
  type: FieldType;
  placeholder: string;
  /** text controls: the value as text */
  value: string;
  /** datetime */
  date: string;
  time: string;
  /** select-like: the labels and the chosen one */
  labels: string[];
  values: string[];
  optionIndex: number;
  chosen: string;
  /** a figure beside the control: `= ¥5`, `约 0.44%` */
  extra: string;
  error: string;
  warning: string;
}

export interface ItemView {
  index: number;
  path: string;
  title: string;
  fallback: boolean;
  error: string;
  warning: string;
  fields: FieldView[];
}

export type BlockView =
  | ({ kind: 'field' } & FieldView)
  | { kind: 'group'; path: string; error: string; warning: string }
  | {
      kind: 'list';
      path: string;
      label: string;
      hint: string;
      error: string;
      warning: string;
      items: ItemView[];
      canAdd: boolean;
      canRemove: boolean;
      prizes: boolean;
    };

export interface StepView {
  title: string;
  intro: string;
  error: string;
  blocks: BlockView[];
}

const joined = (messages: string[] | undefined) => (messages ?? []).join('；');

function optionsOf(spec: FieldSpec, config: Loose): Option[] {
  return typeof spec.options === 'function' ? spec.options(config) : (spec.options ?? []);
}

function fieldView(
  spec: FieldSpec,
  path: string,
  parent: Loose,
  config: Loose,
  notes: Notes,
): FieldView {
  const value = getAt(config, parsePath(path));
  const options = optionsOf(spec, config);
  const chosenValue =
    spec.type === 'couponType'
      ? couponTypeOf(parent)
      : spec.type === 'validity'
        ? parent.validUntil !== undefined
          ? 'until'
          : 'days'
        : String(value ?? '');
  const optionIndex = options.findIndex((o) => o.value === chosenValue);
  const { date, time } = spec.type === 'datetime' ? pickerParts(value) : { date: '', time: '' };
  return {
    path,
    slug: path.replace(/\./g, '-'),
    view: '',
    label: spec.label,
    hint: spec.hint,
    type: spec.type,
    placeholder: spec.placeholder ?? (spec.optional ? '选填' : ''),
    value: value === null || value === undefined ? '' : String(value),
    date,
    time,
    labels: options.map((o) => o.label),
    values: options.map((o) => o.value),
    optionIndex: Math.max(0, optionIndex),
    chosen:
      optionIndex >= 0 ? options[optionIndex].label : chosenValue ? `（${chosenValue}）` : '请选择',
    extra: extraOf(spec, value, parent, config),
    error: joined(notes.problems[path]),
    warning: joined(notes.warnings[path]),
  };
}

function extraOf(spec: FieldSpec, value: unknown, parent: Loose, config: Loose): string {
  if (spec.type === 'fen' && typeof value === 'number') return `= ${formatFen(value)}`;
  if (spec.key === 'weight' && typeof value === 'number') {
    const prizes: Loose[] = config.lottery?.prizes ?? [];
    const total = prizes.reduce((sum, p) => sum + (typeof p.weight === 'number' ? p.weight : 0), 0);
    return total > 0 ? `约 ${(Math.round((value / total) * 10_000) / 100).toFixed(2)}%` : '';
  }
  if (spec.type === 'image' && typeof value === 'string') {
    // a stored file shows by its name (`hero.svg`); this visit's upload shows itself
    return value.split('/').pop() ?? '';
  }
  if (spec.type === 'rate' && typeof value === 'number') {
    return `${Math.round(value * 100) / 10} 折`;
  }
  void parent;
  return '';
}

export function stepView(index: number, config: Loose, notes: Notes): StepView {
  const step = STEPS[index];
  const blocks: BlockView[] = [];
  for (const block of step.blocks) {
    if (isGroup(block)) {
      blocks.push({
        kind: 'group',
        path: block.group,
        error: joined(notes.problems[block.group]),
        warning: joined(notes.warnings[block.group]),
      });
    } else if (isList(block)) {
      const items: Loose[] = getAt(config, parsePath(block.list)) ?? [];
      blocks.push({
        kind: 'list',
        path: block.list,
        label: block.label,
        hint: block.hint,
        error: joined(notes.problems[block.list]),
        warning: joined(notes.warnings[block.list]),
        canAdd: items.length < block.max,
        canRemove: items.length > block.min,
        prizes: block.list === 'lottery.prizes',
        items: items.map((item, i) => {
          const path = `${block.list}.${i}`;
          return {
            index: i,
            path,
            title: block.itemName(item, i),
            fallback: item?.fallback === true,
            error: joined(notes.problems[path]),
            warning: joined(notes.warnings[path]),
            fields: block.fields
              .filter((f) => !f.shown || f.shown(item, config))
              .map((f) => fieldView(f, `${path}.${f.key}`, item, config, notes)),
          };
        }),
      });
    } else if (!block.shown || block.shown(config, config)) {
      const parent = getAt(config, parsePath(block.key).slice(0, -1)) ?? {};
      blocks.push({ kind: 'field', ...fieldView(block, block.key, parent, config, notes) });
    }
  }
  blocks.forEach((block, b) => {
    if (block.kind === 'field') block.view = `view.blocks[${b}]`;
    if (block.kind === 'list') {
      block.items.forEach((item, i) =>
        item.fields.forEach((field, f) => {
          field.view = `view.blocks[${b}].items[${i}].fields[${f}]`;
        }),
      );
    }
  });
  return {
    title: step.title,
    intro: step.intro,
    error: joined(notes.problems[`step:${index}`]),
    blocks,
  };
}

/** Adds an item to a list (`lottery.prizes`…). */
export function addItem(config: Loose, list: string): void {
  const spec = STEPS.flatMap((s) => s.blocks).find(
    (b): b is ListSpec => isList(b) && b.list === list,
  );
  if (!spec) return;
  const path = parsePath(list);
  const items: Loose[] = getAt(config, path) ?? [];
  setAt(config, path, [...items, spec.newItem(config)]);
}

export function removeItem(config: Loose, list: string, index: number): void {
  setAt(config, [...parsePath(list), index], undefined);
}
