/**
 * Opening pages in page tests as WeChat does (rendered, attached, `onLoad(query)` awaited), and
 * reading what they show. Use with support/simulate and support/backend (and the jsdom docblock).
 */
import {
  attach,
  findIn,
  flushMicrotasks,
  render,
  textOf,
  type SimNode,
  type SimRoot,
} from './simulate';

/** A page under test: its `this` (handlers to call) and its data. */
export type Page = SimRoot & {
  instance: Record<string, (...args: any[]) => any>;
  data: Record<string, any>;
};

type Query = Record<string, string>;

async function loaded(page: Page, query: Query): Promise<Page> {
  await page.instance.onLoad(query);
  await flushMicrotasks();
  return page;
}

/** Opens the page at `path` (under miniprogram/): attached, then `onLoad(query)`. */
export function openPage(path: string, query: Query = {}): Promise<Page> {
  return loaded(attach(render(path)) as Page, query);
}

/**
 * `openPage` for every test of the calling file, each page detached after its test (its timers
 * stop). Call it before `usePageBackend`: jest runs afterEach hooks in declaration order, and the
 * pages must go before the clock turns real and the backend closes.
 */
export function usePages(): typeof openPage {
  let opened: Page[] = [];
  afterEach(() => {
    opened.forEach((page) => page.detach());
    opened = [];
  });
  return (path, query = {}) => {
    const page = attach(render(path)) as Page;
    opened.push(page);
    return loaded(page, query);
  };
}

/** The text of the first node matching `selector` inside `node`. */
export const text = (node: SimNode | undefined, selector: string): string =>
  textOf(node?.querySelector(selector));

/** The texts of the nodes with class `className` inside `node`, in document order. */
export const texts = (node: Parameters<typeof findIn>[0], className: string): string[] =>
  findIn(node, className).map((n) => textOf(n));
