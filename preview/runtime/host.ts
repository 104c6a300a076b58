/**
 * Loads the Mini Program into j-component, as WeChat's base library loads it into exparser:
 * the `Component()`, `Page()`, `Behavior()`, `App()`, `getApp()` globals, each page's and
 * component's compiled WXML (wcc's `$gwx`), its script (an ES module compiled from the .ts by the
 * emulator, see emulator/preview-server.ts) and its WXSS (translated here, see ../wxss.ts).
 *
 * Style scopes, decided when a script calls `Component()` (that is when its options are known):
 * - pages, and components with `styleIsolation: 'apply-shared' | 'shared'` (or `addGlobalClass`)
 *   use the global scope: class prefix '', so app.wxss and the page's WXSS reach them. (Their own
 *   WXSS is global too: 'apply-shared' is approximated by 'shared'.)
 * - other components are isolated: a class prefix of their own, and their WXSS is rewritten to it,
 *   as exparser writes `<prefix>--<class>` into the DOM.
 * A page's stylesheet is enabled only while that page is on top, so two pages' rules never meet.
 */
import jComponent from 'j-component/src/index';
import { BUILTIN_TAGS, translateValue, translateWxss, type WxssOptions } from '../wxss';
import { SAFE_AREA_BOTTOM, WINDOW_WIDTH } from './frame';
import { recordSetData } from './report';
import { probeSetData } from './set-data';
import jRender from 'j-component/src/render/render';
import jUtils from 'j-component/src/tool/utils';

export interface ProjectModule {
  json: Record<string, unknown>;
  wxss: string;
  using: Record<string, string>;
  isPage: boolean;
}

/** What GET /preview/project.json answers (emulator/preview-server.ts: PreviewProject). */
export interface Project {
  version: string;
  app: {
    pages?: string[];
    window?: Record<string, unknown>;
    [key: string]: unknown;
  };
  pages: string[];
  appWxss: string;
  modules: Record<string, ProjectModule>;
  errors: Array<{ source: string; message: string }>;
}

type Gwx = (path: string) => ((data: unknown) => unknown) | undefined;

export const wxssOptions: WxssOptions = {
  windowWidth: WINDOW_WIDTH,
  safeArea: { bottom: SAFE_AREA_BOTTOM },
};

// Inline styles (`style="width: {{size}}rpx"`) go through j-component's transformRpx, which maps
// 1rpx to 1px; scale them as the WXSS is scaled.
jUtils.transformRpx = (style: string) => translateValue(style, wxssOptions);

// When any attribute of a node changes, j-component's diff hands *all* its attributes to
// updateAttrs, and every render hands over fresh copies of objects and arrays, so a child
// component sees every property set again and its observers fire for values that did not change
// (the wheel announced its resting sector, then forgot it at the page's next setData). WeChat sets
// only the properties whose bound data changed: pass on only the attributes whose value differs
// (compared by structure, as the copies are never the same object).
const appliedAttrs = new WeakMap<object, Map<string, unknown>>();
const updateAttrs = jRender.updateAttrs;
jRender.updateAttrs = (node, attrs) => {
  let applied = appliedAttrs.get(node);
  const changed = applied
    ? attrs.filter(
        (attr) => !applied?.has(attr.name) || !sameValue(applied.get(attr.name), attr.value),
      )
    : attrs;
  if (!applied) appliedAttrs.set(node, (applied = new Map()));
  for (const attr of attrs) applied.set(attr.name, attr.value);
  if (changed.length) updateAttrs(node, changed);
};

function sameValue(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || depth > 20) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((key) =>
    sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], depth + 1),
  );
}

interface Loading {
  path: string;
  defined: boolean;
}

interface AppInstance {
  globalData?: Record<string, unknown>;
  onLaunch?: (options: unknown) => void;
  onShow?: (options: unknown) => void;
  [key: string]: unknown;
}

let project: Project;
let gwx: Gwx | null = null;
let loading: Loading | null = null;
let appInstance: AppInstance = { globalData: {} };
const ids = new Map<string, string>();
const pending = new Map<string, Promise<string>>();
const tagNames = new Set<string>();
const pageStyles = new Map<string, HTMLStyleElement>();
let prefixCount = 0;
let moduleCount = 0;

export function setProject(next: Project, compiledWxml: Gwx | null): void {
  project = next;
  gwx = compiledWxml;
  const style = document.createElement('style');
  style.dataset.source = 'app.wxss';
  style.textContent = translateWxss(project.appWxss, wxssOptions);
  document.head.appendChild(style);
}

export function currentProject(): Project {
  return project;
}

/** Evaluates wcc's output (a classic script that assigns `$gwx`) and answers `$gwx`. */
export function evaluateWxml(code: string): Gwx {
  (window as unknown as { __webview_engine_version__: number }).__webview_engine_version__ = 0.02;
  // wcc writes sloppy-mode globals: run it as DevTools does, through a Function, not a module
  const run = new Function(`${code}\n;return $gwx;`) as () => Gwx;
  return run();
}

/** A page's or component's DOM tag: the folder name (`countdown`, `page-landing`), unique. */
function tagNameFor(path: string): string {
  const parts = path.split('/');
  const base = (parts[parts.length - 1] === 'index' ? parts[parts.length - 2] : parts.pop()) ?? 'c';
  let name = base.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  if (project.modules[path]?.isPage) name = `page-${name}`;
  else if (!/^[a-z]/.test(name) || BUILTIN_TAGS.includes(name)) name = `c-${name}`;
  let unique = name;
  for (let n = 2; tagNames.has(unique); n++) unique = `${name}-${n}`;
  tagNames.add(unique);
  return unique;
}

/**
 * Registers the page or component at `path` (and, first, the components it uses) and answers its
 * j-component id. Its script runs once, as on the phone.
 */
export function loadModule(path: string, stack: string[] = []): Promise<string> {
  const known = ids.get(path);
  if (known) return Promise.resolve(known);
  let promise = pending.get(path);
  if (!promise) {
    promise = register(path, stack);
    pending.set(path, promise);
    promise.catch(() => pending.delete(path));
  }
  return promise;
}

async function register(path: string, stack: string[]): Promise<string> {
  const module = project.modules[path];
  if (!module) throw new Error(`${path} 不在 app.json 中，也没有被任何页面引用`);
  if (stack.includes(path)) throw new Error(`组件循环引用：${[...stack, path].join(' → ')}`);
  for (const child of Object.values(module.using)) await loadModule(child, [...stack, path]);

  const id = `m${++moduleCount}-${path.replace(/[^a-z0-9]+/gi, '-')}`;
  const target: Loading = { path, defined: false };
  const previous = loading;
  loading = target;
  // Component() runs while the module evaluates; `id` travels through `loading`
  (target as Loading & { id: string }).id = id;
  try {
    await import(/* @vite-ignore */ `/preview/app/${path}.js?v=${project.version}`);
  } finally {
    loading = previous;
  }
  if (!target.defined) {
    throw new Error(
      `${path}.ts 没有调用 Component()（脚本只在第一次加载时运行：它是否被另一个页面 import 了？）`,
    );
  }
  ids.set(path, id);
  return id;
}

type ComponentOptions = Record<string, unknown> & {
  options?: Record<string, unknown>;
};

function defineComponent(options: ComponentOptions): string {
  const target = loading as (Loading & { id: string }) | null;
  if (!target) throw new Error('Component() 只能在页面或组件的脚本里调用');
  if (target.defined) throw new Error(`${target.path} 调用了两次 Component()`);
  target.defined = true;
  const { path, id } = target;
  const module = project.modules[path];
  const own = options.options ?? {};
  const isolation = String(
    own.styleIsolation ??
      module.json.styleIsolation ??
      (own.addGlobalClass ? 'apply-shared' : module.isPage ? 'shared' : 'isolated'),
  );
  const shared = module.isPage || isolation === 'apply-shared' || isolation === 'shared';
  const classPrefix = shared ? '' : `s${++prefixCount}`;
  const tagName = tagNameFor(path);

  const style = document.createElement('style');
  style.dataset.source = `${path}.wxss`;
  style.textContent = translateWxss(module.wxss, {
    ...wxssOptions,
    classPrefix,
    hostSelector: tagName,
  });
  document.head.appendChild(style);
  if (module.isPage) {
    style.disabled = true;
    pageStyles.set(path, style);
  }

  const template = gwx?.(`${path}.wxml`);
  const usingComponents: Record<string, string> = {};
  for (const [tag, childPath] of Object.entries(module.using)) {
    const childId = ids.get(childPath);
    if (childId) usingComponents[tag] = childId;
  }
  // Performance (issue 14): every payload this module hands to setData is measured
  const probe = jComponent.behavior({
    lifetimes: {
      created(this: Parameters<typeof probeSetData>[0]) {
        probeSetData(this, (bytes) => recordSetData(path, bytes));
      },
    },
  });
  return jComponent.register({
    ...options,
    behaviors: [probe, ...((options.behaviors as unknown[] | undefined) ?? [])],
    id,
    path: `/${path}`,
    tagName,
    template: template ?? '<slot/>',
    usingComponents,
    options: { ...own, classPrefix, multipleSlots: own.multipleSlots ?? true },
  });
}

/** `Page({...})` as a component: data stays data, functions become methods. */
function definePage(options: Record<string, unknown>): string {
  const methods: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (key === 'data' || key === 'options' || key === 'behaviors') rest[key] = value;
    else if (typeof value === 'function') methods[key] = value;
    else rest[key] = value;
  }
  return defineComponent({ ...rest, methods });
}

/** Enables the stylesheet of the page on top only. */
export function activatePageStyle(path: string): void {
  for (const [route, style] of pageStyles) style.disabled = route !== path;
}

export function app(): AppInstance {
  return appInstance;
}

/** Runs app.ts (its `App()` call) and answers the app instance. */
export async function loadApp(): Promise<AppInstance> {
  await import(/* @vite-ignore */ `/preview/app/app.js?v=${project.version}`).catch(
    (error: unknown) => {
      // a project without app.ts still renders its pages
      if (!String(error).includes('Failed to fetch')) throw error;
    },
  );
  return appInstance;
}

export function installGlobals(currentPages: () => unknown[]): void {
  const g = globalThis as unknown as Record<string, unknown>;
  g.Component = defineComponent;
  g.Page = definePage;
  g.Behavior = (definition: Record<string, unknown>) => jComponent.behavior(definition);
  g.App = (options: AppInstance) => {
    appInstance = Object.assign(Object.create(null) as AppInstance, options);
    appInstance.globalData ??= {};
    return appInstance;
  };
  g.getApp = () => appInstance;
  g.getCurrentPages = currentPages;
  g.requirePlugin = () => ({});
}
