/**
 * The visitor document (`users`, `_id` = openid): its shape and a new one. Pure, so the seed,
 * tests and scripts can build documents without loading the server SDK.
 */
import type { InviteStatus } from './contracts';
import type { InviteRejection } from './domain/invite';

export interface UserInvite {
  inviterId: string;
  inviterCode: string;
  status: InviteStatus;
  reason?: InviteRejection;
  at: Date;
  verifiedAt?: Date;
}

export interface UserClaim {
  at: Date;
  requestId: string;
  couponId: string | null;
  resourceUrl: string | null;
}

export interface InviterProgressDoc {
  /** when the first friend arrived with this user's code (makes them an inviter in the funnel) */
  firstInviteAt: Date | null;
  verified: number;
  pending: number;
  /** bonus spins earned and not yet spent; carries over days */
  bonusBalance: number;
  /** the Shanghai day the two daily figures below belong to */
  dayKey: string | null;
  verifiedToday: number;
  bonusEarnedToday: number;
  unlockedAt: Date | null;
  /** invitee invite code → when it was credited: each invitee counts once */
  credits: Record<string, Date>;
}

export interface UserSpins {
  dayKey: string | null;
  freeUsed: number;
  total: number;
  /** requestId → when it consumed a spin */
  requests: Record<string, Date>;
}

export interface UserDoc {
  /** the openid: one document per visitor, and the platform makes it unique */
  _id: string;
  inviteCode: string;
  channel: string;
  scene: string | null;
  createdAt: Date;
  invite: UserInvite | null;
  claim: UserClaim | null;
  progress: InviterProgressDoc;
  spins: UserSpins;
  group: { groupId: string; at: Date } | null;
  joinedAt: Date | null;
  growthTag: 'S' | 'A' | 'B' | 'C' | null;
}

export function newUser(fields: {
  openid: string;
  inviteCode: string;
  channel: string;
  scene: string | null;
  now: Date;
  invite: UserInvite | null;
}): UserDoc {
  return {
    _id: fields.openid,
    inviteCode: fields.inviteCode,
    channel: fields.channel,
    scene: fields.scene,
    createdAt: fields.now,
    invite: fields.invite,
    claim: null,
    progress: {
      firstInviteAt: null,
      verified: 0,
      pending: 0,
      bonusBalance: 0,
      dayKey: null,
      verifiedToday: 0,
      bonusEarnedToday: 0,
      unlockedAt: null,
      credits: {},
    },
    spins: { dayKey: null, freeUsed: 0, total: 0, requests: {} },
    group: null,
    joinedAt: null,
    growthTag: null,
  };
}
