/**
 * 核销 (redeem), for staff and owners: scan the customer's coupon QR (a signed token that lives
 * about a minute) and redeem it with `coupon.redeem`; the result card says plainly whether the
 * coupon was used now, or why not. When the camera cannot read the code, the token can be
 * typed or pasted. One redemption at a time: taps while one is under way are ignored.
 *
 * Rewards (issue 12): the same scan reads a black card's member code (会员码): the member's rights
 * show with what is left of each quota this period, and 核销一次 uses one (`member.useRight`, with a
 * request id kept until it is answered, so a retried tap is the same use). A physical prize's
 * voucher is redeemed like a coupon. The page says 今日已核销 N and leads to the ledger.
 */
import type { MEMBER_CODE_PREFIX } from '../../../../cloudfunctions/_shared/constants';
import type {
  AdminResults,
  ErrorCode,
  RightUsage,
} from '../../../../cloudfunctions/_shared/contracts';
import { callAdmin, friendlyMessage, newRequestId } from '../../../services/api';
import { toast } from '../../../services/ui';
import { formatDateTime } from '../../../utils/format';
import { instanceState } from '../../../utils/instance-state';
import { openPage } from '../../../utils/nav';
import { ROUTES } from '../../../utils/routes';
import { staffConsolePage, type Admin } from '../../behaviors/console-page';

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

/**
 * The phone cannot load modules outside miniprogram/ (only types cross over), so the value this
 * page needs is written here, typed by the shared constants: a change there fails tsc here.
 */
const MEMBER_CODE: typeof MEMBER_CODE_PREFIX = 'M.';

/** Rewards (issue 12): the same for a member code and its rights. */
const MEMBER_FAILURES: Partial<Record<ErrorCode, { heading: string; detail: string }>> = {
  BAD_TOKEN: { heading: '会员码无效', detail: '会员码无效或已过期，请顾客刷新黑卡页面后重新出示' },
  NOT_FOUND: { heading: '没有这位会员', detail: '没有找到这位会员，或这项权益已下架' },
  BLACK_CARD_LOCKED: { heading: '权益未激活', detail: '' },
  RIGHT_USED_UP: { heading: '本期已用完', detail: '' },
};

type Member = AdminResults['member.lookup'];

/** A right as the staff member reads it, with whether one more use is possible. */
function rightView(right: RightUsage, active: boolean) {
  return {
    id: right.id,
    title: right.title,
    description: right.description,
    rule: right.rule,
    // an unlimited right has nothing left to count
    leftText: right.quota === null ? '' : right.leftText,
    usable: active && right.left !== 0,
  };
}

interface Runtime {
  busy: boolean;
  /** the member being served: their ticket, and the request of a use not answered yet */
  ticket?: string;
  pendingUse?: { rightId: string; requestId: string };
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
  behaviors: [staffConsolePage],

  data: {
    name: '',
    busy: false,
    manualToken: '',
    manualError: '',
    result: null as ResultCard | null,
    // Rewards (issue 12)
    store: '',
    todayCount: 0,
    member: null as { label: string; active: boolean } | null,
    rights: [] as Array<ReturnType<typeof rightView>>,
  },

  methods: {
    onLoad() {
      return this.load();
    },

    /** Owners and staff alike redeem; the page says who is scanning, and where. */
    async fetch(me: Admin) {
      this.setData({ state: 'ready', name: me.name, store: me.store ?? '' });
      await this.refreshToday();
    },

    /** Back from the ledger (a reversal there changes today's count). */
    onShow() {
      if (this.data.state === 'ready') return this.refreshToday();
      return undefined;
    },

    /** Rewards (issue 12): 今日已核销 N. */
    async refreshToday() {
      const ledger = await callAdmin('redemptions.list', { scope: 'mine' });
      if (ledger.ok) this.setData({ todayCount: ledger.data.todayCount });
    },

    onOpenLedger() {
      openPage(ROUTES.ledger);
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
        if (scanned) await this.read(scanned);
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
        if (await this.read(token)) this.setData({ manualToken: '' });
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

    /** A scanned code: a member's (their rights), or a coupon's or voucher's (redeemed now). */
    read(code: string): Promise<boolean> {
      return code.startsWith(MEMBER_CODE) ? this.lookup(code) : this.redeem(code);
    },

    /** Redeems `token` and shows the outcome; true when the coupon was redeemed now. */
    async redeem(token: string): Promise<boolean> {
      this.setData({ result: null, member: null, rights: [] });
      const answer = await callAdmin('coupon.redeem', { token: token.slice(0, 200) });
      if (answer.ok) {
        this.setData({
          result: {
            ok: true,
            heading: '核销成功',
            // 满50减10 titled 满50减10: the value once
            title: answer.data.title === answer.data.label ? '' : answer.data.title,
            label: answer.data.label,
            detail:
              answer.data.kind === 'prize'
                ? `${formatDateTime(answer.data.redeemedAt)} 已领取，请把奖品交给顾客`
                : `${formatDateTime(answer.data.redeemedAt)} 已核销`,
          },
        });
        wx.vibrateShort({ type: 'medium' }).catch(() => undefined);
        void this.refreshToday();
        return true;
      }
      this.showFailure(answer.error, FAILURES);
      return false;
    },

    /** Rewards (issue 12): a member code: who, and each right with what is left of it. */
    async lookup(code: string): Promise<boolean> {
      this.setData({ result: null, member: null, rights: [] });
      const runtime = runtimeOf(this);
      runtime.ticket = undefined;
      runtime.pendingUse = undefined;
      const answer = await callAdmin('member.lookup', { code: code.slice(0, 200) });
      if (!answer.ok) {
        this.showFailure(answer.error, MEMBER_FAILURES);
        return false;
      }
      this.showMember(answer.data);
      return true;
    },

    showMember(found: Member) {
      runtimeOf(this).ticket = found.ticket;
      this.setData({
        member: { label: found.member.label, active: found.member.active },
        rights: found.rights.map((right) => rightView(right, found.member.active)),
      });
    },

    /** 核销一次: one use of a right for the member on screen. */
    async onUseRight(event: WechatMiniprogram.BaseEvent) {
      const rightId = (event.currentTarget.dataset as { id?: string }).id;
      const runtime = runtimeOf(this);
      const ticket = runtime.ticket;
      if (!rightId || !ticket) return;
      await this.exclusively(async () => {
        // the same tap, retried after a lost answer, is the same use
        if (runtime.pendingUse?.rightId !== rightId) {
          runtime.pendingUse = { rightId, requestId: newRequestId() };
        }
        const answer = await callAdmin('member.useRight', {
          ticket,
          rightId,
          requestId: runtime.pendingUse.requestId,
        });
        if (!answer.ok) {
          if (answer.error.code !== 'INTERNAL') runtime.pendingUse = undefined;
          this.showFailure(answer.error, MEMBER_FAILURES);
          return;
        }
        runtime.pendingUse = undefined;
        const { right, redemption } = answer.data;
        this.setData({
          rights: this.data.rights.map((r) =>
            r.id === right.id ? rightView(right, Boolean(this.data.member?.active)) : r,
          ),
          result: {
            ok: true,
            heading: '核销成功',
            title: '',
            label: right.title,
            detail: `${formatDateTime(redemption.at)} 已核销 · ${right.leftText}`,
          },
        });
        wx.vibrateShort({ type: 'medium' }).catch(() => undefined);
        void this.refreshToday();
      });
    },

    showFailure(
      error: { code: ErrorCode; message: string },
      words: Partial<Record<ErrorCode, { heading: string; detail: string }>>,
    ) {
      const failure = words[error.code];
      this.setData({
        result: {
          ok: false,
          heading: failure?.heading ?? '核销失败',
          title: '',
          label: '',
          // a known refusal without words of ours says the server's (a quota's period, an
          // inactive card); an unknown one the friendly message
          detail: failure ? failure.detail || error.message : friendlyMessage(error),
        },
      });
    },
  },
});
