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
import type { InviteStatus, PrizeKind } from './contracts';
import type { InviteRejection } from './domain/invite';
import type { MilestoneGrant } from './domain/milestones';

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
  growthTag: 'S' | 'A' | 'B' | 'C' | null;
  // Distribution (issue 10); absent on people created before it
  profile?: UserProfile | null;
  /** their inviter poster's code (scene `<inviteCode>.share`) */
  posterCode?: StoredCodeDoc | null;
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
}

export interface ParticipantClaim {
  at: Date;
  requestId: string;
  couponId: string | null;
  resourceUrl: string | null;
}

/** How an inviter counted one invitee (keyed by the invitee's invite code). */
export interface Credit {
  at: Date;
  /** false: refused because the inviter's daily cap was full when the invitee qualified */
  counted: boolean;
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
  group: { groupId: string; at: Date } | null;
  joinedAt: Date | null;
  /** Rewards (issue 12): asked for a group while none had room (told when one has) */
  groupWaitingAt?: Date | null;
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
}): ParticipantDoc {
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
    },
    spins: { dayKey: null, freeUsed: 0, total: 0, lastAt: null, log: {} },
    group: null,
    joinedAt: null,
  };
}

/** Where a spin's record lives in `spins.log`: never an Object.prototype name. */
export function spinLogKey(requestId: string): string {
  return `r_${requestId}`;
}
