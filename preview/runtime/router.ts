/**
 * The page stack, as WeChat keeps it: `navigateTo` pushes (the page below hides), `redirectTo`
 * replaces the top, `navigateBack` pops (unloading), `reLaunch` starts over. Each page is a
 * j-component root in its own view on the phone, with the lifecycles a `Component()`-constructed
 * page gets, in WeChat's order: attached → onLoad(query) → onShow (+ pageLifetimes.show) → ready →
 * onReady; onHide / onUnload when it is covered / closed.
 *
 * A page that fails — its script throws, `Component()` throws, a lifecycle throws or rejects —
 * shows the error on the phone (and in the panel), never a blank frame.
 *
 * Taps: j-component turns touch events into `tap`; a desktop browser sends clicks, so clicks are
 * dispatched as exparser `tap` events too (and right-click as `longpress`). `hover-class` is
 * applied while a pointer is down.
 */
import exparser from 'miniprogram-exparser';
import jComponent from 'j-component/src/index';
import type { Device, PageView } from './device';
import { activatePageStyle, app, currentProject, loadModule } from './host';
import { describe, reportError, type PreviewError } from './report';

export type PageCaller = Record<string, unknown> & { data: Record<string, unknown> };

export interface PageRecord {
  serial: number;
  route: string;
  query: Record<string, string>;
  root: jComponent.RootComponent | null;
  caller: PageCaller | null;
  view: PageView;
  title?: string;
}

export interface ShareContent {
  title: string;
  path: string;
  imageUrl?: string;
  route: string;
}

export interface RouterHooks {
  /** the stack changed (navigation bar, URL, panel) */
  changed(stack: readonly PageRecord[]): void;
  /** the page answered onShareAppMessage */
  shared(share: ShareContent): void;
}

export class NavigationError extends Error {}

let serial = 0;

export class Router {
  readonly stack: PageRecord[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly device: Device,
    private readonly hooks: RouterHooks,
  ) {}

  top(): PageRecord | undefined {
    return this.stack[this.stack.length - 1];
  }

  /** `/pages/x/index?a=1` or a path relative to the current page → route and query. */
  resolve(url: string): { route: string; query: Record<string, string> } {
    const [pathPart, search = ''] = String(url ?? '').split('?');
    let route: string;
    if (pathPart.startsWith('/')) route = pathPart.slice(1);
    else {
      const base = this.top()?.route.split('/').slice(0, -1) ?? [];
      for (const part of pathPart.split('/')) {
        if (part === '..') base.pop();
        else if (part && part !== '.') base.push(part);
      }
      route = base.join('/');
    }
    route = route.replace(/\.(html|wxml|js|ts)$/, '');
    if (!currentProject().pages.includes(route)) {
      throw new NavigationError(`page "${route}" is not found`);
    }
    const query: Record<string, string> = {};
    new URLSearchParams(search).forEach((value, key) => {
      query[key] = value;
    });
    return { route, query };
  }

  async navigateTo(url: string): Promise<void> {
    const { route, query } = this.resolve(url);
    if (this.stack.length >= 10) throw new NavigationError('webview count limit exceed');
    const covered = this.top();
    const record = await this.open(route, query);
    if (covered) this.hide(covered);
    this.push(record);
  }

  async redirectTo(url: string): Promise<void> {
    const { route, query } = this.resolve(url);
    const record = await this.open(route, query);
    const old = this.stack.pop();
    if (old) this.unload(old);
    this.push(record);
  }

  async reLaunch(url: string): Promise<void> {
    const { route, query } = this.resolve(url);
    const record = await this.open(route, query);
    while (this.stack.length) this.unload(this.stack.pop() as PageRecord);
    this.push(record);
  }

  navigateBack(delta = 1): void {
    if (this.stack.length <= 1) throw new NavigationError('cannot navigate back at first page.');
    const count = Math.max(1, Math.min(Math.floor(delta) || 1, this.stack.length - 1));
    for (let i = 0; i < count; i++) this.unload(this.stack.pop() as PageRecord);
    const top = this.top() as PageRecord;
    this.device.showPageView(top.view);
    activatePageStyle(top.route);
    this.show(top);
    this.hooks.changed(this.stack);
  }

  /** The pages as `getCurrentPages()` answers them. */
  pages(): PageCaller[] {
    return this.stack.map((record) => record.caller).filter((c): c is PageCaller => c !== null);
  }

  /** The top page's share content, as the capsule menu or an `open-type="share"` button asks. */
  async share(from: 'menu' | 'button', target?: unknown): Promise<ShareContent | null> {
    const record = this.top();
    if (!record?.caller || typeof record.caller.onShareAppMessage !== 'function') {
      this.device.showToast({
        title: '当前页面未开启分享',
        icon: 'none',
        duration: 1500,
        mask: false,
      });
      return null;
    }
    const answer = (await this.invoke(record, 'onShareAppMessage', { from, target })) as
      { title?: string; path?: string; imageUrl?: string; promise?: Promise<unknown> } | undefined;
    const settled = (answer?.promise ? await answer.promise.catch(() => answer) : answer) as
      typeof answer | undefined;
    const search = new URLSearchParams(record.query).toString();
    const share: ShareContent = {
      title: settled?.title || this.titleOf(record),
      path: settled?.path || `/${record.route}${search ? `?${search}` : ''}`,
      imageUrl: settled?.imageUrl,
      route: record.route,
    };
    this.hooks.shared(share);
    return share;
  }

  pullDownRefresh(): void {
    const record = this.top();
    if (!record) return;
    this.device.setRefreshing(record.view, true);
    record.view.scroller.scrollTop = 0;
    clearTimeout(this.refreshTimer);
    // WeChat stops the animation by itself after a while if the page never calls stop
    this.refreshTimer = setTimeout(() => this.stopPullDownRefresh(), 3000);
    this.invoke(record, 'onPullDownRefresh');
  }

  stopPullDownRefresh(): void {
    clearTimeout(this.refreshTimer);
    const record = this.top();
    if (record) this.device.setRefreshing(record.view, false);
  }

  setTitle(title: string): void {
    const record = this.top();
    if (record) {
      record.title = title;
      this.hooks.changed(this.stack);
    }
  }

  titleOf(record: PageRecord): string {
    if (record.title !== undefined) return record.title;
    const json = currentProject().modules[record.route]?.json ?? {};
    const window = currentProject().app.window ?? {};
    return String(json.navigationBarTitleText ?? window.navigationBarTitleText ?? '');
  }

  // -------------------------------------------------------------------------------------------

  /** Loads, creates and attaches the page, then onLoad; a failure becomes an error page. */
  private async open(route: string, query: Record<string, string>): Promise<PageRecord> {
    const view = this.device.createPageView(route);
    const record: PageRecord = { serial: ++serial, route, query, root: null, caller: null, view };
    try {
      const id = await loadModule(route);
      const root = jComponent.create(id);
      if (!root) throw new Error(`${route} did not register`);
      view.wxPage.appendChild(root.dom);
      exparser.Element.pretendAttached(root._exparserNode);
      record.root = root;
      record.caller = root.instance as PageCaller;
      record.caller.route = route;
      record.caller.options = { ...query };
    } catch (error) {
      this.fail(record, 'load', error);
      return record;
    }
    this.invoke(record, 'onLoad', { ...query });
    return record;
  }

  private push(record: PageRecord): void {
    this.stack.push(record);
    this.device.showPageView(record.view);
    activatePageStyle(record.route);
    this.show(record);
    if (record.root) {
      const node = record.root._exparserNode;
      // ready once, after the first show, as on the phone
      dfs(node, (component) => component.triggerLifeTime('ready'));
      this.invoke(record, 'onReady');
    }
    this.hooks.changed(this.stack);
  }

  private show(record: PageRecord): void {
    if (!record.root) return;
    this.safely(record, 'pageLifetimes.show', () =>
      record.root?._exparserNode.triggerPageLifeTime('show'),
    );
    this.invoke(record, 'onShow');
  }

  private hide(record: PageRecord): void {
    if (!record.root) return;
    this.invoke(record, 'onHide');
    this.safely(record, 'pageLifetimes.hide', () =>
      record.root?._exparserNode.triggerPageLifeTime('hide'),
    );
  }

  private unload(record: PageRecord): void {
    if (record.root) {
      this.invoke(record, 'onUnload');
      this.safely(record, 'detached', () =>
        exparser.Element.pretendDetached((record.root as jComponent.RootComponent)._exparserNode),
      );
    }
    this.device.removePageView(record.view);
  }

  /** Calls a page method; a throw or a rejection shows on the page. */
  invoke(record: PageRecord, name: string, ...args: unknown[]): unknown {
    const fn = record.caller?.[name];
    if (typeof fn !== 'function') return undefined;
    try {
      const result = (fn as (...a: unknown[]) => unknown).apply(record.caller, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        (result as Promise<unknown>).then(undefined, (error: unknown) =>
          this.fail(record, name, error),
        );
      }
      return result;
    } catch (error) {
      this.fail(record, name, error);
      return undefined;
    }
  }

  private safely(record: PageRecord, what: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.fail(record, what, error);
    }
  }

  fail(record: PageRecord, what: string, error: unknown): PreviewError {
    const entry = reportError(`${record.route} · ${what}`, error, { onPage: true });
    this.device.showPageError(record.view, entry);
    return entry;
  }

  /** The record whose view holds `node` (errors raised by exparser name the element). */
  recordOf(node: Node | null): PageRecord | undefined {
    return this.stack.find((record) => node && record.view.layer.contains(node));
  }
}

/** Components in `node`'s tree, parents before children (j-component's order for `ready`). */
export function dfs(node: exparser.Element, visit: (component: exparser.Element) => void): void {
  if (node instanceof exparser.Component) {
    visit(node);
    if (node.shadowRoot) dfs(node.shadowRoot, visit);
  }
  for (const child of node.childNodes) {
    if ((child as exparser.Element).childNodes) dfs(child as exparser.Element, visit);
  }
}

// ---------------------------------------------------------------------------------------------
// Pointer input

interface WxDomNode extends Node {
  __wxElement?: exparser.Element;
}

/** The nearest DOM node exparser knows (the preview's own <img>, <canvas>… are not). */
function wxTarget(node: EventTarget | null): WxDomNode | null {
  let current = node as WxDomNode | null;
  while (current && !current.__wxElement) current = current.parentNode as WxDomNode | null;
  return current;
}

function dispatch(target: WxDomNode, name: string, event: MouseEvent): void {
  const point = {
    clientX: event.clientX,
    clientY: event.clientY,
    pageX: event.pageX,
    pageY: event.pageY,
  };
  exparser.Event.dispatchEvent(
    target,
    exparser.Event.create(
      name,
      { x: event.pageX, y: event.pageY },
      {
        originalEvent: event,
        bubbles: true,
        capturePhase: true,
        composed: true,
        extraFields: { touches: name === 'tap' ? [] : [point], changedTouches: [point] },
      },
    ),
  );
}

/** Clicks → `tap`, right-clicks → `longpress`, and hover-class while pressed. */
export function installPointer(area: HTMLElement, onLongpressImage: (img: Element) => void): void {
  let lastTouch = 0;
  area.addEventListener('touchend', () => (lastTouch = Date.now()), { capture: true });

  area.addEventListener('click', (event) => {
    // a touch already produced the tap (j-component listens for touches itself)
    if (Date.now() - lastTouch < 700) return;
    const element = event.target as Element;
    if (element.closest?.('wx-button[disabled], wx-picker[disabled]')) return;
    const target = wxTarget(event.target);
    if (target) dispatch(target, 'tap', event);
  });

  area.addEventListener('contextmenu', (event) => {
    const target = wxTarget(event.target);
    if (!target) return;
    event.preventDefault();
    dispatch(target, 'longpress', event);
    const image = (event.target as Element).closest?.('wx-image');
    if (image && image.hasAttribute('data-menu')) onLongpressImage(image);
  });

  const pressed = new Map<Element, ReturnType<typeof setTimeout>>();
  area.addEventListener('pointerdown', (event) => {
    let node = wxTarget(event.target);
    while (node) {
      const element = node.__wxElement;
      const caller = element && exparser.Element.getMethodCaller(element);
      const data = (caller?.data ?? {}) as Record<string, unknown>;
      const hoverClass = typeof data.hoverClass === 'string' ? data.hoverClass : 'none';
      if (hoverClass !== 'none' && !(node as Element).hasAttribute?.('disabled')) {
        const dom = node as Element;
        const prefix = element?.classList?.getPrefix() ?? '';
        const names = hoverClass
          .split(/\s+/)
          .filter(Boolean)
          .map((name) => (prefix ? `${prefix}--${name}` : name));
        const stay = Number(data.hoverStayTime ?? 70);
        dom.classList.add(...names);
        const release = () => {
          window.removeEventListener('pointerup', release);
          window.removeEventListener('pointercancel', release);
          clearTimeout(pressed.get(dom));
          pressed.set(
            dom,
            setTimeout(() => dom.classList.remove(...names), stay),
          );
        };
        window.addEventListener('pointerup', release);
        window.addEventListener('pointercancel', release);
        if (data.hoverStopPropagation) break;
      }
      node = wxTarget(node.parentNode);
    }
  });
}

export function errorMessage(error: unknown): string {
  return describe(error).message;
}

export function appInstance(): ReturnType<typeof app> {
  return app();
}
