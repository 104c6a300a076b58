/**
 * 邀请排行榜 (People console, issue 13): the members who brought the most friends, names masked
 * (the first character, the rest hidden), the visitor's own row as 我. Shown when the campaign
 * switches it on.
 */
import type { ApiResults } from '../../../cloudfunctions/_shared/contracts';
import { visitorPage } from '../../behaviors/visitor-page';
import { callApi, friendlyMessage } from '../../services/api';
import type { EntryQuery } from '../../services/session';

type Board = ApiResults['leaderboard.get'];

function boardView(board: Board) {
  return {
    // the first three in gold, silver and bronze (drawn, not emoji: every phone shows them alike)
    entries: board.entries.map((e) => ({ ...e, podium: e.rank <= 3 ? e.rank : 0 })),
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [visitorPage],

  data: {
    ...boardView({ entries: [], serverNow: '' }),
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      return this.load(query);
    },

    async fetch() {
      const board = await callApi('leaderboard.get', {});
      if (!board.ok) {
        const message =
          board.error.code === 'NOT_FOUND' ? '排行榜暂未开放' : friendlyMessage(board.error);
        this.setData({ state: 'error', message });
        return;
      }
      this.setData({ state: 'ready', message: '', ...boardView(board.data) });
    },
  },
});
