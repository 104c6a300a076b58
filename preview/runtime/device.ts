/**
 * The phone in the preview: status bar, WeChat's navigation bar (back / home, title, capsule),
 * the page area, the home indicator, and what WeChat draws over a page: toasts, the loading
 * toast, modals, action sheets, and the preview's stand-ins for the camera (scan) and sharing.
 *
 * Each page gets a view: a layer the size of the window that is a containing block for
 * `position: fixed` (so a page's footer bar sticks to the phone's bottom, not the browser's),
 * with a scroller inside, with `<wx-page>` (what WXSS calls `page`) inside that.
 */
import { append, clear, h } from './dom';
import type { PickOptions } from './builtins';
import type { PreviewError } from './report';

export interface PageView {
  /** the layer (shown while its page is on top) */
  layer: HTMLElement;
  scroller: HTMLElement;
  /** `page` in WXSS */
  wxPage: HTMLElement;
}

export interface NavigationBar {
  title: string;
  background: string;
  textStyle: 'black' | 'white';
  canGoBack: boolean;
  showHome: boolean;
}

export interface ToastOptions {
  title: string;
  icon: 'success' | 'error' | 'loading' | 'none';
  duration: number;
  mask: boolean;
}

export interface ModalOptions {
  title: string;
  content: string;
  showCancel: boolean;
  cancelText: string;
  confirmText: string;
  editable: boolean;
  placeholderText: string;
}

export interface ScanCandidate {
  text: string;
  label: string;
}

export interface Device {
  readonly element: HTMLElement;
  createPageView(route: string): PageView;
  removePageView(view: PageView): void;
  showPageView(view: PageView): void;
  setNavigationBar(bar: NavigationBar): void;
  onBack(handler: () => void): void;
  onHome(handler: () => void): void;
  onMenu(handler: () => void): void;
  showToast(options: ToastOptions): void;
  hideToast(): void;
  showModal(options: ModalOptions): Promise<{ confirm: boolean; content?: string }>;
  showActionSheet(items: string[], itemColor?: string): Promise<number | null>;
  scan(candidates: ScanCandidate[]): Promise<string | null>;
  showPageError(view: PageView, error: PreviewError): void;
  setRefreshing(view: PageView, refreshing: boolean): void;
  previewImage(url: string): void;
  vibrate(): void;
  pick(options: PickOptions): Promise<unknown | null>;
  showShareSheet(
    share: { title: string; path: string; imageUrl?: string },
    openAsNew: () => void,
  ): void;
}

export function createDevice(): Device {
  const backButton = h('button', { className: 'pv-nav__back', 'aria-label': '返回' }, '‹');
  const homeButton = h('button', { className: 'pv-nav__home', 'aria-label': '首页' }, '⌂');
  const title = h('div', { className: 'pv-nav__title' });
  const menuButton = h('button', { className: 'pv-capsule__menu', 'aria-label': '更多' }, '•••');
  const nav = h(
    'div',
    { className: 'pv-nav' },
    h('div', { className: 'pv-nav__left' }, backButton, homeButton),
    title,
    h(
      'div',
      { className: 'pv-capsule' },
      menuButton,
      h('span', { className: 'pv-capsule__sep' }),
      h('span', { className: 'pv-capsule__close', 'aria-hidden': 'true' }, '◉'),
    ),
  );
  const clock = h('span', { className: 'pv-status__time' }, '9:41');
  const status = h(
    'div',
    { className: 'pv-status' },
    clock,
    h(
      'span',
      { className: 'pv-status__icons', 'aria-hidden': 'true' },
      h('i', { className: 'pv-status__signal' }),
      h('i', { className: 'pv-status__battery' }),
    ),
  );
  const pages = h('div', { className: 'pv-pages' });
  const overlay = h('div', { className: 'pv-overlay' });
  const screen = h(
    'div',
    { className: 'pv-screen' },
    status,
    nav,
    pages,
    h('div', { className: 'pv-home-indicator' }),
    overlay,
  );
  const element = h('div', { className: 'pv-device', 'data-testid': 'device' }, screen);

  const handlers = { back: () => undefined, home: () => undefined, menu: () => undefined } as {
    back: () => void;
    home: () => void;
    menu: () => void;
  };
  backButton.addEventListener('click', () => handlers.back());
  homeButton.addEventListener('click', () => handlers.home());
  menuButton.addEventListener('click', () => handlers.menu());

  let toastTimer: ReturnType<typeof setTimeout> | undefined;
  let toastEl: HTMLElement | null = null;

  const removeToast = () => {
    if (toastTimer) clearTimeout(toastTimer);
    toastTimer = undefined;
    toastEl?.remove();
    toastEl = null;
  };

  /** A layer over the screen that closes with `done`. */
  const layer = (className: string, ...children: Node[]): HTMLElement => {
    const el = h('div', { className: `pv-layer ${className}` }, ...children);
    overlay.appendChild(el);
    return el;
  };

  return {
    element,

    createPageView(route) {
      const wxPage = document.createElement('wx-page');
      const scroller = h('div', { className: 'pv-page__scroll' }, wxPage);
      const layerEl = h('div', { className: 'pv-page', 'data-route': route }, scroller);
      pages.appendChild(layerEl);
      return { layer: layerEl, scroller, wxPage };
    },

    removePageView(view) {
      view.layer.remove();
    },

    showPageView(view) {
      for (const el of Array.from(pages.children)) {
        (el as HTMLElement).classList.toggle('pv-page--top', el === view.layer);
      }
    },

    setNavigationBar(bar) {
      title.textContent = bar.title;
      nav.style.background = bar.background;
      status.style.background = bar.background;
      nav.classList.toggle('pv-nav--white', bar.textStyle === 'white');
      status.classList.toggle('pv-status--white', bar.textStyle === 'white');
      backButton.hidden = !bar.canGoBack;
      homeButton.hidden = bar.canGoBack || !bar.showHome;
    },

    onBack(handler) {
      handlers.back = handler;
    },
    onHome(handler) {
      handlers.home = handler;
    },
    onMenu(handler) {
      handlers.menu = handler;
    },

    showToast(options) {
      removeToast();
      const icon =
        options.icon === 'none'
          ? null
          : h(
              'div',
              {
                className: `pv-toast__icon pv-toast__icon--${options.icon}`,
                'aria-hidden': 'true',
              },
              options.icon === 'success' ? '✓' : options.icon === 'error' ? '✕' : '',
            );
      const box = h(
        'div',
        {
          className: `pv-toast ${icon ? 'pv-toast--icon' : 'pv-toast--text'}`,
          role: 'status',
          'data-testid': 'toast',
        },
        icon,
        h('div', { className: 'pv-toast__title' }, options.title),
      );
      toastEl = layer(options.mask ? 'pv-layer--mask-clear' : 'pv-layer--passthrough', box);
      if (options.duration > 0 && options.icon !== 'loading') {
        toastTimer = setTimeout(removeToast, options.duration);
      }
    },

    hideToast: removeToast,

    showModal(options) {
      return new Promise((resolve) => {
        const input = options.editable
          ? h('textarea', {
              className: 'pv-modal__input',
              placeholder: options.placeholderText,
            })
          : null;
        if (input) input.value = options.content;
        const close = (confirm: boolean) => {
          el.remove();
          resolve(input ? { confirm, content: input.value } : { confirm });
        };
        const dialog = h(
          'div',
          { className: 'pv-modal', role: 'dialog', 'data-testid': 'modal' },
          h(
            'div',
            { className: 'pv-modal__body' },
            options.title ? h('div', { className: 'pv-modal__title' }, options.title) : null,
            input ??
              (options.content
                ? h('div', { className: 'pv-modal__content' }, options.content)
                : null),
          ),
          h(
            'div',
            { className: 'pv-modal__buttons' },
            options.showCancel
              ? h(
                  'button',
                  { className: 'pv-modal__cancel', onclick: () => close(false) },
                  options.cancelText,
                )
              : null,
            h(
              'button',
              { className: 'pv-modal__confirm', onclick: () => close(true) },
              options.confirmText,
            ),
          ),
        );
        const el = layer('pv-layer--mask', dialog);
        input?.focus();
      });
    },

    showActionSheet(items, itemColor = '#000000') {
      return new Promise((resolve) => {
        const close = (index: number | null) => {
          el.remove();
          resolve(index);
        };
        const sheet = h(
          'div',
          { className: 'pv-sheet', role: 'menu' },
          items.map((item, index) =>
            h(
              'button',
              {
                className: 'pv-sheet__item',
                style: `color:${itemColor}`,
                onclick: () => close(index),
              },
              item,
            ),
          ),
          h('button', { className: 'pv-sheet__cancel', onclick: () => close(null) }, '取消'),
        );
        const el = layer('pv-layer--mask pv-layer--bottom', sheet);
      });
    },

    scan(candidates) {
      return new Promise((resolve) => {
        const input = h('textarea', {
          className: 'pv-scan__input',
          placeholder: '粘贴二维码内容',
          'data-testid': 'scan-input',
        });
        input.value = candidates[0]?.text ?? '';
        const close = (value: string | null) => {
          el.remove();
          resolve(value);
        };
        const list = candidates.length
          ? h(
              'div',
              { className: 'pv-scan__list' },
              candidates.map((candidate) =>
                h(
                  'button',
                  {
                    className: 'pv-scan__candidate',
                    title: candidate.text,
                    onclick: () => close(candidate.text),
                  },
                  h('span', { className: 'pv-scan__label' }, candidate.label),
                  h('span', { className: 'pv-scan__text' }, candidate.text),
                ),
              ),
            )
          : h(
              'div',
              { className: 'pv-scan__empty' },
              '还没有见过二维码。先以顾客身份打开券码页，再切换到店员。',
            );
        const dialog = h(
          'div',
          { className: 'pv-modal pv-scan', role: 'dialog', 'data-testid': 'scan' },
          h(
            'div',
            { className: 'pv-modal__body' },
            h('div', { className: 'pv-modal__title' }, '模拟扫码'),
            h(
              'div',
              { className: 'pv-scan__hint' },
              '预览里没有摄像头：选择本浏览器里显示过的二维码，或粘贴内容。',
            ),
            list,
            input,
          ),
          h(
            'div',
            { className: 'pv-modal__buttons' },
            h('button', { className: 'pv-modal__cancel', onclick: () => close(null) }, '取消'),
            h(
              'button',
              {
                className: 'pv-modal__confirm',
                'data-testid': 'scan-confirm',
                onclick: () => close(input.value.trim() || null),
              },
              '识别',
            ),
          ),
        );
        const el = layer('pv-layer--mask', dialog);
      });
    },

    showPageError(view, error) {
      const existing = view.layer.querySelector('.pv-page-error');
      existing?.remove();
      const box = h(
        'div',
        { className: 'pv-page-error', role: 'alert', 'data-testid': 'page-error' },
        h('div', { className: 'pv-page-error__title' }, `页面出错 · ${error.where}`),
        h('div', { className: 'pv-page-error__message' }, error.message),
        error.stack ? h('pre', { className: 'pv-page-error__stack' }, error.stack) : null,
        h('button', { className: 'pv-page-error__close', onclick: () => box.remove() }, '关闭'),
      );
      view.layer.appendChild(box);
    },

    setRefreshing(view, refreshing) {
      view.layer.classList.toggle('pv-page--refreshing', refreshing);
    },

    previewImage(url) {
      const el = layer(
        'pv-layer--dark',
        h('img', { className: 'pv-image-preview', src: url, alt: '' }),
      );
      el.addEventListener('click', () => el.remove());
    },

    pick(options) {
      return new Promise((resolve) => {
        const close = (value: unknown | null) => {
          el.remove();
          resolve(value);
        };
        let body: HTMLElement;
        let read: () => unknown;
        if (options.mode === 'date' || options.mode === 'time') {
          const input = h('input', {
            className: 'pv-picker__input',
            type: options.mode,
            min: options.start || undefined,
            max: options.end || undefined,
            'data-testid': 'picker-input',
          });
          input.value = String(options.value ?? '');
          body = input;
          read = () => input.value;
        } else if (options.mode === 'selector') {
          const select = h('select', { className: 'pv-picker__input', size: 6 });
          options.range.forEach((item, index) => {
            const label =
              options.rangeKey && item && typeof item === 'object'
                ? String((item as Record<string, unknown>)[options.rangeKey])
                : String(item);
            select.appendChild(h('option', { value: String(index) }, label));
          });
          select.value = String(Number(options.value) || 0);
          body = select;
          read = () => Number(select.value);
        } else {
          const input = h('input', { className: 'pv-picker__input' });
          input.value = JSON.stringify(options.value ?? '');
          body = input;
          read = () => {
            try {
              return JSON.parse(input.value) as unknown;
            } catch {
              return input.value;
            }
          };
        }
        const sheet = h(
          'div',
          { className: 'pv-sheet pv-picker', role: 'dialog', 'data-testid': 'picker' },
          h(
            'div',
            { className: 'pv-picker__bar' },
            h('button', { className: 'pv-picker__cancel', onclick: () => close(null) }, '取消'),
            h('span', { className: 'pv-picker__title' }, options.headerText),
            h(
              'button',
              {
                className: 'pv-picker__confirm',
                'data-testid': 'picker-confirm',
                onclick: () => close(read()),
              },
              '确定',
            ),
          ),
          body,
        );
        const el = layer('pv-layer--mask pv-layer--bottom', sheet);
      });
    },

    showShareSheet(share, openAsNew) {
      const close = () => el.remove();
      const card = h(
        'div',
        { className: 'pv-share-card' },
        h('div', { className: 'pv-share-card__app' }, '小程序'),
        h('div', { className: 'pv-share-card__title' }, share.title),
        share.imageUrl
          ? h('img', { className: 'pv-share-card__image', src: share.imageUrl, alt: '' })
          : h('div', { className: 'pv-share-card__image pv-share-card__image--blank' }),
        h('code', { className: 'pv-share-card__path' }, share.path),
      );
      const sheet = h(
        'div',
        { className: 'pv-modal pv-share-sheet', role: 'dialog', 'data-testid': 'share-sheet' },
        h(
          'div',
          { className: 'pv-modal__body' },
          h('div', { className: 'pv-modal__title' }, '分享给好友'),
          card,
        ),
        h(
          'div',
          { className: 'pv-modal__buttons' },
          h('button', { className: 'pv-modal__cancel', onclick: close }, '关闭'),
          h(
            'button',
            {
              className: 'pv-modal__confirm',
              'data-testid': 'share-open-as-new',
              onclick: () => {
                close();
                openAsNew();
              },
            },
            '以新访客打开',
          ),
        ),
      );
      const el = layer('pv-layer--mask', sheet);
    },

    vibrate() {
      element.classList.remove('pv-device--buzz');
      void element.offsetWidth;
      element.classList.add('pv-device--buzz');
    },
  };
}

/** A banner over the screen (sources changed, backend unreachable…). */
export function banner(device: Device, text: string, action?: { label: string; run: () => void }) {
  const el = h(
    'div',
    { className: 'pv-banner', role: 'status' },
    h('span', {}, text),
    action ? h('button', { onclick: action.run }, action.label) : null,
  );
  const screen = device.element.querySelector('.pv-screen');
  if (screen) {
    screen.querySelector('.pv-banner')?.remove();
    append(screen, el);
  }
  return el;
}

export { clear };
