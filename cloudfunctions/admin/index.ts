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
import { listRedemptions, reverse } from './actions/ledger';
import { lookupMember, useMemberRight } from './actions/member';
import { listWinners, markSent } from './actions/winners';

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
    // Rewards (issue 12)
    'member.lookup': lookupMember,
    'member.useRight': useMemberRight,
    'redemptions.list': listRedemptions,
    'redemptions.reverse': reverse,
    'winners.list': listWinners,
    'voucher.markSent': markSent,
  },
});
