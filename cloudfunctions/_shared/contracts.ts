/**
 * The contract between the Mini Program and the cloud functions (SPEC §4), declared once.
 *
 * The functions validate every event with these zod schemas; the Mini Program imports only the
 * *types* (`import type`), so no validation library ships to the phone. Keep this file free of
 * Node and wx APIs: it is type-checked under both the functions' and the Mini Program's config.
 *
 * `zod/mini` (functional checks, ~25 KB bundled) rather than classic zod (~450 KB): every cold
 * container loads the bundle. A namespace import, because esbuild cannot tree-shake the `z`
 * object that `import { z }` names, and would bundle every locale.
 */
import * as z from 'zod/mini';
import { REMINDER_EVENTS, type ReminderEvent } from './constants';

export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CAMPAIGN_NOT_ACTIVE',
  'CLAIM_WINDOW_CLOSED',
  'NO_SPINS_LEFT',
  'RISK_BLOCKED',
  'BLACK_CARD_LOCKED',
  'GROUP_UNAVAILABLE',
  'COUPON_EXPIRED',
  'COUPON_ALREADY_REDEEMED',
  'BAD_TOKEN',
  'RATE_LIMITED',
  'CONFLICT',
  'INTERNAL',
  // Rewards (issue 12): a black-card right's quota for this period is used up
  'RIGHT_USED_UP',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ValidationIssue {
  path: string;
  message: string;
}

export interface ActionError {
  code: ErrorCode;
  message: string;
  /** BAD_REQUEST: what was wrong with the input, one entry per problem. */
  issues?: ValidationIssue[];
  /** INTERNAL: quote this to find the server log; never a stack trace. */
  requestId?: string;
  /** GROUP_UNAVAILABLE: whom to contact instead. */
  fallbackContact?: FallbackContact;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ActionError };

// ---------------------------------------------------------------------------------------------
// Shared shapes

/**
 * What `Object.prototype` owns: `Object.getOwnPropertyNames(Object.prototype)`, sorted. Written
 * out so the contract does not depend on the engine or on a polluted prototype at load time; a
 * test keeps it equal to Node's list. An id that becomes a map key or a document field path
 * (`spins.requests.<requestId>`, `stock.<prizeId>`, `channels.<code>.visitors`) must never be
 * one of these: `requests.constructor` is a function, not "no such request".
 */
export const PROTOTYPE_KEYS: readonly string[] = [
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
];

/** The alphabets of ids, worded for developers (en) and operators (zh). */
const LETTERS_DIGITS_DASHES = {
  chars: 'A-Za-z0-9_-',
  en: 'letters, digits, _ or -',
  zh: '字母、数字、_ 或 -',
};
const LETTERS_DIGITS = { chars: 'A-Za-z0-9', en: 'letters or digits', zh: '字母或数字' };
const LOWER_CASE = {
  chars: 'a-z0-9_-',
  en: 'lower-case letters, digits, _ or -',
  zh: '小写字母、数字、_ 或 -',
};

/**
 * The kinds of id that become keys, each a length and an alphabet, stated once for the contract
 * and the campaign config. Every alphabet is a subset of `A-Za-z0-9_-`: no `.` or `$`, which a
 * document field path would read as structure.
 */
export const KEY_KINDS = {
  /** chosen by the client so a retried call is answered, not repeated */
  requestId: { min: 8, max: 64, ...LETTERS_DIGITS_DASHES },
  /** an unambiguous alphabet; any case is accepted, the server normalises */
  inviteCode: { min: 4, max: 12, ...LETTERS_DIGITS },
  /** lower case: it travels in share paths as `ch=` */
  channelCode: { min: 1, max: 16, ...LOWER_CASE },
  /** coupons, groups and other server-made ids */
  docId: { min: 1, max: 64, ...LETTERS_DIGITS_DASHES },
  /** the campaign's own ids: the campaign, prizes, coupon templates, black-card rights */
  configId: { min: 1, max: 32, ...LETTERS_DIGITS_DASHES },
} as const;
export type KeyKind = (typeof KEY_KINDS)[keyof typeof KEY_KINDS];

export interface KeyWording {
  /** wrong length, characters or type */
  format: string;
  reserved: (key: string) => string;
  /** absent; without it the parse's own error map words it */
  missing?: string;
}

/** The one schema of an id that becomes a key: its kind's length and alphabet, no PROTOTYPE_KEYS. */
export function keyId(kind: KeyKind, wording: KeyWording) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? wording.missing : wording.format),
    })
    .check(
      // a malformed id is told its format only
      z.regex(new RegExp(`^[${kind.chars}]{${kind.min},${kind.max}}$`), {
        error: wording.format,
        abort: true,
      }),
      z.refine((key: string) => !PROTOTYPE_KEYS.includes(key), {
        error: (issue) => wording.reserved(String(issue.input)),
      }),
    );
}

/** The contract's ids, worded for developers. */
const key = (kind: KeyKind) =>
  keyId(kind, {
    format: `must be ${kind.min}–${kind.max} characters: ${kind.en}`,
    reserved: (name) => `must not be "${name}", a name every JavaScript object already has`,
  });
const requestId = key(KEY_KINDS.requestId);
const inviteCode = key(KEY_KINDS.inviteCode);
const channelCode = key(KEY_KINDS.channelCode);
const docId = key(KEY_KINDS.docId);

/** Rewards (issue 12): `wx.chooseAddress`'s answer, bounded (the phone sends what WeChat gave). */
function shippingAddress() {
  const line = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
  return z.object({
    userName: line(40),
    telNumber: z.string().check(z.regex(/^[0-9+\- ]{5,20}$/, 'must be a phone number')),
    provinceName: line(20),
    cityName: line(20),
    countyName: line(20),
    detailInfo: line(120),
    postalCode: z.optional(z.string().check(z.maxLength(10))),
  });
}

export interface FallbackContact {
  title: string;
  qrUrl: string;
  note?: string;
}

export type InviteStatus = 'none' | 'pending' | 'verified' | 'rejected';
export type InviteRejectionReason =
  'SELF_INVITE' | 'NOT_NEW_USER' | 'UNKNOWN_CODE' | 'INVITER_DAILY_CAP' | 'RISK' | 'CAMPAIGN_ENDED';

export type PrizeKind = 'coupon' | 'resource' | 'physical' | 'none';
export type CouponStatus = 'available' | 'redeemed' | 'expired';

export interface Coupon {
  id: string;
  templateId: string;
  title: string;
  /** e.g. "8折", "满50减10"; a prize voucher: "实物奖品" */
  label: string;
  /** `prize`: a voucher for a physical prize (实物奖品), see `prize` (Rewards, issue 12) */
  kind: 'discount' | 'cash' | 'prize';
  rate?: number;
  threshold?: number;
  amount?: number;
  /** a shipped prize voucher: `redeemed` once the owner marked it sent */
  status: CouponStatus;
  source: 'magnet' | 'lottery' | 'milestone';
  issuedAt: string;
  /** a voucher: the last moment to pick it up, or to give a shipping address */
  expiresAt: string;
  redeemedAt?: string;
  prize?: VoucherInfo;
}

// Rewards (issue 12) ---------------------------------------------------------------------------

/** What `wx.chooseAddress` answers, as stored with a shipped prize's voucher. */
export interface ShippingAddress {
  userName: string;
  telNumber: string;
  provinceName: string;
  cityName: string;
  countyName: string;
  detailInfo: string;
  postalCode?: string;
}

/** A prize voucher's fulfilment: picked up at the counter, or shipped to the address given. */
export interface VoucherInfo {
  prizeId: string;
  fulfilment: 'pickup' | 'shipping';
  address?: ShippingAddress;
  addressAt?: string;
}

/** A black-card right with its quota, and what is left of it in the current period. */
export interface RightUsage {
  id: string;
  title: string;
  description: string;
  /** `每月 1 次`, `不限次数` */
  rule: string;
  /** null: unlimited */
  quota: number | null;
  used: number;
  left: number | null;
  /** `本月剩 1 次`, `本月已用完` */
  leftText: string;
}

/** One step of the invite ladder (阶梯奖励), the black card's included. */
export interface LadderStep {
  invites: number;
  title: string;
  kind: 'coupon' | 'prize' | 'blackcard';
  reached: boolean;
}

export type RedemptionKind = 'coupon' | 'voucher' | 'right';

/** One line of the redemption ledger (核销记录). */
export interface RedemptionEntry {
  id: string;
  kind: RedemptionKind;
  /** the coupon's title, the prize's name or the right's title */
  title: string;
  /** `满50减10`, `实物奖品`, `每月 1 次` */
  label: string;
  /** the customer, by invite code (operators never see openids) */
  memberRef: string;
  staffName: string;
  store: string;
  at: string;
  /** an owner may still reverse it (within 24 h, not reversed yet) */
  reversible: boolean;
  reversal?: { at: string; byName: string; reason: string };
}

/** A winner of a physical prize, for fulfilment. */
export interface PrizeWinner {
  couponId: string;
  userRef: string;
  source: 'lottery' | 'milestone';
  wonAt: string;
  /** 待领取 · 待发货 (address given) · 已领取 (picked up) · 已寄出 · 已过期 */
  state: 'waiting' | 'address' | 'redeemed' | 'sent' | 'expired';
  address?: ShippingAddress;
  redeemedAt?: string;
}

export interface MagnetReward {
  resourceUrl?: string;
  coupon?: Coupon;
}

export interface PublicCampaign {
  id: string;
  title: string;
  startAt: string;
  endAt: string;
  /** Server time when this answer was made, so the countdown does not trust the phone's clock. */
  serverNow: string;
  magnet: {
    title: string;
    description: string;
    image: string;
    claimWindow: { startAt: string; endAt: string };
    reward: { hasResource: boolean; coupon?: { title: string; label: string } };
  };
  wheel: { sectors: Array<{ id: string; name: string; kind: PrizeKind }> };
  blackCard: {
    invitesRequired: number;
    rights: Array<{ id: string; title: string; description: string }>;
  };
  groupsAfter: 'claim' | 'blackcard';
}

// ---------------------------------------------------------------------------------------------
// `api`: everything a visitor does

export const apiParams = {
  'session.enter': z.strictObject({
    inviteCode: z.optional(inviteCode),
    channel: z.optional(channelCode),
    /** the raw `scene` of a Mini Program code (≤ 32 chars by WeChat's rule) */
    scene: z.optional(z.string().check(z.maxLength(32))),
  }),
  'campaign.get': z.strictObject({}),
  'magnet.claim': z.strictObject({ requestId }),
  'lottery.status': z.strictObject({}),
  'lottery.spin': z.strictObject({ requestId }),
  'wallet.list': z.strictObject({
    status: z.optional(z.enum(['available', 'redeemed', 'expired'])),
  }),
  'coupon.token': z.strictObject({ couponId: docId }),
  'blackcard.get': z.strictObject({}),
  'group.get': z.strictObject({}),
  'group.confirmJoined': z.strictObject({}),
  // Rewards (issue 12)
  'member.code': z.strictObject({}),
  'voucher.setAddress': z.strictObject({ couponId: docId, address: shippingAddress() }),
  'reminders.get': z.strictObject({}),
  /** what `wx.requestSubscribeMessage` answered: template id → accept | reject | ban | filter */
  'reminders.subscribe': z.strictObject({
    results: z
      .record(docId, z.enum(['accept', 'reject', 'ban', 'filter']))
      .check(
        z.refine((r) => Object.keys(r).length <= REMINDER_EVENTS.length, 'too many templates'),
      ),
  }),
} as const;

export interface ApiResults {
  'session.enter': {
    inviteCode: string;
    isNew: boolean;
    invite: { status: InviteStatus; reason?: InviteRejectionReason };
    /** whether this visitor already claimed the magnet (on any phone) */
    claimed: boolean;
  };
  'campaign.get': PublicCampaign;
  'magnet.claim': { reward: MagnetReward; alreadyClaimed: boolean };
  'lottery.status': { spinsLeft: number; freeSpinsLeft: number; bonusSpinsLeft: number };
  'lottery.spin': {
    sectorIndex: number;
    prize: { id: string; name: string; kind: PrizeKind };
    coupon?: Coupon;
    resourceUrl?: string;
    spinsLeft: number;
  };
  'wallet.list': { coupons: Coupon[] };
  'coupon.token': { token: string; expiresAt: string };
  'blackcard.get': {
    required: number;
    verified: number;
    pending: number;
    unlocked: boolean;
    unlockedAt?: string;
    joinedGroup: boolean;
    /** from the current config; with its quota and what is left this period (Rewards, issue 12) */
    rights: RightUsage[];
    invitees: Array<{ label: string; status: InviteStatus; at: string }>;
    // Rewards (issue 12)
    /** the invite ladder, the black card's step included */
    ladder: LadderStep[];
  };
  'group.get': { groupId: string; name: string; qrUrl: string; expiresAt: string };
  'group.confirmJoined': { joinedAt: string };
  // Rewards (issue 12)
  'member.code': { code: string; expiresAt: string };
  'voucher.setAddress': { coupon: Coupon };
  'reminders.get': { templates: Array<{ event: ReminderEvent; templateId: string }> };
  'reminders.subscribe': { accepted: string[] };
}

// ---------------------------------------------------------------------------------------------
// `admin`: operators and staff

export type AdminRole = 'owner' | 'staff';

export const adminParams = {
  'admin.whoami': z.strictObject({}),
  'stats.overview': z.strictObject({}),
  'coupon.redeem': z.strictObject({ token: z.string().check(z.minLength(1), z.maxLength(200)) }),
  'users.setTag': z.strictObject({
    /** the masked reference shown in the dashboard, or an invite code */
    userRef: z.string().check(z.minLength(1), z.maxLength(64)),
    growthTag: z.enum(['S', 'A', 'B', 'C']),
  }),
  'groups.upsert': z.strictObject({
    id: z.optional(docId),
    name: z.string().check(z.minLength(1), z.maxLength(40)),
    /** a cloud fileID (cloud://…) of the group QR image, or an https URL */
    qrUrl: z.string().check(z.minLength(1), z.maxLength(512)),
    expiresAt: z.iso.datetime({ offset: true }),
    capacity: z.optional(z.int().check(z.gte(1), z.lte(200))),
    active: z.optional(z.boolean()),
  }),
  'campaign.get': z.strictObject({}),
  /** the config is validated by the campaign schema inside the action, for readable problems */
  'campaign.put': z.strictObject({ config: z.record(z.string(), z.unknown()) }),
  // Rewards (issue 12)
  'member.lookup': z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(200)) }),
  'member.useRight': z.strictObject({
    ticket: z.string().check(z.minLength(1), z.maxLength(200)),
    rightId: key(KEY_KINDS.configId),
    requestId,
  }),
  'redemptions.list': z.strictObject({
    /** owners: `all` (default) or `mine`; staff always see their own */
    scope: z.optional(z.enum(['mine', 'all'])),
    /** the `next` of the previous page */
    cursor: z.optional(z.string().check(z.maxLength(100))),
  }),
  'redemptions.reverse': z.strictObject({
    redemptionId: docId,
    reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  }),
  'winners.list': z.strictObject({
    prizeId: key(KEY_KINDS.configId),
    cursor: z.optional(z.string().check(z.maxLength(100))),
  }),
  'voucher.markSent': z.strictObject({ couponId: docId }),
} as const;

/** Which role may call which action; owners may call everything. */
export const STAFF_ACTIONS: ReadonlyArray<keyof typeof adminParams> = [
  'admin.whoami',
  'coupon.redeem',
  // Rewards (issue 12)
  'member.lookup',
  'member.useRight',
  'redemptions.list',
];

export interface FunnelStep {
  key: string;
  label: string;
  count: number;
  /** what is counted: people (人: the funnel proper), spins (次) or coupons (张) */
  unit: '人' | '次' | '张';
  /** the step this one is taken against: one it is a subset of, or the people it averages over */
  baseKey?: string;
  /** how it reads against that step (`占访客 62%`, `人均 2.5 次`); absent when the base is 0 */
  rateLabel?: string;
}

export interface AdminAlert {
  id: string;
  kind: string;
  message: string;
  groupId?: string;
  at: string;
}

export interface AdminResults {
  /** `store`: the store this staff binding redeems for (Rewards, issue 12) */
  'admin.whoami': { role: AdminRole; name: string; store?: string };
  'stats.overview': {
    funnel: FunnelStep[];
    channels: Array<{
      code: string;
      name: string;
      visitors: number;
      claims: number;
      verified: number;
      cost?: number;
      costPerVerified?: number;
      /** spend per visitor who claimed (获客成本), in fen */
      costPerClaim?: number;
    }>;
    prizes: Array<{
      id: string;
      name: string;
      stock: number | null;
      issued: number;
      kind: PrizeKind;
      /** 兜底: unlimited, what a lost race or a risky user gets */
      fallback: boolean;
    }>;
    groups: Array<{
      id: string;
      name: string;
      /** as stored (a cloud fileID): what `groups.upsert` takes back */
      qrUrl: string;
      handedOut: number;
      capacity: number;
      expiresAt: string;
      active: boolean;
    }>;
    alerts: AdminAlert[];
    rejectedInvites: Array<{ reason: InviteRejectionReason; count: number }>;
    topInviters: Array<{ userRef: string; verified: number }>;
    /** when the figures were read, by the server's clock (the phone's may be wrong) */
    serverNow: string;
  };
  /** `kind`: `prize` for a physical prize's voucher (Rewards, issue 12) */
  'coupon.redeem': {
    couponId: string;
    title: string;
    label: string;
    redeemedAt: string;
    kind?: Coupon['kind'];
  };
  'users.setTag': { userRef: string; growthTag: 'S' | 'A' | 'B' | 'C' };
  'groups.upsert': {
    id: string;
    name: string;
    qrUrl: string;
    expiresAt: string;
    capacity: number;
    active: boolean;
  };
  'campaign.get': { config: unknown; updatedAt: string };
  'campaign.put': { id: string; updatedAt: string };
  // Rewards (issue 12)
  'member.lookup': {
    /** hand back to `member.useRight` (valid a few minutes, for this staff member only) */
    ticket: string;
    member: { ref: string; label: string; unlockedAt: string | null; active: boolean };
    rights: RightUsage[];
  };
  'member.useRight': { redemption: RedemptionEntry; right: RightUsage };
  'redemptions.list': {
    /** the caller's redemptions today (Shanghai day), reversed ones not counted */
    todayCount: number;
    items: RedemptionEntry[];
    next?: string;
  };
  'redemptions.reverse': { redemption: RedemptionEntry; reversedNow: boolean };
  'winners.list': {
    prize: { id: string; name: string; fulfilment: 'pickup' | 'shipping' };
    items: PrizeWinner[];
    next?: string;
  };
  'voucher.markSent': { redemption: RedemptionEntry };
}

// ---------------------------------------------------------------------------------------------
// Typed views for callers

export type ApiAction = keyof typeof apiParams;
export type ApiParams<A extends ApiAction> = z.input<(typeof apiParams)[A]>;
export type AdminAction = keyof typeof adminParams;
export type AdminParams<A extends AdminAction> = z.input<(typeof adminParams)[A]>;

/** The event a caller sends: `{ action, ...params }`. */
export type ApiEvent<A extends ApiAction = ApiAction> = { action: A } & ApiParams<A>;
export type AdminEvent<A extends AdminAction = AdminAction> = { action: A } & AdminParams<A>;
