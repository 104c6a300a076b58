import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one function invocation knows about itself. The real wx-server-sdk reads the caller
 * from the process environment of a single-request container; the emulator runs many
 * invocations in one process, so each gets its own context through AsyncLocalStorage and
 * concurrent calls never see each other's OPENID.
 */
export interface InvocationContext {
  functionName: string;
  requestId: string;
  OPENID: string;
  APPID: string;
  UNIONID?: string;
  ENV: string;
  SOURCE: string;
  /** the caller's IP as WeChat reports it (the risk service needs it) */
  CLIENTIP?: string;
  /** Database requests made by this invocation (each `send` of the SDK is one round trip). */
  dbCalls: number;
}

export const invocationContext = new AsyncLocalStorage<InvocationContext>();

export function currentInvocation(): InvocationContext | undefined {
  return invocationContext.getStore();
}
