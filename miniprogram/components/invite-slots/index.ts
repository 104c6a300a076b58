/**
 * <invite-slots required="{{3}}" verified="{{1}}" pending="{{1}}" />
 *
 * Black-card progress as N seats: filled for a verified friend, dashed for one who came but
 * has not claimed yet (pending: it only counts once they do), empty otherwise; and `1/3`.
 */

type SlotState = 'verified' | 'pending' | 'empty';

function slotsView(required: number, verified: number, pending: number) {
  const total = Math.max(0, Math.floor(required));
  const done = Math.min(total, Math.max(0, Math.floor(verified)));
  const waiting = Math.min(total - done, Math.max(0, Math.floor(pending)));
  const slots: Array<{ key: number; state: SlotState }> = Array.from(
    { length: total },
    (_, key) => ({
      key,
      state: key < done ? 'verified' : key < done + waiting ? 'pending' : 'empty',
    }),
  );
  return {
    slots,
    progress: `${done}/${total}`,
    complete: total > 0 && done === total,
    // pending friends beyond the seats still deserve a mention
    pendingNote: pending > 0 ? `${Math.floor(pending)} 位好友待完成领取` : '',
  };
}

Component({
  options: { styleIsolation: 'apply-shared' },

  properties: {
    required: { type: Number, value: 3 },
    verified: { type: Number, value: 0 },
    pending: { type: Number, value: 0 },
  },

  data: slotsView(3, 0, 0),

  observers: {
    'required, verified, pending'(required: number, verified: number, pending: number) {
      this.setData(slotsView(required, verified, pending));
    },
  },
});
