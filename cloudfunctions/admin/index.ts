/**
 * `admin`: operators and staff. Every action checks the caller's role first: owners may do
 * everything, staff may only see who they are and redeem coupons.
 */
import { STAFF_ACTIONS, adminParams, type AdminResults } from '../_shared/contracts';
import { defineFunction } from '../_shared/dispatch';
import { fail } from '../_shared/errors';
import { findAdmin, type AdminDoc } from '../_shared/repositories/admins';
import { getCampaign, putCampaign } from './actions/campaign';
import { upsertGroup } from './actions/groups';
import { redeem } from './actions/redeem';
import { overview } from './actions/stats';
import { setTag } from './actions/users';
// People console (issue 13)
import { listAudit } from './actions/audit';
import { createExportJob, getExportJob, listExportJobs } from './actions/exports';
import { approveHold, listHolds, rejectHold } from './actions/holds';
import { grant, listKoc } from './actions/koc';
import { findMember, getMember, listMembers } from './actions/members';
import { block, promote, unblock } from './actions/users';

export const main = defineFunction<typeof adminParams, AdminResults, AdminDoc>({
  name: 'admin',
  params: adminParams,
  async authorize(action, context): Promise<AdminDoc> {
    const admin = await findAdmin(context.caller.openid);
    if (!admin) return fail('FORBIDDEN', '仅限活动运营人员使用');
    if (admin.role !== 'owner' && !(STAFF_ACTIONS as readonly string[]).includes(action)) {
      return fail('FORBIDDEN', '店员账号只能核销优惠券');
    }
    return admin;
  },
  handlers: {
    async 'admin.whoami'(_params, { auth }) {
      return { role: auth.role, name: auth.name };
    },
    'stats.overview': overview,
    'coupon.redeem': redeem,
    'users.setTag': setTag,
    'groups.upsert': upsertGroup,
    'campaign.get': getCampaign,
    'campaign.put': putCampaign,
    // People console (issue 13)
    'users.find': findMember,
    'users.get': getMember,
    'users.list': listMembers,
    'users.block': block,
    'users.unblock': unblock,
    'users.promote': promote,
    'holds.list': listHolds,
    'holds.approve': approveHold,
    'holds.reject': rejectHold,
    'koc.list': listKoc,
    'koc.grant': grant,
    'export.create': createExportJob,
    'export.get': getExportJob,
    'export.list': listExportJobs,
    'audit.list': listAudit,
  },
});
