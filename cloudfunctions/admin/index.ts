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
// Distribution (issue 10)
import { channelQrcode, listChannels, upsertChannel } from './actions/channels';
// Operator studio (issue 9)
import { createBindCode, listAdminEntries, removeAdminEntry } from './actions/admins';
import { simulateCampaign } from './actions/simulate';
import {
  adjustStudioStock,
  createStudioCampaign,
  listStudioCampaigns,
  setStudioStatus,
  updateStudioCampaign,
} from './actions/studio';
import { listRedemptions, reverse } from './actions/ledger';
import { lookupMember, useMemberRight } from './actions/member';
import { listWinners, markSent } from './actions/winners';
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
      return fail('FORBIDDEN', '店员账号只能扫码核销和查看自己的核销记录');
    }
    return admin;
  },
  handlers: {
    async 'admin.whoami'(_params, { auth }) {
      return { role: auth.role, name: auth.name, ...(auth.store ? { store: auth.store } : {}) };
    },
    'stats.overview': overview,
    'coupon.redeem': redeem,
    'users.setTag': setTag,
    'groups.upsert': upsertGroup,
    'campaign.get': getCampaign,
    'campaign.put': putCampaign,
    // Distribution (issue 10)
    'channels.list': listChannels,
    'channels.upsert': upsertChannel,
    'channels.qrcode': channelQrcode,
    // Operator studio (issue 9)
    'campaign.list': listStudioCampaigns,
    'campaign.create': createStudioCampaign,
    'campaign.update': updateStudioCampaign,
    'campaign.setStatus': setStudioStatus,
    'campaign.adjustStock': adjustStudioStock,
    'campaign.simulate': simulateCampaign,
    'admins.list': listAdminEntries,
    'admins.remove': removeAdminEntry,
    'admins.createBindCode': createBindCode,
    // Rewards (issue 12)
    'member.lookup': lookupMember,
    'member.useRight': useMemberRight,
    'redemptions.list': listRedemptions,
    'redemptions.reverse': reverse,
    'winners.list': listWinners,
    'voucher.markSent': markSent,
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
