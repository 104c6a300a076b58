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

// People console (issue 13): exports are files in cloud storage ------------------------------

/** Stores `content` at `cloudPath` (overwriting), answering its fileID (`cloud://…`). */
export async function storeFile(cloudPath: string, content: Buffer): Promise<string> {
  const res = (await cloud.uploadFile({ cloudPath, fileContent: content })) as { fileID: string };
  return res.fileID;
}

/** The content of a stored file. */
export async function readFile(fileID: string): Promise<Buffer> {
  const res = (await cloud.downloadFile({ fileID })) as { fileContent: Buffer };
  return res.fileContent;
}
