/** `audit.list` (People console, issue 13): what operators did, newest first, a page at a time. */
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { MEMBERS_PAGE } from '../../_shared/limits';
import { pageAudit } from '../../_shared/repositories/audit';
import { auditEntryOf, cursorOf, readCursor } from '../members';

export async function listAudit(
  params: { cursor?: string; limit?: number },
  _context: ActionContext,
): Promise<AdminResults['audit.list']> {
  const after = readCursor(params.cursor);
  const limit = params.limit ?? MEMBERS_PAGE;
  const page = await pageAudit(after ? { at: after.at, id: after.code } : null, limit);
  const last = page[page.length - 1];
  return {
    entries: page.map(auditEntryOf),
    ...(page.length === limit && last ? { next: cursorOf(last.at, last._id) } : {}),
  };
}
