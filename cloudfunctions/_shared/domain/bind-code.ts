/**
 * 绑定码: how a new operator or staff member gets their role. An owner makes a one-time code (a
 * Mini Program code to scan, or ten characters to type); whoever uses it within
 * BIND_CODE_TTL_MS becomes what the code says. The first owner of a fresh environment is bound
 * the same way, with a setup code the deploy step prints (`bind-codes.ts`).
 *
 * Decisions (`judgeBind`):
 * - A code works once: the first person to use it keeps it; the same person using it again
 *   (a retry) is answered as the first time.
 * - Its creator cannot use it: a code is for someone else, so nobody raises their own role.
 * - Using a code never lowers a role: an owner scanning a staff code stays owner (refused, and the
 *   code stays unused for the person it was meant for).
 * - Codes use the invite codes' alphabet (no 0/O, 1/I/L: read aloud over a counter), 10 characters:
 *   31^10 ≈ 8 × 10^14, against a handful of codes alive for 10 minutes.
 */
import type { AdminRole, ErrorCode } from '../contracts';
import { generateInviteCode, INVITE_CODE_ALPHABET } from './invite-code';

export const BIND_CODE_LENGTH = 10;

export function newBindCode(randomBytes: (n: number) => Uint8Array): string {
  return generateInviteCode(randomBytes, BIND_CODE_LENGTH);
}

/** `ABCDEFGHJK` → `ABCDE-FGHJK`, easier to read out and type. */
export function formatBindCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

const PATTERN = new RegExp(`^[${INVITE_CODE_ALPHABET}]{${BIND_CODE_LENGTH}}$`);

/** What a person typed or a scan carried, as a code; null when it cannot be one. */
export function normalizeBindCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return PATTERN.test(code) ? code : null;
}

export interface BindCodeFacts {
  role: AdminRole;
  createdBy: string;
  expiresAt: Date;
  usedBy: string | null;
}

export type BindJudgement =
  | { ok: true; retry: boolean }
  | {
      ok: false;
      code: Extract<ErrorCode, 'BAD_TOKEN' | 'FORBIDDEN' | 'CONFLICT'>;
      message: string;
    };

const ROLE_NAMES: Record<AdminRole, string> = { owner: '负责人', staff: '店员' };

/** Whether `caller` (with their current role, if any) may use the code now. */
export function judgeBind(input: {
  code: BindCodeFacts | null;
  caller: { openid: string; role: AdminRole | null };
  now: Date;
}): BindJudgement {
  const { code, caller, now } = input;
  const refuse = (errorCode: 'BAD_TOKEN' | 'FORBIDDEN' | 'CONFLICT', message: string) =>
    ({ ok: false, code: errorCode, message }) as const;
  if (!code) return refuse('BAD_TOKEN', '绑定码无效，请核对后重试，或请负责人重新生成');
  if (code.usedBy === caller.openid) return { ok: true, retry: true };
  if (code.usedBy) return refuse('BAD_TOKEN', '这个绑定码已经用过了，请负责人重新生成');
  if (now.getTime() >= code.expiresAt.getTime()) {
    return refuse('BAD_TOKEN', '绑定码已过期（10 分钟内有效），请负责人重新生成');
  }
  if (code.createdBy === caller.openid) {
    return refuse('FORBIDDEN', '不能使用自己生成的绑定码，请让要添加的人扫码');
  }
  if (caller.role === 'owner' || caller.role === code.role) {
    return refuse('CONFLICT', `你已经是${ROLE_NAMES[caller.role]}了，无需绑定`);
  }
  return { ok: true, retry: false };
}
