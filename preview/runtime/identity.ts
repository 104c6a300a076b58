/**
 * Who the preview acts as: the openid sent in `x-wx-openid` with every cloud call. On the phone
 * WeChat decides it; here the developer does, in the chrome's user switcher:
 * - a fresh visitor (a new openid, never seen by the backend),
 * - any user used before in this browser (remembered in localStorage, with their invite code once
 *   the backend told it),
 * - `demo-admin`, the owner the emulator seeds (and `demo-staff`).
 *
 * Switching users relaunches the Mini Program (the page reloads): a different WeChat user is a
 * different phone, with nothing in memory from the last one. The launch is the URL:
 * `/preview/?as=<openid>&path=<page route>&query=<url-encoded query>`.
 */

export interface KnownUser {
  openid: string;
  label: string;
  /** this user's own invite code (from session.enter) */
  inviteCode?: string;
  lastSeen: number;
}

const USERS_KEY = 'growth-kit-preview:users';
const CURRENT_KEY = 'growth-kit-preview:current';
const MAX_USERS = 30;

export const SEEDED_USERS: readonly KnownUser[] = [
  { openid: 'demo-admin', label: '运营 demo-admin', lastSeen: 0 },
  { openid: 'demo-staff', label: '店员 demo-staff', lastSeen: 0 },
];

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export function knownUsers(): KnownUser[] {
  try {
    const list = JSON.parse(storage()?.getItem(USERS_KEY) ?? '[]') as KnownUser[];
    return Array.isArray(list) ? list.filter((u) => u && typeof u.openid === 'string') : [];
  } catch {
    return [];
  }
}

function saveUsers(users: KnownUser[]): void {
  const sorted = users.sort((a, b) => b.lastSeen - a.lastSeen).slice(0, MAX_USERS);
  storage()?.setItem(USERS_KEY, JSON.stringify(sorted));
}

/** Remembers `openid` (and what we learnt about it); answers the stored entry. */
export function rememberUser(openid: string, update: Partial<KnownUser> = {}): KnownUser {
  const users = knownUsers();
  let user = users.find((u) => u.openid === openid);
  if (!user) {
    const seeded = SEEDED_USERS.find((u) => u.openid === openid);
    const visitors = users.filter((u) => u.openid.startsWith('visitor-')).length;
    user = {
      openid,
      label: seeded?.label ?? (openid.startsWith('visitor-') ? `访客 ${visitors + 1}` : openid),
      lastSeen: Date.now(),
    };
    users.push(user);
  }
  Object.assign(user, update, { lastSeen: Date.now() });
  saveUsers(users);
  return user;
}

/** A new openid, shaped like WeChat's (28 characters), prefixed so it reads as a visitor. */
export function freshOpenid(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const random = new Uint8Array(20);
  crypto.getRandomValues(random);
  return `visitor-${Array.from(random, (b) => alphabet[b % alphabet.length]).join('')}`;
}

/** The openid this launch acts as: `?as=`, else the last one used, else a fresh visitor. */
export function currentOpenid(search: URLSearchParams): string {
  const requested = search.get('as');
  const openid = requested?.trim() || storage()?.getItem(CURRENT_KEY) || freshOpenid();
  storage()?.setItem(CURRENT_KEY, openid);
  rememberUser(openid);
  return openid;
}

/** The preview URL of a launch. */
export function launchUrl(launch: { openid: string; path?: string; query?: string }): string {
  const params = new URLSearchParams({ as: launch.openid });
  if (launch.path) params.set('path', launch.path.replace(/^\//, ''));
  if (launch.query) params.set('query', launch.query);
  return `${window.location.pathname}?${params.toString()}`;
}
