/**
 * A page that throws shows its error on the phone and in the panel, never a blank frame. The
 * emulator previews a small Mini Program made for this (test/e2e/fixtures/failing-miniprogram):
 * a page whose onLoad throws, and one whose script throws before calling Component().
 */
import { join } from 'node:path';
import {
  launchBrowser,
  Preview,
  startEmulator,
  TEST_OUTPUT,
  type Browser,
  type Emulator,
} from './support';

let emulator: Emulator;
let browser: Browser;
let preview: Preview;

beforeAll(async () => {
  emulator = await startEmulator({
    MINIPROGRAM_ROOT: join(__dirname, 'fixtures', 'failing-miniprogram'),
  });
  browser = await launchBrowser();
  preview = new Preview(browser.page, emulator.url);
});

afterAll(async () => {
  await browser?.close();
  await emulator?.stop();
});

const phoneError = () => preview.page.getByTestId('page-error');

it('renders a page that works, with its styles', async () => {
  await preview.open('errors-visitor', 'pages/fine/index');
  await preview.see('这个页面没问题');
  const size = await preview.screen
    .locator('.hello')
    .evaluate((el) => (globalThis as any).getComputedStyle(el).fontSize);
  expect(size).toBe('20px'); // 40rpx on a 375px-wide phone
  expect(await preview.errors()).toEqual([]);
});

it('shows the error of a page whose onLoad throws, on the phone and in the panel', async () => {
  await preview.tap('打开会出错的页面', 'wx-button');
  await preview.waitForRoute('pages/throws/index');
  await phoneError().waitFor();
  expect(await phoneError().innerText()).toContain('onLoad 故意出错：订单数据缺失');
  expect(await phoneError().innerText()).toContain('pages/throws/index · onLoad');
  // the page itself still rendered beneath
  await preview.see('加载前');
  expect(await preview.page.getByTestId('errors').innerText()).toContain('onLoad 故意出错');
  // a picture of the harness at work, not of the product: kept out of docs/screenshots/
  await preview.screenshot('page-error', { dir: TEST_OUTPUT });
});

it('shows the error of a page whose script throws while loading', async () => {
  await preview.open('errors-visitor', 'pages/broken-script/index');
  await phoneError().waitFor();
  const text = await phoneError().innerText();
  expect(text).toContain('pages/broken-script/index · load');
  expect(text).toMatch(/color/);
  const errors = await preview.errors();
  expect(errors.map((e) => e.where)).toContain('pages/broken-script/index · load');
});
