/**
 * The one place a cloud function touches `wx-server-sdk`. The bundles keep it external: on
 * CloudBase it is the real SDK pinned in each function's package.json; under the local emulator
 * the runner hands the emulated module to the very same bundle.
 */
// `import = require`: the SDK is CommonJS and its functions are called on the module object.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cloud = require('wx-server-sdk');

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV } as Parameters<typeof cloud.init>[0]);

export type Database = ReturnType<typeof cloud.database>;

let database: Database | null = null;

/** One database handle per container, made on first use. */
export function db(): Database {
  database ??= cloud.database();
  return database;
}

export interface Caller {
  openid: string;
  appid: string;
  clientIp: string;
}

/** Who is calling, from the platform: nothing in the event can change it. */
export function caller(): Caller {
  const context = cloud.getWXContext();
  return {
    openid: context.OPENID ?? '',
    appid: context.APPID ?? '',
    clientIp: context.CLIENTIP ?? context.CLIENTIPV6 ?? '',
  };
}

export const openapi = cloud.openapi as unknown as OpenApi;

/** The subset of `cloud.openapi` the functions use, typed. */
export interface OpenApi {
  riskControl: {
    getUserRiskRank(params: {
      appid: string;
      openid: string;
      scene: number;
      clientIp: string;
    }): Promise<{ errCode: number; errMsg: string; riskRank: number }>;
  };
  wxacode: {
    getUnlimited(params: {
      scene: string;
      page?: string;
      checkPath?: boolean;
      width?: number;
    }): Promise<{ errCode: number; contentType: string; buffer: Buffer }>;
  };
  // Distribution (issue 10)
  security: {
    /** v2 (WeChat's 文本内容安全识别); wx-server-sdk answers WeChat's fields camelCased */
    msgSecCheck(params: {
      openid: string;
      scene: number;
      version: 2;
      content: string;
      nickname?: string;
    }): Promise<{
      errCode: number;
      errMsg: string;
      traceId?: string;
      result?: { suggest: 'pass' | 'review' | 'risky'; label: number };
    }>;
  };
  // Rewards (issue 12)
  subscribeMessage: {
    send(params: {
      touser: string;
      templateId: string;
      page?: string;
      data: Record<string, { value: string }>;
      miniprogramState?: 'developer' | 'trial' | 'formal';
      lang?: string;
    }): Promise<{ errCode: number; errMsg: string }>;
  };
}

/**
 * Rewards (issue 12): sends one subscribe message (订阅消息). WeChat's refusals (43101: the user
 * has no subscription left; 47003: a field breaks its rule…) come back as an answer to record,
 * never as a throw.
 */
export async function sendSubscribeMessage(message: {
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
}): Promise<{ ok: true } | { ok: false; errCode: number; errMsg: string }> {
  try {
    const res = await openapi.subscribeMessage.send(message);
    if (res.errCode === 0) return { ok: true };
    return { ok: false, errCode: res.errCode, errMsg: res.errMsg };
  } catch (error) {
    const e = error as { errCode?: unknown; errMsg?: unknown; message?: unknown };
    return {
      ok: false,
      errCode: typeof e?.errCode === 'number' ? e.errCode : -1,
      errMsg: String(e?.errMsg ?? e?.message ?? error),
    };
  }
}

/** A URL the phone can show: a cloud fileID becomes a temporary URL, other URLs stay. */
export async function displayUrl(url: string): Promise<string> {
  if (!url.startsWith('cloud://')) return url;
  const res = (await cloud.getTempFileURL({ fileList: [url] })) as {
    fileList: Array<{ fileID: string; tempFileURL: string; status: number }>;
  };
  const file = res.fileList[0];
  return file && file.status === 0 ? file.tempFileURL : url;
}

export interface RiskRankAnswer {
  /** 0 (safest) … 4 (riskiest), or null when the service did not say */
  rank: number | null;
  /** the call failed (permission missing, service not enabled, quota, outage): worth an alert */
  failed: boolean;
  errCode?: number;
}

/**
 * The caller's marketing risk rank (scene 1). When the service cannot say, the rank is null: an
 * outage of ours must not punish the visitor, but the failure is reported so it is seen.
 */
export async function userRiskRank(who: Caller): Promise<RiskRankAnswer> {
  try {
    const res = await openapi.riskControl.getUserRiskRank({
      appid: who.appid,
      openid: who.openid,
      scene: 1,
      clientIp: who.clientIp,
    });
    if (res.errCode === 0 && Number.isFinite(res.riskRank)) {
      return { rank: res.riskRank, failed: false };
    }
    return { rank: null, failed: true, errCode: res.errCode };
  } catch (error) {
    const errCode = (error as { errCode?: unknown })?.errCode;
    return { rank: null, failed: true, ...(typeof errCode === 'number' ? { errCode } : {}) };
  }
}

// Distribution (issue 10) ----------------------------------------------------------------------

/** Temporary URLs of several files in one call; anything not a cloud fileID stays as it is. */
export async function displayUrls(urls: readonly string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>(urls.map((url) => [url, url]));
  const fileList = [...new Set(urls.filter((url) => url.startsWith('cloud://')))];
  if (fileList.length === 0) return found;
  const res = (await cloud.getTempFileURL({ fileList })) as {
    fileList: Array<{ fileID: string; tempFileURL: string; status: number }>;
  };
  for (const file of res.fileList) {
    if (file.status === 0) found.set(file.fileID, file.tempFileURL);
  }
  return found;
}

/** Puts bytes in cloud storage at `cloudPath` (replacing what was there); answers the fileID. */
export async function storeFile(cloudPath: string, content: Buffer | string): Promise<string> {
  const res = (await cloud.uploadFile({
    cloudPath,
    fileContent: typeof content === 'string' ? Buffer.from(content) : content,
  })) as { fileID: string };
  return res.fileID;
}

/**
 * A Mini Program code (wxacode.getUnlimited, which the calling function's config.json must
 * declare) for `scene` on `page`, stored at `cloudPath`. `checkPath: false`: codes are printed
 * before the first release too, and `page` is the landing page, which always exists.
 */
export async function makeMiniProgramCode(
  scene: string,
  page: string,
  cloudPath: string,
): Promise<string> {
  const image = await openapi.wxacode.getUnlimited({ scene, page, checkPath: false, width: 430 });
  return storeFile(cloudPath, image.buffer);
}

export type TextVerdict = 'pass' | 'refused' | 'unchecked';

/**
 * WeChat's content check of a text a user wants others to see (security.msgSecCheck v2).
 * Scene 2 (评论): the one that also applies the keywords an operator adds in the Mini Program's
 * console. Only `pass` passes: `review` has no human to review it here, `risky` is refused;
 * a failed call is `unchecked` (the caller refuses to publish what nobody checked).
 */
export async function checkText(openid: string, content: string): Promise<TextVerdict> {
  try {
    const res = await openapi.security.msgSecCheck({ openid, scene: 2, version: 2, content });
    if (res.errCode !== 0 || !res.result) return 'unchecked';
    return res.result.suggest === 'pass' ? 'pass' : 'refused';
  } catch {
    return 'unchecked';
  }
}

// People console (issue 13): exports are files in cloud storage (storeFile above)

/** The content of a stored file. */
export async function readFile(fileID: string): Promise<Buffer> {
  const res = (await cloud.downloadFile({ fileID })) as { fileContent: Buffer };
  return res.fileContent;
}
