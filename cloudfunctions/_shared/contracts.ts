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
import { EXPORT_KINDS, GROWTH_TAGS, PAGE_SIZE_MAX } from './constants';

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
// People console (issue 13)
const configId = key(KEY_KINDS.configId);
/** why an operator did something: kept in the audit log */
const reason = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
/** where the previous page of a list ended (opaque; never an openid) */
const cursor = z.string().check(z.minLength(1), z.maxLength(64));
const pageSize = z.int().check(z.gte(1), z.lte(PAGE_SIZE_MAX));

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
  /** e.g. "8折", "满50减10" */
  label: string;
  kind: 'discount' | 'cash';
  rate?: number;
  threshold?: number;
  amount?: number;
  status: CouponStatus;
  /** `grant`: given by the owner to a KOC (People console, issue 13) */
  source: 'magnet' | 'lottery' | 'grant';
  issuedAt: string;
  expiresAt: string;
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
  /** People console (issue 13): the public invite leaderboard is switched on */
  leaderboard?: boolean;
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
    /** People console (issue 13): present when the owner made this visitor a leader (团长) */
    leader?: LeaderLevel;
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
    rights: Array<{ id: string; title: string; description: string }>;
    invitees: Array<{ label: string; status: InviteStatus; at: string }>;
  };
  'group.get': { groupId: string; name: string; qrUrl: string; expiresAt: string };
  'group.confirmJoined': { joinedAt: string };
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
  'campaign.get': z.strictObject({}),
  /** the config is validated by the campaign schema inside the action, for readable problems */
  'campaign.put': z.strictObject({ config: z.record(z.string(), z.unknown()) }),
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
  'admin.whoami': { role: AdminRole; name: string };
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
    // People console (issue 13)
    /** the campaign's members by growth tag (counters) */
    tags?: Array<{ tag: GrowthTag; count: number }>;
    /** invites on hold waiting for the owner's review */
    heldInvites?: number;
  };
  'coupon.redeem': { couponId: string; title: string; label: string; redeemedAt: string };
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
  'campaign.get': { config: unknown; updatedAt: string };
  'campaign.put': { id: string; updatedAt: string };
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
