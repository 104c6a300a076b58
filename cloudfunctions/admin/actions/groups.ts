/** `groups.upsert`: operators add a group QR to the pool, or rotate/retire an existing one. */
import { randomBytes } from 'node:crypto';
import type { AdminResults } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { fail } from '../../_shared/errors';
import { findActiveCampaign } from '../../_shared/repositories/campaigns';
import { findGroup, insertGroup, updateGroup } from '../../_shared/repositories/groups';

/** WeChat group QR codes stop working 7 days after they are generated. */
const QR_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** Leeway for the operator's clock and the time it takes to upload. */
const LIFETIME_LEEWAY_MS = 60 * 60 * 1000;
const DEFAULT_CAPACITY = 180;

interface UpsertParams {
  id?: string;
  name: string;
  qrUrl: string;
  expiresAt: string;
  capacity?: number;
  active?: boolean;
}

export async function upsertGroup(
  params: UpsertParams,
  { now }: ActionContext,
): Promise<AdminResults['groups.upsert']> {
  const expiresAt = new Date(params.expiresAt);
  if (expiresAt.getTime() <= now.getTime()) {
    return badExpiry('二维码有效期必须晚于现在');
  }
  if (expiresAt.getTime() > now.getTime() + QR_LIFETIME_MS + LIFETIME_LEEWAY_MS) {
    return badExpiry('微信群二维码最长有效 7 天，请填写二维码上显示的到期时间');
  }
  const existing = params.id ? await findGroup(params.id) : null;
  const capacity =
    params.capacity ??
    existing?.capacity ??
    (await findActiveCampaign())?.config.groups.defaultCapacity ??
    DEFAULT_CAPACITY;
  const fields = {
    name: params.name,
    qrUrl: params.qrUrl,
    expiresAt,
    capacity,
    active: params.active ?? true,
  };
  const id = params.id ?? `g_${randomBytes(6).toString('hex')}`;
  if (existing) {
    // A new QR for the same group keeps its hand-out count: the members are still there.
    await updateGroup(id, fields);
  } else if (!(await insertGroup({ _id: id, ...fields, handedOut: 0, createdAt: now }))) {
    return fail('CONFLICT', '群编号已存在，请重试');
  }
  return { id, ...fields, expiresAt: expiresAt.toISOString() };
}

function badExpiry(message: string): never {
  return fail('BAD_REQUEST', message, { issues: [{ path: 'expiresAt', message }] });
}
