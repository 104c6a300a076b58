/**
 * The two documents of a visitor, and new ones. Pure, so the seed, tests and scripts can build
 * documents without loading the server SDK.
 *
 * - `users` (`UserDoc`, `_id` = openid): the person. Who they are, their invite code, how they
 *   first arrived and who invited them. Written once at the first ever visit, then rarely.
 * - `participants` (`ParticipantDoc`, `_id` = `<campaignId>:<openid>`): the person in one
 *   campaign. Everything that must change atomically with their own actions lives here, so each
 *   rule is one conditional single-document update (repositories/participants):
 *   the claim is set once; a spin is consumed in the same write that records its result; an
 *   inviter's progress only changes by increments under conditions, and `progress.credits`
 *   records which invitees were counted. A new campaign starts everyone afresh.
 */
import type { GrowthTag, InviteStatus, LeaderLevel, PrizeKind } from './contracts';
import type { InviteRejection } from './domain/invite';
import type { MilestoneGrant } from './domain/milestones';
import { NEW_MEMBER_RANK, startingRank } from './domain/tags';

/** How a new visitor's invite code was judged when they first arrived (never changes). */
export interface ArrivalInvite {
  /** the code's owner, or null when nobody holds the code */
  inviterId: string | null;
  inviterCode: string;
  /** the campaign live at arrival (null: none was) */
  campaignId: string | null;
  status: 'pending' | 'rejected';
  reason?: InviteRejection;
  at: Date;
  /**
   * Distribution (issue 10): the inviter's channel when the friend arrived ("brought by"): their
   * channel in the campaign if they had entered it, else where they first came from.
   */
  inviterChannel?: string;
  // People console (issue 13)
  /** the risk rank WeChat gave the newcomer on arrival (null: the service did not say) */
  riskRank?: number | null;
  /** the tree above them (domain/community): the inviter first, then the inviter's ancestors */
  ancestors?: string[];
  /** which of the ancestors were leaders (团长) when they arrived */
  leaders?: string[];
}

/** Distribution (issue 10): what a person shows others; asked after the claim, never required. */
export interface UserProfile {
  /** passed WeChat's content check (security.msgSecCheck) */
  nickname: string | null;
  /** a cloud fileID under `avatars/` */
  avatarFileId: string | null;
  updatedAt: Date;
}

/** Distribution (issue 10): a Mini Program code kept in cloud storage, made once. */
export interface StoredCodeDoc {
  scene: string;
  page: string;
  fileID: string;
  at: Date;
}

/** People console (issue 13): an operator's act kept on the record it changed. */
export interface OperatorMark {
  at: Date;
  /** the operator's openid (admins only; never answered) */
  by: string;
  byName: string;
  reason?: string;
}

export interface UserDoc {
  /** the openid: one document per person, and the platform makes it unique */
  _id: string;
  inviteCode: string;
  createdAt: Date;
  /** where the first ever visit came from; later visits never move it */
  firstTouch: { campaignId: string | null; channel: string; scene: string | null; at: Date };
  /** the invite code this person arrived with on their first ever visit, as judged then */
  invite: ArrivalInvite | null;
  /** invite codes a returning visitor opened today (a limit keeps made-up codes out) */
  codeAttempts: { dayKey: string | null; codes: string[] };
  /** the tag an operator set (成长标签); null: the config's rules decide */
  growthTag: GrowthTag | null;
  // Distribution (issue 10); absent on people created before it
  profile?: UserProfile | null;
  /** their inviter poster's code (scene `<inviteCode>.share`) */
  posterCode?: StoredCodeDoc | null;
  // People console (issue 13)
  /** the highest rank the rules gave this person in any campaign (domain/tags) */
  tagRank?: number;
  tagSetBy?: OperatorMark | null;
  /** blocked by an operator: no claim, spin or redemption (null or absent: not blocked) */
  blocked?: (OperatorMark & { reason: string }) | null;
  /** 团长: 1 = 小当家, 2 = 大当家 */
  leader?: { level: LeaderLevel; at: Date; by: string } | null;
}

/**
 * People console (issue 13): the nickname a person chose to show, if any. Issue 10 adds it to the
 * person's profile; this one function is where the console reads it.
 */
export function nicknameOf(user: Pick<UserDoc, '_id'> | null | undefined): string | null {
  const profile = (user as { profile?: { nickname?: unknown } } | null | undefined)?.profile;
  const name = typeof profile?.nickname === 'string' ? profile.nickname.trim() : '';
  return name || null;
}

/** The invite a participant arrived with, as it stands in this campaign. */
export interface ParticipantInvite {
  inviterId: string;
  inviterCode: string;
  status: InviteStatus;
  reason?: InviteRejection;
  at: Date;
  verifiedAt?: Date;
  /** Distribution (issue 10): the inviter's channel, credited with this friend (brought by) */
  inviterChannel?: string;
  // People console (issue 13)
  riskRank?: number | null;
  ancestors?: string[];
  leaders?: string[];
  /** the owner's review of a held invite */
  review?: {
    at: Date;
    by: string;
    byName: string;
    decision: 'approved' | 'rejected';
    reason?: string;
  };
}

export interface ParticipantClaim {
  at: Date;
  requestId: string;
  couponId: string | null;
  resourceUrl: string | null;
  // People console (issue 13)
  /** the template the coupon is issued from (a tag's variant of the magnet's) */
  couponTemplateId?: string | null;
  riskRank?: number | null;
}

/** How an inviter counted one invitee (keyed by the invitee's invite code). */
export interface Credit {
  at: Date;
  /** false: refused because the inviter's daily cap was full when the invitee qualified */
  counted: boolean;
  // People console (issue 13)
  /** waiting for the owner's review (velocity rule); `counted` turns true if approved */
  held?: boolean;
  /** why it was not counted (absent on an older refusal: the daily cap) */
  reason?: 'INVITER_DAILY_CAP' | 'BLOCKED';
  /** bonus spins it earned */
  bonus?: number;
  /** vesting: when its bonus spins become spendable, and when they did */
  vestsAt?: Date | null;
  vestedAt?: Date | null;
  /** taken back because the invitee was blocked */
  revokedAt?: Date | null;
}

export interface InviterProgress {
  /** when the first friend arrived with this user's code (makes them an inviter in the funnel) */
  firstInviteAt: Date | null;
  verified: number;
  /** bonus spins earned and not yet spent; carries over days */
  bonusBalance: number;
  /** the Shanghai day the two daily figures below belong to */
  dayKey: string | null;
  verifiedToday: number;
  bonusEarnedToday: number;
  unlockedAt: Date | null;
  /** invitee invite code → how it was counted: each invitee is judged once */
  credits: Record<string, Credit>;
  /** Rewards (issue 12): `m_<invites>` → the ladder step granted (absent: none yet) */
  milestones?: Record<string, MilestoneGrant>;
  // People console (issue 13)
  /** the times of the last credits, oldest first (the velocity rule's window) */
  recentCredits?: Date[];
  /** bonus spins earned but not yet spendable (vesting) */
  vestingBalance?: number;
}

/**
 * The recorded result of one spin: written in the same update that consumes the spin, before
 * any other effect, so a retry of its requestId finds the decision and finishes it.
 */
export interface SpinRecord {
  requestId: string;
  /** the spin's id across the environment (derives its coupon and its stock hold) */
  spinId: string;
  at: Date;
  prizeId: string;
  name: string;
  kind: PrizeKind;
  sectorIndex: number;
  couponId: string | null;
  /** the template the coupon is issued from (as configured when the spin was decided) */
  couponTemplateId: string | null;
  resourceUrl: string | null;
  spinsLeft: number;
  /** the stock shard holding this spin's unit of a limited prize */
  stockShard: string | null;
  /** Operator studio (issue 9): this spin verified the invite the participant arrived with */
  verifiedInvite?: boolean;
  /** People console (issue 13) */
  riskRank?: number | null;
}

export interface ParticipantSpins {
  dayKey: string | null;
  freeUsed: number;
  total: number;
  lastAt: Date | null;
  /** `r_<requestId>` → the spin's record */
  log: Record<string, SpinRecord>;
}

export interface ParticipantDoc {
  _id: string;
  campaignId: string;
  openid: string;
  /** the person's invite code (their shares carry it; inviters' credits are keyed by it) */
  inviteCode: string;
  /** the channel of their first entry into this campaign */
  channel: string;
  /** their first ever visit was into this campaign */
  isNewUser: boolean;
  createdAt: Date;
  /** when they entered the campaign (null: only known as an inviter whose friend arrived) */
  enteredAt: Date | null;
  invite: ParticipantInvite | null;
  claim: ParticipantClaim | null;
  progress: InviterProgress;
  spins: ParticipantSpins;
  /** `firstAt` (issue 15): the first hand-out, kept when a group whose QR died is replaced */
  group: { groupId: string; at: Date; firstAt?: Date } | null;
  joinedAt: Date | null;
  /** Rewards (issue 12): asked for a group while none had room (told when one has) */
  groupWaitingAt?: Date | null;
  // People console (issue 13)
  /** growth tag rank in this campaign (domain/tags: 1–4 earned by the rules, 11–14 manual) */
  tagRank?: number;
  /** the person's block, mirrored here so the reward paths' guard reads it with the participant */
  blocked?: { at: Date; reason: string } | null;
  firstRedeemedAt?: Date | null;
  /** coupons of this campaign they redeemed, and when (keyed by coupon id: each counts once) */
  redemptions?: number;
  redeemed?: Record<string, Date>;
  // Retention (issue 15)
  /** their first visit on a later Shanghai day than their entry (absent: none yet; domain/cohorts) */
  returnedAt?: Date | null;
}

export function newUser(fields: {
  openid: string;
  inviteCode: string;
  campaignId: string | null;
  channel: string;
  scene: string | null;
  now: Date;
  invite: ArrivalInvite | null;
}): UserDoc {
  return {
    _id: fields.openid,
    inviteCode: fields.inviteCode,
    createdAt: fields.now,
    firstTouch: {
      campaignId: fields.campaignId,
      channel: fields.channel,
      scene: fields.scene,
      at: fields.now,
    },
    invite: fields.invite,
    codeAttempts: { dayKey: null, codes: [] },
    growthTag: null,
    profile: null,
    posterCode: null,
    tagRank: NEW_MEMBER_RANK,
  };
}

export function newParticipant(fields: {
  id: string;
  campaignId: string;
  user: Pick<UserDoc, '_id' | 'inviteCode'>;
  channel: string;
  isNewUser: boolean;
  invite: ParticipantInvite | null;
  now: Date;
  /** false: created because a friend arrived with their code, not because they visited */
  entered: boolean;
  /** People console (issue 13): the person's tags and block, carried into the campaign */
  person?: Pick<UserDoc, 'growthTag' | 'tagRank' | 'blocked'>;
}): ParticipantDoc {
  const blocked = fields.person?.blocked;
  return {
    _id: fields.id,
    campaignId: fields.campaignId,
    openid: fields.user._id,
    inviteCode: fields.user.inviteCode,
    channel: fields.channel,
    isNewUser: fields.isNewUser,
    createdAt: fields.now,
    enteredAt: fields.entered ? fields.now : null,
    invite: fields.invite,
    claim: null,
    progress: {
      firstInviteAt: null,
      verified: 0,
      bonusBalance: 0,
      dayKey: null,
      verifiedToday: 0,
      bonusEarnedToday: 0,
      unlockedAt: null,
      credits: {},
      recentCredits: [],
      vestingBalance: 0,
    },
    spins: { dayKey: null, freeUsed: 0, total: 0, lastAt: null, log: {} },
    group: null,
    joinedAt: null,
    tagRank: fields.person ? startingRank(fields.person) : NEW_MEMBER_RANK,
    blocked: blocked ? { at: blocked.at, reason: blocked.reason } : null,
    // firstRedeemedAt stays absent until the first redemption: `$min` sets an absent field, while
    // a null would win every comparison
    redemptions: 0,
  };
}

/** Where a spin's record lives in `spins.log`: never an Object.prototype name. */
export function spinLogKey(requestId: string): string {
  return `r_${requestId}`;
}
