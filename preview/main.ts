/**
 * The browser preview of the Mini Program (`/preview/`): the real pages — their WXML, WXSS and
 * TypeScript, the files that ship — rendered with j-component/exparser in a phone frame, calling
 * the local emulator. Bundled by scripts/bundle.mjs into dist/preview/runtime.{js,css}; served by
 * emulator/preview-server.ts.
 *
 * A launch is the URL: `/preview/?as=<openid>&path=<page route>&query=<url-encoded query>` (see
 * runtime/identity.ts). Boot: the chrome, the globals (`wx`, `Component`, `getApp`…), the
 * project description and the compiled WXML from the emulator, app.ts (`App()` → onLaunch), then
 * the launch page.
 */
import exparser from 'miniprogram-exparser';
import chromeCss from './chrome.css';
import { registerBuiltins } from './runtime/builtins';
import { banner, createDevice } from './runtime/device';
import { h } from './runtime/dom';
import { currentOpenid, freshOpenid, launchUrl, rememberUser } from './runtime/identity';
import {
  currentProject,
  evaluateWxml,
  installGlobals,
  loadApp,
  setProject,
  type Project,
} from './runtime/host';
import { createPanel, type PanelMessage } from './runtime/panel';
import { REMINDER_NAMES } from '../cloudfunctions/_shared/domain/reminders';
import type { ReminderEvent } from '../cloudfunctions/_shared/constants';
import { onCall, onError, reportedErrors, reportError, setDataSizes } from './runtime/report';
import type { SetDataSizes } from './runtime/set-data';
import { installPointer, Router } from './runtime/router';
import { rememberQrCodes } from './runtime/scannable';
import jsQR from 'jsqr';
import { albumImages, chooseAvatar, cloudFileUrl, createWx, type AlbumImage } from './runtime/wx';

/** What the e2e test reads (window.__preview). */
interface PreviewHandle {
  /** the launch finished (the first page is on screen, or its error is) */
  ready: Promise<void>;
  errors(): readonly { where: string; message: string }[];
  router: Router | null;
  openid: string;
  /** issue 10: what was saved to the album, and the QR code a picture carries (or null) */
  album(): readonly AlbumImage[];
  decodeQr(url: string): Promise<string | null>;
  /** issue 14: the largest setData payload of each page and component since the tab opened */
  setDataSizes(): SetDataSizes;
}

declare global {
  interface Window {
    __preview?: PreviewHandle;
  }
}

async function boot(): Promise<void> {
  const style = document.createElement('style');
  style.textContent = chromeCss;
  document.head.appendChild(style);

  const search = new URLSearchParams(window.location.search);
  const openid = currentOpenid(search);
  let user = rememberUser(openid);

  handle.openid = openid;
  const device = createDevice();
  const router = new Router(device, {
    changed(stack) {
      const top = stack[stack.length - 1];
      if (!top) return;
      const json = currentProject().modules[top.route]?.json ?? {};
      const window = currentProject().app.window ?? {};
      device.setNavigationBar({
        title: router.titleOf(top),
        background: String(
          json.navigationBarBackgroundColor ?? window.navigationBarBackgroundColor ?? '#ffffff',
        ),
        textStyle:
          (json.navigationBarTextStyle ?? window.navigationBarTextStyle) === 'white'
            ? 'white'
            : 'black',
        canGoBack: stack.length > 1,
        showHome: top.route !== currentProject().pages[0],
      });
      top.view.layer.style.background = String(
        json.backgroundColor ?? window.backgroundColor ?? '#ffffff',
      );
      panel.setStack(stack, (record) => router.titleOf(record));
      const params = new URLSearchParams({ as: openid, path: top.route });
      const query = new URLSearchParams(top.query).toString();
      if (query) params.set('query', query);
      history.replaceState(null, '', `${location.pathname}?${params.toString()}`);
    },
    shared(share) {
      panel.showShare(share);
      const [path, query = ''] = share.path.replace(/^\//, '').split('?');
      device.showShareSheet(
        { ...share, imageUrl: share.imageUrl && cloudFileUrl(share.imageUrl) },
        () => window.location.assign(launchUrl({ openid: freshOpenid(), path, query })),
      );
    },
  });
  handle.router = router;
  const panel = createPanel({
    back: () => {
      try {
        router.navigateBack(1);
      } catch {
        // already at the first page
      }
    },
    refresh: () => router.pullDownRefresh(),
    share: () => void router.share('menu'),
    relaunch: () => window.location.reload(),
    advanceClock: async (ms) => {
      const answer = await fetch('/__emulator/clock', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ advanceMs: ms }),
      });
      return clockText(await answer.json());
    },
    readClock: async () => clockText(await (await fetch('/__emulator/clock')).json()),
    // Rewards (issue 12)
    readMessages: () => readMessages(openid),
    runCron,
  });
  const root = document.getElementById('preview') ?? document.body;
  root.appendChild(h('div', { className: 'pv-layout' }, device.element, panel.element));
  panel.setUser(user);

  onError((error) => {
    panel.addError(error);
    const top = router.top();
    // errors from the page on screen also show on the phone
    if (top && !error.onPage && error.where !== 'wxml' && error.where !== 'typescript') {
      device.showPageError(top.view, error);
    }
  });
  onCall((call) => {
    panel.addCall(call);
    // a call may have made the server send a reminder (a friend's claim…)
    void panel.refreshMessages();
  });
  void panel.refreshMessages();
  window.addEventListener('error', (event) =>
    reportError(router.top()?.route ?? 'runtime', event.error ?? event.message),
  );
  window.addEventListener('unhandledrejection', (event) =>
    reportError(`${router.top()?.route ?? 'runtime'} · promise`, event.reason),
  );
  exparser.addGlobalErrorListener((error, info) => {
    reportError(`${router.top()?.route ?? 'component'} · ${info.type}`, error);
    return false; // reported: exparser need not print it again
  });

  device.onBack(() => {
    try {
      router.navigateBack(1);
    } catch {
      // the first page has no back
    }
  });
  device.onHome(() => void router.reLaunch(`/${currentProject().pages[0]}`));
  device.onMenu(() => {
    void device.showActionSheet(['转发给朋友', '重新进入小程序']).then((index) => {
      if (index === 0) void router.share('menu');
      if (index === 1) window.location.reload();
    });
  });
  // a user switch or a reload leaves the page: keep the QR codes it shows for wx.scanCode
  window.addEventListener('pagehide', () => {
    const top = router.top();
    rememberQrCodes(`${user.label} · ${top ? router.titleOf(top) : ''}`);
  });

  let project: Project;
  try {
    const response = await fetch('/preview/project.json');
    if (!response.ok) throw new Error(`GET /preview/project.json: HTTP ${response.status}`);
    project = (await response.json()) as Project;
  } catch (error) {
    reportError('runtime', error);
    banner(device, '连不上本机模拟器：请先运行 npm start');
    return;
  }
  for (const problem of project.errors) {
    reportError(
      problem.source === 'wxml' || problem.source === 'typescript'
        ? problem.source
        : `build · ${problem.source}`,
      new Error(problem.message),
    );
  }
  let gwx = null;
  try {
    const response = await fetch('/preview/wxml.js');
    const code = await response.text();
    if (!response.ok) throw new Error(code);
    gwx = evaluateWxml(code);
  } catch (error) {
    reportError('wxml', error);
  }
  setProject(project, gwx);
  panel.setPages(project.pages);

  const path = (search.get('path') ?? '').replace(/^\//, '') || project.pages[0];
  const queryString = search.get('query') ?? '';
  const query: Record<string, string> = {};
  new URLSearchParams(queryString).forEach((value, key) => (query[key] = value));
  const launch = {
    path,
    query,
    // 1047: scanned a Mini Program code; 1007: a friend's card; 1001: the chat list; `&scene=`
    // in the preview's URL chooses one (1154: opened from Moments, single-page mode)
    scene: Number(search.get('scene')) || (query.scene ? 1047 : query.inv ? 1007 : 1001),
  };

  const wx = createWx({
    device,
    router,
    openid,
    userLabel: () => user.label,
    learnedInviteCode(code) {
      user = rememberUser(openid, { inviteCode: code });
      panel.setUser(user);
    },
    appName: () => String(currentProject().app.window?.navigationBarTitleText ?? '小程序'),
    launch,
  });
  (globalThis as unknown as { wx: unknown }).wx = wx;
  installGlobals(() => router.pages());
  registerBuiltins({
    share: () => void router.share('button'),
    chooseAvatar: () => chooseAvatar(device, user.label),
    navigate(openType, url, delta) {
      const run =
        openType === 'navigateBack'
          ? Promise.resolve().then(() => router.navigateBack(delta))
          : openType === 'redirect'
            ? router.redirectTo(url)
            : openType === 'reLaunch' || openType === 'switchTab'
              ? router.reLaunch(url)
              : router.navigateTo(url);
      run.catch((error: unknown) => reportError('navigator', error));
    },
    pick: (options) => device.pick(options),
    resolveImage(src) {
      if (/^(https?:|data:|blob:)/.test(src)) return src;
      if (src.startsWith('cloud://')) return cloudFileUrl(src);
      const route = router.top()?.route ?? '';
      const base = src.startsWith('/')
        ? src.slice(1)
        : [...route.split('/').slice(0, -1), src].join('/');
      return `/preview/static/${base}`;
    },
  });
  installPointer(device.element.querySelector('.pv-pages') as HTMLElement, () => {
    void device
      .showActionSheet(['发送给朋友', '收藏', '保存图片', '识别图中的二维码'])
      .then((index) => {
        if (index === 3) {
          device.showToast({
            title: '预览中无法识别：请在真机上长按',
            icon: 'none',
            duration: 2000,
            mask: false,
          });
        }
      });
  });

  try {
    const instance = await loadApp();
    // issue 10: the Moments snapshot is read from the emulated storage, unless app.ts names one
    instance.globalData ??= {};
    instance.globalData.momentsSnapshotUrl ||= '/__emulator/files/public/moments.json';
    instance.onLaunch?.call(instance, launch);
    instance.onShow?.call(instance, launch);
  } catch (error) {
    reportError('app.ts', error);
  }

  const search2 = new URLSearchParams(query).toString();
  try {
    await router.reLaunch(`/${path}${search2 ? `?${search2}` : ''}`);
  } catch (error) {
    reportError(path, error);
  }

  watchSources(device, project.version);
}

function clockText(answer: { now?: string; offsetMs?: number }): string {
  if (!answer.now) return '—';
  const now = new Date(answer.now).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
  });
  const offset = answer.offsetMs
    ? `（已拨快 ${Math.round(answer.offsetMs / 3_600_000)} 小时）`
    : '';
  return `${now}${offset}`;
}

/** Sources changed on disk: offer to reload (the URL keeps the page and the user). */
function watchSources(device: ReturnType<typeof createDevice>, version: string): void {
  let shown = false;
  setInterval(() => {
    if (shown || document.hidden) return;
    fetch('/preview/version')
      .then((response) => response.text())
      .then((next) => {
        if (next && next !== version && !shown) {
          shown = true;
          banner(device, '源文件已更新', {
            label: '重新加载',
            run: () => window.location.reload(),
          });
        }
      })
      .catch(() => undefined);
  }, 2000);
}

let resolveReady: () => void = () => undefined;
const handle: PreviewHandle = {
  ready: new Promise<void>((resolve) => (resolveReady = resolve)),
  errors: () => reportedErrors(),
  router: null,
  openid: '',
  album: () => albumImages(),
  decodeQr,
  setDataSizes,
};

/** The QR code a picture carries, read as a phone's camera would (jsQR). */
async function decodeQr(url: string): Promise<string | null> {
  const image = new Image();
  await new Promise((resolve, reject) => {
    image.onload = resolve;
    image.onerror = reject;
    image.src = url;
  });
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  if (!context) return null;
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  return jsQR(pixels.data, pixels.width, pixels.height)?.data ?? null;
}
window.__preview = handle;

boot()
  .catch((error: unknown) => reportError('runtime', error))
  .finally(() => resolveReady());

// Rewards (issue 12) -------------------------------------------------------------------------

/** The messages the emulated WeChat delivered, named by the campaign's events. */
async function readMessages(openid: string): Promise<PanelMessage[]> {
  const [sent, templates] = await Promise.all([
    fetch('/__emulator/messages').then((r) => r.json()),
    fetch('/functions/api', {
      method: 'POST',
      // marked as the panel's own call: it is not the Mini Program's (tests count those)
      headers: {
        'content-type': 'application/json',
        'x-wx-openid': openid,
        'x-preview-panel': '1',
      },
      body: JSON.stringify({ action: 'reminders.get' }),
    }).then((r) => r.json()),
  ]);
  const events = new Map<string, ReminderEvent>(
    ((templates?.data?.templates ?? []) as Array<{ event: ReminderEvent; templateId: string }>).map(
      (t) => [t.templateId, t.event],
    ),
  );
  return (
    (sent.messages ?? []) as Array<{
      _id: string;
      touser: string;
      templateId: string;
      page: string | null;
      data: Record<string, { value: string }>;
      sentAt: string;
    }>
  ).map((m) => {
    const event = events.get(m.templateId);
    return {
      id: m._id,
      name: event ? REMINDER_NAMES[event] : m.templateId,
      touser: m.touser,
      page: m.page ?? '',
      sentAt: new Date(m.sentAt).toLocaleString('zh-CN', { hour12: false }),
      fields: Object.entries(m.data ?? {}).map(([key, field]) => [key, String(field?.value ?? '')]),
    };
  });
}

/** Runs the hourly job as its timer trigger does (no caller, a timer event). */
async function runCron(): Promise<string> {
  const response = await fetch('/functions/cron', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ Type: 'Timer', TriggerName: 'hourly', Time: new Date().toISOString() }),
  });
  const answer = (await response.json()) as {
    ok?: boolean;
    data?: { reminders?: Record<string, number>; couponsExpired?: number };
    error?: { message?: string };
  };
  if (!answer.ok) return `定时任务失败：${answer.error?.message ?? response.status}`;
  const sent = Object.values(answer.data?.reminders ?? {}).reduce((a, b) => a + b, 0);
  return `已运行：发出 ${sent} 条提醒，${answer.data?.couponsExpired ?? 0} 张券过期`;
}
