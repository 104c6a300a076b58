/**
 * The emulator's HTTP face (SPEC §4): `POST /functions/<name>` with the caller in `x-wx-openid`,
 * `GET /healthz`, and the controls under `/__emulator/`.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { UnknownFunctionError, type Emulator } from './emulator';
import type { PreviewServer } from './preview-server';
import type { StoreSnapshot } from './store';

// Large enough for an /__emulator/import of a sizeable export.
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface GatewayOptions {
  /** Where `uploadFile` keeps files, served under /__emulator/files/. */
  filesDir: string | null;
  /** The browser preview (`/preview/`, `POST /__emulator/upload`); none in tests of the API. */
  preview?: PreviewServer | null;
}

export function createGateway(emulator: Emulator, options: GatewayOptions): Server {
  return createServer((req, res) => {
    route(emulator, options, req, res).catch((error: unknown) => {
      if (error instanceof BadRequest) {
        sendJson(res, 400, { ok: false, error: { code: 'BAD_REQUEST', message: error.message } });
        return;
      }
      console.error('[gateway]', error);
      if (!res.headersSent) {
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
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-headers', 'content-type, x-wx-openid');
  if (method === 'OPTIONS') {
    res.writeHead(204).end();
    return;
  }

  if (path === '/healthz' && method === 'GET') return sendJson(res, 200, { ok: true });
  if (options.preview && (await options.preview.handle(req, res))) return;

  const fn = /^\/functions\/([^/]+)$/.exec(path);
  if (fn && method === 'POST') {
    const event = await readJson(req);
    const openid = header(req, 'x-wx-openid');
    try {
      const call = await emulator.invoke(decodeURIComponent(fn[1]), event, {
        openid,
        clientIp: req.socket.remoteAddress ?? '127.0.0.1',
      });
      res.setHeader('x-request-id', call.requestId);
      res.setHeader('x-db-calls', String(call.dbCalls));
      return sendJson(res, 200, call.result);
    } catch (error) {
      if (error instanceof UnknownFunctionError) {
        return sendJson(res, 404, {
          ok: false,
          error: { code: 'NOT_FOUND', message: error.message },
        });
      }
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
    await emulator.importSnapshot(snapshot);
    return sendJson(res, 200, { ok: true });
  }
  if (control === 'clock') {
    if (method === 'POST') {
      const body = (await readJson(req)) as { advanceMs?: unknown; to?: unknown };
      if (typeof body.advanceMs === 'number' && Number.isFinite(body.advanceMs)) {
        await emulator.advanceClock(body.advanceMs);
      } else if (typeof body.to === 'string' && !Number.isNaN(Date.parse(body.to))) {
        await emulator.setClock(new Date(body.to));
      } else {
        throw new BadRequest('expected { "advanceMs": number } or { "to": "<ISO instant>" }');
      }
    } else if (method !== 'GET') {
      throw new BadRequest('GET or POST');
    }
    return sendJson(res, 200, {
      now: new Date(emulator.clock.now()).toISOString(),
      offsetMs: emulator.clock.getOffset(),
    });
  }
  if (control === 'risk' && method === 'POST') {
    const body = (await readJson(req)) as { openid?: unknown; rank?: unknown };
    if (typeof body.openid !== 'string' || !Number.isInteger(body.rank)) {
      throw new BadRequest('expected { "openid": string, "rank": 0..4 }');
    }
    await emulator.sdk.setRiskRank(body.openid, body.rank as number);
    return sendJson(res, 200, { ok: true });
  }
  if (control === 'faults') {
    if (method === 'POST') {
      const body = (await readJson(req)) as { latencyMs?: unknown; failureRate?: unknown };
      if (typeof body.latencyMs === 'number' && body.latencyMs >= 0) {
        emulator.faults.latencyMs = body.latencyMs;
      }
      if (typeof body.failureRate === 'number' && body.failureRate >= 0 && body.failureRate <= 1) {
        emulator.faults.failureRate = body.failureRate;
      }
    }
    return sendJson(res, 200, { ...emulator.faults });
  }
  if (control.startsWith('files/') && method === 'GET' && options.filesDir) {
    return sendFile(res, options.filesDir, decodeURIComponent(control.slice('files/'.length)));
  }
  sendJson(res, 404, {
    ok: false,
    error: { code: 'NOT_FOUND', message: `no emulator control ${method} ${control}` },
  });
}

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

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
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
