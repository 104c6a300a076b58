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
import {
  EXPORT_KINDS,
  GROWTH_TAGS,
  PAGE_SIZE_MAX,
  REMINDER_EVENTS,
  type ReminderEvent,
} from './constants';

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
const configId = key(KEY_KINDS.configId);
// People console (issue 13)
/** why an operator did something: kept in the audit log */
const reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
/** where the previous page of a list ended (opaque; never an openid) */
const cursor = z.string().check(z.minLength(1), z.maxLength(64));
const pageSize = z.int().check(z.gte(1), z.lte(PAGE_SIZE_MAX));

// Operator studio (issue 9): ids and shapes of the studio's params
/** an admin as the owner's list names them (`adm_…`): never their openid */
const adminRef = z
  .string()
  .check(z.regex(/^adm_[A-Za-z0-9_-]{6,32}$/, 'must be an adm_… reference'));
/** a campaign config, checked in full by the campaign schema inside the action */
const campaignConfig = z.record(z.string(), z.unknown());
const rate = z.number().check(z.gte(0), z.lte(1));
/** Traffic a projection assumes; every field optional (defaults in domain/simulate.ts). */
const trafficAssumptions = z.strictObject({
  /** new visitors per day by channel code (friends arriving by invitation are projected) */
  visitorsPerDay: z.optional(
    z
      .record(z.string(), z.number().check(z.gte(0), z.lte(1_000_000)))
      .check(
        z.refine(
          (counts: Record<string, number>) =>
            Object.keys(counts).every((code) => channelCode.safeParse(code).success),
          `keys must be channel codes (${KEY_KINDS.channelCode.en})`,
        ),
      ),
  ),
  /** of the visitors, who claim the gift while it can be claimed (or spin, after) */
  claimRate: z.optional(rate),
  /** of those who take part, who share with friends */
  shareRate: z.optional(rate),
  friendsPerSharer: z.optional(z.number().check(z.gte(0), z.lte(100))),
  /** of the friends reached, who do the qualifying action (claim, or first spin) */
  friendClaimRate: z.optional(rate),
  /** of the spins people have, how many they use */
  spinsUsed: z.optional(rate),
  redemptionRate: z.optional(rate),
  /** an average order in fen: a discount coupon costs order × (1 − rate) */
  averageOrderFen: z.optional(z.int().check(z.gte(0), z.lte(10_000_000))),
  /** the busiest hour's share of a day's calls */
  peakHourShare: z.optional(z.number().check(z.gt(0), z.lte(1))),
});
export type TrafficAssumptionsInput = z.input<typeof trafficAssumptions>;

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

// `held` and the last two reasons: People console (issue 13) — an invite on hold for review
// (velocity rule), refused because a member was blocked, or refused by the owner's review.
export type InviteStatus = 'none' | 'pending' | 'verified' | 'rejected' | 'held';
export type InviteRejectionReason =
  | 'SELF_INVITE'
  | 'NOT_NEW_USER'
  | 'UNKNOWN_CODE'
  | 'INVITER_DAILY_CAP'
  | 'RISK'
  | 'CAMPAIGN_ENDED'
  | 'BLOCKED'
  | 'REVIEW_REJECTED';

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
  /**
   * `milestone`: a black-card step's reward (issue 12); `grant`: given by the owner to a KOC
   * (issue 13); `repurchase`: issued after a redemption (复购券, issue 15)
   */
  source: 'magnet' | 'lottery' | 'milestone' | 'grant' | 'repurchase';
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
  // Distribution (issue 10): social proof, from counters and stock (never a scan)
  socialProof: {
    /** people who claimed the magnet (已有 N 人领取) */
    claimed: number;
    /** limited prizes with what is left of them (仅剩 N 份) */
    limited: Array<{ id: string; name: string; left: number }>;
  };
  // Operator studio (issue 9)
  /** where the campaign stands now: pages show a closed state unless it is `live` */
  status: CampaignStatus;
  /**
   * what makes a friend's invite count right now: claiming the gift, or (after the claim window)
   * their first spin; null when no invite can count, so pages stop asking people to share
   */
  qualifyingAction: QualifyingAction | null;
  /** People console (issue 13): the public invite leaderboard is switched on */
  leaderboard?: boolean;
}

/**
 * Performance (issue 14): what the landing page shows first, in `session.enter`'s answer: the
 * campaign as `campaign.get` answers it (null: no campaign holds the visitor slot), the reward of
 * a visitor who claimed (as it stands now: the coupon from the wallet, the resource link), and the
 * reminder templates the page offers after a claim (as `reminders.get` answers them).
 */
export interface LandingView {
  campaign: PublicCampaign | null;
  reward?: MagnetReward;
  reminders: ReminderTemplate[];
}

export interface ReminderTemplate {
  event: ReminderEvent;
  templateId: string;
}

// Distribution (issue 10) ----------------------------------------------------------------------

/** A person's public face: what they chose to show (nickname, avatar), never an openid. */
export interface PublicProfile {
  nickname: string | null;
  /** a URL the phone can show (a temporary URL of the cloud file) */
  avatarUrl: string | null;
  /** the cloud fileID behind avatarUrl (to draw it on a canvas: wx.cloud.downloadFile) */
  avatarFileId: string | null;
}

/** A Mini Program code stored in cloud storage. */
export interface StoredCode {
  /** `<inviteCode>.<channel>`, `.<channel>` or `<inviteCode>` (miniprogram/utils/scene.ts) */
  scene: string;
  /** the page it opens */
  page: string;
  fileID: string;
  /** a temporary URL of the image */
  url: string;
}

export interface ChannelView {
  code: string;
  name: string;
  note: string;
  /** spend on this channel in the active campaign, in fen */
  cost?: number;
  /** its Mini Program code, once generated */
  qrcode?: StoredCode;
  /** `registry`: kept across campaigns; `campaign`: only listed in the active campaign's config */
  source: 'registry' | 'campaign';
}

/** A nickname as WeChat's nickname input gives it: trimmed, 1–20 characters, no control ones. */
const nickname = z.string().check(
  z.trim(),
  z.minLength(1),
  z.maxLength(20),
  z.refine(
    (text: string) => Array.from(text).every((c) => c.charCodeAt(0) >= 0x20 && c !== '\u007f'),
    'must not contain control characters',
  ),
);
/** An avatar the Mini Program uploaded with wx.cloud.uploadFile under `avatars/`. */
const avatarFileId = z
  .string()
  .check(
    z.maxLength(512),
    z.regex(/^cloud:\/\/[^\s/]+\/avatars\/[^\s]+$/, 'must be a cloud fileID under avatars/'),
  );

// ---------------------------------------------------------------------------------------------
// `api`: everything a visitor does

export const apiParams = {
  'session.enter': z.strictObject({
    inviteCode: z.optional(inviteCode),
    channel: z.optional(channelCode),
    /** the raw `scene` of a Mini Program code (≤ 32 chars by WeChat's rule) */
    scene: z.optional(z.string().check(z.maxLength(32))),
    /** Performance (issue 14): also answer what the landing's first screen shows (`landing`) */
    landing: z.optional(z.literal(true)),
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
  // Distribution (issue 10)
  'invite.poster': z.strictObject({}),
  'profile.update': z
    .strictObject({ nickname: z.optional(nickname), avatarFileId: z.optional(avatarFileId) })
    .check(
      z.refine(
        (p: { nickname?: string; avatarFileId?: string }) =>
          p.nickname !== undefined || p.avatarFileId !== undefined,
        'give a nickname, an avatarFileId or both',
      ),
    ),
  'lottery.recentWins': z.strictObject({}),
  // Operator studio (issue 9)
  /** the 活动规则 page: generated from the live config */
  'campaign.rules': z.strictObject({}),
  /** the page a scanned bind code opens: the caller becomes staff (or owner) */
  'admin.bind': z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(24)) }),
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
  // People console (issue 13)
  /** a community leader's (团长) figures: FORBIDDEN for anyone who is not one */
  'leader.get': z.strictObject({}),
  /** the public invite leaderboard, names masked: NOT_FOUND while the config switches it off */
  'leaderboard.get': z.strictObject({}),
} as const;

export interface ApiResults {
  'session.enter': {
    inviteCode: string;
    isNew: boolean;
    invite: { status: InviteStatus; reason?: InviteRejectionReason };
    /** whether this visitor already claimed the magnet (on any phone) */
    claimed: boolean;
    // Distribution (issue 10)
    /** what this visitor shows others (asked after the claim, never required) */
    profile: PublicProfile;
    /** who invited them, while the invite stands in this campaign (pending or verified) */
    inviter?: PublicProfile;
    /** Operator studio (issue 9): present only for operators and staff (the 管理 entry) */
    role?: AdminRole;
    /** People console (issue 13): present when the owner made this visitor a leader (团长) */
    leader?: LeaderLevel;
    /** Performance (issue 14): asked with `landing: true`, the first screen from this one call */
    landing?: LandingView;
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
  // Distribution (issue 10)
  /** the inviter's own Mini Program code (scene `<inviteCode>.share`), made once */
  'invite.poster': { inviteCode: string; code: StoredCode; profile: PublicProfile };
  'profile.update': PublicProfile;
  /** recent prizes won, newest first, by masked name (微信用户 张**) */
  'lottery.recentWins': { wins: Array<{ who: string; prize: string; at: string }> };
  // Operator studio (issue 9)
  'campaign.rules': CampaignRules;
  'admin.bind': { role: AdminRole; name: string };
  // Rewards (issue 12)
  'member.code': { code: string; expiresAt: string };
  'voucher.setAddress': { coupon: Coupon };
  'reminders.get': { templates: ReminderTemplate[] };
  'reminders.subscribe': { accepted: string[] };
  // People console (issue 13)
  'leader.get': {
    level: LeaderLevel;
    /** 小当家 / 大当家 */
    title: string;
    /** what the leader's invite tree brought in this campaign (never who: no names, no openids) */
    figures: { members: WeekFigure; claims: WeekFigure; redemptions: WeekFigure };
    /** the config's reward ladder for leaders, measured on one of the figures' totals */
    ladder: {
      metric: LeaderMetric;
      steps: Array<{
        id: string;
        title: string;
        threshold: number;
        reward: string;
        reached: boolean;
      }>;
    };
    /** the first step not reached yet, and what is missing */
    next?: { title: string; remaining: number };
    serverNow: string;
  };
  'leaderboard.get': {
    entries: Array<{ rank: number; name: string; verified: number; me: boolean }>;
    serverNow: string;
  };
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
    /** People console (issue 13): null hands the member back to the config's tag rules */
    growthTag: z.nullable(z.enum(GROWTH_TAGS)),
    reason: z.optional(reason),
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
  /** the visitor slot's campaign, or (operator studio) the one with `id` */
  'campaign.get': z.strictObject({ id: z.optional(configId) }),
  /** the config is validated by the campaign schema inside the action, for readable problems */
  'campaign.put': z.strictObject({ config: z.record(z.string(), z.unknown()) }),
  // Distribution (issue 10): channels are printed assets kept across campaigns
  'channels.list': z.strictObject({}),
  'channels.upsert': z.strictObject({
    code: channelCode,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(20)),
    /** spend on this channel in the active campaign, in fen */
    cost: z.optional(z.int().check(z.gte(0), z.lte(10_000_000_000))),
    note: z.optional(z.string().check(z.trim(), z.maxLength(100))),
  }),
  'channels.qrcode': z.strictObject({ code: channelCode }),
  // Operator studio (issue 9) ------------------------------------------------------------------
  'campaign.list': z.strictObject({}),
  /** a draft: from a whole config, or a clone of an earlier campaign (optionally with its id) */
  'campaign.create': z
    .strictObject({
      config: z.optional(campaignConfig),
      cloneOf: z.optional(configId),
      id: z.optional(configId),
    })
    .check(
      z.refine((p) => (p.config === undefined) !== (p.cloneOf === undefined), {
        error: 'give either config or cloneOf',
        path: ['cloneOf'],
      }),
      z.refine((p) => p.id === undefined || p.cloneOf !== undefined, {
        error: 'id is only for a clone (a config carries its own id)',
        path: ['id'],
      }),
    ),
  /** saved only if the campaign is still at the version the operator loaded, else CONFLICT */
  'campaign.update': z.strictObject({
    id: configId,
    config: campaignConfig,
    expectedUpdatedAt: z.iso.datetime({ offset: true }),
  }),
  /** `live` publishes a draft or resumes a paused campaign (scheduled until its start) */
  'campaign.setStatus': z.strictObject({
    id: configId,
    status: z.enum(['live', 'paused', 'ended']),
  }),
  /** moves a limited prize's stock by `delta` units, safely while people spin */
  'campaign.adjustStock': z.strictObject({
    id: configId,
    prizeId: configId,
    delta: z.int().check(
      z.gte(-1_000_000),
      z.lte(1_000_000),
      z.refine((n: number) => n !== 0, 'must not be 0'),
    ),
  }),
  /** a what-if projection of a stored campaign (`id`, default the visitor slot's) or a config */
  'campaign.simulate': z.strictObject({
    id: z.optional(configId),
    config: z.optional(campaignConfig),
    assumptions: z.optional(trafficAssumptions),
    /** a seeded Monte-Carlo band (p10/p90) on top of the expected values */
    bands: z.optional(
      z.strictObject({
        runs: z.int().check(z.gte(10), z.lte(400)),
        seed: z.int().check(z.gte(0), z.lte(2 ** 31 - 1)),
      }),
    ),
  }),
  'admins.list': z.strictObject({}),
  'admins.remove': z.strictObject({ ref: adminRef }),
  /** a one-time code (10 minutes) that makes whoever scans it `role`, named `name` */
  'admins.createBindCode': z.strictObject({
    role: z.enum(['staff', 'owner']),
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(20)),
  }),
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
  // People console (issue 13): a member is referred to by their invite code, never an openid
  /** an invite code typed in, or what a scanner read (a coupon's redemption QR) */
  'users.find': z.strictObject({ code: z.string().check(z.minLength(1), z.maxLength(300)) }),
  'users.get': z.strictObject({ userRef: inviteCode }),
  'users.list': z.strictObject({
    tag: z.optional(z.enum(GROWTH_TAGS)),
    blocked: z.optional(z.boolean()),
    cursor: z.optional(cursor),
    limit: z.optional(pageSize),
  }),
  'users.block': z.strictObject({ userRef: inviteCode, reason }),
  'users.unblock': z.strictObject({ userRef: inviteCode, reason }),
  /** 1 = 小当家, 2 = 大当家, 0 = no longer a leader */
  'users.promote': z.strictObject({
    userRef: inviteCode,
    level: z.int().check(z.gte(0), z.lte(2)),
    reason: z.optional(reason),
  }),
  'holds.list': z.strictObject({ cursor: z.optional(cursor), limit: z.optional(pageSize) }),
  /** the held invitee's code */
  'holds.approve': z.strictObject({ userRef: inviteCode, reason: z.optional(reason) }),
  'holds.reject': z.strictObject({ userRef: inviteCode, reason }),
  'koc.list': z.strictObject({ channel: z.optional(channelCode), limit: z.optional(pageSize) }),
  /** one grant per requestId (the coupon's id derives from it): a retried tap grants once */
  'koc.grant': z
    .strictObject({
      userRef: inviteCode,
      requestId,
      templateId: z.optional(configId),
      prizeId: z.optional(configId),
      reason: z.optional(reason),
    })
    .check(
      z.refine((grant) => (grant.templateId === undefined) !== (grant.prizeId === undefined), {
        error: 'give exactly one of templateId or prizeId',
      }),
    ),
  'export.create': z.strictObject({
    kind: z.enum(EXPORT_KINDS),
    filter: z.optional(
      z.strictObject({
        tag: z.optional(z.enum(GROWTH_TAGS)),
        channel: z.optional(channelCode),
        blocked: z.optional(z.boolean()),
      }),
    ),
  }),
  /** the job's progress; a running job is advanced by this call (and by cron) */
  'export.get': z.strictObject({ jobId: docId }),
  'export.list': z.strictObject({}),
  'audit.list': z.strictObject({ cursor: z.optional(cursor), limit: z.optional(pageSize) }),
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

// Retention (issue 15) --------------------------------------------------------------------------

/** One figure day by day: `values[i]` happened on the trend's `days[i]` (Shanghai). */
export interface TrendSeries {
  /** the funnel's key (`visitors`, `redeemedValue`…), or a channel's figure (`verified`…) */
  key: string;
  /** what a day's value counts: `新访客` are the day's first entries, `核销面值` money */
  label: string;
  /** 分: money in fen */
  unit: '人' | '次' | '张' | '分';
  values: number[];
}

/** A return window of a cohort (or of several): D1 次日, D7 7日内, D30 30日内 (domain/cohorts). */
export interface CohortWindow {
  window: 'd1' | 'd7' | 'd30';
  label: string;
  /** members who came back (their first later visit) within the window */
  returned: number;
  /** members of the cohorts whose window has opened (their day 1 has come) */
  base: number;
  /** returned ÷ base, 0–1; absent while no cohort's window has opened */
  rate?: number;
  /** the window is still open for some of them: the figure may still rise */
  open: boolean;
}

/** A cohort: members by first-visit day (`key` 'YYYY-MM-DD'), by channel, or all of them. */
export interface CohortRow {
  key: string;
  label: string;
  /** members who first entered then (or by that channel) */
  visitors: number;
  windows: CohortWindow[];
}

/** 复购: members with ≥ 2 redemptions ÷ members with ≥ 1 (coupons and prize vouchers). */
export interface RepurchaseFigures {
  redeemers: number;
  repeatRedeemers: number;
  /** repeatRedeemers ÷ redeemers, 0–1; absent while nobody redeemed */
  rate?: number;
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
      /** spend per member: per claim plus each member the claimers brought (真实会员成本), in fen */
      costPerVerified?: number;
      /** spend per visitor who claimed (获客成本), in fen */
      costPerClaim?: number;
      // Distribution (issue 10). `verified`: friends the channel's visitors brought (their
      // invites verified), whatever channel the friends themselves arrived by.
      spinners: number;
      /** verified invites per claimer (K 值), two decimals; absent while nobody claimed */
      kFactor?: number;
      couponsIssued: number;
      couponsRedeemed: number;
      /** face value of the redeemed coupons (cash: the amount; discount: basket × (1 − rate)), fen */
      redeemedValue: number;
      /** estimated takings: the basket estimate of each redeemed coupon's template, fen */
      revenue: number;
      costPerRedemption?: number;
      /** 营收 = 收入 − 直接成本 (spend + redeemed face value), fen; with a basket estimate */
      profit?: number;
      /** profit ÷ direct cost, two decimals (1.5 = 150 %) */
      roi?: number;
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
    // People console (issue 13)
    /** the campaign's members by growth tag (counters) */
    tags?: Array<{ tag: GrowthTag; count: number }>;
    /** invites on hold waiting for the owner's review */
    heldInvites?: number;
    // Retention (issue 15)
    /**
     * The campaign day by day: its Shanghai days so far (oldest first, at most 180; today last
     * while it runs), the funnel's figures on each, and each channel's.
     */
    trend: {
      days: string[];
      /** the server's Shanghai day (today vs yesterday are read against it) */
      today: string;
      series: TrendSeries[];
      channels: Array<{ code: string; name: string; series: TrendSeries[] }>;
    };
    /**
     * Return visits (a `session.enter` on a later Shanghai day) by first-visit day (the last 14,
     * newest first), by channel, and for all members.
     */
    cohorts: { days: CohortRow[]; channels: CohortRow[]; all: CohortRow };
    /** 复购 for the campaign and per channel; the repurchase coupon (复购券) when one is configured */
    repurchase: RepurchaseFigures & {
      channels: Array<RepurchaseFigures & { code: string; name: string }>;
      coupon?: { templateId: string; title: string };
      /** face value of everything redeemed in the campaign, fen (day by day: the trend's) */
      redeemedValue: number;
    };
    /** risk checks that failed (the visitor was let through; an alert says so once a day) */
    riskChecksFailed: number;
  };
  /** `kind`: `prize` for a physical prize's voucher (Rewards, issue 12) */
  'coupon.redeem': {
    couponId: string;
    title: string;
    label: string;
    redeemedAt: string;
    kind?: Coupon['kind'];
  };
  /** the tag now in force, and whether an operator set it (else the config's rules did) */
  'users.setTag': { userRef: string; growthTag: GrowthTag; manual: boolean };
  'groups.upsert': {
    id: string;
    name: string;
    qrUrl: string;
    expiresAt: string;
    capacity: number;
    active: boolean;
  };
  'campaign.get': {
    config: unknown;
    updatedAt: string;
    // Operator studio (issue 9)
    id: string;
    status: CampaignStatus;
    /** holds the visitor slot */
    active: boolean;
  };
  'campaign.put': { id: string; updatedAt: string };
  // Distribution (issue 10)
  'channels.list': { channels: ChannelView[] };
  'channels.upsert': ChannelView;
  'channels.qrcode': StoredCode;
  // Operator studio (issue 9)
  'campaign.list': { campaigns: CampaignSummary[]; serverNow: string };
  'campaign.create': CampaignSaved;
  'campaign.update': CampaignSaved;
  'campaign.setStatus': { id: string; status: CampaignStatus; active: boolean };
  'campaign.adjustStock': { id: string; prizeId: string; stock: number; updatedAt: string };
  'campaign.simulate': Projection;
  'admins.list': { admins: AdminEntry[] };
  'admins.remove': { ref: string };
  'admins.createBindCode': {
    /** what the new admin types if they cannot scan: `ABCDE-FGHJK` */
    code: string;
    role: AdminRole;
    expiresAt: string;
    /** the Mini Program code (小程序码) that opens the bind page with the code, as a data URL */
    qrImage: string;
  };
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
  // People console (issue 13)
  'users.find': { member: MemberSummary; via: 'inviteCode' | 'coupon' };
  'users.get': MemberPage;
  'users.list': {
    members: MemberSummary[];
    /** pass back as `cursor` for the next page; absent on the last */
    next?: string;
    /** the campaign's members by tag (from counters) */
    tags: Array<{ tag: GrowthTag; count: number }>;
  };
  'users.block': { userRef: string; blocked: true; voided: number; revoked: number };
  'users.unblock': { userRef: string; blocked: false };
  'users.promote': { userRef: string; leader: LeaderLevel | null };
  'holds.list': { holds: HoldEvidence[]; next?: string; total: number };
  'holds.approve': {
    userRef: string;
    /** `rejected`: the credit was refused when it was applied (the inviter's daily cap, a block) */
    status: 'verified' | 'rejected';
    reason?: InviteRejectionReason;
    inviter: { userRef: string; verified: number };
  };
  'holds.reject': { userRef: string; status: 'rejected'; reason: 'REVIEW_REJECTED' };
  'koc.list': {
    campaign: { id: string; title: string };
    channel?: string;
    entries: KocEntry[];
    channels: Array<{ code: string; name: string }>;
    /** what the owner can grant: coupon templates and the wheel's prizes */
    rewards: Array<{ kind: 'template' | 'prize'; id: string; title: string; label: string }>;
  };
  'koc.grant': {
    grantId: string;
    userRef: string;
    title: string;
    label: string;
    couponId?: string;
    /** this requestId had granted already: nothing new was given */
    alreadyGranted: boolean;
  };
  'export.create': ExportJob;
  'export.get': ExportJob;
  'export.list': { jobs: ExportJob[] };
  'audit.list': { entries: AuditEntry[]; next?: string };
}

// ---------------------------------------------------------------------------------------------
// People console (issue 13): shapes of the member pages, the review queue and exports

export type GrowthTag = (typeof GROWTH_TAGS)[number];
export type LeaderLevel = 1 | 2;
export type LeaderMetric = 'members' | 'claims' | 'redemptions';
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface WeekFigure {
  total: number;
  /** Monday to Sunday, Shanghai */
  thisWeek: number;
  lastWeek: number;
}

/** One member as lists show them: the invite code is the reference, never the openid. */
export interface MemberSummary {
  userRef: string;
  nickname: string | null;
  tag: GrowthTag;
  /** an operator set the tag; the rules never change it */
  tagManual: boolean;
  blocked: boolean;
  leader?: LeaderLevel;
  /** where they first came from */
  channel: string;
  channelName: string;
  /** when they entered the active campaign (absent: not in it) */
  enteredAt?: string;
  claimed: boolean;
  verified: number;
}

/** An invite as the member page shows it, from either side. */
export interface MemberInvite {
  userRef: string;
  nickname: string | null;
  tag?: GrowthTag;
  status: InviteStatus;
  reason?: InviteRejectionReason;
  at: string;
  verifiedAt?: string;
}

export type AuditAction =
  'block' | 'unblock' | 'tag' | 'approve' | 'reject' | 'grant' | 'promote' | 'export';

/** What an operator did: who (by name), what, when, why. */
export interface AuditEntry {
  id: string;
  at: string;
  action: AuditAction;
  by: string;
  /** the member it concerned */
  userRef?: string;
  reason?: string;
  /** what changed, in Chinese (`标签 C → S`, `满50减10`) */
  detail: string;
}

export interface MemberPage {
  member: MemberSummary & {
    createdAt: string;
    firstTouch: { channel: string; channelName: string; scene?: string; at: string };
    /** the highest risk rank WeChat gave (0–4) when they arrived, claimed or spun */
    riskRank: number | null;
    blockedAt?: string;
    blockedReason?: string;
  };
  campaign: { id: string; title: string } | null;
  claim: { at: string; coupon?: string; riskRank?: number } | null;
  spins: Array<{ at: string; prize: string; kind: PrizeKind; coupon?: string }>;
  coupons: Coupon[];
  invitedBy: (MemberInvite & { riskRank?: number }) | null;
  /** two levels: whom they invited, and whom those invited */
  invitees: Array<MemberInvite & { invitees: MemberInvite[] }>;
  /** returning visitors who opened this member's link and were refused */
  refusals: Array<{ userRef: string; reason: InviteRejectionReason; at: string }>;
  progress: {
    verified: number;
    pending: number;
    held: number;
    bonusBalance: number;
    unlockedAt?: string;
  };
  group: { name: string; at: string; joinedAt?: string } | null;
  leaderFigures?: { members: number; claims: number; redemptions: number };
  audit: AuditEntry[];
  serverNow: string;
}

/** A held invite and what the owner weighs before approving it. */
export interface HoldEvidence {
  invitee: {
    userRef: string;
    nickname: string | null;
    channel: string;
    arrivedAt: string;
    claimedAt?: string;
    /** from arrival to claim */
    secondsToClaim?: number;
    riskRanks: { arrival: number | null; claim: number | null };
  };
  inviter: {
    userRef: string;
    nickname: string | null;
    tag: GrowthTag;
    verified: number;
    blocked: boolean;
    /** the credits the velocity rule counted, newest last */
    recentCredits: string[];
    /** who invited the inviter (one level up the tree) */
    invitedBy?: string;
  };
  /** the inviter's other invitees (the tree one level down) */
  siblings: {
    total: number;
    verified: number;
    pending: number;
    held: number;
    rejected: number;
    /** arrival times, newest first (at most 10) */
    arrivals: string[];
  };
  heldAt: string;
}

export interface KocEntry {
  rank: number;
  userRef: string;
  nickname: string | null;
  tag: GrowthTag;
  verified: number;
  /** friends who arrived new through their link */
  arrivals: number;
  /** verified / arrivals (0–1); 0 when nobody arrived */
  conversion: number;
  channel: string;
  leader?: LeaderLevel;
  blocked: boolean;
}

export interface ExportJob {
  jobId: string;
  kind: ExportKind;
  status: 'running' | 'done' | 'failed';
  /** rows written so far */
  rows: number;
  /** records read so far, of about `total` */
  scanned: number;
  total: number;
  createdAt: string;
  finishedAt?: string;
  /** a temporary download URL of the CSV, once done */
  url?: string;
  fileName?: string;
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

// ---------------------------------------------------------------------------------------------
// Operator studio (issue 9): lifecycle, editor, simulator, admins

/** Where a campaign stands: stored decisions (draft, published, paused, ended) read against its dates. */
export type CampaignStatus = 'draft' | 'scheduled' | 'live' | 'paused' | 'ended';
/** What an operator may ask for: `live` publishes a draft or resumes a paused campaign. */
export type CampaignStatusTarget = 'live' | 'paused' | 'ended';
/** The friend's action that makes an invite count. */
export type QualifyingAction = 'claim' | 'spin';

export interface CampaignSummary {
  id: string;
  title: string;
  status: CampaignStatus;
  /** holds the visitor slot (the campaign visitors see) */
  active: boolean;
  startAt: string;
  endAt: string;
  createdAt: string;
  updatedAt: string;
  clonedFrom?: string;
  /** Retention (issue 15): when an operator's 结束 ended it before its end */
  endedAt?: string;
  /** from the campaign's counters (no scan of people) */
  figures: {
    visitors: number;
    claims: number;
    invitesVerified: number;
    cardsUnlocked: number;
    couponsRedeemed: number;
    // Retention (issue 15): what the dashboard compares with the previous campaign
    spinners: number;
    inviters: number;
    groupJoins: number;
    couponsIssued: number;
    /** face value redeemed, fen */
    redeemedValue: number;
    /** members with ≥ 1 redemption, and with ≥ 2 (复购) */
    redeemers: number;
    repeatRedeemers: number;
  };
}

/** Something an operator should know before publishing, placed at a field when it concerns one. */
export interface CampaignWarning {
  code:
    | 'PRIZE_STOCK_OUT'
    | 'INVITES_STOP'
    | 'CLAIM_WINDOW_CLOSES'
    | 'BONUS_CAP_BINDS'
    | 'POOL_FILLS'
    | 'ODDS_ROUND_TO_ZERO'
    | 'FALLBACK_ONLY'
    | 'RULES_INCOMPLETE'
    | 'PLAN_NEEDED';
  /** `warn`: the operator must look at it; `info`: worth knowing */
  level: 'warn' | 'info';
  message: string;
  /** the field it concerns, as in a campaign problem (`['lottery', 'prizes', 0, 'stock']`) */
  path: (string | number)[];
  field: string;
  /** the campaign day it happens on (1 = the first Shanghai day) */
  day?: number;
}

/** A save's answer: the new version, and what the config's own warnings say. */
export interface CampaignSaved {
  id: string;
  updatedAt: string;
  status: CampaignStatus;
  warnings: CampaignWarning[];
}

export interface ProjectionDay {
  day: number;
  /** the Shanghai date, YYYY-MM-DD */
  date: string;
  visitors: number;
  friends: number;
  claims: number;
  verified: number;
  cardsUnlocked: number;
  spins: number;
  couponsIssued: number;
  couponsRedeemed: number;
  seats: number;
  /** fen spent that day on prizes and redeemed coupons (channel spend is in the totals) */
  cost: number;
}

export interface ProjectionBand {
  p10: number;
  p50: number;
  p90: number;
}

export interface Projection {
  days: ProjectionDay[];
  prizes: Array<{
    id: string;
    name: string;
    stock: number | null;
    /** percent of a draw while every prize has stock */
    odds: number;
    issued: number;
    /** the day the last unit goes (1-based), or null */
    stockOutDay: number | null;
  }>;
  totals: {
    visitors: number;
    friends: number;
    claims: number;
    verified: number;
    cardsUnlocked: number;
    spins: number;
    bonusSpins: number;
    couponsIssued: number;
    couponsRedeemed: number;
    seats: number;
    /** people who took part for the first time: visitors who claimed or spun, friends verified */
    newMembers: number;
    cost: { channels: number; prizes: number; coupons: number; total: number };
    /** fen per new member, or null when none */
    costPerMember: number | null;
  };
  pool: {
    /** seats left in the group pool today */
    room: number;
    seatsNeeded: number;
    fillsOnDay: number | null;
    /** more group QR codes needed at the default capacity */
    moreQrCodes: number;
  };
  database: {
    peakDay: number;
    peakHourCalls: number;
    peakOpsPerSecond: number;
    /** the smallest CloudBase plan whose database takes the peak, or null when none listed does */
    plan: string | null;
    plans: Array<{ name: string; opsPerSecond: number; fits: boolean }>;
    source: string;
  };
  warnings: CampaignWarning[];
  /** the assumptions used, defaults filled in */
  assumptions: Required<Omit<TrafficAssumptionsInput, 'visitorsPerDay'>> & {
    visitorsPerDay: Record<string, number>;
  };
  /** present when asked: p10/p50/p90 over seeded runs */
  bands?: {
    runs: number;
    seed: number;
    totals: Record<
      'visitors' | 'claims' | 'verified' | 'cardsUnlocked' | 'spins' | 'seats',
      ProjectionBand
    >;
    cost: ProjectionBand;
    stockOutDay: Record<string, { p10: number | null; p90: number | null }>;
  };
}

export interface AdminEntry {
  /** how the owner's list names an admin (a hash of the openid, never the openid) */
  ref: string;
  name: string;
  role: AdminRole;
  /** this is the caller */
  me: boolean;
  since?: string;
}

/** The 活动规则 page: what a careful consumer and WeChat's review expect of a lottery. */
export interface CampaignRules {
  title: string;
  startAt: string;
  endAt: string;
  status: CampaignStatus;
  claimWindow: { startAt: string; endAt: string };
  magnet: { title: string; rewards: string[] };
  lottery: {
    dailyFreeSpins: number;
    spinsPerVerifiedInvite: number;
    maxBonusSpinsPerDay: number;
    prizes: Array<{
      name: string;
      kind: PrizeKind;
      /** percent, two decimals (0.44 = 0.44 %), while every prize has stock */
      odds: number;
      /** units offered in the whole campaign; null = unlimited */
      stock: number | null;
      fallback: boolean;
    }>;
  };
  coupons: Array<{ title: string; label: string; terms: string; validity: string }>;
  invite: {
    invitesRequired: number;
    maxVerifiedPerInviterPerDay: number;
    whenClaimClosed: 'spin' | 'none';
  };
  blackCard: { rights: Array<{ title: string; description: string }> };
  organizer: { name: string; contact: string; address?: string } | null;
  contact: { title: string; note?: string };
}
