/**
 * The visit: how the visitor arrived (`inv`, `ch` query params, or the `scene` of a Mini Program
 * code) and the one `session.enter` call per launch that registers it. Pages await
 * `ensureSession()` before anything else; the first page to call it decides the entry.
 */
import type { ApiResults, Envelope, LandingView } from '../../cloudfunctions/_shared/contracts';
import { callApi } from './api';
import { ROUTES, withQuery } from '../utils/routes';
import { isChannelCode, isInviteCode, parseScene, SHARE_CHANNEL, sceneOf } from '../utils/scene';

export interface EntryQuery {
  inv?: string;
  ch?: string;
  scene?: string;
}

export interface Entry {
  inviteCode?: string;
  channel?: string;
  scene?: string;
  /** Performance (issue 14): the landing asks for its first screen in the same answer */
  landing?: true;
}

export type Session = ApiResults['session.enter'];

// Distribution (issue 10): the scene's format lives in utils/scene (the functions make scenes).
export { SHARE_CHANNEL };

/**
 * Reads the entry. A Mini Program code (`wxacode.getUnlimited`) carries ≤ 32 characters of
 * `scene`, URI-encoded by WeChat: ours is `CODE.channel`, `CODE` or `.channel` (a store poster
 * without an inviter), see utils/scene. Query params win over the scene; anything malformed is
 * ignored rather than sent, so a mangled link still opens the campaign.
 */
export function entryFromQuery(query: EntryQuery = {}): Entry {
  const entry: Entry = {};
  if (query.scene) {
    const { scene, inviteCode, channel } = parseScene(query.scene);
    entry.scene = scene;
    if (inviteCode) entry.inviteCode = inviteCode;
    if (channel) entry.channel = channel;
  }
  if (query.inv && isInviteCode(query.inv)) entry.inviteCode = query.inv;
  if (query.ch && isChannelCode(query.ch)) entry.channel = query.ch;
  return entry;
}

/** The scene for a Mini Program code that carries an invite (and a channel). */
export function sceneFor(inviteCode: string, channel?: string): string {
  return sceneOf({ inviteCode, channel });
}

/** The path a visitor shares: their invite code, channel `share`. */
export function sharePath(inviteCode: string | undefined): string {
  return inviteCode
    ? withQuery(ROUTES.landing, { inv: inviteCode, ch: SHARE_CHANNEL })
    : ROUTES.landing;
}

let pending: Promise<Envelope<Session>> | null = null;
let current: Session | null = null;
let landing: { view: LandingView; at: number } | null = null;

/** How long the landing's first screen in the session's answer counts as current. */
const LANDING_VIEW_FRESH_MS = 10_000;

/**
 * `session.enter`, once per launch (a failed attempt may be retried by the next call). Later
 * calls answer the first result, whatever their query: the entry that opened the app counts.
 * With `landing`, the answer also holds the landing's first screen (`takeLandingView`).
 */
export function ensureSession(
  query?: EntryQuery,
  options: { landing?: boolean } = {},
): Promise<Envelope<Session>> {
  if (!pending) {
    const entry: Entry = {
      ...entryFromQuery(query),
      ...(options.landing ? { landing: true } : {}),
    };
    pending = enter(entry).then((answer) => {
      if (answer.ok) {
        current = answer.data;
        landing = answer.data.landing ? { view: answer.data.landing, at: Date.now() } : null;
        const app = getApp<IAppOption>();
        app.globalData.inviteCode = answer.data.inviteCode;
        if (entry.channel) app.globalData.channel = entry.channel;
      } else {
        pending = null;
      }
      return answer;
    });
  }
  return pending;
}

/**
 * A returning visitor who opened too many invite links today is refused the code
 * (RATE_LIMITED): the visit still counts, without it.
 */
async function enter(entry: Entry): Promise<Envelope<Session>> {
  const answer = await callApi('session.enter', entry);
  if (answer.ok || answer.error.code !== 'RATE_LIMITED' || !entry.inviteCode) return answer;
  const { inviteCode: _ignored, ...withoutCode } = entry;
  return callApi('session.enter', withoutCode);
}

/** This visitor's session once entered (null before). */
export function currentSession(): Session | null {
  return current;
}

/** This visitor's own invite code (never the one they arrived with), once entered. */
export function ownInviteCode(): string | undefined {
  return current?.inviteCode ?? getApp<IAppOption>().globalData.inviteCode;
}

/**
 * Performance (issue 14): the landing's first screen from the session's answer, once, while it
 * is current (the page's first load); null afterwards, when the page reads afresh.
 */
export function takeLandingView(): LandingView | null {
  const taken = landing && Date.now() - landing.at < LANDING_VIEW_FRESH_MS ? landing.view : null;
  landing = null;
  return taken;
}

/** Forget the session (the preview switches users; tests start afresh). */
export function resetSession(): void {
  pending = null;
  current = null;
  landing = null;
}
