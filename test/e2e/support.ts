/**
 * The browser tests' harness: the emulator as `npm start` runs it (the built
 * dist/emulator/main.js in its own process, PORT=0, a temporary DATA_DIR), Debian's Chromium
 * driven by playwright-core (never a downloaded browser), and a few words for what a person does
 * in the preview: open a page as a user, tap a text, read the phone, take a screenshot.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { spawnEmulator } from '../support/spawn-emulator';

export const ROOT = join(__dirname, '..', '..');
/** The product's pictures, embedded in the README. */
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
/** What tests of the harness itself capture (fixtures, not the product): gitignored. */
export const TEST_OUTPUT = join(__dirname, 'output');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Emulator {
  url: string;
  stop(): Promise<void>;
  /** POST /functions/<name> as `openid` */
  call(name: string, event: Record<string, unknown>, openid: string): Promise<any>;
}

export async function startEmulator(env: Record<string, string> = {}): Promise<Emulator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'growth-kit-e2e-'));
  // a port of its own, as `npm start` has: the seed links the demo's booklet to the URL the
  // emulator serves it at, which it cannot know yet with PORT=0
  const port = String(await freePort());
  const { url, stop } = await spawnEmulator({ dataDir, env: { PORT: port, ...env } });
  return {
    url,
    async stop() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    async call(name, event, openid) {
      const res = await fetch(`${url}/functions/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
        body: JSON.stringify(event),
      });
      return res.json();
    },
  };
}

/** A TCP port nobody listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Browser {
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (see .ci/run)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'growth-kit-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    chromiumSandbox: false,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1000, height: 900 },
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a person does in the preview. */
export class Preview {
  constructor(
    readonly page: Page,
    readonly baseUrl: string,
  ) {}

  /** Launches the Mini Program as `openid` on `path` with `query` (a fresh launch). */
  async open(openid: string, path: string, query: Record<string, string> = {}): Promise<void> {
    const params = new URLSearchParams({ as: openid, path });
    const search = new URLSearchParams(query).toString();
    if (search) params.set('query', search);
    await this.page.goto(`${this.baseUrl}/preview/?${params.toString()}`);
    await this.launched();
  }

  /** Waits for the preview's launch (after a goto or a user switch). */
  async launched(): Promise<void> {
    await this.page.waitForFunction(() => Boolean((globalThis as any).__preview));
    await this.page.evaluate(() => (globalThis as any).__preview.ready);
  }

  /** The page on top of the stack. */
  get screen(): Locator {
    return this.page.locator('.pv-page--top wx-page');
  }

  route(): Promise<string> {
    return this.page.locator('.pv-page--top').getAttribute('data-route') as Promise<string>;
  }

  async waitForRoute(route: string): Promise<void> {
    await this.page.waitForFunction(
      (expected) =>
        (globalThis as any).document.querySelector('.pv-page--top')?.getAttribute('data-route') ===
        expected,
      route,
    );
  }

  /** The visible text of the page on top, whitespace collapsed. */
  async text(): Promise<string> {
    return ((await this.screen.innerText()) ?? '').replace(/\s+/g, ' ').trim();
  }

  /** Waits until the page on top shows `text`. */
  async see(text: string | RegExp): Promise<void> {
    const locator =
      typeof text === 'string'
        ? this.screen.getByText(text, { exact: false }).first()
        : this.screen.getByText(text).first();
    await locator.waitFor({ state: 'visible' });
  }

  /** Taps the innermost element of the page on top that shows `text`. */
  async tap(text: string, within = '*'): Promise<void> {
    const target = this.screen.locator(within).filter({ hasText: text }).last();
    await target.scrollIntoViewIfNeeded();
    await target.click();
  }

  /** The cloud call answering `action` made while `run` runs. */
  async callDuring(action: string, run: () => Promise<void>): Promise<any> {
    const answer = this.page.waitForResponse(
      (response) =>
        /\/functions\/(api|admin)$/.test(response.url()) &&
        (response.request().postDataJSON() as { action?: string } | null)?.action === action,
    );
    await run();
    return (await answer).json();
  }

  /**
   * The phone, as a PNG in docs/screenshots/<name>.png (scrolled to the top unless told), or in
   * another folder (`dir`) for pictures that are not the product's.
   */
  async screenshot(
    name: string,
    options: { scrollTo?: Locator; dir?: string } = {},
  ): Promise<void> {
    const dir = options.dir ?? SCREENSHOTS;
    mkdirSync(dir, { recursive: true });
    if (options.scrollTo) await options.scrollTo.scrollIntoViewIfNeeded();
    // a toast (1.5 s, as on WeChat) would hide what the page shows; canvases finish drawing
    await this.page.getByTestId('toast').waitFor({ state: 'detached', timeout: 5000 });
    await this.page.waitForTimeout(300);
    await this.page.locator('[data-testid=device]').screenshot({
      path: join(dir, `${name}.png`),
      animations: 'disabled',
    });
  }

  /** The vertical room between the bottom of `upper` and the top of `lower`, in CSS px. */
  async gapBetween(upper: Locator, lower: Locator): Promise<number> {
    const [a, b] = await Promise.all([upper.boundingBox(), lower.boundingBox()]);
    if (!a || !b) throw new Error('gapBetween: an element is not on the screen');
    return b.y - (a.y + a.height);
  }

  /**
   * Performance (issue 14): the largest setData payload of each page and component since the tab
   * opened (kept across launches), in bytes of its JSON.
   */
  setDataSizes(): Promise<Record<string, { largest: number; calls: number }>> {
    return this.page.evaluate(() => (globalThis as any).__preview?.setDataSizes() ?? {});
  }

  /** Errors the preview reported (a page threw, a template failed…). */
  errors(): Promise<Array<{ where: string; message: string }>> {
    return this.page.evaluate(() =>
      ((globalThis as any).__preview?.errors() ?? []).map(
        ({ where, message }: { where: string; message: string }) => ({ where, message }),
      ),
    );
  }
}
