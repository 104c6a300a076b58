/**
 * The emulator's HTTP face (SPEC §4): `POST /functions/<name>` with the caller in `x-wx-openid`,
 * `GET /healthz`, and the controls under `/__emulator/`.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { UnknownFunctionError, type Emulator } from './emulator';
import {
  EventTooLargeError,
  FunctionTimeoutError,
  MAX_EVENT_BYTES,
  PlatformError,
} from './functions';
import type { PreviewServer } from './preview-server';
import type { StoreSnapshot } from './store';

interface BodyLimit {
  bytes: number;
  tooLarge: (size: number) => Error;
}

/** A control's body: large enough for an /__emulator/import of a sizeable export. */
const CONTROL_BODY: BodyLimit = {
  bytes: 64 * 1024 * 1024,
  tooLarge: () => new BadRequest('body too large'),
};

/** A function's event: what CloudBase accepts for a synchronous call. */
const FUNCTION_EVENT: BodyLimit = {
  bytes: MAX_EVENT_BYTES,
  tooLarge: (size) => new EventTooLargeError(size),
};

/**
 * How deeply a JSON body may nest. CloudBase's database (MongoDB) refuses documents nested deeper
 * than 100 levels, the functions' own events are a few levels deep, and 64 keeps every recursive
 * walk a body meets (EJSON, cloning, mingo, zod) far from the stack limit: deeper is a bad
 * request, answered 400 before anything runs.
 */
export const MAX_JSON_DEPTH = 64;

export interface GatewayOptions {
  /** Where `uploadFile` keeps files, served under /__emulator/files/. */
  filesDir: string | null;
  /** The browser preview (`/preview/`, `POST /__emulator/upload`); none in tests of the API. */
  preview?: PreviewServer | null;
  /** The HOST the gateway listens on (a name there is trusted in Host and Origin, see below). */
  host?: string;
}

export function createGateway(emulator: Emulator, options: GatewayOptions): Server {
  return createServer((req, res) => {
    route(emulator, options, req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof BadRequest) {
        sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: error.message } });
      } else if (error instanceof PlatformError) {
        sendJson(res, error.httpStatus, error.toJSON());
      } else {
        console.error('[gateway]', error);
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'emulator error' } });
      }
    });
  });
}

async function route(
  emulator: Emulator,
  options: GatewayOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const path = url.pathname;
  const method = req.method ?? 'GET';

  if (path.startsWith('/functions/') || path.startsWith('/__emulator/')) {
    const origin = browserOrigin(req, options.host);
    if (origin === REFUSED) {
      return sendJson(res, 403, {
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message:
            'refused: only the preview, served from this origin, may call the emulator from a browser',
        },
      });
    }
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      res.setHeader('access-control-allow-headers', 'content-type, x-wx-openid');
      res.setHeader('access-control-allow-methods', 'GET, POST');
    }
    if (method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
  }

  if (path === '/healthz' && method === 'GET') return sendJson(res, 200, { ok: true });
  if (options.preview && (await options.preview.handle(req, res))) return;

  const fn = /^\/functions\/([^/]+)$/.exec(path);
  if (fn && method === 'POST') {
    const event = await readJson(req, FUNCTION_EVENT);
    const openid = header(req, 'x-wx-openid');
    try {
      const call = await emulator.invoke(decodeURIComponent(fn[1]), event, {
        openid,
        clientIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
      res.setHeader('x-request-id', call.requestId);
      res.setHeader('x-db-calls', String(call.dbCalls));
      res.setHeader('x-db-reads', String(call.dbReads));
      res.setHeader('x-db-writes', String(call.dbWrites));
      return sendJson(res, 200, call.result);
    } catch (error) {
      if (error instanceof UnknownFunctionError) {
        return sendJson(res, 404, {
          ok: false,
          error: { code: 'NOT_FOUND', message: error.message },
        });
      }
      if (error instanceof FunctionTimeoutError) res.setHeader('x-request-id', error.requestId);
      throw error;
    }
  }

  if (path.startsWith('/__emulator/')) {
    return emulatorControl(emulator, options, path.slice('/__emulator/'.length), method, req, res);
  }

  sendJson(res, 404, {
    ok: false,
    error: { code: 'NOT_FOUND', message: `no route ${method} ${path}` },
  });
}

async function emulatorControl(
  emulator: Emulator,
  options: GatewayOptions,
  control: string,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (control === 'reset' && method === 'POST') {
    const body = (await readJson(req)) as { seed?: boolean };
    await emulator.reset({ seed: body.seed !== false });
    return sendJson(res, 200, { ok: true });
  }
  if (control === 'export' && method === 'GET') {
    return sendJson(res, 200, emulator.store.exportSnapshot());
  }
  if (control === 'import' && method === 'POST') {
    const snapshot = (await readJson(req)) as StoreSnapshot;
    if (snapshot?.version !== 1 || typeof snapshot.collections !== 'object') {
      throw new BadRequest('expected a snapshot from GET /__emulator/export');
    }
    try {
      await emulator.importSnapshot(snapshot);
    } catch (error) {
      throw new BadRequest((error as Error).message);
    }
    return sendJson(res, 200, { ok: true });
  }
  if (control === 'clock') {
    if (method === 'POST') await moveClock(emulator, await readJson(req));
    else if (method !== 'GET') throw new BadRequest('GET or POST');
    return sendJson(res, 200, {
      now: new Date(emulator.clock.now()).toISOString(),
      offsetMs: emulator.clock.getOffset(),
      frozen: emulator.clock.frozen,
    });
  }
  if (control === 'risk' && method === 'POST') {
    const body = (await readJson(req)) as { openid?: unknown; rank?: unknown };
    if (
      typeof body.openid !== 'string' ||
      !Number.isInteger(body.rank) ||
      (body.rank as number) < 0 ||
      (body.rank as number) > 4
    ) {
      throw new BadRequest('expected { "openid": string, "rank": 0..4 }');
    }
    emulator.sdk.setRiskRank(body.openid, body.rank as number);
    await emulator.store.whenDurable();
    return sendJson(res, 200, { ok: true });
  }
  // Distribution (issue 10): words security.msgSecCheck refuses
  if (control === 'sec-check' && method === 'POST') {
    const body = (await readJson(req)) as { word?: unknown; suggest?: unknown };
    const suggest = body.suggest ?? 'risky';
    if (
      typeof body.word !== 'string' ||
      body.word.trim() === '' ||
      (suggest !== 'risky' && suggest !== 'review' && suggest !== 'pass')
    ) {
      throw new BadRequest('expected { "word": string, "suggest"?: "risky" | "review" | "pass" }');
    }
    emulator.sdk.setSecCheckWord(body.word, suggest);
    await emulator.store.whenDurable();
    return sendJson(res, 200, { ok: true });
  }
  if (control === 'faults') {
    if (method === 'POST') {
      const body = await readJson(req);
      if (!isObject(body)) throw new BadRequest('expected an object of fault settings');
      const problems = emulator.faults.update(body);
      if (problems.length > 0) throw new BadRequest(problems.join('; '));
    } else if (method !== 'GET') {
      throw new BadRequest('GET or POST');
    }
    return sendJson(res, 200, emulator.faults.toJSON());
  }
  // Rewards (issue 12): subscribe messages, as WeChat would deliver them
  if (control === 'messages' && method === 'GET') {
    const touser = new URL(req.url ?? '/', 'http://gateway').searchParams.get('touser');
    return sendJson(res, 200, { messages: emulator.sdk.sentMessages(touser ?? undefined) });
  }
  if (control === 'subscriptions' && method === 'POST') {
    const body = (await readJson(req)) as { openid?: unknown; templateIds?: unknown };
    const ids = body.templateIds;
    if (
      typeof body.openid !== 'string' ||
      !body.openid ||
      !Array.isArray(ids) ||
      ids.length > 20 ||
      !ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id))
    ) {
      throw new BadRequest('expected { "openid": string, "templateIds": string[] }');
    }
    emulator.sdk.acceptSubscription(body.openid, ids as string[]);
    await emulator.store.whenDurable();
    return sendJson(res, 200, { ok: true });
  }
  if (control.startsWith('files/') && method === 'GET' && options.filesDir) {
    return sendFile(res, options.filesDir, decodeURIComponent(control.slice('files/'.length)));
  }
  sendJson(res, 404, {
    ok: false,
    error: { code: 'NOT_FOUND', message: `no emulator control ${method} ${control}` },
  });
}

/**
 * `{ "freeze": true|false }`, `{ "to": "<ISO instant>" }`, `{ "advanceMs": n }`, alone or
 * together (applied in that order): all checked before any is applied.
 */
async function moveClock(emulator: Emulator, body: unknown): Promise<void> {
  const usage =
    'expected { "advanceMs": number }, { "to": "<ISO instant>" } or { "freeze": true | false }';
  if (!isObject(body)) throw new BadRequest(usage);
  const { freeze, to, advanceMs, ...unknown } = body;
  if (
    Object.keys(unknown).length > 0 ||
    (freeze === undefined && to === undefined && advanceMs === undefined) ||
    (freeze !== undefined && typeof freeze !== 'boolean') ||
    (to !== undefined && (typeof to !== 'string' || Number.isNaN(Date.parse(to)))) ||
    (advanceMs !== undefined && (typeof advanceMs !== 'number' || !Number.isFinite(advanceMs)))
  ) {
    throw new BadRequest(usage);
  }
  if (freeze === true) await emulator.freezeClock();
  if (freeze === false) await emulator.unfreezeClock();
  if (typeof to === 'string') await emulator.setClock(new Date(to));
  if (typeof advanceMs === 'number') await emulator.advanceClock(advanceMs);
}

// ---------------------------------------------------------------------------------------------
// Which browser pages may call the gateway

const REFUSED = Symbol('refused');

/**
 * Only the preview, served from this very origin, may call the functions and the controls from a
 * browser; any other page could otherwise read the export or act as `demo-admin`. Answers the
 * origin to allow (null for a request that is not a browser's cross-origin one), or REFUSED.
 *
 * - A request with an `Origin` is allowed when that origin is this gateway's own (the Host the
 *   browser connected to). A same-origin GET carries no Origin, but `Sec-Fetch-Site` tells a
 *   browser's cross-site request from it; anything but `same-origin` or `none` is refused.
 * - DNS rebinding (a page of evil.example whose name is re-pointed at 127.0.0.1, so that it is
 *   "same origin" with the gateway) is refused by the Host: only names that cannot be re-pointed
 *   are accepted — IP literals, `localhost`, and the HOST the gateway was started with.
 * - Tools (curl, tests) send neither header and are allowed.
 */
function browserOrigin(
  req: IncomingMessage,
  configuredHost?: string,
): string | null | typeof REFUSED {
  const host = header(req, 'host').toLowerCase();
  if (host && !trustedHostname(hostnameOf(host), configuredHost)) return REFUSED;
  const origin = header(req, 'origin');
  if (!origin) {
    const site = header(req, 'sec-fetch-site');
    return site === '' || site === 'same-origin' || site === 'none' ? null : REFUSED;
  }
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return REFUSED; // "null" (sandboxed frames, file://) included
  }
  return url.protocol === 'http:' && url.host.toLowerCase() === host ? origin : REFUSED;
}

function hostnameOf(host: string): string {
  const bracketed = /^\[([^\]]+)\]/.exec(host);
  return bracketed ? bracketed[1] : host.replace(/:\d+$/, '');
}

function trustedHostname(hostname: string, configuredHost?: string): boolean {
  return (
    hostname === 'localhost' ||
    isIP(hostname) !== 0 ||
    (configuredHost !== undefined && hostname === configuredHost.toLowerCase())
  );
}

// ---------------------------------------------------------------------------------------------

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
  '.json': 'application/json',
};

function sendFile(res: ServerResponse, root: string, relativePath: string): void {
  const file = normalize(join(root, relativePath));
  if (!file.startsWith(normalize(root) + sep) || !existsSync(file) || !statSync(file).isFile()) {
    sendJson(res, 404, { ok: false, error: { code: 'NOT_FOUND', message: 'no such file' } });
    return;
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
  });
  createReadStream(file).pipe(res);
}

class BadRequest extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Whether a JSON text nests arrays and objects deeper than `limit` (a scan, no recursion). */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return false;
}

/**
 * The body as JSON ({} when empty). A body over the limit is drained, not kept, so that the answer
 * (CloudBase's EXCEED_MAX_PAYLOAD_SIZE for an event, a 400 for a control) can still be sent.
 */
async function readJson(req: IncomingMessage, limit: BodyLimit = CONTROL_BODY): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit.bytes) chunks.push(chunk as Buffer);
  }
  if (size > limit.bytes) throw limit.tooLarge(size);
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new BadRequest(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequest('body is not valid JSON');
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
