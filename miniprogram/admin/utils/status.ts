/**
 * A campaign's status as operators read it (operator studio, issue 9). Keyed by the contract's
 * type, so a status added there is a type error here until it has its words.
 */
import type { CampaignStatus } from '../../../cloudfunctions/_shared/contracts';

export const STATUS_LABELS: Record<CampaignStatus, string> = {
  draft: '草稿',
  scheduled: '待开始',
  live: '进行中',
  paused: '已暂停',
  ended: '已结束',
};

/** The badge class of each status (app.wxss badges). */
export const STATUS_BADGES: Record<CampaignStatus, string> = {
  draft: 'badge--muted',
  scheduled: 'badge--gold',
  live: '',
  paused: 'badge--accent',
  ended: 'badge--muted',
};
