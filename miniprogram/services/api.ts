/**
 * The typed client of the cloud functions: the only module that calls `wx.cloud`. Pages call
 * `callApi('lottery.spin', { requestId })` and get `{ ok, data | error }` with the types of the
 * shared contract (imported as types only: nothing of zod ships to the phone).
 */
import type {
  ActionError,
  AdminAction,
  AdminParams,
  AdminResults,
  ApiAction,
  ApiParams,
  ApiResults,
  Envelope,
  ErrorCode,
} from '../../cloudfunctions/_shared/contracts';

/** What a visitor reads when something goes wrong: short, kind, actionable. */
const FRIENDLY_MESSAGES: Record<ErrorCode, string> = {
  BAD_REQUEST: '请求有误，请刷新后重试',
  UNAUTHENTICATED: '请在微信内打开小程序',
  FORBIDDEN: '没有权限进行此操作',
  NOT_FOUND: '内容不存在或已下架',
  CAMPAIGN_NOT_ACTIVE: '活动未开始或已结束',
  CLAIM_WINDOW_CLOSED: '领取时间已过，下次早点来哦',
  NO_SPINS_LEFT: '今天的抽奖次数用完了，邀请好友可再得机会',
  RISK_BLOCKED: '当前账号存在风险，暂时无法参与',
  BLACK_CARD_LOCKED: '黑卡尚未解锁',
  GROUP_UNAVAILABLE: '群暂时满员，请添加客服入群',
  COUPON_EXPIRED: '优惠券已过期',
  COUPON_ALREADY_REDEEMED: '优惠券已被使用',
  BAD_TOKEN: '核销码无效或已过期，请让顾客刷新',
  RATE_LIMITED: '操作太频繁，请稍后再试',
  CONFLICT: '操作冲突，请重试',
  INTERNAL: '服务开小差了，请稍后再试',
  // Rewards (issue 12)
  RIGHT_USED_UP: '这项权益本期次数已用完',
};

export function friendlyMessage(error: ActionError): string {
  return FRIENDLY_MESSAGES[error.code] ?? error.message;
}

/** Transport hook: the app uses wx.cloud; the emulator-backed tests and preview replace it. */
export type FunctionCaller = (name: string, data: Record<string, unknown>) => Promise<unknown>;

let caller: FunctionCaller = async (name, data) => {
  const res = await wx.cloud.callFunction({ name, data });
  return res.result;
};

export function setFunctionCaller(next: FunctionCaller): void {
  caller = next;
}

async function call<T>(name: string, data: Record<string, unknown>): Promise<Envelope<T>> {
  try {
    const result = (await caller(name, data)) as Envelope<T> | undefined;
    if (result && typeof result === 'object' && 'ok' in result) return result;
    return { ok: false, error: { code: 'INTERNAL', message: '服务返回了无法识别的结果' } };
  } catch {
    // network down, function missing, quota… the page shows the same friendly message
    return { ok: false, error: { code: 'INTERNAL', message: '网络不给力，请稍后再试' } };
  }
}

export function callApi<A extends ApiAction>(
  action: A,
  ...params: keyof ApiParams<A> extends never ? [] : [ApiParams<A>]
): Promise<Envelope<ApiResults[A]>> {
  return call<ApiResults[A]>('api', { action, ...(params[0] ?? {}) });
}

export function callAdmin<A extends AdminAction>(
  action: A,
  ...params: keyof AdminParams<A> extends never ? [] : [AdminParams<A>]
): Promise<Envelope<AdminResults[A]>> {
  return call<AdminResults[A]>('admin', { action, ...(params[0] ?? {}) });
}

/** A request id for idempotent actions (claim, spin): unique enough without crypto. */
export function newRequestId(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

/**
 * Uploads a local file (a `tempFilePath` from `wx.chooseMedia`) to cloud storage at `cloudPath`
 * and answers its fileID (`cloud://…`). A failure comes back as the envelope, as calls do.
 */
export async function uploadImage(
  cloudPath: string,
  filePath: string,
): Promise<Envelope<{ fileID: string }>> {
  try {
    const res = await wx.cloud.uploadFile({ cloudPath, filePath });
    if (res && typeof res.fileID === 'string' && res.fileID) {
      return { ok: true, data: { fileID: res.fileID } };
    }
  } catch {
    // network down, storage quota, file gone: the same message below
  }
  return { ok: false, error: { code: 'INTERNAL', message: '图片上传失败，请检查网络后重试' } };
}

// Distribution (issue 10) ----------------------------------------------------------------------

/**
 * A path a canvas can load: a cloud fileID is downloaded to a temporary file (no domain to
 * whitelist); anything else (a temporary URL, a package path) is answered as it is. Null when the
 * download failed: the poster leaves that picture out.
 */
export async function localImagePath(src: string): Promise<string | null> {
  if (!src.startsWith('cloud://')) return src;
  try {
    const res = await wx.cloud.downloadFile({ fileID: src });
    return res.tempFilePath || null;
  } catch {
    return null;
  }
}
