/**
 * The `wx` object the pages call, backed by the browser and the emulator:
 * - `wx.cloud.callFunction` → `POST /functions/<name>` with `x-wx-openid` (the preview's user);
 *   `wx.cloud.uploadFile` → `POST /__emulator/upload` (the emulated storage).
 * - navigation → the Router (stack of up to 10 pages, as WeChat allows);
 * - toasts, loading, modals, action sheets → drawn on the phone (device.ts);
 * - `scanCode` → a dialog offering the QR codes this browser has shown (scannable.ts);
 * - `chooseMedia` → a file input; `setClipboardData` → the clipboard (and WeChat's toast);
 * - `requestSubscribeMessage` → WeChat's subscribe sheet; 允许 tells the emulated WeChat
 *   (`POST /__emulator/subscriptions`), so the server's sends to this user go through;
 *   `chooseAddress` → the address book's sheet, with DevTools' sample address (Rewards, issue 12);
 * - storage → localStorage, per user (each WeChat user has their own);
 * - window and system info → the frame (frame.ts).
 * - issue 10: `wx.request` → fetch; `wx.cloud.downloadFile` → the emulated storage's URL;
 *   `canvasToTempFilePath` → the canvas as a PNG blob; `saveImageToPhotosAlbum` → the album
 *   (`albumImages()`, what the e2e walk reads back); the album permission (getSetting,
 *   openSetting, authorize) granted; opened from Moments (launch scene 1154), `wx.cloud` and
 *   navigation fail as WeChat's single-page mode makes them fail, and the failure is reported.
 *
 * As in WeChat, an API called without success/fail/complete answers a promise; with any of them
 * it calls them (asynchronously) and answers nothing. An API the preview does not emulate fails
 * with `<name>:fail not supported in the preview` and is reported once.
 */
import type { Device } from './device';
import {
  NAVIGATION_BAR_HEIGHT,
  pixelRatio,
  SAFE_AREA_BOTTOM,
  SCREEN_HEIGHT,
  SCREEN_WIDTH,
  STATUS_BAR_HEIGHT,
  WINDOW_HEIGHT,
  WINDOW_WIDTH,
} from './frame';
import { reportCall, reportError } from './report';
import type { Router } from './router';
import { rememberQrCodes, seenQrCodes } from './scannable';
import { REMINDER_NAMES } from '../../cloudfunctions/_shared/domain/reminders';
import type { ReminderEvent } from '../../cloudfunctions/_shared/constants';
import SelectorQuery from 'j-component/src/tool/selectorquery';

type Options = Record<string, unknown> & {
  success?: (result: unknown) => void;
  fail?: (error: unknown) => void;
  complete?: (result: unknown) => void;
};

/** A picture saved with saveImageToPhotosAlbum, in the order saved (issue 10). */
export interface AlbumImage {
  filePath: string;
  /** a URL the browser can load (object URL of the PNG) */
  url: string;
  at: number;
}

const album: AlbumImage[] = [];

/** What the visitor saved to their album in this browser tab. */
export function albumImages(): readonly AlbumImage[] {
  return album;
}

/** WeChat's scene for a page opened from Moments (朋友圈单页模式). */
const MOMENTS_SINGLE_PAGE_SCENE = 1154;

export interface WxContext {
  device: Device;
  router: Router;
  openid: string;
  /** label of the current user for the QR codes they show */
  userLabel: () => string;
  /** the backend told us this user's invite code */
  learnedInviteCode(code: string): void;
  /** the Mini Program's name, as WeChat's sheets print it (Rewards, issue 12) */
  appName?: () => string;
  launch: { path: string; query: Record<string, string>; scene: number };
}

class ApiFailure extends Error {}

/** Wraps an implementation in WeChat's calling convention. */
function api(name: string, impl: (options: Options) => unknown) {
  return (options: Options = {}) => {
    const opts = options ?? {};
    const promise = Promise.resolve()
      .then(() => impl(opts))
      .then(
        (result) => ({ errMsg: `${name}:ok`, ...(result as object) }),
        (error: unknown) => {
          const reason =
            error instanceof Error ? error.message : (error as { errMsg?: string })?.errMsg;
          throw { errMsg: `${name}:fail ${reason ?? String(error)}` };
        },
      );
    if (!opts.success && !opts.fail && !opts.complete) return promise;
    promise.then(
      (result) => {
        opts.success?.(result);
        opts.complete?.(result);
      },
      (error: unknown) => {
        opts.fail?.(error);
        opts.complete?.(error);
      },
    );
    return undefined;
  };
}

const tempFiles = new Map<string, Blob>();

/** What WeChat DevTools answers `wx.chooseAddress` with: its sample address. */
const SAMPLE_ADDRESS = {
  userName: '张三',
  postalCode: '510000',
  provinceName: '广东省',
  cityName: '广州市',
  countyName: '海珠区',
  detailInfo: '新港中路397号',
  nationalCode: '510000',
  telNumber: '020-81167888',
};

function windowInfo() {
  return {
    pixelRatio: pixelRatio(),
    screenWidth: SCREEN_WIDTH,
    screenHeight: SCREEN_HEIGHT,
    windowWidth: WINDOW_WIDTH,
    windowHeight: WINDOW_HEIGHT,
    statusBarHeight: STATUS_BAR_HEIGHT,
    screenTop: STATUS_BAR_HEIGHT + NAVIGATION_BAR_HEIGHT,
    safeArea: {
      left: 0,
      right: SCREEN_WIDTH,
      top: STATUS_BAR_HEIGHT,
      bottom: SCREEN_HEIGHT - SAFE_AREA_BOTTOM,
      width: SCREEN_WIDTH,
      height: SCREEN_HEIGHT - STATUS_BAR_HEIGHT - SAFE_AREA_BOTTOM,
    },
  };
}

function systemInfo() {
  return {
    ...windowInfo(),
    brand: 'devtools',
    model: 'iPhone X (preview)',
    system: 'iOS 16.0',
    platform: 'devtools',
    version: '8.0.50',
    SDKVersion: '3.4.0',
    language: 'zh_CN',
    fontSizeSetting: 16,
    theme: 'light',
  };
}

export function createWx(context: WxContext): Record<string, unknown> {
  const { device, router } = context;
  let loadingShown = false;
  const storagePrefix = `growth-kit-preview:storage:${context.openid}:`;

  const callFunction = async (options: Options) => {
    const name = String(options.name ?? '');
    const data = (options.data ?? {}) as Record<string, unknown>;
    const started = performance.now();
    const record = (outcome: string) =>
      reportCall({
        name,
        action: typeof data.action === 'string' ? data.action : '',
        openid: context.openid,
        ms: Math.round(performance.now() - started),
        outcome,
      });
    let response: Response;
    try {
      response = await fetch(`/functions/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wx-openid': context.openid },
        body: JSON.stringify(data),
      });
    } catch {
      record('network error');
      throw new ApiFailure(`-504002 functions execute fail (the emulator is not reachable)`);
    }
    const result = (await response.json().catch(() => null)) as {
      ok?: boolean;
      error?: { code?: string };
      data?: { inviteCode?: unknown };
    } | null;
    if (!response.ok && !(result && typeof result === 'object' && 'ok' in result)) {
      record(`HTTP ${response.status}`);
      // The platform answered instead of the function (a timeout, an event too large): its
      // errCode/errMsg, as wx.cloud.callFunction reports them.
      const platform = result as { errCode?: unknown; errMsg?: unknown } | null;
      if (platform && typeof platform.errCode === 'number' && typeof platform.errMsg === 'string') {
        throw new ApiFailure(`errCode: ${platform.errCode}  | errMsg: ${platform.errMsg}`);
      }
      throw new ApiFailure(`-501000 [ResourceNotFound] FunctionName parameter could not be found`);
    }
    record(result?.ok ? 'ok' : (result?.error?.code ?? 'error'));
    if (
      name === 'api' &&
      data.action === 'session.enter' &&
      result?.ok &&
      typeof result.data?.inviteCode === 'string'
    ) {
      context.learnedInviteCode(result.data.inviteCode);
    }
    return { result, requestID: response.headers.get('x-request-id') ?? '' };
  };

  /** The events of template ids, as the campaign maps them (what the sheet lists). */
  const reminderNames = async (ids: string[]): Promise<string[]> => {
    const response = await fetch('/functions/api', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-wx-openid': context.openid },
      body: JSON.stringify({ action: 'reminders.get' }),
    }).catch(() => null);
    const answer = (await response?.json().catch(() => null)) as {
      data?: { templates?: Array<{ event: ReminderEvent; templateId: string }> };
    } | null;
    const templates = answer?.data?.templates ?? [];
    return ids.map((id) => {
      const event = templates.find((t) => t.templateId === id)?.event;
      return event ? REMINDER_NAMES[event] : id;
    });
  };

  const uploadFile = async (options: Options) => {
    const cloudPath = String(options.cloudPath ?? '');
    const filePath = String(options.filePath ?? '');
    const blob = tempFiles.get(filePath) ?? (await (await fetch(filePath)).blob());
    const response = await fetch(`/__emulator/upload?cloudPath=${encodeURIComponent(cloudPath)}`, {
      method: 'POST',
      headers: { 'content-type': blob.type || 'application/octet-stream' },
      body: blob,
    });
    const answer = (await response.json()) as { fileID?: string; errMsg?: string };
    if (!response.ok || !answer.fileID) throw new ApiFailure(answer.errMsg ?? 'upload failed');
    return { fileID: answer.fileID, statusCode: 200 };
  };

  const chooseFiles = (accept: string, count: number): Promise<File[]> =>
    new Promise((resolve, reject) => {
      const input = document.createElement('input');
      input.type = 'file';
      input.accept = accept;
      input.multiple = count > 1;
      input.style.display = 'none';
      input.addEventListener('change', () => {
        resolve(Array.from(input.files ?? []).slice(0, count));
        input.remove();
      });
      input.addEventListener('cancel', () => {
        reject(new ApiFailure('cancel'));
        input.remove();
      });
      document.body.appendChild(input);
      input.click();
    });

  const imageSize = (url: string): Promise<{ width: number; height: number }> =>
    new Promise((resolve) => {
      const img = new Image();
      img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
      img.onerror = () => resolve({ width: 0, height: 0 });
      img.src = url;
    });

  const navigation = (name: string, run: (url: string) => Promise<void>) =>
    api(name, async (options) => {
      await run(String(options.url ?? ''));
      return {};
    });

  const unsupported = new Set<string>();

  // Distribution (issue 10) -----------------------------------------------------------------

  const singlePage = context.launch.scene === MOMENTS_SINGLE_PAGE_SCENE;
  /** Single-page mode refuses what needs a login or another page: said, and reported. */
  const refusedInSinglePage = (name: string, impl: (options: Options) => unknown) =>
    singlePage
      ? api(name, () => {
          reportError('单页模式', new Error(`wx.${name} 在朋友圈单页模式中不可用`));
          throw new ApiFailure('not allowed in single-page mode');
        })
      : api(name, impl);

  const request = (options: Options) => {
    void (async () => {
      const method = String(options.method ?? 'GET').toUpperCase();
      try {
        const response = await fetch(String(options.url ?? ''), {
          method,
          headers: (options.header ?? {}) as Record<string, string>,
          ...(method === 'GET' || options.data === undefined
            ? {}
            : {
                body:
                  typeof options.data === 'string' ? options.data : JSON.stringify(options.data),
              }),
        });
        const text = await response.text();
        let data: unknown = text;
        if (options.dataType !== 'text') {
          try {
            data = JSON.parse(text);
          } catch {
            // not JSON: WeChat hands the text over as it is
          }
        }
        const result = { data, statusCode: response.status, header: {}, errMsg: 'request:ok' };
        options.success?.(result);
        options.complete?.(result);
      } catch (error) {
        const failure = { errMsg: `request:fail ${(error as Error).message}` };
        options.fail?.(failure);
        options.complete?.(failure);
      }
    })();
    return { abort: () => undefined, onHeadersReceived: () => undefined };
  };

  const canvasToTempFilePath = async (options: Options) => {
    const canvas = options.canvas as HTMLCanvasElement | undefined;
    if (!canvas?.toBlob) throw new ApiFailure('canvas is required (a Canvas 2D node)');
    const type = options.fileType === 'jpg' ? 'image/jpeg' : 'image/png';
    const blob = await new Promise<Blob | null>((resolve) =>
      canvas.toBlob(resolve, type, Number(options.quality ?? 0.92)),
    );
    if (!blob) throw new ApiFailure('the canvas could not be exported');
    const tempFilePath = URL.createObjectURL(blob);
    tempFiles.set(tempFilePath, blob);
    return { tempFilePath };
  };

  const saveImageToPhotosAlbum = (options: Options) => {
    const filePath = String(options.filePath ?? '');
    if (!tempFiles.has(filePath) && !filePath.startsWith('/')) {
      throw new ApiFailure('file not found');
    }
    album.push({ filePath, url: filePath, at: Date.now() });
    return {};
  };

  const grantedSettings = () => ({
    authSetting: { 'scope.writePhotosAlbum': true, 'scope.userInfo': true },
  });

  const wx: Record<string, unknown> = {
    cloud: {
      init: () => undefined,
      callFunction: refusedInSinglePage('cloud.callFunction', callFunction),
      uploadFile: refusedInSinglePage('cloud.uploadFile', uploadFile),
      getTempFileURL: refusedInSinglePage('cloud.getTempFileURL', async (options) => ({
        fileList: ((options.fileList ?? []) as string[]).map((fileID) => ({
          fileID,
          tempFileURL: cloudFileUrl(String(fileID)),
          status: 0,
        })),
      })),
      // issue 10: a canvas loads the stored file from the emulator's storage (same origin)
      downloadFile: refusedInSinglePage('cloud.downloadFile', async (options) => {
        const fileID = String(options.fileID ?? '');
        const url = cloudFileUrl(fileID);
        if (url === fileID) throw new ApiFailure(`not a cloud fileID: ${fileID}`);
        const response = await fetch(url);
        if (!response.ok) throw new ApiFailure(`-503003 storage file not exists: ${fileID}`);
        const blob = await response.blob();
        const tempFilePath = URL.createObjectURL(blob);
        tempFiles.set(tempFilePath, blob);
        return { tempFilePath, statusCode: 200 };
      }),
    },

    navigateTo: singlePage
      ? refusedInSinglePage('navigateTo', () => ({}))
      : navigation('navigateTo', (url) => router.navigateTo(url)),
    redirectTo: singlePage
      ? refusedInSinglePage('redirectTo', () => ({}))
      : navigation('redirectTo', (url) => router.redirectTo(url)),
    reLaunch: navigation('reLaunch', (url) => router.reLaunch(url)),
    switchTab: navigation('switchTab', (url) => router.reLaunch(url)),
    navigateBack: api('navigateBack', (options) => {
      router.navigateBack(Number(options.delta ?? 1));
      return {};
    }),

    // issue 10
    request,
    canvasToTempFilePath: api('canvasToTempFilePath', canvasToTempFilePath),
    getSetting: api('getSetting', grantedSettings),
    openSetting: api('openSetting', grantedSettings),
    authorize: api('authorize', () => ({})),

    showToast: api('showToast', (options) => {
      loadingShown = false;
      const icon = String(options.icon ?? 'success');
      device.showToast({
        title: String(options.title ?? ''),
        icon: (['success', 'error', 'loading', 'none'].includes(icon) ? icon : 'success') as
          'success' | 'error' | 'loading' | 'none',
        duration: Number(options.duration ?? 1500),
        mask: Boolean(options.mask),
      });
      return {};
    }),
    hideToast: api('hideToast', () => {
      device.hideToast();
      return {};
    }),
    showLoading: api('showLoading', (options) => {
      loadingShown = true;
      device.showToast({
        title: String(options.title ?? ''),
        icon: 'loading',
        duration: 0,
        mask: Boolean(options.mask),
      });
      return {};
    }),
    hideLoading: api('hideLoading', () => {
      if (loadingShown) device.hideToast();
      loadingShown = false;
      return {};
    }),
    showModal: api('showModal', async (options) => {
      const answer = await device.showModal({
        title: String(options.title ?? ''),
        content: String(options.content ?? ''),
        showCancel: options.showCancel !== false,
        cancelText: String(options.cancelText ?? '取消'),
        confirmText: String(options.confirmText ?? '确定'),
        editable: Boolean(options.editable),
        placeholderText: String(options.placeholderText ?? ''),
      });
      return { ...answer, cancel: !answer.confirm };
    }),
    showActionSheet: api('showActionSheet', async (options) => {
      const index = await device.showActionSheet(
        (options.itemList ?? []) as string[],
        options.itemColor as string | undefined,
      );
      if (index === null) throw new ApiFailure('cancel');
      return { tapIndex: index };
    }),

    showShareMenu: api('showShareMenu', () => ({})),
    hideShareMenu: api('hideShareMenu', () => ({})),
    updateShareMenu: api('updateShareMenu', () => ({})),
    hideHomeButton: api('hideHomeButton', () => ({})),

    setNavigationBarTitle: api('setNavigationBarTitle', (options) => {
      router.setTitle(String(options.title ?? ''));
      return {};
    }),
    setNavigationBarColor: api('setNavigationBarColor', () => ({})),
    showNavigationBarLoading: api('showNavigationBarLoading', () => ({})),
    hideNavigationBarLoading: api('hideNavigationBarLoading', () => ({})),
    startPullDownRefresh: api('startPullDownRefresh', () => {
      router.pullDownRefresh();
      return {};
    }),
    stopPullDownRefresh: api('stopPullDownRefresh', () => {
      router.stopPullDownRefresh();
      return {};
    }),
    pageScrollTo: api('pageScrollTo', (options) => {
      const view = router.top()?.view;
      const behavior = Number(options.duration ?? 300) > 0 ? 'smooth' : 'auto';
      // `selector` (base library 2.7.3): the first element matching it, at the top
      const target = options.selector ? view?.wxPage.querySelector(String(options.selector)) : null;
      if (target && view) {
        const top =
          target.getBoundingClientRect().top -
          view.scroller.getBoundingClientRect().top +
          view.scroller.scrollTop;
        view.scroller.scrollTo({ top, behavior });
        return {};
      }
      view?.scroller.scrollTo({ top: Number(options.scrollTop ?? 0), behavior });
      return {};
    }),

    setClipboardData: api('setClipboardData', async (options) => {
      const data = String(options.data ?? '');
      await navigator.clipboard?.writeText(data).catch(() => undefined);
      try {
        sessionStorage.setItem('growth-kit-preview:clipboard', data);
      } catch {
        // private mode: the clipboard API above is enough
      }
      device.showToast({ title: '内容已复制', icon: 'success', duration: 1500, mask: false });
      return {};
    }),
    getClipboardData: api('getClipboardData', async () => {
      const data =
        (await navigator.clipboard?.readText().catch(() => null)) ??
        sessionStorage.getItem('growth-kit-preview:clipboard') ??
        '';
      return { data };
    }),

    scanCode: api('scanCode', async () => {
      rememberQrCodes(
        `${context.userLabel()} · ${router.top() ? router.titleOf(router.top()!) : ''}`,
      );
      const candidates = seenQrCodes().map((seen) => ({
        text: seen.text,
        label: `${seen.label} · ${new Date(seen.at).toLocaleTimeString('zh-CN', { hour12: false })}`,
      }));
      const text = await device.scan(candidates);
      if (text === null) throw new ApiFailure('cancel');
      return {
        result: text,
        scanType: 'QR_CODE',
        charSet: 'utf-8',
        path: '',
        rawData: btoa(unescape(encodeURIComponent(text))),
      };
    }),

    // Rewards (issue 12)
    requestSubscribeMessage: api('requestSubscribeMessage', async (options) => {
      const ids = options.tmplIds;
      // WeChat's own refusals: no ids (10001), more than 3 at once (20003)
      if (!Array.isArray(ids) || ids.length === 0)
        throw new ApiFailure("10001 TmplIds can't be empty");
      if (ids.length > 3) throw new ApiFailure('20003 Templates count out of max bounds');
      const names = await reminderNames(ids as string[]);
      const answer = await device.showModal({
        title: '订阅消息',
        content: `${context.appName?.() ?? '小程序'}申请发送以下消息：\n${names.map((name) => `· ${name}`).join('\n')}`,
        showCancel: true,
        cancelText: '取消',
        confirmText: '允许',
        editable: false,
        placeholderText: '',
      });
      if (answer.confirm) {
        await fetch('/__emulator/subscriptions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ openid: context.openid, templateIds: ids }),
        });
      }
      const result: Record<string, string> = {};
      for (const id of ids as string[]) result[id] = answer.confirm ? 'accept' : 'reject';
      return result;
    }),
    chooseAddress: api('chooseAddress', async () => {
      const a = SAMPLE_ADDRESS;
      const answer = await device.showModal({
        title: '选择收货地址',
        content: `${a.userName} ${a.telNumber}\n${a.provinceName}${a.cityName}${a.countyName}${a.detailInfo}`,
        showCancel: true,
        cancelText: '取消',
        confirmText: '使用该地址',
        editable: false,
        placeholderText: '',
      });
      if (!answer.confirm) throw new ApiFailure('cancel');
      return { ...SAMPLE_ADDRESS };
    }),

    chooseMedia: api('chooseMedia', async (options) => {
      const types = (options.mediaType ?? ['image', 'video']) as string[];
      const accept =
        types.includes('video') && !types.includes('image')
          ? 'video/*'
          : types.includes('video')
            ? 'image/*,video/*'
            : 'image/*';
      const files = await chooseFiles(accept, Number(options.count ?? 9));
      const tempFiles = await Promise.all(files.map(toTempFile));
      return { tempFiles, type: tempFiles.every((f) => f.fileType === 'image') ? 'image' : 'mix' };
    }),
    chooseImage: api('chooseImage', async (options) => {
      const files = await chooseFiles('image/*', Number(options.count ?? 9));
      const list = await Promise.all(files.map(toTempFile));
      return {
        tempFilePaths: list.map((f) => f.tempFilePath),
        tempFiles: list.map((f) => ({ path: f.tempFilePath, size: f.size })),
      };
    }),
    getImageInfo: api('getImageInfo', async (options) => {
      const src = String(options.src ?? '');
      const size = await imageSize(src);
      if (!size.width) throw new ApiFailure('image not found');
      return { ...size, path: src, type: 'png', orientation: 'up' };
    }),
    previewImage: api('previewImage', (options) => {
      const urls = (options.urls ?? []) as string[];
      const current = String(options.current ?? urls[0] ?? '');
      device.previewImage(cloudFileUrl(current));
      return {};
    }),
    saveImageToPhotosAlbum: refusedInSinglePage('saveImageToPhotosAlbum', saveImageToPhotosAlbum),

    vibrateShort: api('vibrateShort', () => {
      device.vibrate();
      return {};
    }),
    vibrateLong: api('vibrateLong', () => {
      device.vibrate();
      return {};
    }),

    getWindowInfo: () => windowInfo(),
    getSystemInfoSync: () => systemInfo(),
    getSystemInfo: api('getSystemInfo', () => systemInfo()),
    getDeviceInfo: () => ({
      brand: 'devtools',
      model: 'iPhone X (preview)',
      system: 'iOS 16.0',
      platform: 'devtools',
      pixelRatio: pixelRatio(),
    }),
    getAppBaseInfo: () => ({
      SDKVersion: '3.4.0',
      language: 'zh_CN',
      version: '8.0.50',
      theme: 'light',
      enableDebug: false,
    }),
    getMenuButtonBoundingClientRect: () => ({
      width: 87,
      height: 32,
      top: STATUS_BAR_HEIGHT + 6,
      right: SCREEN_WIDTH - 7,
      bottom: STATUS_BAR_HEIGHT + 38,
      left: SCREEN_WIDTH - 94,
    }),
    getAccountInfoSync: () => ({
      miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' },
    }),
    getLaunchOptionsSync: () => ({ ...context.launch, referrerInfo: {} }),
    getEnterOptionsSync: () => ({ ...context.launch, referrerInfo: {} }),
    canIUse: () => true,
    nextTick: (callback: () => void) => Promise.resolve().then(callback),
    createSelectorQuery: () => {
      const caller = router.top()?.caller as { _exparserNode?: unknown } | null;
      return new SelectorQuery(caller as never);
    },
    login: api('login', () => ({ code: `preview-${context.openid}` })),
    checkSession: api('checkSession', () => ({})),
    reportAnalytics: () => undefined,
    reportEvent: () => undefined,
    onAppShow: () => undefined,
    onAppHide: () => undefined,
    offAppShow: () => undefined,
    offAppHide: () => undefined,
    onError: () => undefined,
    onUnhandledRejection: () => undefined,
    onNetworkStatusChange: () => undefined,
    getNetworkType: api('getNetworkType', () => ({ networkType: 'wifi' })),
    getUpdateManager: () => ({
      onCheckForUpdate: () => undefined,
      onUpdateReady: () => undefined,
      onUpdateFailed: () => undefined,
      applyUpdate: () => undefined,
    }),

    setStorageSync: (key: string, value: unknown) => {
      localStorage.setItem(storagePrefix + key, JSON.stringify(value));
    },
    getStorageSync: (key: string) => {
      const raw = localStorage.getItem(storagePrefix + key);
      return raw === null ? '' : (JSON.parse(raw) as unknown);
    },
    removeStorageSync: (key: string) => localStorage.removeItem(storagePrefix + key),
    clearStorageSync: () => {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith(storagePrefix)) localStorage.removeItem(key);
      }
    },
  };
  wx.setStorage = api('setStorage', (o) => {
    (wx.setStorageSync as (k: string, v: unknown) => void)(String(o.key), o.data);
    return {};
  });
  wx.getStorage = api('getStorage', (o) => {
    const raw = localStorage.getItem(storagePrefix + String(o.key));
    if (raw === null) throw new ApiFailure('data not found');
    return { data: JSON.parse(raw) as unknown };
  });
  wx.removeStorage = api('removeStorage', (o) => {
    localStorage.removeItem(storagePrefix + String(o.key));
    return {};
  });

  return new Proxy(wx, {
    get(target, key) {
      if (typeof key !== 'string' || key in target)
        return (target as Record<string | symbol, unknown>)[key];
      if (key === 'then' || key === 'toJSON') return undefined;
      return api(key, () => {
        if (!unsupported.has(key)) {
          unsupported.add(key);
          reportError('wx', new Error(`wx.${key} 在预览中没有模拟`));
        }
        throw new ApiFailure('not supported in the preview');
      });
    },
  });
}

async function toTempFile(file: File) {
  const tempFilePath = URL.createObjectURL(file);
  tempFiles.set(tempFilePath, file);
  const isImage = file.type.startsWith('image/');
  const size = isImage
    ? await new Promise<{ width: number; height: number }>((resolve) => {
        const img = new Image();
        img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
        img.onerror = () => resolve({ width: 0, height: 0 });
        img.src = tempFilePath;
      })
    : { width: 0, height: 0 };
  return { tempFilePath, size: file.size, fileType: isImage ? 'image' : 'video', ...size };
}

/** `cloud://<env>.<bucket>/<path>` → the emulator's file URL; anything else unchanged. */
export function cloudFileUrl(src: string): string {
  const match = /^cloud:\/\/[^/]+\/(.+)$/.exec(src);
  return match ? `/__emulator/files/${match[1].split('/').map(encodeURIComponent).join('/')}` : src;
}

/**
 * WeChat's avatar chooser (`<button open-type="chooseAvatar">`, issue 10): 使用微信头像 (a picture
 * drawn for this preview user, standing in for their WeChat avatar) or 从相册选择 (a file). Answers
 * a temporary path, as WeChat does, or null when cancelled.
 */
export async function chooseAvatar(device: Device, who: string): Promise<string | null> {
  const choice = await device.showActionSheet(['使用微信头像', '从相册选择']);
  if (choice === 0) return drawnAvatar(who);
  if (choice !== 1) return null;
  const file = await new Promise<File | null>((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = 'image/*';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    input.addEventListener('cancel', () => {
      resolve(null);
      input.remove();
    });
    document.body.appendChild(input);
    input.click();
  });
  return file ? (await toTempFile(file)).tempFilePath : null;
}

/** A 132 px picture standing in for a WeChat avatar: a figure on one of a few tea colours. */
async function drawnAvatar(who: string): Promise<string | null> {
  const canvas = document.createElement('canvas');
  canvas.width = 132;
  canvas.height = 132;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  const colours = ['#D2693C', '#6B8E7B', '#C9A45C', '#5B7FA6', '#B85C7A'];
  const seed = Array.from(who).reduce((n, c) => n + c.charCodeAt(0), 0);
  const gradient = ctx.createLinearGradient(0, 0, 132, 132);
  gradient.addColorStop(0, colours[seed % colours.length]);
  gradient.addColorStop(1, colours[(seed + 2) % colours.length]);
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, 132, 132);
  ctx.fillStyle = 'rgba(255, 253, 248, 0.92)';
  ctx.beginPath();
  ctx.arc(66, 52, 24, 0, Math.PI * 2); // head
  ctx.fill();
  ctx.beginPath();
  ctx.ellipse(66, 128, 46, 42, 0, Math.PI, 0); // shoulders
  ctx.fill();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) return null;
  const path = URL.createObjectURL(blob);
  tempFiles.set(path, blob);
  return path;
}
