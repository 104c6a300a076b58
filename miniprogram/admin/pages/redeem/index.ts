/**
 * 核销 (redeem), for staff and owners: scan the customer's coupon QR (a signed token that lives
 * about a minute) and redeem it with `coupon.redeem`; the result card says plainly whether the
 * coupon was used now, or why not. When the camera cannot read the code, the token can be
 * typed or pasted. One redemption at a time: taps while one is under way are ignored.
 */
import type { ErrorCode } from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';

type State = 'loading' | 'refused' | 'ready' | 'error';

interface ResultCard {
  ok: boolean;
  heading: string;
  title: string;
  label: string;
  detail: string;
}

/** What the staff member reads for each refusal: what happened, and what to do. */
const FAILURES: Partial<Record<ErrorCode, { heading: string; detail: string }>> = {
  COUPON_ALREADY_REDEEMED: { heading: '已被核销', detail: '这张券已经使用过了，不能重复核销' },
  COUPON_EXPIRED: { heading: '已过期', detail: '这张券已过有效期，无法核销' },
  BAD_TOKEN: {
    heading: '核销码无效',
    detail: '核销码无效或已过期，请顾客刷新券码后重新出示',
  },
  FORBIDDEN: { heading: '没有核销权限', detail: '当前账号不能核销优惠券，请联系活动负责人' },
  NOT_FOUND: { heading: '券不存在', detail: '没有找到这张优惠券，请顾客刷新后重试' },
  // People console (issue 13)
  RISK_BLOCKED: {
    heading: '会员已停用',
    detail: '这位会员已被停用，券暂不能核销，请联系活动负责人',
  },
};

interface Runtime {
  busy: boolean;
}

// Runtime state lives beside the instance, not in `data`: data is copied to the view layer.
const runtimeOf = instanceState<Runtime>(() => ({ busy: false }));

/** A scan the user backed out of is not an error. */
function isCancel(error: unknown): boolean {
  const errMsg = (error as { errMsg?: unknown } | null)?.errMsg;
  return typeof errMsg === 'string' && errMsg.includes('cancel');
}

Component({
  options: { styleIsolation: 'apply-shared' },

  data: {
    state: 'loading' as State,
    message: '',
    name: '',
    busy: false,
    manualToken: '',
    manualError: '',
    result: null as ResultCard | null,
  },

  methods: {
    async onLoad() {
      const me = await callAdmin('admin.whoami', {});
      if (me.ok) this.setData({ state: 'ready', name: me.data.name });
      else if (me.error.code === 'FORBIDDEN') this.setData({ state: 'refused' });
      else this.setData({ state: 'error', message: friendlyMessage(me.error) });
    },

    onRetry() {
      this.setData({ state: 'loading', message: '' });
      return this.onLoad();
    },

    async onScan() {
      await this.exclusively(async () => {
        let scanned = '';
        try {
          const res = await wx.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] });
          scanned = res.result;
        } catch (error) {
          if (!isCancel(error)) {
            toast('没有识别到券码，可手动输入');
          }
        }
        if (scanned) await this.redeem(scanned);
      });
    },

    onManualInput(event: WechatMiniprogram.Input) {
      this.setData({ manualToken: event.detail.value, manualError: '' });
    },

    async onManualSubmit() {
      const token = this.data.manualToken.trim();
      if (!token) {
        this.setData({ manualError: '请输入券码' });
        return;
      }
      await this.exclusively(async () => {
        if (await this.redeem(token)) this.setData({ manualToken: '' });
      });
    },

    /** Runs one scan-or-submit at a time: a second tap meanwhile is ignored. */
    async exclusively(work: () => Promise<void>) {
      const runtime = runtimeOf(this);
      if (runtime.busy) return;
      runtime.busy = true;
      this.setData({ busy: true });
      try {
        await work();
      } finally {
        runtime.busy = false;
        this.setData({ busy: false });
      }
    },

    /** Redeems `token` and shows the outcome; true when the coupon was redeemed now. */
    async redeem(token: string): Promise<boolean> {
      this.setData({ result: null });
      const answer = await callAdmin('coupon.redeem', { token: token.slice(0, 200) });
      if (answer.ok) {
        this.setData({
          result: {
            ok: true,
            heading: '核销成功',
            // 满50减10 titled 满50减10: the value once
            title: answer.data.title === answer.data.label ? '' : answer.data.title,
            label: answer.data.label,
            detail: `${formatDateTime(answer.data.redeemedAt)} 已核销`,
          },
        });
        wx.vibrateShort({ type: 'medium' }).catch(() => undefined);
        return true;
      }
      const failure = FAILURES[answer.error.code];
      this.setData({
        result: {
          ok: false,
          heading: failure?.heading ?? '核销失败',
          title: '',
          label: '',
          detail: failure?.detail ?? friendlyMessage(answer.error),
        },
      });
      return false;
    },
  },
});
