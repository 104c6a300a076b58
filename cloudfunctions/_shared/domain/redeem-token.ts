/**
 * 核销码: the short-lived signed token behind a coupon's redemption QR. The coupon page
 * refreshes it; staff scan it and `coupon.redeem` checks it before redeeming exactly once.
 *
 * Format: base64url(`couponId~expiresAt in ms, base 36`) + '.' + base64url(HMAC-SHA256 truncated
 * to 16 bytes). With a 32-character document id that is about 80 characters, small enough for a
 * low-density QR that a phone scans instantly. The MAC covers a purpose prefix, so a signature
 * made with the same secret for anything else never verifies as a redeem token.
 *
 * The same signer serves other short-lived codes (`signToken` / `verifyToken` with a purpose of
 * their own, e.g. the black card's member code in domain/member-code.ts): a code signed for one
 * purpose never passes for another.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const REDEEM_TOKEN_TTL_MS = 60_000;

const REDEEM_PURPOSE = 'growth-kit/redeem/v1';
const MAC_BYTES = 16;
const MAX_TOKEN_LENGTH = 256;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

export type TokenProblem = 'malformed' | 'forged' | 'stale';
export type RedeemTokenCheck = { ok: true; couponId: string } | { ok: false; reason: TokenProblem };
export type TokenCheck = { ok: true; subject: string } | { ok: false; reason: TokenProblem };

function mac(purpose: string, payload: string, secret: string): Buffer {
  if (!secret) throw new Error('redeem token secret is empty');
  return createHmac('sha256', secret)
    .update(`${purpose}.${payload}`)
    .digest()
    .subarray(0, MAC_BYTES);
}

/** Signs a token valid until `expiresAt` (usually now + REDEEM_TOKEN_TTL_MS). */
export function signRedeemToken(
  claims: { couponId: string; expiresAt: Date },
  secret: string,
): string {
  return signToken(REDEEM_PURPOSE, claims.couponId, claims.expiresAt, secret);
}

/** A `subject` signed for `purpose` until `expiresAt`: `payload.mac`, both base64url. */
export function signToken(
  purpose: string,
  subject: string,
  expiresAt: Date,
  secret: string,
): string {
  const expiresMs = expiresAt.getTime();
  if (!subject || !Number.isFinite(expiresMs)) throw new Error('invalid token claims');
  const payload = Buffer.from(`${subject}~${expiresMs.toString(36)}`, 'utf8').toString('base64url');
  return `${payload}.${mac(purpose, payload, secret).toString('base64url')}`;
}

/**
 * Checks authenticity before anything else: an untrusted payload is never parsed, and a forged
 * token reads as forged even when its claimed expiry has passed. `now` strictly after the
 * expiry is stale. The MAC comparison is constant-time.
 */
export function verifyRedeemToken(token: unknown, secret: string, now: Date): RedeemTokenCheck {
  const check = verifyToken(REDEEM_PURPOSE, token, secret, now);
  return check.ok ? { ok: true, couponId: check.subject } : check;
}

/** `verifyRedeemToken` for any purpose: the subject a token signed for `purpose` carries. */
export function verifyToken(
  purpose: string,
  token: unknown,
  secret: string,
  now: Date,
): TokenCheck {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
    return { ok: false, reason: 'malformed' };
  }
  const parts = token.split('.');
  if (parts.length !== 2 || !BASE64URL.test(parts[0]) || !BASE64URL.test(parts[1])) {
    return { ok: false, reason: 'malformed' };
  }
  const [payload, signature] = parts;
  const given = Buffer.from(signature, 'base64url');
  // Canonical encoding only, so each signature has exactly one spelling.
  if (given.length !== MAC_BYTES || given.toString('base64url') !== signature) {
    return { ok: false, reason: 'malformed' };
  }
  if (!timingSafeEqual(given, mac(purpose, payload, secret))) {
    return { ok: false, reason: 'forged' };
  }

  const claims = Buffer.from(payload, 'base64url').toString('utf8');
  const separator = claims.lastIndexOf('~');
  const subject = claims.slice(0, separator);
  const expiresMs = parseInt(claims.slice(separator + 1), 36);
  // Only reachable with a validly signed but foreign payload, i.e. a bug in the signer.
  if (separator <= 0 || !Number.isFinite(expiresMs)) return { ok: false, reason: 'malformed' };
  if (now.getTime() > expiresMs) return { ok: false, reason: 'stale' };
  return { ok: true, subject };
}
