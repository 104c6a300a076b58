import { entryFromQuery } from '../../../miniprogram/services/session';
import { SCENE_MAX_LENGTH, parseScene, sceneOf } from '../../../miniprogram/utils/scene';

describe('the scene of a Mini Program code', () => {
  it('carries an invite and a channel, either alone, and reads back what it carries', () => {
    const cases = [
      [{ inviteCode: 'K7PX2M9Q', channel: 'share' }, 'K7PX2M9Q.share'],
      [{ channel: 'counter' }, '.counter'],
      [{ inviteCode: 'K7PX2M9Q' }, 'K7PX2M9Q'],
    ] as const;
    for (const [parts, scene] of cases) {
      expect(sceneOf(parts)).toBe(scene);
      expect(parseScene(scene)).toEqual({ scene, ...parts });
      // as WeChat hands it to the page: URI-encoded
      expect(parseScene(encodeURIComponent(scene))).toEqual({ scene, ...parts });
    }
  });

  it('fits WeChat’s 32 characters with the longest invite code and channel code', () => {
    const longest = sceneOf({ inviteCode: 'A'.repeat(12), channel: 'c'.repeat(16) });
    expect(longest.length).toBeLessThanOrEqual(SCENE_MAX_LENGTH);
    expect(() => sceneOf({})).toThrow(RangeError);
  });

  it('drops what is malformed rather than trusting it', () => {
    expect(parseScene('%E0%A4%A.poster')).toMatchObject({ channel: 'poster' });
    expect(parseScene('ab.UPPER')).toEqual({ scene: 'ab.UPPER' });
    expect(entryFromQuery({ scene: '.counter', ch: 'poster' })).toEqual({
      scene: '.counter',
      channel: 'poster',
    });
  });
});
