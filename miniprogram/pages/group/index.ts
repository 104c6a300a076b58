/**
 * 会员群: the QR of the WeChat group the server handed this visitor (sticky: the same group on
 * every visit while its QR works), to long-press and join. WeChat cannot tell us who joined a
 * group, so "我已入群" records the visitor's own word (it activates the black card's rights).
 *
 * What else the server may answer: GROUP_UNAVAILABLE (every group full or expired) with a
 * customer-service contact to add instead; FORBIDDEN (the gift is not claimed yet) or
 * BLACK_CARD_LOCKED (the campaign gives groups to black-card members only), each with the way on.
 */
import type { FallbackContact } from '../../../cloudfunctions/_shared/contracts';
import { callApi, friendlyMessage } from '../../services/api';
import type { EntryQuery } from '../../services/session';
import { toast } from '../../services/ui';
import { formatDateTime } from '../../utils/format';
import { instanceState } from '../../utils/instance-state';
import { replacePage } from '../../utils/nav';
import { ROUTES } from '../../utils/routes';
import { visitorPage } from '../../behaviors/visitor-page';

type State = 'loading' | 'group' | 'fallback' | 'claim-first' | 'card-first' | 'error';

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState(() => ({ confirming: false }));

function fallbackView(contact: FallbackContact) {
  return {
    title: contact.title,
    qrUrl: contact.qrUrl,
    note: contact.note || '添加客服，拉你入群',
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },
  behaviors: [visitorPage],

  data: {
    state: 'loading' as State,
    group: { name: '', qrUrl: '', expiresText: '' },
    fallback: { title: '', qrUrl: '', note: '' },
    joined: false,
    joinedText: '',
    /** whether the black card is unlocked: joining then activates its rights */
    cardUnlocked: false,
    confirming: false,
  },

  methods: {
    onLoad(query: EntryQuery = {}) {
      return this.load(query);
    },

    async fetch() {
      // the card says whether the visitor already confirmed, and what joining activates
      const [answer, card] = await Promise.all([
        callApi('group.get', {}),
        callApi('blackcard.get', {}),
      ]);
      const joined = card.ok && card.data.joinedGroup;
      const cardState = {
        cardUnlocked: card.ok && card.data.unlocked,
        joined: joined || this.data.joined,
        joinedText: this.data.joinedText || (joined ? '你已确认入群' : ''),
      };
      if (answer.ok) {
        this.setData({
          state: 'group',
          message: '',
          group: {
            name: answer.data.name,
            qrUrl: answer.data.qrUrl,
            expiresText: formatDateTime(answer.data.expiresAt),
          },
          ...cardState,
        });
        return;
      }
      const { error } = answer;
      if (error.code === 'GROUP_UNAVAILABLE' && error.fallbackContact) {
        this.setData({
          state: 'fallback',
          message: error.message,
          fallback: fallbackView(error.fallbackContact),
          ...cardState,
        });
      } else if (error.code === 'FORBIDDEN') {
        this.setData({
          state: 'claim-first',
          message: error.message || '领取新人福利后即可加入会员群',
        });
      } else if (error.code === 'BLACK_CARD_LOCKED') {
        this.setData({
          state: 'card-first',
          message: error.message || '解锁黑卡后即可加入会员群',
        });
      } else {
        this.setData({ state: 'error', message: friendlyMessage(error) });
      }
    },

    async onConfirmJoined() {
      const runtime = runtimeOf(this);
      if (runtime.confirming || this.data.joined) return;
      runtime.confirming = true;
      this.setData({ confirming: true });
      try {
        const answer = await callApi('group.confirmJoined', {});
        if (answer.ok) {
          this.setData({
            joined: true,
            joinedText: `${formatDateTime(answer.data.joinedAt)} 已确认入群`,
          });
        } else {
          toast(friendlyMessage(answer.error));
        }
      } finally {
        runtime.confirming = false;
        this.setData({ confirming: false });
      }
    },

    onGoClaim() {
      replacePage(ROUTES.landing);
    },

    onGoBlackCard() {
      replacePage(ROUTES.blackcard);
    },
  },
});
