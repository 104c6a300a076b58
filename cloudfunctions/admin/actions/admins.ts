/**
 * Operator studio (issue 9): owners manage who may use the admin area.
 *
 * - `admins.list`: everyone with a role, by the name they were added under and a reference that
 *   is never their openid.
 * - `admins.remove`: takes a role away; never the last owner's (repositories/admins.removeAdmin).
 * - `admins.createBindCode`: a one-time code (10 minutes) the new person scans with the Mini
 *   Program (a Mini Program code opening the bind page) or types; `admin.bind` (api) uses it.
 */
import { randomBytes } from 'node:crypto';
import { newBindCodeDoc } from '../../_shared/bind-codes';
import { openapi } from '../../_shared/cloud';
import type { AdminResults, AdminRole } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { formatBindCode, newBindCode } from '../../_shared/domain/bind-code';
import { fail } from '../../_shared/errors';
import { adminRefFor } from '../../_shared/ids';
import { listAdmins, removeAdmin, type AdminDoc } from '../../_shared/repositories/admins';
import { storeBindCode } from '../../_shared/repositories/bind-codes';
import { PAGES } from '../../../miniprogram/utils/routes';

const ROLE_ORDER: Record<AdminRole, number> = { owner: 0, staff: 1 };

export async function listAdminEntries(
  _params: object,
  { caller }: ActionContext,
): Promise<AdminResults['admins.list']> {
  const admins = await listAdmins();
  return {
    admins: admins
      .sort(
        (a, b) =>
          ROLE_ORDER[a.role] - ROLE_ORDER[b.role] ||
          (a.since?.getTime() ?? 0) - (b.since?.getTime() ?? 0),
      )
      .map((a) => ({
        ref: adminRefFor(a._id),
        name: a.name,
        role: a.role,
        me: a._id === caller.openid,
        ...(a.since ? { since: a.since.toISOString() } : {}),
      })),
  };
}

export async function removeAdminEntry(
  { ref }: { ref: string },
  { caller, now }: ActionContext,
): Promise<AdminResults['admins.remove']> {
  const admins = await listAdmins();
  const target = admins.find((a) => adminRefFor(a._id) === ref);
  if (!target) return fail('NOT_FOUND', '没有这位管理员（可能已被移除）');
  const witness = ownerOtherThan(admins, target._id, caller.openid);
  switch (await removeAdmin(target._id, witness, now)) {
    case 'removed':
    case 'gone':
      return { ref };
    case 'last-owner':
      return fail('CONFLICT', '不能移除最后一位负责人：请先添加另一位负责人');
    case 'conflict':
      return fail('CONFLICT', '管理员名单刚被修改，请刷新后重试');
  }
}

/** Another owner to vouch that one remains: the caller when they are not the one removed. */
function ownerOtherThan(admins: AdminDoc[], targetId: string, callerId: string): string | null {
  const owners = admins.filter((a) => a.role === 'owner' && a._id !== targetId);
  return (owners.find((a) => a._id === callerId) ?? owners[0])?._id ?? null;
}

export async function createBindCode(
  { role, name }: { role: AdminRole; name: string },
  { caller, now }: ActionContext,
): Promise<AdminResults['admins.createBindCode']> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const code = newBindCode((n) => randomBytes(n));
    const doc = newBindCodeDoc({ code, role, name, createdBy: caller.openid, now });
    if (!(await storeBindCode(doc))) continue; // the same code drawn twice: draw again
    return {
      code: formatBindCode(code),
      role,
      expiresAt: doc.expiresAt.toISOString(),
      qrImage: await bindQrImage(code),
    };
  }
  return fail('CONFLICT', '生成绑定码冲突，请重试');
}

/**
 * The Mini Program code (小程序码) that opens the bind page with the code as its `scene`. Without
 * it (the call failed) the page shows the code to type: the code still works.
 */
async function bindQrImage(code: string): Promise<string> {
  try {
    const res = await openapi.wxacode.getUnlimited({
      scene: code,
      page: PAGES.bind,
      // the page may be newer than the published version
      checkPath: false,
      width: 430,
    });
    if (res.errCode && res.errCode !== 0) return '';
    return `data:${res.contentType || 'image/png'};base64,${Buffer.from(res.buffer).toString('base64')}`;
  } catch {
    return '';
  }
}
