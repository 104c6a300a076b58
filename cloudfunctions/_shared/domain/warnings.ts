/**
 * Operator studio (issue 9): what an operator should know about a valid config before publishing,
 * from the config alone (the simulator adds what the traffic shows). Not problems: the config is
 * saved, and each warning is shown beside the field it concerns.
 */
import type { Campaign } from '../campaign';
import type { CampaignWarning } from '../contracts';
import { oddsPercent } from './odds';
import { inviteGaps } from './qualify';
import { DAY_MS, formatShanghai, shanghaiDayStart } from './time';

export function warningAt(
  code: CampaignWarning['code'],
  level: CampaignWarning['level'],
  path: (string | number)[],
  message: string,
  day?: number,
): CampaignWarning {
  return { code, level, path, field: path.join('.'), message, ...(day ? { day } : {}) };
}

/** The campaign day (1 = the Shanghai day the campaign starts on) an instant falls on. */
export function campaignDayOf(campaign: Pick<Campaign, 'startAt'>, at: Date): number {
  const first = shanghaiDayStart(new Date(campaign.startAt)).getTime();
  return Math.floor((shanghaiDayStart(at).getTime() - first) / DAY_MS) + 1;
}

/** `第 8 天（3月8日）` */
export function dayLabel(campaign: Pick<Campaign, 'startAt'>, at: Date): string {
  return `第 ${campaignDayOf(campaign, at)} 天（${formatShanghai(at, 'M月D日')}）`;
}

export function configWarnings(campaign: Campaign): CampaignWarning[] {
  const warnings: CampaignWarning[] = [];
  const claimEnd = new Date(campaign.magnet.claimWindow.endAt);
  const closesEarly = claimEnd.getTime() < Date.parse(campaign.endAt);

  for (const gap of inviteGaps(campaign)) {
    const from = new Date(gap.startAt);
    const before = gap.endAt === campaign.magnet.claimWindow.startAt;
    warnings.push(
      warningAt(
        'INVITES_STOP',
        'warn',
        ['invite', 'whenClaimClosed'],
        before
          ? `领取开始前（至${dayLabel(campaign, new Date(gap.endAt))}）好友的邀请无法认定：建议改为“好友首次抽奖即算有效邀请”`
          : `领取福利${dayLabel(campaign, from)}截止，之后好友的邀请无法认定，黑卡和奖励次数将停止增长，页面也不再提示分享：建议改为“好友首次抽奖即算有效邀请”`,
        campaignDayOf(campaign, from),
      ),
    );
  }
  if (closesEarly && campaign.invite.whenClaimClosed === 'spin') {
    warnings.push(
      warningAt(
        'CLAIM_WINDOW_CLOSES',
        'info',
        ['magnet', 'claimWindow', 'endAt'],
        `领取福利${dayLabel(campaign, claimEnd)}截止，比活动早结束：之后新访客不能再领福利，好友首次抽奖即算有效邀请`,
        campaignDayOf(campaign, claimEnd),
      ),
    );
  }

  const prizes = campaign.lottery.prizes;
  const total = prizes.reduce((sum, p) => sum + p.weight, 0);
  prizes.forEach((prize, index) => {
    if (prize.weight > 0 && oddsPercent(prize.weight, total) === 0) {
      warnings.push(
        warningAt(
          'ODDS_ROUND_TO_ZERO',
          'warn',
          ['lottery', 'prizes', index, 'weight'],
          `「${prize.name}」的中奖概率不到 0.01%（权重 ${prize.weight} / 总权重 ${total}），活动规则里会显示为 0%：请提高权重或设为 0`,
        ),
      );
    }
  });

  if (!campaign.organizer) {
    warnings.push(
      warningAt(
        'RULES_INCOMPLETE',
        'warn',
        ['organizer'],
        '还没有填写主办方和联系方式：活动规则页需要它们（微信审核和顾客都会看）',
      ),
    );
  }
  return warnings;
}
