/**
 * People console (issue 13), what members see of the community:
 * - `leader.get`: a leader's (团长: 小当家 / 大当家) figures — what their invite tree brought,
 *   this week against last — and where they stand on the config's reward ladder. Figures only:
 *   never who the members are.
 * - `leaderboard.get`: the top inviters, names masked, when the config makes the board public.
 */
import type { ApiResults } from '../../_shared/contracts';
import { LEADER_TITLES } from '../../_shared/constants';
import type { ActionContext } from '../../_shared/dispatch';
import { ladderPosition, weekFigures } from '../../_shared/domain/community';
import { maskName } from '../../_shared/domain/mask';
import { fail } from '../../_shared/errors';
import { requireCampaign } from '../../_shared/guards';
import { findCommunity } from '../../_shared/repositories/community';
import { findTopInviters } from '../../_shared/repositories/participants';
import { findUser, findUsersByIds } from '../../_shared/repositories/users';
import { nicknameOf } from '../../_shared/user';

export async function getLeader(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['leader.get']> {
  const campaignDoc = await requireCampaign(now, { running: false });
  const person = await findUser(caller.openid);
  if (!person?.leader) return fail('FORBIDDEN', '成为团长后即可查看社群数据');
  const stats = await findCommunity(campaignDoc._id, caller.openid);
  const figures = weekFigures(stats, now);
  const { metric, steps, next } = ladderPosition(campaignDoc.config.leaders, figures);
  return {
    level: person.leader.level,
    title: LEADER_TITLES[person.leader.level],
    figures,
    ladder: {
      metric,
      steps: steps.map(({ id, title, threshold, reward, reached }) => ({
        id,
        title,
        threshold,
        reward,
        reached,
      })),
    },
    ...(next ? { next } : {}),
    serverNow: now.toISOString(),
  };
}

export async function getLeaderboard(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['leaderboard.get']> {
  const campaignDoc = await requireCampaign(now, { running: false });
  const board = campaignDoc.config.leaderboard;
  if (!board.public) return fail('NOT_FOUND', '排行榜暂未开放');
  // a few more than shown: blocked members are left out
  const top = (await findTopInviters(campaignDoc._id, board.size + 10))
    .filter((p) => !p.blocked)
    .slice(0, board.size);
  const people = new Map((await findUsersByIds(top.map((p) => p.openid))).map((u) => [u._id, u]));
  return {
    entries: top.map((p, index) => {
      const me = p.openid === caller.openid;
      return {
        rank: index + 1,
        name: me ? '我' : maskName(nicknameOf(people.get(p.openid)), p.inviteCode),
        verified: p.progress.verified,
        me,
      };
    }),
    serverNow: now.toISOString(),
  };
}
