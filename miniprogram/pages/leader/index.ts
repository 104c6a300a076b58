/**
 * 团长中心 (People console, issue 13): what a leader's (小当家 / 大当家) community brought — the
 * members who came through their invite tree (friends, and friends of friends), how many claimed
 * the gift and how many coupons they used — this week against last, and where the leader stands
 * on the campaign's reward ladder. Figures only: a leader never sees who the members are.
 */
import type { ApiResults, WeekFigure } from '../../../cloudfunctions/_shared/contracts';
import { visitorPage } from '../../behaviors/visitor-page';
import { callApi, friendlyMessage } from '../../services/api';
import type { EntryQuery } from '../../services/session';
import { formatCount } from '../../utils/format';

type Leader = ApiResults['leader.get'];

const METRIC_TEXT: Record<Leader['ladder']['metric'], { noun: string; unit: string }> = {
  members: { noun: '带来的成员', unit: '位成员' },
  claims: { noun: '领取福利的成员', unit: '位成员领取福利' },
  redemptions: { noun: '成员核销', unit: '次核销' },
};

function trend(figure: WeekFigure): string {
  const diff = figure.thisWeek - figure.lastWeek;
  if (diff === 0) return '与上周持平';
  return diff > 0 ? `比上周多 ${formatCount(diff)}` : `比上周少 ${formatCount(-diff)}`;
}

function leaderView(leader: Leader) {
  const metric = METRIC_TEXT[leader.ladder.metric];
  const value = leader.figures[leader.ladder.metric].total;
  const next = leader.next;
  const nextStep = next ? leader.ladder.steps.find((s) => s.title === next.title) : undefined;
  return {
    title: leader.title,
    figures: [
      { key: 'members', label: '成员', figure: leader.figures.members },
      { key: 'claims', label: '领取福利', figure: leader.figures.claims },
      { key: 'redemptions', label: '核销', figure: leader.figures.redemptions },
    ].map(({ key, label, figure }) => ({
      key,
      label,
      total: formatCount(figure.total),
      thisWeek: formatCount(figure.thisWeek),
      lastWeek: formatCount(figure.lastWeek),
      trend: trend(figure),
      up: figure.thisWeek > figure.lastWeek,
    })),
    metricNoun: metric.noun,
    steps: leader.ladder.steps.map((s) => ({ ...s, threshold: formatCount(s.threshold) })),
    nextText: next
      ? `再有 ${formatCount(next.remaining)} ${metric.unit}，升级「${next.title}」`
      : '',
    percent: nextStep ? Math.min(100, Math.round((value / nextStep.threshold) * 100)) : 100,
    topReached: !next && leader.ladder.steps.length > 0,
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [visitorPage],

  data: {
    ...leaderView({
      level: 1,
      title: '',
      figures: {
        members: { total: 0, thisWeek: 0, lastWeek: 0 },
        claims: { total: 0, thisWeek: 0, lastWeek: 0 },
        redemptions: { total: 0, thisWeek: 0, lastWeek: 0 },
      },
      ladder: { metric: 'claims', steps: [] },
      serverNow: '',
    }),
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      return this.load(query);
    },

    async fetch() {
      const leader = await callApi('leader.get', {});
      if (!leader.ok) {
        const message =
          leader.error.code === 'FORBIDDEN'
            ? '团长中心仅对小当家、大当家开放'
            : friendlyMessage(leader.error);
        this.setData({ state: 'error', message });
        return;
      }
      this.setData({ state: 'ready', message: '', ...leaderView(leader.data) });
    },
  },
});
