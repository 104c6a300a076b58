/**
 * KOC 榜 (People console, issue 13; owners): the members who bring friends — nickname, tag,
 * verified friends and conversion (of the friends who arrived through their link, how many
 * claimed) — for the whole campaign or one channel. 奖励 grants one a coupon or a prize, once per
 * confirmation; a row opens the member's page.
 */
import type { AdminResults, KocEntry } from '../../../../cloudfunctions/_shared/contracts';
import { openPage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
import { callAdmin } from '../../../services/api';
import { consolePage } from '../../behaviors/console-page';
import { instanceState } from '../../../utils/instance-state';
import { grantReward } from '../../utils/console';
import { LEADER_LABELS, TAG_BADGES, TAG_LABELS } from '../../utils/labels';

type Board = AdminResults['koc.list'];

function entryView(e: KocEntry, channelNames: Map<string, string>) {
  return {
    rank: e.rank,
    userRef: e.userRef,
    name: e.nickname ?? `会员 ${e.userRef}`,
    code: e.nickname ? e.userRef : '',
    tagText: `${e.tag} ${TAG_LABELS[e.tag]}`,
    tagBadge: TAG_BADGES[e.tag],
    leader: e.leader ? LEADER_LABELS[e.leader] : '',
    blocked: e.blocked,
    verified: e.verified,
    conversion: `转化 ${Math.round(e.conversion * 100)}%（${e.verified}/${e.arrivals}）`,
    channel: channelNames.get(e.channel) ?? e.channel,
  };
}

interface Runtime {
  granting: boolean;
  rewards: Board['rewards'];
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ granting: false, rewards: [] }));

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [consolePage],

  data: {
    channel: '',
    chips: [] as Array<{ code: string; name: string; on: boolean }>,
    entries: [] as ReturnType<typeof entryView>[],
  },

  methods: {
    onLoad() {
      return this.load();
    },

    async fetch() {
      const channel = this.data.channel;
      const answer = await callAdmin('koc.list', channel ? { channel } : {});
      if (!answer.ok) {
        this.failed(answer.error);
        return;
      }
      runtimeOf(this).rewards = answer.data.rewards;
      const names = new Map(answer.data.channels.map((c) => [c.code, c.name]));
      this.setData({
        state: 'ready',
        message: '',
        chips: [{ code: '', name: '全部渠道' }, ...answer.data.channels].map((c) => ({
          ...c,
          on: c.code === channel,
        })),
        entries: answer.data.entries.map((e) => entryView(e, names)),
      });
    },

    onChannel(event: WechatMiniprogram.TouchEvent) {
      const channel = String(event.currentTarget.dataset.code ?? '');
      if (channel === this.data.channel) return undefined;
      this.setData({ channel });
      return this.fetch();
    },

    onOpen(event: WechatMiniprogram.TouchEvent) {
      const ref = String(event.currentTarget.dataset.ref ?? '');
      if (ref) openPage(ROUTES.member, { ref });
    },

    async onGrant(event: WechatMiniprogram.TouchEvent) {
      const runtime = runtimeOf(this);
      const ref = String(event.currentTarget.dataset.ref ?? '');
      if (!ref || runtime.granting) return;
      runtime.granting = true;
      try {
        await grantReward(ref, runtime.rewards);
      } finally {
        runtime.granting = false;
      }
    },
  },
});
