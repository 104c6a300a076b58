/** @jest-environment jsdom */
/**
 * The page shell (miniprogram/behaviors/page-shell.ts), run through real pages against the
 * emulator: one load at a time, the admin gate asked until a page is shown, staff sent away from
 * owners' pages and let into theirs, and one way to show a failure.
 */
import { usePageBackend } from '../support/backend';
import { text, usePages } from '../support/pages';

const open = usePages();
const backend = usePageBackend();

const callsOf = (action: string) => backend.calls.filter((c) => c.data.action === action);

test('one load at a time: a pull-down during a reload waits for it, and reads once', async () => {
  backend.actAs('visitor-shell');
  const page = await open('pages/wallet/index');
  expect(callsOf('wallet.list')).toHaveLength(1);
  const stopped = jest.spyOn(wx, 'stopPullDownRefresh');

  const back = page.instance.onShow();
  const pulled = page.instance.onPullDownRefresh();
  await pulled;
  // the spinner stops once the list is read, not before
  expect(stopped).toHaveBeenCalledTimes(1);
  expect(callsOf('wallet.list')).toHaveLength(2);
  await back;
  expect(callsOf('wallet.list')).toHaveLength(2);
});

test('a failure before the page is shown is the error state; over a shown page, a toast', async () => {
  backend.actAs('visitor-failing');
  backend.emulator.faults.failureRate = 1;
  const page = await open('pages/wallet/index');
  expect(page.data.state).toBe('error');
  expect(text(page, '.error-text')).toBe('服务开小差了，请稍后再试');

  backend.emulator.faults.failureRate = 0;
  await page.instance.onRetry();
  expect(page.data.state).toBe('ready');

  const toast = jest.spyOn(wx, 'showToast');
  backend.emulator.faults.failureRate = 1;
  await page.instance.onPullDownRefresh();
  backend.emulator.faults.failureRate = 0;
  expect(page.data.state).toBe('ready');
  expect(toast).toHaveBeenCalledWith(
    expect.objectContaining({ title: '服务开小差了，请稍后再试' }),
  );
});

test('the admin gate is asked until the page is shown: a reload only fetches', async () => {
  backend.actAs('demo-admin');
  const page = await open('admin/pages/channels/index');
  expect(page.data.state).toBe('ready');
  expect(callsOf('admin.whoami')).toHaveLength(1);

  await page.instance.onPullDownRefresh();
  expect(callsOf('admin.whoami')).toHaveLength(1);
  expect(callsOf('channels.list')).toHaveLength(2);
});

test("staff are sent away from owners' pages and let into theirs, told the role", async () => {
  backend.actAs('demo-staff');
  const winners = await open('admin/pages/winners/index');
  expect(winners.data.state).toBe('staff');
  expect(callsOf('campaign.get')).toHaveLength(0);

  const ledger = await open('admin/pages/ledger/index');
  expect(ledger.data).toMatchObject({ state: 'ready', role: 'staff', scope: 'mine' });
  expect(ledger.querySelector('.ldg-tabs')).toBeUndefined();

  // a visitor is refused by both
  backend.actAs('visitor-curious');
  expect((await open('admin/pages/ledger/index')).data.state).toBe('refused');
  expect(callsOf('redemptions.list').filter((c) => c.openid === 'visitor-curious')).toEqual([]);
});
