/**
 * 邀请码: each user's short invite code, carried in share paths (`?inv=CODE&ch=share`) and as
 * the `scene` of `wxacode.getUnlimited` (≤ 32 visible characters). Codes are upper-case and
 * avoid characters people confuse when reading a poster aloud (0/O, 1/I/L).
 * Uniqueness is the repository's job (unique index + retry); 31^8 ≈ 8.5 × 10^11 codes make a
 * collision rare.
 */
export const INVITE_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const INVITE_CODE_MIN_LENGTH = 6;
export const INVITE_CODE_MAX_LENGTH = 12;

const PATTERN = new RegExp(
  `^[${INVITE_CODE_ALPHABET}]{${INVITE_CODE_MIN_LENGTH},${INVITE_CODE_MAX_LENGTH}}$`,
);
// Bytes at or above this would favour the first letters of the alphabet (256 is not a multiple
// of 31), so they are drawn again.
const UNBIASED_LIMIT = 256 - (256 % INVITE_CODE_ALPHABET.length);

/**
 * A fresh code from the injected byte source (`crypto.randomBytes` in production).
 * Throws if the source keeps returning only rejected bytes, which only a broken source does.
 */
export function generateInviteCode(randomBytes: (n: number) => Uint8Array, length = 8): string {
  if (
    !Number.isInteger(length) ||
    length < INVITE_CODE_MIN_LENGTH ||
    length > INVITE_CODE_MAX_LENGTH
  ) {
    throw new RangeError(
      `invite code length must be ${INVITE_CODE_MIN_LENGTH}–${INVITE_CODE_MAX_LENGTH}, got ${length}`,
    );
  }
  let code = '';
  for (let round = 0; code.length < length; round++) {
    if (round >= 32) throw new Error('random source produced no usable bytes');
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue;
      code += INVITE_CODE_ALPHABET[byte % INVITE_CODE_ALPHABET.length];
      if (code.length === length) break;
    }
  }
  return code;
}

/** Whether `s` is shaped like an invite code (it may still belong to nobody). */
export function isInviteCode(s: unknown): s is string {
  return typeof s === 'string' && PATTERN.test(s);
}
