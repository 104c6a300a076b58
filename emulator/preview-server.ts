/**
 * The server side of the browser preview (`/preview/`): the real Mini Program pages, rendered in a
 * phone frame by the browser runtime under preview/, talking to this emulator.
 *
 * What it serves, all compiled from the files that ship, on request, cached until a file changes:
 * - `/preview/`                the shell page; `/preview/runtime.js` is the runtime bundle that
 *                              `npm run build` writes to dist/preview/ (scripts/bundle.mjs).
 * - `/preview/project.json`    app.json, and for every page and component its .json and its WXSS
 *                              (`@import`s inlined; the browser translates it, see preview/wxss.ts),
 *                              which components each uses (resolved to paths), and build errors.
 * - `/preview/wxml.js`         every WXML compiled by WeChat's own compiler (`wcc`, from
 *                              miniprogram-compiler, as the jest harness does) to `$gwx`.
 * - `/preview/app/<path>.js`   the TypeScript (app.ts, every page and component) compiled by
 *                              esbuild to ES modules with code splitting: one entry per page or
 *                              component, shared modules (services/session.ts…) in shared chunks,
 *                              so a page and the next share one instance of each module, as on
 *                              the phone. Source maps point at the .ts files.
 * - `POST /__emulator/upload?cloudPath=…` (raw body): `wx.cloud.uploadFile` from the preview,
 *   stored by the emulated `uploadFile`, answers `{ fileID }`.
 *
 * esbuild and miniprogram-compiler are development dependencies, loaded on the first preview
 * request: the emulator itself runs without them.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, posix, relative, resolve, sep } from 'node:path';
import type { Emulator } from './emulator';

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** How often (at most) the sources are checked for changes. */
const FRESHNESS_CHECK_MS = 500;

export interface PreviewServerOptions {
  projectRoot: string;
  emulator: Emulator;
  /** the Mini Program to preview (default <projectRoot>/miniprogram) */
  miniprogramRoot?: string;
}

export interface PreviewModule {
  /** the .json next to the page or component */
  json: Record<string, unknown>;
  /** its WXSS, `@import`s inlined, untranslated */
  wxss: string;
  /** usingComponents resolved: tag → module path (`components/countdown/index`) */
  using: Record<string, string>;
  isPage: boolean;
}

export interface PreviewProject {
  /** changes whenever a source file changes */
  version: string;
  app: AppJson;
  /** every page route, main package first, then subpackages (`admin/pages/dashboard/index`) */
  pages: string[];
  appWxss: string;
  modules: Record<string, PreviewModule>;
  /** what failed to compile (the preview shows it instead of a blank frame) */
  errors: Array<{ source: string; message: string }>;
}

interface AppJson {
  pages?: string[];
  subpackages?: Array<{ root: string; pages: string[] }>;
  subPackages?: Array<{ root: string; pages: string[] }>;
  window?: Record<string, unknown>;
  usingComponents?: Record<string, string>;
  [key: string]: unknown;
}

interface Compiled {
  fingerprint: string;
  project: PreviewProject;
  wxml: { ok: true; code: string } | { ok: false; message: string };
  /** esbuild outputs by URL path under /preview/app/ */
  app: Map<string, Buffer>;
  /** files outside miniprogram/ that the bundle read (fingerprinted too) */
  extraInputs: string[];
}

export interface PreviewServer {
  /** Answers the request if it is the preview's; false when the gateway should route it. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** The compiled project (tests and the e2e harness). */
  project(): Promise<PreviewProject>;
}

export function createPreviewServer(options: PreviewServerOptions): PreviewServer {
  const projectRoot = resolve(options.projectRoot);
  const miniprogramRoot = resolve(options.miniprogramRoot ?? join(projectRoot, 'miniprogram'));
  const runtimeDir = join(projectRoot, 'dist', 'preview');
  let compiled: Compiled | null = null;
  let compiling: Promise<Compiled> | null = null;
  let checkedAt = 0;

  async function current(): Promise<Compiled> {
    const now = Date.now();
    if (compiled && now - checkedAt < FRESHNESS_CHECK_MS) return compiled;
    checkedAt = now;
    const fingerprint = fingerprintOf(miniprogramRoot, compiled?.extraInputs ?? []);
    if (compiled && compiled.fingerprint === fingerprint) return compiled;
    compiling ??= compile(projectRoot, miniprogramRoot, fingerprint).finally(() => {
      compiling = null;
    });
    compiled = await compiling;
    return compiled;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path === '/__emulator/upload' && method === 'POST') {
      await upload(options.emulator, url, req, res);
      return true;
    }
    if (path !== '/preview' && !path.startsWith('/preview/')) return false;
    if (method !== 'GET' && method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'GET only');
      return true;
    }
    if (path === '/preview') {
      res.writeHead(302, { location: `/preview/${url.search}` }).end();
      return true;
    }
    const rest = path.slice('/preview/'.length);
    if (rest === '' || rest === 'index.html') {
      send(res, 200, 'text/html; charset=utf-8', SHELL_HTML);
      return true;
    }
    if (/^runtime\.js(\.map)?$/.test(rest)) {
      const file = join(runtimeDir, rest);
      if (!existsSync(file)) {
        send(
          res,
          404,
          'text/plain; charset=utf-8',
          `${rest} is not built: run \`npm run build\` (or \`npm start\`, which builds first)`,
        );
        return true;
      }
      send(res, 200, contentType(rest), readFileSync(file));
      return true;
    }
    if (rest === 'project.json') {
      const { project } = await current();
      send(res, 200, 'application/json; charset=utf-8', JSON.stringify(project));
      return true;
    }
    if (rest === 'version') {
      const { fingerprint } = await current();
      send(res, 200, 'text/plain; charset=utf-8', fingerprint);
      return true;
    }
    if (rest === 'wxml.js') {
      const { wxml } = await current();
      if (wxml.ok) send(res, 200, 'text/javascript; charset=utf-8', wxml.code);
      else send(res, 500, 'text/plain; charset=utf-8', wxml.message);
      return true;
    }
    if (rest.startsWith('static/')) {
      // images and other assets in the Mini Program package (`<image src="/images/x.png">`)
      const file = resolve(miniprogramRoot, decodeURIComponent(rest.slice('static/'.length)));
      const type = STATIC_TYPES[extname(file).toLowerCase()];
      if (!type || !file.startsWith(miniprogramRoot + sep) || !existsSync(file)) {
        send(res, 404, 'text/plain; charset=utf-8', `no asset ${rest}`);
        return true;
      }
      send(res, 200, type, readFileSync(file));
      return true;
    }
    if (rest.startsWith('app/')) {
      const { app } = await current();
      const file = app.get(decodeURIComponent(rest.slice('app/'.length)));
      if (!file) {
        send(res, 404, 'text/plain; charset=utf-8', `no compiled module ${rest}`);
        return true;
      }
      send(res, 200, contentType(rest), file);
      return true;
    }
    send(res, 404, 'text/plain; charset=utf-8', `no preview resource ${rest}`);
    return true;
  }

  return {
    handle,
    project: async () => (await current()).project,
  };
}

// ---------------------------------------------------------------------------------------------
// Compiling

async function compile(
  projectRoot: string,
  miniprogramRoot: string,
  fingerprint: string,
): Promise<Compiled> {
  const errors: PreviewProject['errors'] = [];
  const { project, scripts } = describeProject(miniprogramRoot, errors);
  project.version = fingerprint;

  let wxml: Compiled['wxml'];
  try {
    const compiler = createRequire(join(projectRoot, 'package.json'))('miniprogram-compiler') as {
      wxmlToJs(root: string): string;
    };
    // wcc's output assigns its globals ($gwx…) as a classic script would: keep it sloppy
    wxml = { ok: true, code: compiler.wxmlToJs(miniprogramRoot) };
  } catch (error) {
    const message = `WXML: ${errorText(error)}`;
    errors.push({ source: 'wxml', message });
    wxml = { ok: false, message };
  }

  const app = new Map<string, Buffer>();
  const extraInputs: string[] = [];
  try {
    const esbuild = await import('esbuild');
    const outdir = join(miniprogramRoot, '.preview-out');
    const result = await esbuild.build({
      absWorkingDir: projectRoot,
      entryPoints: scripts,
      outbase: miniprogramRoot,
      outdir,
      entryNames: '[dir]/[name]',
      chunkNames: '_chunks/[name]-[hash]',
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2020',
      sourcemap: 'linked',
      sourcesContent: true,
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    for (const file of result.outputFiles) {
      app.set(relative(outdir, file.path).split(sep).join('/'), Buffer.from(file.contents));
    }
    for (const input of Object.keys(result.metafile.inputs)) {
      const absolute = resolve(projectRoot, input);
      if (!absolute.startsWith(miniprogramRoot + sep)) extraInputs.push(absolute);
    }
  } catch (error) {
    const failure = error as { errors?: Array<{ text: string; location?: EsbuildLocation }> };
    const messages = failure.errors?.length
      ? failure.errors.map((e) => formatEsbuildMessage(e.text, e.location))
      : [errorText(error)];
    for (const message of messages) errors.push({ source: 'typescript', message });
  }

  return { fingerprint, project, wxml, app, extraInputs };
}

interface EsbuildLocation {
  file: string;
  line: number;
  column: number;
  lineText: string;
}

function formatEsbuildMessage(text: string, location?: EsbuildLocation | null): string {
  if (!location) return text;
  return `${location.file}:${location.line}:${location.column}: ${text}\n    ${location.lineText}`;
}

/** app.json, every page and every component reachable from them, and the scripts to compile. */
function describeProject(
  miniprogramRoot: string,
  errors: PreviewProject['errors'],
): { project: PreviewProject; scripts: string[] } {
  const app = (readJson(join(miniprogramRoot, 'app.json'), errors) ?? {}) as AppJson;
  const pages = [...(app.pages ?? [])];
  for (const sub of app.subpackages ?? app.subPackages ?? []) {
    for (const page of sub.pages) pages.push(posix.join(sub.root, page));
  }
  const modules: Record<string, PreviewModule> = {};
  const scripts: string[] = [];
  const appScript = scriptOf(join(miniprogramRoot, 'app'));
  if (appScript) scripts.push(appScript);

  const globalUsing = app.usingComponents ?? {};
  const visit = (path: string, isPage: boolean): void => {
    if (modules[path]) {
      if (isPage) modules[path].isPage = true;
      return;
    }
    const base = join(miniprogramRoot, path);
    const json = (readJson(`${base}.json`, errors) ?? {}) as Record<string, unknown>;
    const module: PreviewModule = {
      json,
      wxss: readWxss(miniprogramRoot, `${base}.wxss`, new Set()),
      using: {},
      isPage,
    };
    modules[path] = module;
    const script = scriptOf(base);
    if (script) scripts.push(script);
    else errors.push({ source: path, message: `${path}: no index.ts or index.js` });
    const declared = {
      ...globalUsing,
      ...((json.usingComponents ?? {}) as Record<string, string>),
    };
    for (const [tag, target] of Object.entries(declared)) {
      if (typeof target !== 'string' || target.startsWith('plugin://')) continue;
      const resolved = target.startsWith('/')
        ? posix.normalize(target.slice(1))
        : posix.normalize(posix.join(posix.dirname(path), target));
      if (!existsSync(join(miniprogramRoot, `${resolved}.json`))) {
        errors.push({ source: path, message: `${path}.json: component ${target} not found` });
        continue;
      }
      module.using[tag] = resolved;
      visit(resolved, false);
    }
  };
  for (const page of pages) visit(page, true);

  return {
    project: {
      version: '',
      app,
      pages,
      appWxss: readWxss(miniprogramRoot, join(miniprogramRoot, 'app.wxss'), new Set()),
      modules,
      errors,
    },
    scripts,
  };
}

function scriptOf(base: string): string | null {
  for (const ext of ['.ts', '.js']) if (existsSync(base + ext)) return base + ext;
  return null;
}

function readJson(file: string, errors: PreviewProject['errors']): unknown {
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    errors.push({ source: file, message: `${file}: ${errorText(error)}` });
    return null;
  }
}

/** A WXSS file with its `@import`s inlined (relative, or `/…` from the Mini Program root). */
export function readWxss(root: string, file: string, seen: Set<string>): string {
  if (seen.has(file) || !existsSync(file)) return '';
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  return text.replace(
    /@import\s+(?:url\()?\s*["']([^"']+)["']\s*\)?\s*;/g,
    (_all, target: string) => {
      const resolved = target.startsWith('/') ? join(root, target) : resolve(dirname(file), target);
      return readWxss(root, resolved.endsWith('.wxss') ? resolved : `${resolved}.wxss`, seen);
    },
  );
}

/** Paths, sizes and modification times of the sources: a change anywhere changes it. */
function fingerprintOf(miniprogramRoot: string, extraInputs: string[]): string {
  const hash = createHash('sha1');
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ts|js|json|wxml|wxss|wxs)$/.test(entry.name)) stamp(path);
    }
  };
  const stamp = (path: string): void => {
    try {
      const stat = statSync(path);
      hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
    } catch {
      hash.update(`${path}\0gone\n`);
    }
  };
  walk(miniprogramRoot);
  extraInputs.forEach(stamp);
  return hash.digest('hex').slice(0, 12);
}

// ---------------------------------------------------------------------------------------------
// Uploads

async function upload(
  emulator: Emulator,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const cloudPath = url.searchParams.get('cloudPath') ?? '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_UPLOAD_BYTES) {
      sendJson(res, 413, { errMsg: 'uploadFile:fail file too large' });
      return;
    }
    chunks.push(chunk as Buffer);
  }
  try {
    const { fileID } = await emulator.sdk.uploadFile({
      cloudPath,
      fileContent: Buffer.concat(chunks),
    });
    sendJson(res, 200, { fileID, statusCode: 200, errMsg: 'uploadFile:ok' });
  } catch (error) {
    const errMsg = (error as { errMsg?: string }).errMsg ?? errorText(error);
    sendJson(res, 400, { errMsg });
  }
}

// ---------------------------------------------------------------------------------------------
// Responses

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const STATIC_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

function contentType(path: string): string {
  return CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    // sources change while the preview is open: never serve a stale compile
    'cache-control': 'no-store',
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const SHELL_HTML = `<!doctype html>
<html lang="zh-CN">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Growth Kit · Mini Program preview</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="preview"></div>
    <script src="/preview/runtime.js"></script>
  </body>
</html>
`;
