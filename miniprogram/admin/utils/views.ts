/** How the People console (issue 13) lays a member out in a list row. */
import type { MemberSummary } from '../../../cloudfunctions/_shared/contracts';
import { formatDateTime } from '../../utils/format';
import { LEADER_LABELS, TAG_BADGES, TAG_LABELS } from './labels';

/** A member's row: nickname or code, tag, badges, where they came from. */
export function memberRow(m: MemberSummary) {
  return {
    userRef: m.userRef,
    name: m.nickname ?? `会员 ${m.userRef}`,
    code: m.nickname ? m.userRef : '',
    tag: m.tag,
    tagText: `${m.tag} ${TAG_LABELS[m.tag]}`,
    tagBadge: TAG_BADGES[m.tag],
    manual: m.tagManual,
    blocked: m.blocked,
    leader: m.leader ? LEADER_LABELS[m.leader] : '',
    meta: [m.channelName, m.enteredAt ? `${formatDateTime(m.enteredAt)} 进入` : '']
      .filter(Boolean)
      .join(' · '),
    claimed: m.claimed,
    verified: m.verified,
  };
}
