/**
 * Loads the Mini Program's components and pages, as written in TypeScript, into
 * miniprogram-simulate, and supplies the few `wx` pieces simulate lacks.
 *
 * Test files using it start with the docblock `/** @jest-environment jsdom *\/`: simulate renders
 * into a DOM (jest-environment-jsdom).
 *
 * How the TypeScript gets in: simulate runs a component's script with `require(path)`. Under
 * jest that goes through jest's resolver and transform, so `…/index` resolves to `index.ts` and
 * ts-jest compiles it to CommonJS one file at a time, as WeChat DevTools' TypeScript plugin
 * does. Nothing is written next to the sources. WXML is compiled by the official compiler
 * (simulate's default, `wcc` from miniprogram-compiler) with `miniprogram/` as the root, so
 * absolute `usingComponents` paths resolve as they do on the phone.
 *
 * Jest runs a module once per test file (as the phone does), but simulate needs the script's
 * `Component()` call on every load. The loader therefore remembers each script's definition and
 * registers it again when the same script is loaded again. A bonus: tests and components share
 * module instances, so e.g. `setFunctionCaller` from services/api reaches the page under test.
 *
 * Stand-ins, only for what simulate lacks:
 * - Canvas 2D: `createSelectorQuery().select(…).fields({ node: true })` on a
 *   `<canvas type="2d">` answers a `FakeCanvas` (one per canvas element) whose
 *   `getContext('2d')` records every call and whose `requestAnimationFrame` is a 16 ms timer,
 *   so jest's fake timers drive animations. Nothing is rasterised.
 * - `wx.cloud`: `routeCloudFunctions(handler)` routes `wx.cloud.callFunction` to `handler`.
 * - `getApp()`: answers `{ globalData }`, replaceable with `setApp`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, isAbsolute, relative, resolve, sep } from 'node:path';
import simulateUtils from 'miniprogram-simulate/src/utils';
import SelectorQuery from 'j-component/src/tool/selectorquery';
import { addPayload, probeSetData, type SetDataSizes } from '../../../preview/runtime/set-data';

export const MINIPROGRAM_ROOT = resolve(__dirname, '../../../miniprogram');

// miniprogram-simulate's own typings pull in j-component's copy of miniprogram-api-typings
// (3.x) as globals, which clash with the project's 5.x and break type inference of every
// Component() in the program. So the module is loaded untyped and described here instead.

export interface JsonNode {
  tagName: string;
  attrs: Array<{ name: string; value: unknown }>;
  children: Array<JsonNode | string>;
}

/** A node of the rendered tree (simulate's Component wrapper). */
export interface SimNode {
  readonly dom: unknown;
  /** data and properties of a custom component; undefined for built-ins */
  readonly data: Record<string, unknown>;
  /** the component's `this` */
  readonly instance: Record<string, unknown>;
  querySelector(selector: string): SimNode | undefined;
  querySelectorAll(selector: string): SimNode[];
  dispatchEvent(eventName: string, options?: Record<string, unknown>): void;
  addEventListener(eventName: string, handler: (event: { detail: unknown }) => void): void;
  setData(data: Record<string, unknown>): void;
  triggerLifeTime(lifetime: string, ...args: unknown[]): void;
  triggerPageLifeTime(lifetime: string, ...args: unknown[]): void;
  toJSON(): JsonNode;
}

export interface SimRoot extends SimNode {
  attach(parent: unknown): void;
  detach(): void;
}

interface Simulate {
  load(componentPath: string, options: { rootPath: string }): string;
  render(id: string, properties?: Record<string, unknown>): SimRoot;
  behavior(definition: object): unknown;
}

const simulate = jest.requireActual<Simulate>('miniprogram-simulate');

interface Dom {
  document: {
    createElement(tag: string): { appendChild(child: unknown): void };
    body: { appendChild(child: unknown): void };
  };
}

if (typeof (globalThis as Partial<Dom>).document === 'undefined') {
  throw new Error(
    'miniprogram-simulate needs a DOM: start this test file with /** @jest-environment jsdom */',
  );
}

// ---------------------------------------------------------------------------------------------
// Loading TypeScript scripts

/** A compiled .js beside its .ts would win jest's resolution and run stale code: refuse it. */
function assertNoCompiledSiblings(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'miniprogram_npm' && entry.name !== 'node_modules')
        assertNoCompiledSiblings(path);
    } else if (entry.name.endsWith('.js') && existsSync(path.replace(/\.js$/, '.ts'))) {
      throw new Error(`${path} shadows its .ts source in tests; delete the compiled .js files`);
    }
  }
}
assertNoCompiledSiblings(MINIPROGRAM_ROOT);

type Register = (options: object) => unknown;
const host = globalThis as unknown as { Component: Register };
const definitions = new Map<string, object>();

simulateUtils.runJs = (modulePath: string) => {
  const file = existsSync(`${modulePath}.ts`) ? `${modulePath}.ts` : modulePath;
  const register = host.Component;
  let registered = false;
  host.Component = (options) => {
    registered = true;
    definitions.set(file, options);
    return register(withSetDataProbe(options, file));
  };
  try {
    jest.requireActual(file);
  } finally {
    host.Component = register;
  }
  if (!registered) {
    // already run in this test file: register the remembered definition for this load
    const options = definitions.get(file);
    if (!options) throw new Error(`${file} did not call Component()`);
    register(withSetDataProbe(options, file));
  }
};

// ---------------------------------------------------------------------------------------------
// setData payloads (Performance, issue 14)

/** WeChat warns at 256 KB a call; this project's pages stay under 64 KB (README, Performance). */
export const SET_DATA_BUDGET_BYTES = 64 * 1024;

const setDataSizesSeen: SetDataSizes = {};

/** The largest setData payload of every page and component loaded by this test file so far. */
export function setDataSizes(): Readonly<SetDataSizes> {
  return setDataSizesSeen;
}

/** Registers `options` with a behavior that measures every payload the instance hands setData. */
function withSetDataProbe(options: object, file: string): object {
  const path = relative(MINIPROGRAM_ROOT, file).split(sep).join('/').replace(/\.ts$/, '');
  const probe = simulate.behavior({
    lifetimes: {
      created(this: Parameters<typeof probeSetData>[0]) {
        probeSetData(this, (bytes) => addPayload(setDataSizesSeen, path, bytes));
      },
    },
  });
  const own = (options as { behaviors?: unknown[] }).behaviors ?? [];
  return { ...options, behaviors: [probe, ...own] };
}

// Every page test holds every page and component it loaded to the budget.
afterAll(() => {
  const over = Object.entries(setDataSizesSeen)
    .filter(([, size]) => size.largest > SET_DATA_BUDGET_BYTES)
    .map(([path, size]) => `${path}: ${size.largest} bytes in one setData`);
  expect(over).toEqual([]);
});

/** Loads a component or page by its path under miniprogram/ (`components/countdown/index`). */
export function loadComponent(componentPath: string): string {
  const path = isAbsolute(componentPath) ? componentPath : join(MINIPROGRAM_ROOT, componentPath);
  return simulate.load(path, { rootPath: MINIPROGRAM_ROOT });
}

/** Renders a component or page with `properties`, not yet on a page (listen before attaching). */
export function render(componentPath: string, properties: Record<string, unknown> = {}): SimRoot {
  return simulate.render(loadComponent(componentPath), properties);
}

/** Puts a rendered component on a page: `attached` and then `ready` run. */
export function attach<T extends SimRoot>(comp: T): T {
  const { document } = globalThis as unknown as Dom;
  const parent = document.createElement('div');
  document.body.appendChild(parent);
  comp.attach(parent);
  return comp;
}

/** Renders and attaches. */
export function mount(componentPath: string, properties: Record<string, unknown> = {}): SimRoot {
  return attach(render(componentPath, properties));
}

// ---------------------------------------------------------------------------------------------
// Reading what the user sees

// simulate can query from a custom component only; inside a row or a cell, read the rendered
// tree (toJSON) instead. These helpers accept either.
type Readable = SimNode | JsonNode | undefined;

function jsonOf(node: Readable): JsonNode | undefined {
  return node && 'toJSON' in node ? node.toJSON() : node;
}

/** The text a user reads in `node`, whitespace collapsed. */
export function textOf(node: Readable): string {
  const collect = (n: JsonNode | string): string =>
    typeof n === 'string' ? n : n.children.map(collect).join('');
  const json = jsonOf(node);
  return json ? collect(json).replace(/\s+/g, ' ').trim() : '';
}

/** An attribute as written in the template (class, style, aria-label…). */
export function attrOf(node: Readable, name: string): unknown {
  // the WXML compiler hands some attributes over camel-cased (aria-label → ariaLabel)
  const camel = name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return jsonOf(node)?.attrs.find((attr) => attr.name === name || attr.name === camel)?.value;
}

/** The class names written in the template (without simulate's per-component prefix). */
export function classesOf(node: Readable): string[] {
  const value = attrOf(node, 'class');
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : [];
}

/** The nodes inside `node` (itself included) with class `className`, in document order. */
export function findIn(node: Readable, className: string): JsonNode[] {
  const found: JsonNode[] = [];
  const walk = (n: JsonNode | string): void => {
    if (typeof n === 'string') return;
    if (classesOf(n).includes(className)) found.push(n);
    n.children.forEach(walk);
  };
  const json = jsonOf(node);
  if (json) walk(json);
  return found;
}

/** Collects the `detail` of every `eventName` the component triggers. */
export function listen(comp: SimNode, eventName: string): unknown[] {
  const details: unknown[] = [];
  comp.addEventListener(eventName, (event) => details.push(event.detail));
  return details;
}

/** Lets simulate's promise-deferred work (events, selector queries) run; fake-timer safe. */
export async function flushMicrotasks(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
}

/** How long `until` waits before it fails: a timeout for a stuck test, not a measurement. */
const UNTIL_TIMEOUT_MS = 10_000;

/**
 * Event-loop turns (`setImmediate`, never the clock: a faked one stands still) until `done`,
 * e.g. until the page shows what a tap led to (which may wait on real I/O, such as reading a
 * chosen image); fails naming `what` after UNTIL_TIMEOUT_MS of real time (`performance`, which
 * the page tests do not fake), so a busy CI machine is not mistaken for a broken page.
 */
export async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + UNTIL_TIMEOUT_MS;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`still waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Taps `node` as a finger would, and waits for the handlers. */
export async function tap(node: SimNode | undefined): Promise<void> {
  if (!node) throw new Error('nothing to tap: the selector matched no node');
  node.dispatchEvent('tap');
  await flushMicrotasks();
}

// ---------------------------------------------------------------------------------------------
// Canvas 2D stand-in

export interface CanvasCall {
  method: string;
  args: unknown[];
  /** the context's styles when the call was made */
  fillStyle: unknown;
  strokeStyle: unknown;
  font: unknown;
}

export interface Recording2D {
  readonly calls: CanvasCall[];
}

const CONTEXT_2D_METHODS = new Set(
  (
    'arc arcTo beginPath bezierCurveTo clearRect clip closePath createConicGradient createImageData ' +
    'createLinearGradient createPattern createRadialGradient drawImage ellipse fill fillRect fillText ' +
    'getImageData getLineDash getTransform isPointInPath isPointInStroke lineTo measureText moveTo ' +
    'putImageData quadraticCurveTo rect reset resetTransform restore rotate roundRect save scale ' +
    'setLineDash setTransform stroke strokeRect strokeText transform translate'
  ).split(' '),
);

/** A 2D context that draws nothing and remembers every call, with the styles in force. */
function createRecording2D(): Recording2D {
  const calls: CanvasCall[] = [];
  const state: Record<string, unknown> = {
    fillStyle: '#000000',
    strokeStyle: '#000000',
    font: '10px sans-serif',
    lineWidth: 1,
    textAlign: 'start',
    textBaseline: 'alphabetic',
    globalAlpha: 1,
  };
  return new Proxy({ calls } as Recording2D, {
    get(_target, key) {
      if (key === 'calls') return calls;
      if (typeof key !== 'string') return undefined;
      if (key in state) return state[key];
      if (!CONTEXT_2D_METHODS.has(key)) return undefined;
      return (...args: unknown[]) => {
        const { fillStyle, strokeStyle, font } = state;
        calls.push({ method: key, args, fillStyle, strokeStyle, font });
        if (key === 'measureText') return { width: String(args[0]).length * 10 };
        if (key.endsWith('Gradient')) return { addColorStop: () => undefined };
        return undefined;
      };
    },
    set(_target, key, value) {
      state[String(key)] = value;
      return true;
    },
  });
}

export class FakeCanvas {
  /** the HTML defaults, until the component sizes it */
  width = 300;
  height = 150;
  private context2d?: Recording2D;

  constructor(readonly type: string) {}

  getContext(type: string): Recording2D | null {
    if (type !== '2d' || this.type !== '2d') return null;
    this.context2d ??= createRecording2D();
    return this.context2d;
  }

  /** What has been drawn so far (empty before the first getContext). */
  get calls(): CanvasCall[] {
    return this.context2d?.calls ?? [];
  }

  requestAnimationFrame(callback: (timestamp: number) => void): number {
    return setTimeout(() => callback(Date.now()), 16) as unknown as number;
  }

  cancelAnimationFrame(id: number): void {
    clearTimeout(id as unknown as ReturnType<typeof setTimeout>);
  }

  createImage(): FakeImage {
    return new FakeImage();
  }
}

/**
 * An image on a FakeCanvas: "loads" (100 × 100, nothing decoded) a microtask after its `src` is
 * set, or fails when the source is empty or names a missing file (`…missing…`). The src is kept,
 * so a test can read which pictures a drawing used.
 */
export class FakeImage {
  width = 0;
  height = 0;
  onload: (() => void) | null = null;
  onerror: ((error: unknown) => void) | null = null;
  private source = '';

  get src(): string {
    return this.source;
  }

  set src(value: string) {
    this.source = value;
    void Promise.resolve().then(() => {
      if (!value || value.includes('missing')) {
        this.onerror?.({ errMsg: `image ${value} failed to load` });
        return;
      }
      this.width = 100;
      this.height = 100;
      this.onload?.();
    });
  }
}

type ExparserNode = SelectorQuery.ExparserNode;
const canvases = new WeakMap<object, FakeCanvas>();

function canvasFor(node: ExparserNode): FakeCanvas | undefined {
  if (node.is !== 'canvas') return undefined;
  let canvas = canvases.get(node);
  if (!canvas) {
    const type = node._vt?.attrs.find((attr) => attr.name === 'type')?.value;
    canvas = new FakeCanvas(typeof type === 'string' ? type : '');
    canvases.set(node, canvas);
  }
  return canvas;
}

/** Adds `node` to the answers of queries that asked for it (j-component leaves it out). */
function withNodes<T>(result: T, query: SelectorQuery.QueuedQuery): T {
  if (!query.fields.node || !query.exparserNode || !result) return result;
  const root = query.exparserNode.shadowRoot;
  const nodes = query.isSelectSingle
    ? [root.querySelector(query.selector)].filter((n): n is ExparserNode => n !== null)
    : root.querySelectorAll(query.selector);
  const answers = (query.isSelectSingle ? [result] : result) as Array<Record<string, unknown>>;
  answers.forEach((answer, i) => {
    if (answer && nodes[i] && !('node' in answer)) answer.node = canvasFor(nodes[i]);
  });
  return result;
}

const exec = SelectorQuery.prototype.exec;
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

/** The canvas stand-in behind the `<canvas>` matching `selector` inside `comp`. */
export function canvasOf(comp: SimNode, selector = 'canvas'): FakeCanvas | undefined {
  const node = comp.querySelector(selector) as unknown as
    { _exparserNode?: ExparserNode } | undefined;
  return node?._exparserNode ? canvases.get(node._exparserNode) : undefined;
}

// ---------------------------------------------------------------------------------------------
// wx.cloud and getApp

export type CloudHandler = (name: string, data: Record<string, unknown>) => Promise<unknown>;

/** Routes `wx.cloud.callFunction({ name, data })` to `handler` (e.g. the in-process emulator). */
export function routeCloudFunctions(handler: CloudHandler): void {
  const cloud = {
    init: () => undefined,
    async callFunction({ name, data }: { name: string; data?: Record<string, unknown> }) {
      return { result: await handler(name, data ?? {}), errMsg: 'cloud.callFunction:ok' };
    },
  };
  (wx as unknown as { cloud: unknown }).cloud = cloud;
}

/** What `getApp()` answers in the pages under test. */
export function setApp(globalData: IAppOption['globalData']): void {
  const app = { globalData };
  (globalThis as unknown as { getApp: () => unknown }).getApp = () => app;
}

setApp({ env: '' });
