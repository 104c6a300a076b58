import {
  REDEEM_TOKEN_TTL_MS,
  signRedeemToken,
  verifyRedeemToken,
} from '../../../../cloudfunctions/_shared/domain/redeem-token';

const SECRET = 'test-secret-with-enough-entropy';
const NOW = new Date('2025-03-10T04:00:00Z');
const COUPON_ID = '6f1c2a7e9b8d4c3f8a1e2b3c4d5e6f70'; // 32 hex chars, like a CloudBase _id

function fresh(couponId = COUPON_ID) {
  return signRedeemToken(
    { couponId, expiresAt: new Date(NOW.getTime() + REDEEM_TOKEN_TTL_MS) },
    SECRET,
  );
}

describe('redeem tokens', () => {
  it('lives about a minute by default', () => {
    expect(REDEEM_TOKEN_TTL_MS).toBe(60_000);
  });

  it('is short enough for a QR code a phone scans instantly', () => {
    const token = fresh();
    expect(token.length).toBeLessThanOrEqual(100);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22,}$/); // ≥ 16 bytes of MAC
  });

  it('verifies a fresh token and names its coupon', () => {
    expect(verifyRedeemToken(fresh(), SECRET, NOW)).toEqual({ ok: true, couponId: COUPON_ID });
  });

  it('keeps any coupon id intact, separators included', () => {
    const odd = 'a~b.c~优惠';
    expect(verifyRedeemToken(fresh(odd), SECRET, NOW)).toEqual({ ok: true, couponId: odd });
  });

  it('is valid through its expiry and stale right after', () => {
    const token = fresh();
    const expiry = NOW.getTime() + REDEEM_TOKEN_TTL_MS;
    expect(verifyRedeemToken(token, SECRET, new Date(expiry))).toEqual({
      ok: true,
      couponId: COUPON_ID,
    });
    expect(verifyRedeemToken(token, SECRET, new Date(expiry + 1))).toEqual({
      ok: false,
      reason: 'stale',
    });
  });

  it('calls a token signed with another secret forged', () => {
    const token = signRedeemToken(
      { couponId: COUPON_ID, expiresAt: new Date(NOW.getTime() + 60_000) },
      'other',
    );
    expect(verifyRedeemToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'forged' });
  });

  it('calls a token whose payload was swapped forged, even when it claims to be stale', () => {
    const [, signature] = fresh().split('.');
    const otherPayload = fresh('another-coupon').split('.')[0];
    expect(verifyRedeemToken(`${otherPayload}.${signature}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
    const stalePayload = Buffer.from(`${COUPON_ID}~0`).toString('base64url');
    expect(verifyRedeemToken(`${stalePayload}.${signature}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('calls a token with a flipped signature bit forged', () => {
    const [payload, signature] = fresh().split('.');
    const bytes = Buffer.from(signature, 'base64url');
    bytes[0] ^= 1;
    expect(verifyRedeemToken(`${payload}.${bytes.toString('base64url')}`, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it.each([
    ['empty', ''],
    ['no signature', 'abc'],
    ['three parts', 'a.b.c'],
    ['not base64url', 'ab+c.def/'],
    ['short signature', 'abc.AAAA'],
    ['huge', 'a'.repeat(5000)],
  ])('calls a %s token malformed', (_case, token) => {
    expect(verifyRedeemToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls a non-string malformed', () => {
    expect(verifyRedeemToken(undefined, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyRedeemToken({ couponId: COUPON_ID }, SECRET, NOW)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('accepts only the canonical spelling of a signature', () => {
    // 16 bytes take 22 base64url characters, the last carrying 2 unused bits.
    const [payload, signature] = fresh().split('.');
    const last = signature[signature.length - 1];
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1];
    const variant = `${payload}.${signature.slice(0, -1)}${sibling}`;
    expect(Buffer.from(variant.split('.')[1], 'base64url')).toEqual(
      Buffer.from(signature, 'base64url'),
    );
    expect(verifyRedeemToken(variant, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses to sign or verify with an empty secret', () => {
    expect(() => signRedeemToken({ couponId: COUPON_ID, expiresAt: NOW }, '')).toThrow();
    expect(() => verifyRedeemToken(fresh(), '', NOW)).toThrow();
  });
});
