/**
 * Rewards (issue 12), the visitor's side:
 * - `member.code`: the black card's member code (会员码), signed and short-lived like a coupon's
 *   redemption code, for a member whose rights are active (card unlocked and group joined);
 * - `voucher.setAddress`: the shipping address of a prize voucher (from `wx.chooseAddress`);
 * - `reminders.get` / `reminders.subscribe`: the templates a page may ask the user to accept,
 *   and what the user accepted (each acceptance allows one message).
 */
import type { ApiResults, ShippingAddress } from '../../_shared/contracts';
import type { ActionContext } from '../../_shared/dispatch';
import { MEMBER_CODE_TTL_MS, signMemberCode } from '../../_shared/domain/member-code';
import { fail } from '../../_shared/errors';
import { requireCampaign, requireParticipant } from '../../_shared/guards';
import { findCoupon, setVoucherAddress, toCoupon } from '../../_shared/repositories/coupons';
import { REDEEM_TOKEN_SECRET, secret } from '../../_shared/repositories/secrets';
import { addSubscriptions } from '../../_shared/repositories/subscriptions';
import { couponStatus } from '../../_shared/domain/coupon';
import { activeCampaign } from '../../_shared/repositories/campaigns';
import { reminderTemplatesOf } from './landing';

export async function memberCode(
  _params: object,
  { caller, now }: ActionContext,
): Promise<ApiResults['member.code']> {
  const campaignDoc = await requireCampaign(now, { running: false });
  const participant = await requireParticipant(campaignDoc._id, caller.openid);
  if (!participant.progress.unlockedAt) {
    return fail(
      'BLACK_CARD_LOCKED',
      `邀请 ${campaignDoc.config.blackCard.invitesRequired} 位好友解锁黑卡后才有会员码`,
    );
  }
  if (!participant.joinedAt) return fail('BLACK_CARD_LOCKED', '加入会员群激活权益后才有会员码');
  const expiresAt = new Date(now.getTime() + MEMBER_CODE_TTL_MS);
  const code = signMemberCode(
    { inviteCode: participant.inviteCode, expiresAt },
    await secret(REDEEM_TOKEN_SECRET, now),
  );
  return { code, expiresAt: expiresAt.toISOString() };
}

export async function setAddress(
  { couponId, address }: { couponId: string; address: ShippingAddress },
  { caller, now }: ActionContext,
): Promise<ApiResults['voucher.setAddress']> {
  const voucher = await findCoupon(couponId);
  // someone else's item is reported as missing: ids are not a way to probe other wallets
  if (!voucher || voucher.owner !== caller.openid || voucher.kind !== 'prize') {
    return fail('NOT_FOUND', '奖品不存在');
  }
  if (voucher.fulfilment !== 'shipping')
    return fail('CONFLICT', '这件奖品需到店领取，无需填写地址');
  const status = couponStatus(voucher, now);
  if (status === 'redeemed') return fail('COUPON_ALREADY_REDEEMED', '奖品已寄出，地址不能再改');
  if (status === 'expired') return fail('COUPON_EXPIRED', '已过领取期限，不能再填写地址');
  if (!(await setVoucherAddress(couponId, caller.openid, address, Boolean(voucher.address), now))) {
    return fail('CONFLICT', '奖品状态刚刚变了，请刷新后重试');
  }
  return { coupon: toCoupon({ ...voucher, address, addressAt: now }, now) };
}

export async function reminderTemplates(
  _params: object,
  { now }: ActionContext,
): Promise<ApiResults['reminders.get']> {
  return { templates: reminderTemplatesOf(await activeCampaign(now)) };
}

/** Records the templates the user accepted; others (rejected, banned, unknown) change nothing. */
export async function subscribeReminders(
  { results }: { results: Record<string, 'accept' | 'reject' | 'ban' | 'filter'> },
  { caller, now }: ActionContext,
): Promise<ApiResults['reminders.subscribe']> {
  const campaignDoc = await activeCampaign(now);
  const known = new Set(
    Object.values(campaignDoc?.config.reminders ?? {}).map((t) => t?.templateId),
  );
  const accepted = Object.entries(results)
    .filter(([templateId, answer]) => answer === 'accept' && known.has(templateId))
    .map(([templateId]) => templateId);
  await addSubscriptions(caller.openid, accepted, now);
  return { accepted };
}
