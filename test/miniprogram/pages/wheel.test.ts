/** @jest-environment jsdom */
/**
 * The wheel page against the real backend: the server draws, the wheel lands on the sector it
 * answered, the result dialog says what was won, the badge counts down, a spin cannot be started
 * twice, and a refusal or a failure leaves the wheel still and the button usable.
 *
 * Time: jest's fake clock drives the wheel's animation frames *and* the functions' `Date` (they
 * run in this process and read the global one), so `travel` moves both sides together; the
 * emulator's own clock offset is not consulted while `Date` is faked.
 */
import { formatDateTime } from '../../../miniprogram/utils/format';
import { sectorAtPointer } from '../../../miniprogram/utils/wheel';
import { usePageBackend } from '../support/backend';
import { text, usePages, type Page } from '../support/pages';
import {
  attrOf,
  canvasOf,
  findIn,
  flushMicrotasks,
  tap,
  textOf,
  until,
  type FakeCanvas,
} from '../support/simulate';
import { ROUTES } from '../../../miniprogram/utils/routes';

const DAY = 86_400_000;
const open = usePages();
const backend = usePageBackend({ fakeTimers: true });

const openWheel = () => open('pages/wheel/index');

/** Lets `ms` of fake time pass in animation-sized steps, with the event loop turning between. */
async function play(ms: number): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += 100) {
    jest.advanceTimersByTime(100);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Moves the clock for the page and the functions alike. */
function travel(ms: number): void {
  jest.setSystemTime(Date.now() + ms);
}

const callsOf = (action: string) => backend.calls.filter((c) => c.data.action === action);

/** The wheel's rotation in each drawn frame: the first rotate() after each clearRect(). */
function frameRotations(canvas: FakeCanvas): number[] {
  const rotations: number[] = [];
  let inFrame = false;
  for (const call of canvas.calls) {
    if (call.method === 'clearRect') inFrame = true;
    else if (call.method === 'rotate' && inFrame) {
      rotations.push(call.args[0] as number);
      inFrame = false;
    }
  }
  return rotations;
}

function wheelOf(page: Page) {
  const wheel = page.querySelector('#wheel');
  const canvas = wheel && canvasOf(wheel, '#wheel');
  if (!canvas) throw new Error('no wheel canvas rendered');
  const sectors = (wheel.data.sectors as unknown[]).length;
  // the page re-setting its data repaints the wheel at rest: count turns, not frames
  const before = frameRotations(canvas);
  const rest = before.at(-1);
  return {
    canvas,
    turned: () =>
      frameRotations(canvas)
        .slice(before.length)
        .some((rotation) => rotation !== rest),
    landed: () => sectorAtPointer(frameRotations(canvas).at(-1) ?? NaN, sectors),
  };
}

/** The spins the server recorded for this visitor in the active campaign. */
async function recordedSpins(openid: string) {
  const { data } = await backend.emulator.sdk
    .database()
    .collection('participants')
    .where({ openid })
    .get();
  const [participant] = data as Array<{
    spins: { log: Record<string, { prizeId: string; sectorIndex: number }> };
  }>;
  return Object.values(participant?.spins.log ?? {});
}

/** Only `prizeId` can be drawn from now on (weights of the others set to 0). */
async function onlyPrize(prizeId: string) {
  const { config } = await backend.as('demo-admin', 'admin', { action: 'campaign.get' });
  for (const prize of config.lottery.prizes) prize.weight = prize.id === prizeId ? 1 : 0;
  await backend.as('demo-admin', 'admin', { action: 'campaign.put', config });
}

test('a spin lands on the sector the server drew, once, however often the button is tapped', async () => {
  const campaign = await backend.as('someone', 'api', { action: 'campaign.get' });
  backend.actAs('spinner-1');
  const page = await openWheel();
  const wheel = wheelOf(page);

  expect(text(page, '.wheel-badge')).toBe('剩余 1 次');
  expect(findIn(page, 'wheel-prize__name').map((n) => textOf(n))).toEqual(
    campaign.wheel.sectors.map((s: { name: string }) => s.name),
  );
  // issue 10: scarcity where it is real (仅剩 N 份 at 100 or fewer), not on 2000 coupons
  expect(findIn(page, 'wheel-prize__left').map((n) => textOf(n))).toEqual([
    '仅剩 20 份',
    '仅剩 100 份',
  ]);
  expect(wheel.landed()).toBe(0); // at rest: the pointer in the middle of the first sector

  const button = page.querySelector('.wheel-spin');
  button?.dispatchEvent('tap');
  button?.dispatchEvent('tap');
  await flushMicrotasks();
  expect(attrOf(page.querySelector('.wheel-spin'), 'disabled')).toBe(true);
  expect(text(page, '.wheel-spin')).toBe('抽奖中…');

  // the answer arrives and the wheel turns; a tap mid-turn changes nothing
  await play(1000);
  expect(wheel.turned()).toBe(true);
  await tap(page.querySelector('.wheel-spin'));
  expect(page.querySelector('.wheel-dialog')).toBeUndefined(); // no result before it stops
  await play(3500);
  await until(() => !!page.querySelector('.wheel-dialog'), 'the result');

  expect(callsOf('lottery.spin')).toHaveLength(1);
  const [spin] = await recordedSpins('spinner-1');
  const prize = campaign.wheel.sectors[spin.sectorIndex];
  expect(spin.prizeId).toBe(prize.id);
  expect(wheel.landed()).toBe(spin.sectorIndex);

  expect(text(page, '.wheel-dialog__heading')).toBe(
    prize.kind === 'none' ? '谢谢参与' : '恭喜你抽中',
  );
  if (prize.kind !== 'none') expect(text(page, '.wheel-dialog__prize')).toBe(prize.name);
  expect(text(page, '.wheel-badge')).toBe('剩余 0 次');
  expect(text(page, '.wheel-spin')).toBe('开始抽奖');
  expect(attrOf(page.querySelector('.wheel-spin'), 'disabled')).toBe(false);
  const status = await backend.as('spinner-1', 'api', { action: 'lottery.status' });
  expect(status.spinsLeft).toBe(0);
});

test('a coupon won: its name once, then its title and expiry; leads to the wallet', async () => {
  await onlyPrize('off-20');
  backend.actAs('spinner-2');
  const page = await openWheel();
  const wheel = wheelOf(page);

  await tap(page.querySelector('.wheel-spin'));
  await play(4500);
  await until(() => !!page.querySelector('.wheel-dialog'), 'the result');

  expect(wheel.landed()).toBe(1); // 全场8折券 is the second sector
  const { coupons } = await backend.as('spinner-2', 'api', { action: 'wallet.list' });
  expect(coupons).toHaveLength(1);
  // the prize's name once, then only what it does not say: the coupon's title and expiry
  expect(text(page, '.wheel-dialog__prize')).toBe('全场8折券');
  expect(text(page, '.wheel-dialog__coupon-title')).toBe('全场饮品8折券');
  expect(text(page, '.wheel-dialog__expiry')).toBe(
    `有效期至 ${formatDateTime(coupons[0].expiresAt)}`,
  );
  expect(text(page, '.wheel-dialog').split('全场8折券')).toHaveLength(2); // said once

  const navigate = jest.spyOn(wx, 'navigateTo');
  await tap(page.querySelector('.wheel-dialog__wallet'));
  expect(navigate).toHaveBeenCalledWith(expect.objectContaining({ url: ROUTES.wallet }));
  expect(page.querySelector('.wheel-dialog')).toBeUndefined();
});

test('the fallback prize reads 谢谢参与', async () => {
  backend.emulator.sdk.setRiskRank('spinner-3', 3); // downgraded: only the fallback can be won
  backend.actAs('spinner-3');
  const page = await openWheel();
  const wheel = wheelOf(page);

  await tap(page.querySelector('.wheel-spin'));
  await play(4500);
  await until(() => !!page.querySelector('.wheel-dialog'), 'the result');

  expect(wheel.landed()).toBe(7);
  expect(text(page, '.wheel-dialog__heading')).toBe('谢谢参与');
  expect(page.querySelector('.wheel-dialog__prize')).toBeUndefined();
  expect(page.querySelector('.wheel-dialog__coupon')).toBeUndefined();
  // honest: what happened, no promise that the next spin wins
  expect(text(page, '.wheel-dialog__note')).toBe('这次没有抽中，感谢参与');
  expect(text(page, '.wheel-dialog')).not.toMatch(/一定|必中|下次.*中/);
});

test('no spins left: the invitation to share, and the wheel stays still', async () => {
  await backend.as('spinner-4', 'api', { action: 'session.enter' });
  await backend.as('spinner-4', 'api', { action: 'lottery.spin', requestId: 'spin-of-today' });
  backend.actAs('spinner-4');
  const page = await openWheel();
  const wheel = wheelOf(page);
  expect(text(page, '.wheel-badge')).toBe('剩余 0 次');

  await tap(page.querySelector('.wheel-spin'));
  await until(() => !!page.querySelector('.wheel-dialog--no-spins'), 'the invitation');
  expect(text(page, '.wheel-dialog__heading')).toBe('今日次数已用完，邀请好友得更多次数');
  expect(attrOf(page.querySelector('.wheel-dialog__share'), 'open-type')).toBe('share');
  await play(5000);
  expect(wheel.turned()).toBe(false);
  expect(text(page, '.wheel-spin')).toBe('开始抽奖');

  // the shared card carries this visitor's own code
  const { inviteCode } = await backend.as('spinner-4', 'api', { action: 'session.enter' });
  expect(page.instance.onShareAppMessage().path).toBe(
    `${ROUTES.landing}?inv=${inviteCode}&ch=share`,
  );
  expect(page.instance.onShareTimeline().query).toBe(`inv=${inviteCode}&ch=share`);
});

test('a refused spin (the campaign ended) stops cleanly: toast, wheel still, button usable', async () => {
  backend.actAs('spinner-5');
  const page = await openWheel();
  const wheel = wheelOf(page);
  const toast = jest.spyOn(wx, 'showToast');

  travel(60 * DAY);
  await tap(page.querySelector('.wheel-spin'));
  await until(() => toast.mock.calls.length > 0, 'the toast');
  expect(toast).toHaveBeenCalledWith(expect.objectContaining({ title: '活动未开始或已结束' }));
  await play(5000);
  expect(wheel.turned()).toBe(false);
  expect(wheel.landed()).toBe(0);
  expect(page.querySelector('.wheel-dialog')).toBeUndefined();
  expect(text(page, '.wheel-spin')).toBe('开始抽奖');
  expect(attrOf(page.querySelector('.wheel-spin'), 'disabled')).toBe(false);
  expect(text(page, '.wheel-badge')).toBe('剩余 1 次');
  expect(await recordedSpins('spinner-5')).toHaveLength(0);
});

test('a lost answer is retried with the same requestId and spends one spin', async () => {
  backend.actAs('spinner-6');
  const page = await openWheel();
  const wheel = wheelOf(page);
  const toast = jest.spyOn(wx, 'showToast');

  backend.emulator.faults.failureRate = 1;
  await page.instance.onSpin();
  expect(toast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '服务开小差了，请稍后再试' }),
  );
  expect(text(page, '.wheel-spin')).toBe('开始抽奖');

  backend.emulator.faults.failureRate = 0;
  await tap(page.querySelector('.wheel-spin'));
  await play(4500);
  await until(() => !!page.querySelector('.wheel-dialog'), 'the result');
  const spins = callsOf('lottery.spin');
  expect(spins).toHaveLength(2);
  expect(spins[1].data.requestId).toBe(spins[0].data.requestId);
  const recorded = await recordedSpins('spinner-6');
  expect(recorded).toHaveLength(1);
  expect(wheel.landed()).toBe(recorded[0].sectorIndex);
  expect(text(page, '.wheel-badge')).toBe('剩余 0 次');
});
