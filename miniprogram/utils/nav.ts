/**
 * Opening pages. Kept apart from utils/routes.ts, which the cloud functions bundle too: this is
 * the half that needs `wx`.
 */
import { withQuery, type Route } from './routes';

/** Opens a page on top; a failure (a page stack of 10, a race with another tap) is ignored. */
export function openPage(route: Route, query: Record<string, string> = {}): void {
  wx.navigateTo({ url: withQuery(route, query) }).catch(() => undefined);
}

/** Replaces this page with another (leaving a page that has nothing more to show). */
export function replacePage(route: Route, query: Record<string, string> = {}): void {
  wx.redirectTo({ url: withQuery(route, query) }).catch(() => undefined);
}
