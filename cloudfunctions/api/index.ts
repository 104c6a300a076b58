/**
 * `api`: everything a visitor does (SPEC §4). Thin: the dispatcher validates and identifies,
 * the actions call the domain and the repositories.
 */
import { apiParams, type ApiResults } from '../_shared/contracts';
import { defineFunction } from '../_shared/dispatch';
import { displayUrl } from '../_shared/cloud';
import { fail } from '../_shared/errors';
import { activeCampaign } from '../_shared/repositories/campaigns';
import { publicCampaign } from '../_shared/views';
import { getBlackCard } from './actions/blackcard';
import { getLeader, getLeaderboard } from './actions/community';
import { confirmJoined, getGroup } from './actions/group';
import { lotteryStatus, spin } from './actions/lottery';
import { claimMagnet } from './actions/magnet';
import { enterSession } from './actions/session';
import { couponToken, listWallet } from './actions/wallet';

export const main = defineFunction<typeof apiParams, ApiResults>({
  name: 'api',
  params: apiParams,
  handlers: {
    'session.enter': enterSession,
    async 'campaign.get'(_params, { now }) {
      const campaign = await activeCampaign(now);
      if (!campaign) return fail('CAMPAIGN_NOT_ACTIVE', '活动暂未开始');
      const view = publicCampaign(campaign.config, now);
      view.magnet.image = await displayUrl(view.magnet.image);
      return view;
    },
    'magnet.claim': claimMagnet,
    'lottery.status': lotteryStatus,
    'lottery.spin': spin,
    'wallet.list': listWallet,
    'coupon.token': couponToken,
    'blackcard.get': getBlackCard,
    'group.get': getGroup,
    'group.confirmJoined': confirmJoined,
    // People console (issue 13)
    'leader.get': getLeader,
    'leaderboard.get': getLeaderboard,
  },
});
