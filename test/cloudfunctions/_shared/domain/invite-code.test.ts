import { randomBytes } from 'node:crypto';
import {
  INVITE_CODE_ALPHABET,
  generateInviteCode,
  isInviteCode,
} from '../../../../cloudfunctions/_shared/domain/invite-code';

/** A byte source that replays `bytes` in a loop. */
function replay(bytes: number[]) {
  let i = 0;
  return (n: number) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]);
}

describe('invite codes', () => {
  it('uses an alphabet without look-alike characters', () => {
    expect(INVITE_CODE_ALPHABET).not.toMatch(/[01OIL]/);
    expect(new Set(INVITE_CODE_ALPHABET).size).toBe(INVITE_CODE_ALPHABET.length);
  });

  it('generates 8 characters by default, and any length from 6 to 12', () => {
    const code = generateInviteCode((n) => randomBytes(n));
    expect(code).toHaveLength(8);
    expect(isInviteCode(code)).toBe(true);
    expect(generateInviteCode((n) => randomBytes(n), 12)).toHaveLength(12);
    expect(generateInviteCode((n) => randomBytes(n), 6)).toHaveLength(6);
    expect(() => generateInviteCode((n) => randomBytes(n), 13)).toThrow(RangeError);
    expect(() => generateInviteCode((n) => randomBytes(n), 5)).toThrow(RangeError);
  });

  it('is a function of the injected random bytes', () => {
    expect(generateInviteCode(replay([0, 1, 2, 30, 31, 61]), 6)).toBe('234Z2Z');
  });

  it('skips bytes that would bias the first characters', () => {
    // 248..255 are drawn again rather than wrapped onto '2'..'9'.
    expect(generateInviteCode(replay([255, 248, 5]), 6)).toBe('777777');
  });

  it('fails loudly on a source that never yields a usable byte', () => {
    expect(() => generateInviteCode(() => new Uint8Array(16).fill(255))).toThrow(/random source/);
  });

  it('fits a wxacode scene and a share path unchanged', () => {
    for (let i = 0; i < 200; i++) {
      const code = generateInviteCode((n) => randomBytes(n), 12);
      expect(code.length).toBeLessThanOrEqual(32);
      expect(encodeURIComponent(code)).toBe(code);
    }
  });

  it('recognises only well-formed codes', () => {
    expect(isInviteCode('ABCD2345')).toBe(true);
    for (const bad of [
      'ABCD0345',
      'ABCDO345',
      'abcd2345',
      'ABC23',
      'ABCDEFGH23456',
      '',
      'ABCD 2345',
      12345678,
      null,
    ]) {
      expect(isInviteCode(bad)).toBe(false);
    }
  });
});
