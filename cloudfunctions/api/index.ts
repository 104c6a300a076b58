/**
 * `api`: everything a visitor does (SPEC §4). Thin: the dispatcher validates and identifies,
 * the actions call the domain and the repositories.
 */
import { apiParams, type ApiResults } from '../_shared/contracts';
import { defineFunction } from '../_shared/dispatch';
import { fail } from '../_shared/errors';
import { activeCampaign } from '../_shared/repositories/campaigns';
import { campaignRules } from '../_shared/rules';
import { bindAdmin } from './actions/bind';
import { getBlackCard } from './actions/blackcard';
import { campaignView } from './actions/landing';
import { getLeader, getLeaderboard } from './actions/community';
import { confirmJoined, getGroup } from './actions/group';
import { lotteryStatus, spin } from './actions/lottery';
import { claimMagnet } from './actions/magnet';
import { enterSession } from './actions/session';
import { couponToken, listWallet } from './actions/wallet';
// Distribution (issue 10)
import { invitePoster, listRecentWins, updateProfile } from './actions/distribution';
import { memberCode, reminderTemplates, setAddress, subscribeReminders } from './actions/rewards';

export const main = defineFunction<typeof apiParams, ApiResults>({
  name: 'api',
  params: apiParams,
  handlers: {
    'session.enter': enterSession,
    async 'campaign.get'(_params, { now }) {
      const campaign = await activeCampaign(now);
      if (!campaign) return fail('CAMPAIGN_NOT_ACTIVE', '活动暂未开始');
      return campaignView(campaign, now);
    },
    'magnet.claim': claimMagnet,
    'lottery.status': lotteryStatus,
    'lottery.spin': spin,
    'wallet.list': listWallet,
    'coupon.token': couponToken,
    'blackcard.get': getBlackCard,
    'group.get': getGroup,
    'group.confirmJoined': confirmJoined,
    // Distribution (issue 10)
    'invite.poster': invitePoster,
    'profile.update': updateProfile,
    'lottery.recentWins': listRecentWins,
    // Operator studio (issue 9)
    async 'campaign.rules'(_params, { now }) {
      const campaign = await activeCampaign(now);
      if (!campaign) return fail('CAMPAIGN_NOT_ACTIVE', '活动暂未开始');
      return campaignRules(campaign.config, campaign.status, now);
    },
    'admin.bind': bindAdmin,
    // Rewards (issue 12)
    'member.code': memberCode,
    'voucher.setAddress': setAddress,
    'reminders.get': reminderTemplates,
    'reminders.subscribe': subscribeReminders,
    // People console (issue 13)
    'leader.get': getLeader,
    'leaderboard.get': getLeaderboard,
  },
});
