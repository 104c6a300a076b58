import { inviteeLabel, maskOpenid } from '../../../../cloudfunctions/_shared/domain/mask';

const OPENID = 'oAbcD1234567890efghijk9xYz'; // 26 chars, shaped like a real openid

describe('maskOpenid', () => {
  it('keeps 4 characters at each end of an openid', () => {
    expect(maskOpenid(OPENID)).toBe('oAbc…9xYz');
  });

  it('never reveals a whole id, however short', () => {
    for (const id of ['abcdefgh', 'abcd', 'abc', 'a', '']) {
      const masked = maskOpenid(id);
      const visible = masked.replace('…', '');
      expect(visible.length).toBeLessThanOrEqual(id.length / 2);
      expect(masked).toContain('…');
    }
    expect(maskOpenid('abcdefgh')).toBe('ab…gh');
  });
});

describe('inviteeLabel', () => {
  it('shows the nickname when there is one', () => {
    expect(inviteeLabel('  小王  ', OPENID)).toBe('小王');
  });

  it('falls back to a masked reference, never the openid', () => {
    for (const nickname of [undefined, null, '', '   ']) {
      const label = inviteeLabel(nickname, OPENID);
      expect(label).toBe('微信用户 oAbc…9xYz');
      expect(label).not.toContain(OPENID);
    }
  });

  it('shortens long nicknames by characters, not UTF-16 units', () => {
    expect(inviteeLabel('🍵'.repeat(13), OPENID)).toBe(`${'🍵'.repeat(12)}…`);
    expect(inviteeLabel('一二三四五六七八九十一二', OPENID)).toBe('一二三四五六七八九十一二');
  });
});
