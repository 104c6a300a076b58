/**
 * Rewards (issue 12): the black card at the counter. The member code is signed and short-lived
 * (and never passes for a coupon's code); staff see each right with what is left of its quota
 * this period and redeem one use; a quota is never overdrawn, and comes back with the period.
 */
import { MEMBER_CODE_TTL_MS } from '../../../cloudfunctions/_shared/domain/member-code';
import { periodAt } from '../../../cloudfunctions/_shared/domain/quota';
import {
  OWNER,
  STAFF,
  data,
  editCampaign,
  enterAndClaim,
  errorCode,
  requestId,
  useBackend,
} from '../../support/emulator';
import { activeMember, stored } from '../../support/rewards';

const backend = useBackend();

async function scan(staff: string, member = 'member') {
  const { code } = data(await backend.api(member, 'member.code'));
  return data(await backend.admin(staff, 'member.lookup', { code }));
}

const use = (staff: string, ticket: string, rightId: string, id = requestId('use')) =>
  backend.admin(staff, 'member.useRight', { ticket, rightId, requestId: id });

describe('the member code', () => {
  it('shows staff the member’s rights with what is left of each quota', async () => {
    const ref = await activeMember(backend, 'member');
    const { code, expiresAt } = data(await backend.api('member', 'member.code'));
    expect(code.startsWith('M.')).toBe(true);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(MEMBER_CODE_TTL_MS);
    const seen = data(await backend.admin(STAFF, 'member.lookup', { code }));
    expect(seen.member).toMatchObject({ ref, active: true });
    expect(seen.rights.map((r) => [r.id, r.rule, r.leftText])).toEqual([
      ['monthly-drink', '每月 1 次', '本月剩 1 次'],
      ['birthday', '每年 1 次', '今年剩 1 次'],
      ['tasting', '不限次数', '不限次数'],
      ['skip-queue', '不限次数', '不限次数'],
    ]);
    // the member sees the same on their card
    const card = data(await backend.api('member', 'blackcard.get'));
    expect(card.rights.map((r) => r.leftText)).toEqual(seen.rights.map((r) => r.leftText));
  });

  it('is refused before the card is unlocked or its rights are active', async () => {
    const { session } = await enterAndClaim(backend, 'member');
    expect(errorCode(await backend.api('member', 'member.code'))).toBe('BLACK_CARD_LOCKED');
    for (const friend of ['f1', 'f2', 'f3']) {
      await enterAndClaim(backend, friend, session.inviteCode);
    }
    // unlocked, not in the group yet: no code either (the group activates the rights)
    const answer = await backend.api('member', 'member.code');
    expect(errorCode(answer)).toBe('BLACK_CARD_LOCKED');
    expect(answer.ok ? '' : answer.error.message).toMatch(/入群|会员群/);
  });

  it('goes stale after a minute, and is no coupon code (nor the other way round)', async () => {
    await activeMember(backend, 'member');
    const { code } = data(await backend.api('member', 'member.code'));
    // a member code is not a coupon token
    expect(errorCode(await backend.admin(STAFF, 'coupon.redeem', { token: code }))).toBe(
      'BAD_TOKEN',
    );
    expect(errorCode(await backend.admin(STAFF, 'coupon.redeem', { token: code.slice(2) }))).toBe(
      'BAD_TOKEN',
    );
    // a coupon token is not a member code, even with the prefix
    const coupon = data(await backend.api('member', 'wallet.list', {})).coupons[0];
    const { token } = data(await backend.api('member', 'coupon.token', { couponId: coupon.id }));
    expect(errorCode(await backend.admin(STAFF, 'member.lookup', { code: token }))).toBe(
      'BAD_TOKEN',
    );
    expect(errorCode(await backend.admin(STAFF, 'member.lookup', { code: `M.${token}` }))).toBe(
      'BAD_TOKEN',
    );
    await backend.emulator.advanceClock(MEMBER_CODE_TTL_MS + 1000);
    const stale = await backend.admin(STAFF, 'member.lookup', { code });
    expect(errorCode(stale)).toBe('BAD_TOKEN');
    expect(stale.ok ? '' : stale.error.message).toMatch(/过期|刷新/);
    // visitors cannot scan
    expect(errorCode(await backend.admin('member', 'member.lookup', { code }))).toBe('FORBIDDEN');
  });
});

describe('using a right', () => {
  it('with a quota of 1 a month, two scans at once use it once; the next month once more', async () => {
    await activeMember(backend, 'member');
    const [staff, owner] = [await scan(STAFF), await scan(OWNER)];
    backend.emulator.faults.latencyMs = 1;
    const answers = await Promise.all([
      use(STAFF, staff.ticket, 'monthly-drink'),
      use(OWNER, owner.ticket, 'monthly-drink'),
      use(STAFF, staff.ticket, 'monthly-drink'),
      use(OWNER, owner.ticket, 'monthly-drink'),
    ]);
    backend.emulator.faults.latencyMs = 0;
    expect(answers.filter((a) => a.ok)).toHaveLength(1);
    for (const refused of answers.filter((a) => !a.ok)) {
      expect(errorCode(refused)).toBe('RIGHT_USED_UP');
      expect(refused.ok ? '' : refused.error.message).toBe('「每月一杯免费」本月已用完');
    }
    const done = data(answers.find((a) => a.ok)!);
    expect(done.right).toMatchObject({ used: 1, left: 0, leftText: '本月已用完' });
    expect(done.redemption).toMatchObject({
      kind: 'right',
      title: '每月一杯免费',
      label: '每月 1 次',
    });
    expect(stored(backend, 'redemptions')).toHaveLength(1);
    expect(stored(backend, 'right_uses')).toEqual([expect.objectContaining({ used: 1 })]);

    // the month rolls over (Shanghai calendar): one more use, and only one
    const nextMonth = periodAt('month', new Date(Date.now())).endsAt as Date;
    await backend.emulator.setClock(new Date(nextMonth.getTime() + 60_000));
    const next = await scan(STAFF);
    expect(next.rights.find((r) => r.id === 'monthly-drink')?.leftText).toBe('本月剩 1 次');
    expect((await use(STAFF, next.ticket, 'monthly-drink')).ok).toBe(true);
    expect(errorCode(await use(STAFF, next.ticket, 'monthly-drink'))).toBe('RIGHT_USED_UP');
    expect(stored(backend, 'redemptions')).toHaveLength(2);
  });

  it('answers a retried request with the use it made, without using another', async () => {
    await activeMember(backend, 'member');
    const { ticket } = await scan(STAFF);
    const id = requestId('retry');
    const first = data(await use(STAFF, ticket, 'tasting', id));
    const again = await Promise.all([1, 2, 3].map(() => use(STAFF, ticket, 'tasting', id)));
    for (const answer of again) expect(data(answer).redemption).toEqual(first.redemption);
    expect(data(again[0]).right.used).toBe(1);
    // unlimited: a new request is a new use
    expect(data(await use(STAFF, ticket, 'tasting')).right).toMatchObject({ used: 2, left: null });
    expect(stored(backend, 'redemptions')).toHaveLength(2);
  });

  it('reads the rights from the current config: an added right shows and can be used at once', async () => {
    await activeMember(backend, 'member');
    await editCampaign(backend, (config) => {
      config.blackCard.rights.push({
        id: 'weekly-snack',
        title: '每周小食一份',
        description: '每周可免费领取小食一份',
        quota: 1,
        period: 'week',
      });
      config.blackCard.rights = config.blackCard.rights.filter(
        (r: { id: string }) => r.id !== 'birthday',
      );
    });
    const { ticket, rights } = await scan(STAFF);
    expect(rights.map((r) => r.id)).toEqual([
      'monthly-drink',
      'tasting',
      'skip-queue',
      'weekly-snack',
    ]);
    expect(rights[3]).toMatchObject({ rule: '每周 1 次', leftText: '本周剩 1 次' });
    expect((await use(STAFF, ticket, 'weekly-snack')).ok).toBe(true);
    // a right withdrawn meanwhile cannot be used
    expect(errorCode(await use(STAFF, ticket, 'birthday'))).toBe('NOT_FOUND');
    const card = data(await backend.api('member', 'blackcard.get'));
    expect(card.rights.find((r) => r.id === 'weekly-snack')?.leftText).toBe('本周已用完');
  });

  it('takes a ticket only from the staff member it was given to, while it is fresh', async () => {
    await activeMember(backend, 'member');
    const { ticket } = await scan(STAFF);
    expect(errorCode(await use(OWNER, ticket, 'tasting'))).toBe('BAD_TOKEN');
    await backend.emulator.advanceClock(11 * 60_000);
    expect(errorCode(await use(STAFF, ticket, 'tasting'))).toBe('BAD_TOKEN');
    expect(stored(backend, 'right_uses')).toEqual([]);
  });
});
