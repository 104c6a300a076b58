/**
 * How CloudBase runs a function, as far as the emulator enforces it: each function's timeout
 * (cloudbaserc.json `functions[].timeout`), the cloud-call APIs it declared in its own
 * `config.json` (`permissions.openapi`), the size of an event, and the errors a caller gets.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A function's timeout when cloudbaserc.json gives none: "timeout … 函数最长执行时间,单位为秒,
 * 可选值范 1-300 秒,默认为 3 秒" —
 * https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/cloudbase/common/getFuncConfig.html
 */
export const DEFAULT_TIMEOUT_SECONDS = 3;

/**
 * The largest event a synchronous call may carry: "同步请求事件大小 6MB" —
 * https://cloud.tencent.com/document/product/583/11637 (SCF, which runs CloudBase functions).
 */
export const MAX_EVENT_BYTES = 6 * 1024 * 1024;

export interface FunctionTrigger {
  name: string;
  type: string;
  config: string;
}

/** A function's `config.json`, in WeChat's format (see cloudfunctions/<name>/config.json). */
export interface FunctionConfig {
  permissions?: { openapi?: string[] };
  triggers?: FunctionTrigger[];
}

export interface FunctionSettings {
  timeoutSeconds: number;
  /** the `openapi.<namespace>.<method>` names it may call */
  openapi: ReadonlySet<string>;
}

interface CloudbaseRcFunctions {
  functions?: Array<{ name: string; timeout?: number }>;
}

/** A function's settings from cloudbaserc.json and its config.json (missing: no permissions). */
export function readFunctionSettings(
  projectRoot: string,
  name: string,
  configOverride?: FunctionConfig,
): FunctionSettings {
  const rc = JSON.parse(
    readFileSync(join(projectRoot, 'cloudbaserc.json'), 'utf8'),
  ) as CloudbaseRcFunctions;
  const declared = rc.functions?.find((f) => f.name === name);
  const config = configOverride ?? readFunctionConfig(projectRoot, name);
  return {
    timeoutSeconds: declared?.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    openapi: new Set(config.permissions?.openapi ?? []),
  };
}

export function readFunctionConfig(projectRoot: string, name: string): FunctionConfig {
  const file = join(projectRoot, 'cloudfunctions', name, 'config.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FunctionConfig) : {};
}

/**
 * What the platform answers instead of the function: `code` is CloudBase's error code,
 * `errCode`/`errMsg` what `wx.cloud.callFunction` reports, `httpStatus` what the gateway sends.
 */
export class PlatformError extends Error {
  constructor(
    readonly code: string,
    readonly errCode: number,
    readonly errMsg: string,
    readonly httpStatus: number,
  ) {
    super(errMsg);
    this.name = 'PlatformError';
  }

  /** The body the gateway answers with. */
  toJSON(): { code: string; errCode: number; errMsg: string } {
    return { code: this.code, errCode: this.errCode, errMsg: this.errMsg };
  }
}

/**
 * The invocation ran past its timeout (or was killed by the killRate fault) and was stopped.
 * What the Mini Program sees: `cloud.callFunction:fail Error: errCode: -504003  | errMsg:
 * Invoking task timed out after 3 seconds` (https://github.com/Mint-green/UnlearnableWord/issues/10);
 * CloudBase names the error FUNCTIONS_TIME_LIMIT_EXCEEDED, "function runtime exceeds the
 * configured maximum execution time"
 * (https://docs.cloudbase.net/en/error-code/basic/FUNCTIONS_TIME_LIMIT_EXCEEDED).
 */
export class FunctionTimeoutError extends PlatformError {
  constructor(
    readonly functionName: string,
    timeoutMs: number,
    readonly requestId: string,
    /** database calls the invocation made before it died */
    readonly dbCalls: number,
  ) {
    super(
      'FUNCTIONS_TIME_LIMIT_EXCEEDED',
      -504003,
      `Invoking task timed out after ${timeoutMs / 1000} seconds`,
      504,
    );
    this.name = 'FunctionTimeoutError';
  }

  toJSON(): { code: string; errCode: number; errMsg: string; requestId: string } {
    return { ...super.toJSON(), requestId: this.requestId };
  }

  /** The message `wx.cloud.callFunction` rejects with (the SDK has no text for -504003). */
  get callFunctionMessage(): string {
    return `cloud.callFunction:fail Error: errCode: ${this.errCode}  | errMsg: ${this.errMsg}`;
  }
}

/**
 * The event is larger than a synchronous call may carry: "EXCEED_MAX_PAYLOAD_SIZE … Maximum
 * request body size limit for cloud functions: 100KB for text type, 6MB for other types"
 * (https://docs.cloudbase.net/en/error-code/service/EXCEED_MAX_PAYLOAD_SIZE). The SDKs turn a
 * code missing from their TCB_ERR_CODE table into -501001 (wx-server-sdk 4.0.2, checkError).
 */
export class EventTooLargeError extends PlatformError {
  constructor(bytes: number) {
    super(
      'EXCEED_MAX_PAYLOAD_SIZE',
      -501001,
      `Request body size exceeds the limit: the event is ${bytes} bytes, at most ${MAX_EVENT_BYTES} are allowed`,
      413,
    );
    this.name = 'EventTooLargeError';
  }
}
