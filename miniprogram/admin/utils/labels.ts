/**
 * What operators read for the console's codes (People console, issue 13): growth tags, invite
 * states and refusal reasons, audit actions. The codes come from the shared contract.
 */
import type {
  AuditAction,
  GrowthTag,
  InviteRejectionReason,
  InviteStatus,
  LeaderLevel,
} from '../../../cloudfunctions/_shared/contracts';

/** 成长标签: the letter and what it means in the seeds' words. */
export const TAG_LABELS: Record<GrowthTag, string> = {
  S: '高意向',
  A: '活跃',
  B: '已领取',
  C: '新成员',
};

/**
 * The tags in order, S first. The Mini Program cannot require files outside miniprogram/ at run
 * time (scripts/size.mjs checks it), so its lists are the keys of Records the contract's types
 * keep complete, as the server's are built from cloudfunctions/_shared/constants.
 */
export const TAG_ORDER = Object.keys(TAG_LABELS) as GrowthTag[];

/** Badge classes of the app's design system per tag (S stands out, C is quiet). */
export const TAG_BADGES: Record<GrowthTag, string> = {
  S: 'badge--accent',
  A: '',
  B: 'badge--gold',
  C: 'badge--muted',
};

export const LEADER_LABELS: Record<LeaderLevel, string> = { 1: '小当家', 2: '大当家' };

export const INVITE_STATUS_LABELS: Record<InviteStatus, string> = {
  none: '无',
  pending: '待验证',
  verified: '有效',
  rejected: '无效',
  held: '待审核',
};

export const INVITE_STATUS_BADGES: Record<InviteStatus, string> = {
  none: 'badge--muted',
  pending: 'badge--gold',
  verified: '',
  rejected: 'badge--muted',
  held: 'badge--accent',
};

export const REJECTION_LABELS: Record<InviteRejectionReason, string> = {
  SELF_INVITE: '自己邀请自己',
  NOT_NEW_USER: '老用户',
  UNKNOWN_CODE: '邀请码无效',
  INVITER_DAILY_CAP: '超出每日上限',
  RISK: '风险账号',
  CAMPAIGN_ENDED: '活动已结束',
  BLOCKED: '账号已停用',
  REVIEW_REJECTED: '审核未通过',
};

export const AUDIT_LABELS: Record<AuditAction, string> = {
  block: '停用',
  unblock: '恢复',
  tag: '改标签',
  approve: '通过审核',
  reject: '驳回审核',
  grant: '发放奖励',
  promote: '团长',
  export: '导出',
};

/** `待审核`, or `无效 · 老用户` when a reason says why. */
export function inviteStateText(status: InviteStatus, reason?: InviteRejectionReason): string {
  const label = INVITE_STATUS_LABELS[status] ?? status;
  return reason ? `${label} · ${REJECTION_LABELS[reason] ?? reason}` : label;
}
