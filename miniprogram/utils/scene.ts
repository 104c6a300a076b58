/**
 * The `scene` of a Mini Program code (小程序码, `wxacode.getUnlimited`): at most 32 visible
 * characters that WeChat hands the page it opens as `?scene=<URI-encoded>`. Ours is
 * `<inviteCode>.<channel>` (an inviter's poster: `K7PX2M9Q.share`), `.<channel>` (a channel's
 * printed code: `.counter`) or `<inviteCode>` alone.
 *
 * Both sides use this module: the functions make scenes (a channel's code, an inviter's poster),
 * the landing page reads them. It lives in the Mini Program's tree because WeChat only ships
 * what is under `miniprogram/`; the functions' bundler reaches in. Pure: no wx, no Node.
 */

/** WeChat's rule for a wxacode scene. */
export const SCENE_MAX_LENGTH = 32;

/** Channel of a visit through a friend's share or poster (SPEC §3: `?inv=CODE&ch=share`). */
export const SHARE_CHANNEL = 'share';

/** WeChat's scene value for a page opened from Moments (朋友圈单页模式): no login, no cloud calls. */
export const MOMENTS_SINGLE_PAGE_SCENE = 1154;

const CODE_PATTERN = /^[A-Za-z0-9]{4,12}$/;
const CHANNEL_PATTERN = /^[a-z0-9_-]{1,16}$/;

export interface SceneParts {
  inviteCode?: string;
  channel?: string;
}

/** The scene of a code carrying an invite and/or a channel (both optional, not both absent). */
export function sceneOf({ inviteCode, channel }: SceneParts): string {
  const scene = channel ? `${inviteCode ?? ''}.${channel}` : (inviteCode ?? '');
  if (!scene || scene.length > SCENE_MAX_LENGTH) {
    throw new RangeError(`a scene is 1–${SCENE_MAX_LENGTH} characters, got "${scene}"`);
  }
  return scene;
}

/**
 * What a scanned scene says. WeChat hands it URI-encoded; anything malformed is dropped rather
 * than trusted, so a mangled code still opens the campaign.
 */
export function parseScene(raw: string): SceneParts & { scene: string } {
  const scene = safeDecode(raw).slice(0, SCENE_MAX_LENGTH);
  const dot = scene.indexOf('.');
  const code = dot >= 0 ? scene.slice(0, dot) : scene;
  const channel = dot >= 0 ? scene.slice(dot + 1) : '';
  return {
    scene,
    ...(CODE_PATTERN.test(code) ? { inviteCode: code } : {}),
    ...(CHANNEL_PATTERN.test(channel) ? { channel } : {}),
  };
}

export function isInviteCode(text: string): boolean {
  return CODE_PATTERN.test(text);
}

export function isChannelCode(text: string): boolean {
  return CHANNEL_PATTERN.test(text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
