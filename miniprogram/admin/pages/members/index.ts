/**
 * 会员 (People console, issue 13; owners): find a member by invite code or by scanning one of
 * their coupons' QR, and the campaign's members newest first, filtered by growth tag or block,
 * twenty at a time. A row opens the member's page.
 */
import type { AdminResults, GrowthTag } from '../../../../cloudfunctions/_shared/contracts';
import { openPage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { consolePage } from '../../behaviors/console-page';
import { formatCount } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { TAG_LABELS, TAG_ORDER } from '../../utils/labels';
import { memberRow } from '../../utils/views';

type Filter = 'all' | GrowthTag | 'blocked';

const PAGE = 20;

function chipsOf(tags: AdminResults['users.list']['tags'], filter: Filter) {
  const total = tags.reduce((n, t) => n + t.count, 0);
  return [
    { key: 'all', text: '全部', count: formatCount(total) },
    ...TAG_ORDER.map((tag) => {
      const found = tags.find((t) => t.tag === tag);
      return { key: tag, text: `${tag} ${TAG_LABELS[tag]}`, count: formatCount(found?.count ?? 0) };
    }),
    { key: 'blocked', text: '已停用', count: '' },
  ].map((chip) => ({ ...chip, on: chip.key === filter }));
}

interface Runtime {
  searching: boolean;
  next?: string;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ searching: false }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    filter: 'all' as Filter,
    chips: chipsOf([], 'all'),
    members: [] as ReturnType<typeof memberRow>[],
    hasMore: false,
    query: '',
    searchError: '',
  },

  methods: {
    onLoad(query: { tag?: string } = {}) {
      const tag = TAG_ORDER.find((t) => t === query.tag);
      if (tag) this.setData({ filter: tag });
      return this.load();
    },

    /** The first page of the filter (or the next one with `more`). */
    async fetch(more = false) {
      const runtime = runtimeOf(this);
      const filter = this.data.filter;
      const answer = await callAdmin('users.list', {
        limit: PAGE,
        ...(filter === 'blocked' ? { blocked: true } : filter === 'all' ? {} : { tag: filter }),
        ...(more && runtime.next ? { cursor: runtime.next } : {}),
      });
      if (!answer.ok) {
        this.failed(answer.error);
        return;
      }
      runtime.next = answer.data.next;
      const rows = answer.data.members.map(memberRow);
      this.setData({
        state: 'ready',
        message: '',
        chips: chipsOf(answer.data.tags, filter),
        members: more ? [...this.data.members, ...rows] : rows,
        hasMore: Boolean(answer.data.next),
      });
    },

    onFilter(event: WechatMiniprogram.TouchEvent) {
      const filter = String(event.currentTarget.dataset.key ?? 'all') as Filter;
      if (filter === this.data.filter) return undefined;
      this.setData({ filter, members: [], hasMore: false });
      return this.fetch(false);
    },

    onMore() {
      return this.fetch(true);
    },

    onOpen(event: WechatMiniprogram.TouchEvent) {
      const ref = String(event.currentTarget.dataset.ref ?? '');
      if (ref) openPage(ROUTES.member, { ref });
    },

    onQueryInput(event: WechatMiniprogram.Input) {
      this.setData({ query: event.detail.value, searchError: '' });
    },

    onSearch() {
      const code = this.data.query.trim();
      if (!code) {
        this.setData({ searchError: '请输入会员编号（TA 的邀请码）' });
        return undefined;
      }
      return this.find(code);
    },

    async onScan() {
      let scanned = '';
      try {
        scanned = (await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })).result;
      } catch {
        return; // backed out of the scanner
      }
      if (scanned) await this.find(scanned);
    },

    /** Opens the member a code names (typed, or read off their coupon's QR). */
    async find(code: string) {
      const runtime = runtimeOf(this);
      if (runtime.searching) return;
      runtime.searching = true;
      try {
        const found = await callAdmin('users.find', { code: code.slice(0, 300) });
        if (!found.ok) {
          const message =
            found.error.code === 'NOT_FOUND'
              ? '没有找到这位会员，请核对编号'
              : found.error.code === 'BAD_TOKEN'
                ? '这个码无法识别，请让会员刷新券码后再扫'
                : friendlyMessage(found.error);
          this.setData({ searchError: message });
          return;
        }
        this.setData({ searchError: '', query: '' });
        openPage(ROUTES.member, { ref: found.data.member.userRef });
      } finally {
        runtime.searching = false;
      }
    },
  },
});
