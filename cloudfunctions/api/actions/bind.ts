/**
 * Operator studio (issue 9) `admin.bind`: the page a scanned bind code opens calls this. The
 * caller is anyone with an openid (they are not an admin yet); the code decides what they become.
 *
 * Record first: using the code (`consumeBindCode`: once, unexpired, not its creator) is the
 * record; the role follows (`grantRole`). A retry by the same person finds the code used by them
 * and finishes the grant, answering as the first call did.
 */
import { bindCodeId } from '../../_shared/bind-codes';
import type { ApiResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { judgeBind, normalizeBindCode } from '../../_shared/domain/bind-code';
import { fail } from '../../_shared/errors';
import { findAdmin, grantRole } from '../../_shared/repositories/admins';
import { consumeBindCode, findBindCode } from '../../_shared/repositories/bind-codes';

export async function bindAdmin(
  { code: typed }: { code: string },
  { caller, now }: ActionContext,
): Promise<ApiResults['admin.bind']> {
  const code = normalizeBindCode(typed);
  if (!code) return fail('BAD_TOKEN', '绑定码应为 10 位字母或数字，请核对后重试');
  const id = bindCodeId(code);
  const [doc, admin] = await Promise.all([findBindCode(id), findAdmin(caller.openid)]);
  const judgement = judgeBind({
    code: doc,
    caller: { openid: caller.openid, role: admin?.role ?? null },
    now,
  });
  if (!judgement.ok) return fail(judgement.code, judgement.message);
  const bind = doc!;
  if (!judgement.retry && !(await consumeBindCode(id, caller.openid, now))) {
    // Someone else's scan of the same code won (or it just expired): judge what is stored now.
    const again = judgeBind({
      code: await findBindCode(id),
      caller: { openid: caller.openid, role: admin?.role ?? null },
      now,
    });
    if (!again.ok) return fail(again.code, again.message);
  }
  if (!(await grantRole(caller.openid, bind.role, bind.name, now))) {
    return fail('CONFLICT', '绑定没有完成，请稍后重试');
  }
  return { role: bind.role, name: bind.name };
}
