/**
 * Turns a map of typed action handlers into a cloud function `main(event, context)`:
 * parse the action and its params with zod, take identity from the platform, run the handler,
 * answer the `{ ok, data | error }` envelope. Expected failures never throw; unexpected ones
 * become `INTERNAL` with a request id (the details go to the function's log, not the caller).
 */
import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import { caller, type Caller } from './cloud';
import type { ActionError, Envelope, ValidationIssue } from './contracts';
import { ActionFailure } from './errors';

export interface ActionContext {
  caller: Caller;
  /** The invocation's clock, read once: every rule in one call sees the same instant. */
  now: Date;
  requestId: string;
}

type Schemas = Record<string, z.ZodMiniType>;

type Results<S extends Schemas> = { [A in keyof S]: unknown };

export type Handlers<S extends Schemas, R extends Results<S>, Auth> = {
  [A in keyof S]: (
    params: z.output<S[A]>,
    context: ActionContext & { auth: Auth },
  ) => Promise<R[A]>;
};

export interface FunctionDefinition<S extends Schemas, R extends Results<S>, Auth> {
  name: string;
  params: S;
  handlers: Handlers<S, R, Auth>;
  /**
   * Runs before the params are looked at; throws an ActionFailure to refuse the caller, else
   * returns what the handlers get as `context.auth` (the admin's role, say).
   */
  authorize?: (action: string, context: ActionContext) => Promise<Auth>;
}

interface PlatformContext {
  request_id?: string;
  requestId?: string;
}

export function defineFunction<S extends Schemas, R extends Results<S>, Auth = undefined>(
  definition: FunctionDefinition<S, R, Auth>,
) {
  return async function main(
    event: unknown,
    platform: PlatformContext = {},
  ): Promise<Envelope<R[keyof S]>> {
    const requestId = platform.request_id ?? platform.requestId ?? randomRequestId();
    try {
      const context: ActionContext = { caller: caller(), now: new Date(), requestId };
      if (!context.caller.openid) {
        return failure({ code: 'UNAUTHENTICATED', message: '无法识别访问者身份，请在微信内打开' });
      }
      const { action, params } = splitEvent(event);
      // Refuse an unauthorised caller before saying anything about the actions that exist.
      const auth = (
        definition.authorize ? await definition.authorize(action ?? '', context) : undefined
      ) as Auth;
      if (!action || !Object.prototype.hasOwnProperty.call(definition.params, action)) {
        return failure({
          code: 'BAD_REQUEST',
          message: `unknown action ${JSON.stringify(action)}`,
          issues: [
            {
              path: 'action',
              message: `expected one of: ${Object.keys(definition.params).join(', ')}`,
            },
          ],
        });
      }
      const name = action as keyof S & string;
      const parsed = definition.params[name].safeParse(params, { error: describeIssue });
      if (!parsed.success) {
        const issues = toIssues(parsed.error);
        return failure({
          code: 'BAD_REQUEST',
          message: `invalid params for ${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
          issues,
        });
      }
      const data = await definition.handlers[name](parsed.data, { ...context, auth });
      return { ok: true, data };
    } catch (error) {
      if (error instanceof ActionFailure) {
        return failure({ code: error.code, message: error.message, ...error.extra });
      }
      console.error(`[${definition.name}] ${requestId}`, error);
      return failure({
        code: 'INTERNAL',
        message: `服务开小差了，请稍后再试（${requestId}）`,
        requestId,
      });
    }
  };
}

function failure(error: ActionError): { ok: false; error: ActionError } {
  return { ok: false, error };
}

/**
 * `{ action, ...params }`. Calls from the Mini Program also carry `userInfo` (added by WeChat,
 * not by the client code); it is dropped because identity only ever comes from the context.
 */
function splitEvent(event: unknown): { action: string | undefined; params: unknown } {
  if (!event || typeof event !== 'object' || Array.isArray(event)) {
    return { action: undefined, params: undefined };
  }
  const { action, userInfo: _userInfo, ...params } = event as Record<string, unknown>;
  return { action: typeof action === 'string' ? action : undefined, params };
}

export function toIssues(error: z.core.$ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(params)',
    message: issue.message,
  }));
}

const RANGE_UNITS: Record<string, string> = { string: ' characters', array: ' items' };

/**
 * Words the contract's issues for developers. zod/mini carries no locale (its default is
 * "Invalid input"); this covers the checks the contract uses in a few lines, where a locale
 * would add kilobytes to every cold start. A check's own message wins over it.
 */
const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return `must be ${issue.expected === 'int' ? 'a whole number' : `of type ${issue.expected}`}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      return `must be at least ${issue.minimum}${RANGE_UNITS[issue.origin] ?? ''}`;
    case 'too_big':
      return `must be at most ${issue.maximum}${RANGE_UNITS[issue.origin] ?? ''}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'datetime'
        ? 'must be an ISO-8601 instant with an offset or Z, e.g. 2025-03-01T10:00:00+08:00'
        : `must be a valid ${issue.format}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
};

function randomRequestId(): string {
  return randomUUID();
}
