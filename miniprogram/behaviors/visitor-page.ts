/**
 * A visitor's page (the page shell, behaviors/page-shell): the visit is entered first (the
 * session, from the entry's `inv`/`ch`/`scene`), and the page's `fetch(session)` is told it. A
 * page adds `behaviors: [visitorPage]`, its `onLoad(query)` calls `load(query)`, and it defines
 * `fetch()`. The landing page enters as the landing (`visitorShell({ landing: true })`): the
 * session answers the landing's first view with it.
 */
import { ensureSession, type Session } from '../services/session';
import { pageShell } from './page-shell';

export function visitorShell(options: { landing?: boolean } = {}) {
  return pageShell<Session>(async (page, query) => {
    const session = await ensureSession(query, options);
    if (session.ok) return session.data;
    page.failed(session.error);
    return null;
  });
}

export const visitorPage = visitorShell();
