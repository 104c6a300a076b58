import type { ActionError, ErrorCode } from './contracts';

/**
 * An expected failure (no spins left, claim window closed…). Handlers throw it; the dispatcher
 * turns it into `{ ok: false, error }` so the function itself never throws to the caller.
 */
export class ActionFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: Omit<ActionError, 'code' | 'message'> = {},
  ) {
    super(message);
    this.name = 'ActionFailure';
  }
}

export function fail(
  code: ErrorCode,
  message: string,
  extra?: Omit<ActionError, 'code' | 'message'>,
): never {
  throw new ActionFailure(code, message, extra);
}

/** CloudBase reports a unique-index violation as a database error mentioning E11000. */
export function isDuplicateKeyError(error: unknown): boolean {
  const text = errorText(error);
  return /E11000|duplicate key/i.test(text);
}

/** A CloudBase transaction lost to a concurrent one (wx-server-sdk does not retry it). */
export function isTransactionConflict(error: unknown): boolean {
  return /TransactionConflict/i.test(errorText(error));
}

function errorText(error: unknown): string {
  if (!error || typeof error !== 'object') return String(error);
  const e = error as { errMsg?: unknown; message?: unknown };
  return `${String(e.errMsg ?? '')} ${String(e.message ?? '')}`;
}
