/**
 * What the People console pages (issue 13) do alike: asking an operator for a reason, and
 * granting a reward.
 */
import type { AdminResults } from '../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage, newRequestId } from '../../services/api';
import { toast } from '../../services/ui';

/**
 * Asks for the reason of an act (kept in the audit log). With `explain`, the consequences are
 * confirmed first: an editable modal's `content` is the input's text on WeChat, not a message.
 * Answers the text, '' when optional and left empty, or null when the operator cancelled.
 */
export async function askReason(options: {
  title: string;
  explain?: string;
  placeholder: string;
  confirmText: string;
  required: boolean;
}): Promise<string | null> {
  try {
    if (options.explain) {
      const sure = await wx.showModal({
        title: options.title,
        content: options.explain,
        confirmText: options.confirmText,
      });
      if (!sure.confirm) return null;
    }
    for (;;) {
      const answer = await wx.showModal({
        title: options.explain ? '填写原因' : options.title,
        content: '',
        editable: true,
        placeholderText: options.placeholder,
        confirmText: options.confirmText,
      });
      if (!answer.confirm) return null;
      const reason = (answer.content ?? '').trim().slice(0, 200);
      if (reason || !options.required) return reason;
      toast('请填写原因，它会记入操作记录');
    }
  } catch {
    return null;
  }
}

type Reward = AdminResults['koc.list']['rewards'][number];

/**
 * Grants a KOC one of `rewards`: the operator picks it and confirms; the grant's requestId is
 * made once per confirmation, so a retried call grants once. Answers the grant, or null.
 */
export async function grantReward(
  userRef: string,
  rewards: readonly Reward[],
): Promise<AdminResults['koc.grant'] | null> {
  if (!rewards.length) {
    toast('活动里还没有可发放的券或奖品');
    return null;
  }
  let tapIndex: number;
  try {
    ({ tapIndex } = await wx.showActionSheet({
      itemList: rewards
        .slice(0, 6)
        .map((r) => (r.label === r.title ? r.title : `${r.title}（${r.label}）`)),
    }));
  } catch {
    return null;
  }
  const reward = rewards[tapIndex];
  const reason = await askReason({
    title: `给 ${userRef} 发放「${reward.title}」`,
    placeholder: '备注（选填），如：带来 30 位好友',
    confirmText: '发放',
    required: false,
  });
  if (reason === null) return null;
  const granted = await callAdmin('koc.grant', {
    userRef,
    requestId: newRequestId(),
    ...(reward.kind === 'template' ? { templateId: reward.id } : { prizeId: reward.id }),
    ...(reason ? { reason } : {}),
  });
  if (!granted.ok) {
    toast(
      granted.error.code === 'BAD_REQUEST' ? granted.error.message : friendlyMessage(granted.error),
    );
    return null;
  }
  wx.showToast({ title: '已发放', icon: 'success' }).catch(() => undefined);
  return granted.data;
}
