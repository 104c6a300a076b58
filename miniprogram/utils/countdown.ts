/**
 * Countdown maths. The phone's clock may be wrong by minutes, so the countdown runs on server
 * time: `serverOffset` once from the server's `serverNow`, then `Date.now() + offset`.
 */

export interface CountdownParts {
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
  /** whole seconds left; 0 once the moment has passed */
  totalSeconds: number;
}

/**
 * Splits what is left into days…seconds, rounding up to the whole second so the display never
 * reads 00:00:00 while time remains. Never negative.
 */
export function countdownParts(msLeft: number): CountdownParts {
  const totalSeconds = Number.isFinite(msLeft) && msLeft > 0 ? Math.ceil(msLeft / 1000) : 0;
  return {
    days: Math.floor(totalSeconds / 86400),
    hours: Math.floor((totalSeconds % 86400) / 3600),
    minutes: Math.floor((totalSeconds % 3600) / 60),
    seconds: totalSeconds % 60,
    totalSeconds,
  };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2天 03:04:05`, `03:04:05` under a day, `已结束` at zero. */
export function formatCountdown(parts: CountdownParts): string {
  if (parts.totalSeconds <= 0) return '已结束';
  const clock = `${pad2(parts.hours)}:${pad2(parts.minutes)}:${pad2(parts.seconds)}`;
  return parts.days > 0 ? `${parts.days}天 ${clock}` : clock;
}

/**
 * How far the server's clock is ahead of the phone's, in ms (negative when behind). An
 * unreadable `serverNowIso` gives 0: the phone's clock is the only one left to trust.
 */
export function serverOffset(serverNowIso: string, clientNowMs: number): number {
  const serverMs = Date.parse(serverNowIso);
  return Number.isFinite(serverMs) ? serverMs - clientNowMs : 0;
}

/** Milliseconds from now (phone clock + offset) until `endIso`; NaN when `endIso` is unreadable. */
export function msUntil(endIso: string, clientNowMs: number, offsetMs: number): number {
  return Date.parse(endIso) - (clientNowMs + offsetMs);
}
