/**
 * The admin area's pages (the page shell, behaviors/page-shell, behind the admin gate). Who is
 * looking is asked first (`admin.whoami`): anyone not an admin is refused (`state: 'refused'`);
 * on `consolePage` staff are pointed to redeeming (`state: 'staff'`) and only owners go on, on
 * `staffConsolePage` staff go on too and the page's `fetch(me)` is told the role. A page adds
 * one of them, its `onLoad` calls `load()`, and it defines `fetch()`.
 *
 * Asked until the page has been shown: a reload of a shown page (pull-down, back from another
 * page) only fetches, one round trip less, and the server still checks the role on every call.
 */
import type { AdminResults } from '../../../cloudfunctions/_shared/contracts';
import { pageShell } from '../../behaviors/page-shell';
import { callAdmin } from '../../services/api';
import { instanceState } from '../../utils/instance-state';

/** Who is looking at an admin page. */
export type Admin = AdminResults['admin.whoami'];

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const admittedOf = instanceState<{ admin?: Admin }>(() => ({}));

function consoleShell(staffGoOn: boolean) {
  return pageShell<Admin>(async (page) => {
    const admitted = admittedOf(page);
    if (admitted.admin && page.data.state === 'ready') return admitted.admin;
    const me = await callAdmin('admin.whoami', {});
    if (!me.ok) {
      if (me.error.code === 'FORBIDDEN') page.setData({ state: 'refused', message: '' });
      else page.failed(me.error);
      return null;
    }
    if (me.data.role !== 'owner' && !staffGoOn) {
      page.setData({ state: 'staff', message: '' });
      return null;
    }
    admitted.admin = me.data;
    return me.data;
  });
}

/** Owners only: staff see the way to redeeming. */
export const consolePage = consoleShell(false);

/** Owners and staff: the page shows each what is theirs. */
export const staffConsolePage = consoleShell(true);
