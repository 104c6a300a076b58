/**
 * WeChat's built-in components, rendered visibly. Each is registered here as a j-component whose
 * element is `wx-view`, `wx-button`, `wx-image`… (so WXSS tag selectors, translated to `wx-*`,
 * match, as in WeChat's own web view), with the behaviour a user sees:
 * - `image`: a real <img>, `mode` as object-fit (aspectFit, aspectFill, widthFix…), `cloud://`
 *   file IDs and package paths resolved to the emulator; `load` / `error` events.
 * - `canvas type="2d"`: a real <canvas>; a selector query with `fields({ node: true })` answers it,
 *   with the Canvas API's `requestAnimationFrame`, `createImage`…
 * - `button`: `type`, `size`, `plain`, `disabled`, `loading` reflected as attributes for the
 *   WXSS (and the base styles in preview/chrome.css); a disabled button swallows taps;
 *   `open-type="share"` shares the page; `open-type="chooseAvatar"` (issue 10) offers a picture
 *   and fires `chooseavatar` with `{ avatarUrl }`.
 * - `input`, `textarea`: editable, `input` / `focus` / `blur` / `confirm` events, `value` kept in
 *   step with data.
 * - `picker`: opens a chooser on the phone (a list, a date or a time) and fires `change`.
 * - `navigator`: navigates.
 * - `view`, `text`: `hidden`, and `hover-class` while pressed (see installPointer in router.ts).
 */
import type exparser from 'miniprogram-exparser';
import jComponent from 'j-component/src/index';
import SelectorQuery from 'j-component/src/tool/selectorquery';

type Caller = Record<string, unknown> & {
  _exparserNode: exparser.Element;
  data: Record<string, unknown>;
  triggerEvent(name: string, detail?: unknown, options?: Record<string, unknown>): void;
};

export interface BuiltinHooks {
  share(from: exparser.Element): void;
  /** WeChat's avatar chooser: a temporary path of the picture chosen, or null (cancelled) */
  chooseAvatar(): Promise<string | null>;
  navigate(openType: string, url: string, delta: number): void;
  pick(options: PickOptions): Promise<unknown | null>;
  /** a package path or a cloud:// file ID → a URL the browser can load */
  resolveImage(src: string, owner: exparser.Element): string;
}

export interface PickOptions {
  mode: string;
  range: unknown[];
  rangeKey: string;
  value: unknown;
  start: string;
  end: string;
  headerText: string;
}

/** A canvas node as `fields({ node: true })` answers it on the phone. */
export type CanvasNode = HTMLCanvasElement & {
  requestAnimationFrame(callback: FrameRequestCallback): number;
  cancelAnimationFrame(id: number): void;
  createImage(): HTMLImageElement;
  createPath2D(path?: Path2D | string): Path2D;
};

const canvases = new WeakMap<exparser.Element, CanvasNode>();
const liveCanvases = new Set<CanvasNode>();

/** Every canvas currently on a page (the preview reads QR codes off them for wx.scanCode). */
export function canvasesOnScreen(): CanvasNode[] {
  return Array.from(liveCanvases).filter((canvas) => canvas.isConnected);
}

function domOf(caller: Caller): HTMLElement {
  return caller._exparserNode.$$ as HTMLElement;
}

function reflect(el: HTMLElement, name: string, value: unknown): void {
  if (value === false || value === null || value === undefined || value === '') {
    el.removeAttribute(name);
  } else {
    el.setAttribute(name, value === true ? '' : String(value));
  }
}

/**
 * j-component turns wcc's `wx-view` back into `view` and looks the component up by that id; the
 * element it creates is named by `tagName`.
 */
function register(name: string, definition: Record<string, unknown>): void {
  jComponent.register({
    id: name,
    tagName: `wx-${name}`,
    template: '<slot/>',
    options: { classPrefix: '' },
    ...definition,
    properties: { ...ARIA_PROPERTIES, ...(definition.properties as object) },
    observers: { ...ARIA_OBSERVERS, ...(definition.observers as object) },
  });
}

/** `aria-*` attributes (and `aria-role` → `role`) reach the DOM, as in WeChat's web view. */
const ARIA = ['label', 'role', 'hidden', 'live', 'disabled', 'checked', 'selected', 'describedby'];
const ARIA_PROPERTIES = Object.fromEntries(
  ARIA.map((name) => [`aria${name[0].toUpperCase()}${name.slice(1)}`, { type: null, value: null }]),
);
const ARIA_OBSERVERS = {
  [Object.keys(ARIA_PROPERTIES).join(', ')](this: Caller, ...values: unknown[]) {
    const el = domOf(this);
    if (!el) return;
    ARIA.forEach((name, i) => {
      const value = values[i];
      const attribute = name === 'role' ? 'role' : `aria-${name}`;
      if (value === null || value === undefined || value === '') el.removeAttribute(attribute);
      else el.setAttribute(attribute, String(value));
    });
  },
};

const hoverProperties = (hoverClass: string, startTime: number, stayTime: number) => ({
  hoverClass: { type: String, value: hoverClass },
  hoverStopPropagation: { type: Boolean, value: false },
  hoverStartTime: { type: Number, value: startTime },
  hoverStayTime: { type: Number, value: stayTime },
});

export function registerBuiltins(hooks: BuiltinHooks): void {
  register('view', {
    properties: { hidden: { type: Boolean, value: false }, ...hoverProperties('none', 50, 400) },
    observers: {
      hidden(this: Caller, hidden: boolean) {
        reflect(domOf(this), 'hidden', hidden);
      },
    },
  });

  register('text', {
    properties: {
      hidden: { type: Boolean, value: false },
      selectable: { type: Boolean, value: false },
      userSelect: { type: Boolean, value: false },
      space: { type: String, value: '' },
      decode: { type: Boolean, value: false },
    },
    observers: {
      'hidden, selectable, userSelect, space'(
        this: Caller,
        hidden: boolean,
        selectable: boolean,
        userSelect: boolean,
        space: string,
      ) {
        const el = domOf(this);
        reflect(el, 'hidden', hidden);
        reflect(el, 'selectable', selectable || userSelect);
        reflect(el, 'space', space);
      },
    },
  });

  register('button', {
    properties: {
      size: { type: String, value: 'default' },
      type: { type: String, value: 'default' },
      plain: { type: Boolean, value: false },
      disabled: { type: Boolean, value: false },
      loading: { type: Boolean, value: false },
      formType: { type: String, value: '' },
      openType: { type: String, value: '' },
      ...hoverProperties('button-hover', 20, 70),
    },
    observers: {
      'size, type, plain, disabled, loading'(this: Caller) {
        reflectButton(this);
      },
    },
    lifetimes: {
      attached(this: Caller) {
        reflectButton(this);
        domOf(this).setAttribute('role', 'button');
        this._exparserNode.addListener('tap', () => {
          if (this.data.disabled) return;
          if (this.data.openType === 'share') hooks.share(this._exparserNode);
          if (this.data.openType === 'chooseAvatar') {
            void hooks.chooseAvatar().then((avatarUrl) => {
              if (avatarUrl) this.triggerEvent('chooseavatar', { avatarUrl });
            });
          }
        });
      },
    },
  });

  register('image', {
    properties: {
      src: { type: String, value: '' },
      mode: { type: String, value: 'scaleToFill' },
      lazyLoad: { type: Boolean, value: false },
      showMenuByLongpress: { type: Boolean, value: false },
      webp: { type: Boolean, value: false },
    },
    observers: {
      'src, mode, showMenuByLongpress'(this: Caller) {
        updateImage(this, hooks);
      },
    },
    lifetimes: {
      attached(this: Caller) {
        const host = domOf(this);
        const img = document.createElement('img');
        img.alt = '';
        img.draggable = false;
        img.addEventListener('load', () => {
          if (this.data.mode === 'widthFix' && img.naturalWidth) {
            host.style.height = `${(host.clientWidth * img.naturalHeight) / img.naturalWidth}px`;
          } else if (this.data.mode === 'heightFix' && img.naturalHeight) {
            host.style.width = `${(host.clientHeight * img.naturalWidth) / img.naturalHeight}px`;
          }
          this.triggerEvent('load', { width: img.naturalWidth, height: img.naturalHeight });
        });
        img.addEventListener('error', () => {
          if (img.getAttribute('src')) {
            this.triggerEvent('error', { errMsg: `GET ${img.src} failed` });
          }
        });
        host.appendChild(img);
        updateImage(this, hooks);
      },
    },
  });

  register('canvas', {
    properties: {
      type: { type: String, value: '' },
      canvasId: { type: String, value: '' },
      disableScroll: { type: Boolean, value: false },
    },
    lifetimes: {
      attached(this: Caller) {
        const canvas = document.createElement('canvas') as CanvasNode;
        canvas.requestAnimationFrame = (callback) => window.requestAnimationFrame(callback);
        canvas.cancelAnimationFrame = (id) => window.cancelAnimationFrame(id);
        canvas.createImage = () => new Image();
        canvas.createPath2D = (path) => new Path2D(path);
        domOf(this).appendChild(canvas);
        canvases.set(this._exparserNode, canvas);
        liveCanvases.add(canvas);
      },
      detached(this: Caller) {
        const canvas = canvases.get(this._exparserNode);
        if (canvas) liveCanvases.delete(canvas);
      },
    },
  });

  const field = (tag: 'input' | 'textarea') => ({
    properties: {
      value: { type: String, value: '' },
      type: { type: String, value: 'text' },
      password: { type: Boolean, value: false },
      placeholder: { type: String, value: '' },
      disabled: { type: Boolean, value: false },
      maxlength: { type: Number, value: 140 },
      focus: { type: Boolean, value: false },
      autoFocus: { type: Boolean, value: false },
      autoHeight: { type: Boolean, value: false },
      confirmType: { type: String, value: 'done' },
    },
    observers: {
      'value, type, password, placeholder, disabled, maxlength'(this: Caller) {
        updateField(this);
      },
    },
    lifetimes: {
      attached(this: Caller) {
        const control = document.createElement(tag);
        control.addEventListener('input', () => {
          const value = control.value;
          this.triggerEvent('input', {
            value,
            cursor: control.selectionStart ?? value.length,
            keyCode: 0,
          });
          fitHeight(this, control);
        });
        control.addEventListener('focus', () =>
          this.triggerEvent('focus', { value: control.value, height: 0 }),
        );
        control.addEventListener('blur', () => this.triggerEvent('blur', { value: control.value }));
        control.addEventListener('keydown', (event) => {
          const key = (event as KeyboardEvent).key;
          if (key === 'Enter' && (tag === 'input' || !(event as KeyboardEvent).shiftKey)) {
            if (tag === 'input') event.preventDefault();
            this.triggerEvent('confirm', { value: control.value });
          }
        });
        domOf(this).appendChild(control);
        updateField(this);
        if (this.data.focus || this.data.autoFocus) setTimeout(() => control.focus(), 0);
      },
    },
  });
  register('input', field('input'));
  register('textarea', field('textarea'));

  register('picker', {
    properties: {
      mode: { type: String, value: 'selector' },
      range: { type: Array, value: [] },
      rangeKey: { type: String, value: '' },
      value: { type: null, value: 0 },
      start: { type: String, value: '' },
      end: { type: String, value: '' },
      fields: { type: String, value: 'day' },
      disabled: { type: Boolean, value: false },
      headerText: { type: String, value: '' },
    },
    lifetimes: {
      attached(this: Caller) {
        this._exparserNode.addListener('tap', () => {
          if (this.data.disabled) return;
          const { mode, range, rangeKey, value, start, end, headerText } = this.data as {
            [key: string]: unknown;
          };
          hooks
            .pick({
              mode: String(mode),
              range: Array.isArray(range) ? range : [],
              rangeKey: String(rangeKey ?? ''),
              value,
              start: String(start ?? ''),
              end: String(end ?? ''),
              headerText: String(headerText ?? ''),
            })
            .then((picked) => {
              if (picked === null) this.triggerEvent('cancel', {});
              else this.triggerEvent('change', { value: picked });
            })
            .catch(() => undefined);
        });
      },
    },
  });

  register('navigator', {
    properties: {
      url: { type: String, value: '' },
      openType: { type: String, value: 'navigate' },
      delta: { type: Number, value: 1 },
      ...hoverProperties('navigator-hover', 50, 600),
    },
    lifetimes: {
      attached(this: Caller) {
        this._exparserNode.addListener('tap', () =>
          hooks.navigate(
            String(this.data.openType),
            String(this.data.url),
            Number(this.data.delta),
          ),
        );
      },
    },
  });

  register('scroll-view', {
    properties: {
      scrollX: { type: Boolean, value: false },
      scrollY: { type: Boolean, value: false },
      scrollTop: { type: null, value: '' },
      scrollLeft: { type: null, value: '' },
    },
    observers: {
      'scrollX, scrollY, scrollTop, scrollLeft'(this: Caller) {
        const el = domOf(this);
        reflect(el, 'scroll-x', this.data.scrollX);
        reflect(el, 'scroll-y', this.data.scrollY);
        if (typeof this.data.scrollTop === 'number') el.scrollTop = this.data.scrollTop;
        if (typeof this.data.scrollLeft === 'number') el.scrollLeft = this.data.scrollLeft;
      },
    },
  });

  installCanvasNodes();
}

function reflectButton(caller: Caller): void {
  const el = domOf(caller);
  const { size, type, plain, disabled, loading } = caller.data;
  reflect(el, 'size', size === 'default' ? '' : size);
  reflect(el, 'type', type === 'default' ? '' : type);
  reflect(el, 'plain', plain);
  reflect(el, 'disabled', disabled);
  reflect(el, 'loading', loading);
  el.setAttribute('aria-disabled', disabled ? 'true' : 'false');
}

function updateImage(caller: Caller, hooks: BuiltinHooks): void {
  const host = domOf(caller);
  const img = host?.querySelector(':scope > img') as HTMLImageElement | null;
  if (!img) return;
  const src = String(caller.data.src ?? '');
  host.setAttribute('mode', String(caller.data.mode ?? 'scaleToFill'));
  reflect(host, 'data-menu', caller.data.showMenuByLongpress);
  const url = src ? hooks.resolveImage(src, caller._exparserNode) : '';
  if (url) img.src = url;
  else img.removeAttribute('src');
}

function updateField(caller: Caller): void {
  const control = domOf(caller)?.querySelector(':scope > input, :scope > textarea') as
    HTMLInputElement | HTMLTextAreaElement | null;
  if (!control) return;
  const { value, type, password, placeholder, disabled, maxlength } = caller.data;
  const text = value === undefined || value === null ? '' : String(value);
  if (control.value !== text) control.value = text;
  control.placeholder = String(placeholder ?? '');
  control.disabled = Boolean(disabled);
  const max = Number(maxlength);
  if (Number.isFinite(max) && max >= 0) control.maxLength = max;
  else control.removeAttribute('maxlength');
  if (control instanceof HTMLInputElement) {
    control.type = password ? 'password' : 'text';
    control.inputMode =
      type === 'number' || type === 'idcard' ? 'numeric' : type === 'digit' ? 'decimal' : 'text';
  }
  fitHeight(caller, control);
}

function fitHeight(caller: Caller, control: HTMLInputElement | HTMLTextAreaElement): void {
  if (!(control instanceof HTMLTextAreaElement) || !caller.data.autoHeight) return;
  control.style.height = 'auto';
  control.style.height = `${control.scrollHeight}px`;
  domOf(caller).style.height = 'auto';
}

/**
 * j-component's selector queries answer id, dataset, rect, size… but not `node`. Add it for
 * `<canvas type="2d">`, as the phone does (and as test/miniprogram/support/simulate.ts does with a
 * recording stand-in).
 */
function installCanvasNodes(): void {
  const exec = SelectorQuery.prototype.exec;
  const withNodes = <T>(answer: T, query: SelectorQuery.QueuedQuery): T => {
    if (!query.fields.node || !query.exparserNode || !answer) return answer;
    const root = query.exparserNode.shadowRoot;
    if (!root) return answer;
    const nodes = query.isSelectSingle
      ? [root.querySelector(query.selector)].filter((n): n is exparser.Element => n !== null)
      : root.querySelectorAll(query.selector);
    const answers = (query.isSelectSingle ? [answer] : answer) as Array<Record<string, unknown>>;
    answers.forEach((item, i) => {
      if (item && nodes[i] && !('node' in item)) item.node = canvases.get(nodes[i]) ?? null;
    });
    return answer;
  };
  SelectorQuery.prototype.exec = function execWithNodes(this: SelectorQuery, callback) {
    const queue = this._queue.slice();
    this._queueCallback = this._queueCallback.map(
      (cb, i) => cb && ((answer) => cb.call(this, withNodes(answer, queue[i]))),
    );
    exec.call(
      this,
      callback &&
        ((answers) =>
          callback.call(
            this,
            answers.map((a, i) => withNodes(a, queue[i])),
          )),
    );
  };
}
