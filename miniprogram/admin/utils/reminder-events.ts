/**
 * 订阅消息 as the campaign config names them: each event's name for operators, when it is sent,
 * and the variables its template's fields may use (`thing2: '已邀请 {verified}/{required} 位'`).
 * Stated once for both sides: the server checks a config's fields against these variables and
 * fills them (cloudfunctions/_shared/campaign.ts, domain/reminders.ts); the campaign editor lists
 * them beside the fields. It lives in the Mini Program's tree because WeChat ships only what is
 * under `miniprogram/`; the functions' bundler reaches in. Pure: no wx.
 */
import type { ReminderEvent } from '../../../cloudfunctions/_shared/constants';

/** The event's name for operators (campaign problems, the editor, the message log). */
export const REMINDER_NAMES: Record<ReminderEvent, string> = {
  inviteProgress: '好友领取进度',
  unlockNear: '再邀 1 人解锁',
  couponExpiring: '券即将过期',
  rightsChanged: '会员权益更新',
  groupReady: '群二维码已就绪',
  poolAlert: '群池告警',
};

/** When it is sent, in the editor's words. */
export const REMINDER_MOMENTS: Record<ReminderEvent, string> = {
  inviteProgress: '好友通过邀请领取福利后，告诉邀请人进度',
  unlockNear: '再邀请 1 位好友就能解锁黑卡时，提醒邀请人',
  couponExpiring: '券在 24 小时内过期时提醒，每张券一次',
  rightsChanged: '黑卡权益有变动时，提醒持卡会员',
  groupReady: '会员群有了位置、可以领群二维码时提醒',
  poolAlert: '发给订阅了的负责人：群池快满，或群二维码快过期',
};

const VARIABLES = {
  inviteProgress: ['verified', 'required', 'left', 'campaign'],
  unlockNear: ['verified', 'required', 'left', 'campaign'],
  couponExpiring: ['title', 'label', 'expiresAt', 'campaign'],
  rightsChanged: ['rights', 'count', 'campaign'],
  groupReady: ['group', 'expiresAt', 'campaign'],
  poolAlert: ['message', 'at', 'campaign'],
} as const satisfies Record<ReminderEvent, readonly string[]>;

export type ReminderVariable = (typeof VARIABLES)[ReminderEvent][number];

/** The variables each event offers to its template's fields. */
export const REMINDER_VARIABLES: Record<ReminderEvent, readonly string[]> = VARIABLES;

/** What each variable is filled with, for the operator choosing them. */
export const VARIABLE_LABELS: Record<ReminderVariable, string> = {
  verified: '已邀请人数',
  required: '解锁所需人数',
  left: '还差几人',
  campaign: '活动名称',
  title: '券名称',
  label: '券面额（如 满50减10）',
  expiresAt: '到期时间',
  rights: '权益名称',
  count: '权益项数',
  group: '群名称',
  message: '告警内容',
  at: '告警时间',
};
