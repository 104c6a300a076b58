/**
 * 会员码: the black card's member code, and the ticket a staff member holds while serving that
 * member. Both are signed like a coupon's redemption code (domain/redeem-token.ts) but for a
 * purpose of their own, so neither ever passes for a coupon's code or for the other.
 *
 * - The member code (`M.` + token) lives a minute and is refreshed by the card's page, like a
 *   coupon's: a screenshot is worthless a minute later. It names the member by invite code (public
 *   already: it is in every share), never by openid.
 * - Scanning it (`member.lookup`) gives the scanning staff member a ticket, bound to them, that
 *   lives STAFF_TICKET_TTL_MS: time to ask which right the member wants and redeem it, without
 *   the customer's code having to stay valid meanwhile.
 */
import { MEMBER_CODE_PREFIX } from '../constants';
import { signToken, verifyToken, type TokenProblem } from './redeem-token';

export const MEMBER_CODE_TTL_MS = 60_000;
export const STAFF_TICKET_TTL_MS = 10 * 60_000;

const MEMBER_PURPOSE = 'growth-kit/member/v1';
const TICKET_PURPOSE = 'growth-kit/member-ticket/v1';

export type MemberCodeCheck =
  { ok: true; inviteCode: string } | { ok: false; reason: TokenProblem };

export function signMemberCode(
  claims: { inviteCode: string; expiresAt: Date },
  secret: string,
): string {
  return (
    MEMBER_CODE_PREFIX + signToken(MEMBER_PURPOSE, claims.inviteCode, claims.expiresAt, secret)
  );
}

export function verifyMemberCode(code: unknown, secret: string, now: Date): MemberCodeCheck {
  if (typeof code !== 'string' || !code.startsWith(MEMBER_CODE_PREFIX)) {
    return { ok: false, reason: 'malformed' };
  }
  const check = verifyToken(MEMBER_PURPOSE, code.slice(MEMBER_CODE_PREFIX.length), secret, now);
  return check.ok ? { ok: true, inviteCode: check.subject } : check;
}

/** A ticket for `staff` to serve the member with `inviteCode` until `expiresAt`. */
export function signStaffTicket(
  claims: { inviteCode: string; staff: string; expiresAt: Date },
  secret: string,
): string {
  return signToken(
    TICKET_PURPOSE,
    `${claims.inviteCode}~${claims.staff}`,
    claims.expiresAt,
    secret,
  );
}

/** The member a ticket serves, if it is `staff`'s own and still valid. */
export function verifyStaffTicket(
  ticket: unknown,
  staff: string,
  secret: string,
  now: Date,
): MemberCodeCheck {
  const check = verifyToken(TICKET_PURPOSE, ticket, secret, now);
  if (!check.ok) return check;
  const separator = check.subject.indexOf('~');
  // another staff member's ticket: as good as forged here
  if (separator <= 0 || check.subject.slice(separator + 1) !== staff) {
    return { ok: false, reason: 'forged' };
  }
  return { ok: true, inviteCode: check.subject.slice(0, separator) };
}
