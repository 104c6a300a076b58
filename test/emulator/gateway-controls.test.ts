import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Emulator, type EmulatorOptions } from '../../emulator/emulator';
import { MAX_EVENT_BYTES } from '../../emulator/functions';
import { createGateway, MAX_JSON_DEPTH } from '../../emulator/gateway';
import { buildProbeProject } from './helpers';

/**
 * The gateway in-process, spoken to over HTTP with whatever headers a browser would send: who may
 * call it (the preview's own origin only), what it refuses (deep nesting, oversized events), and
 * the fault and clock controls.
 */

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** node:http, not fetch: a browser's Origin, Host and Sec-Fetch-Site must be settable. */
function call(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      { method: options.method ?? (options.body === undefined ? 'GET' : 'POST') },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : null,
          });
        });
      },
    );
    for (const [name, value] of Object.entries(options.headers ?? {})) req.setHeader(name, value);
    req.on('error', reject);
    req.end(options.body);
  });
}

const running: Array<{ server: Server; emulator: Emulator }> = [];
async function serve(options: EmulatorOptions = {}): Promise<{ base: string; emulator: Emulator }> {
  const emulator = await Emulator.start({ dataDir: null, ...options });
  const server = createGateway(emulator, { filesDir: null });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({ server, emulator });
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, emulator };
}
afterEach(async () => {
  for (const { server, emulator } of running.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
    await emulator.close();
  }
});

function users(emulator: Emulator): number {
  return emulator.store.count('users');
}

const enter = JSON.stringify({ action: 'session.enter' });

describe('who may call the gateway from a browser', () => {
  it('the preview, from this very origin: allowed, with CORS headers for that origin only', async () => {
    const { base, emulator } = await serve();
    const own = await call(base, '/functions/api', {
      headers: { origin: base, 'x-wx-openid': 'u1', 'sec-fetch-site': 'same-origin' },
      body: enter,
    });
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBe(base);
    expect(own.headers.vary).toBe('Origin');
    expect(users(emulator)).toBe(1);
    // a same-origin GET carries no Origin, only Sec-Fetch-Site
    const exported = await call(base, '/__emulator/export', {
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    expect(exported.status).toBe(200);
    // tools send neither header, and get no CORS headers
    const tool = await call(base, '/__emulator/clock');
    expect(tool.status).toBe(200);
    expect(tool.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await call(base, '/functions/api', {
      method: 'OPTIONS',
      headers: { origin: base, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toBe('content-type, x-wx-openid');
  });

  it('any other page: refused with 403, and nothing runs', async () => {
    const { base, emulator } = await serve();
    const evil = 'http://evil.example';
    const asAdmin = await call(base, '/functions/admin', {
      headers: { origin: evil, 'x-wx-openid': 'demo-admin' },
      body: JSON.stringify({ action: 'stats.overview' }),
    });
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.error.code).toBe('FORBIDDEN');
    expect(asAdmin.headers['access-control-allow-origin']).toBeUndefined();

    const refused: Answer[] = [
      await call(base, '/functions/api', {
        headers: { origin: evil, 'x-wx-openid': 'u1' },
        body: enter,
      }),
      await call(base, '/__emulator/reset', { headers: { origin: evil }, body: '{}' }),
      await call(base, '/__emulator/faults', {
        headers: { origin: evil },
        body: JSON.stringify({ failBeforeRate: 1 }),
      }),
      // another port of the same machine is another origin
      await call(base, '/functions/api', {
        headers: { origin: 'http://127.0.0.1:1', 'x-wx-openid': 'u1' },
        body: enter,
      }),
      // sandboxed frames and file:// pages send "null"
      await call(base, '/functions/api', {
        headers: { origin: 'null', 'x-wx-openid': 'u1' },
        body: enter,
      }),
      // <img src> or <script src> of the export: no Origin, but the browser says cross-site
      await call(base, '/__emulator/export', { headers: { 'sec-fetch-site': 'cross-site' } }),
      await call(base, '/__emulator/export', { headers: { 'sec-fetch-site': 'same-site' } }),
      await call(base, '/functions/api', {
        method: 'OPTIONS',
        headers: { origin: evil, 'access-control-request-method': 'POST' },
      }),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 403));
    expect(users(emulator)).toBe(0);
    expect(emulator.store.count('campaigns')).toBe(1); // no reset happened
    expect(emulator.faults.failBeforeRate).toBe(0);
  });

  it('a page whose name was re-pointed at this machine (DNS rebinding): refused by its Host', async () => {
    const { base, emulator } = await serve();
    const port = new URL(base).port;
    const rebound = `http://evil.example:${port}`;
    const sameOriginByName = await call(base, '/functions/api', {
      headers: { host: `evil.example:${port}`, origin: rebound, 'x-wx-openid': 'u1' },
      body: enter,
    });
    const plainGet = await call(base, '/__emulator/export', {
      headers: { host: `evil.example:${port}`, 'sec-fetch-site': 'same-origin' },
    });
    expect([sameOriginByName.status, plainGet.status]).toEqual([403, 403]);
    expect(users(emulator)).toBe(0);
    // localhost is a name nobody can re-point
    const local = await call(base, '/__emulator/clock', {
      headers: { host: `localhost:${port}`, origin: `http://localhost:${port}` },
    });
    expect(local.status).toBe(200);
  });
});

describe('what the gateway refuses', () => {
  function nested(depth: number): string {
    return `${'{"a":'.repeat(depth - 1)}{"action":"campaign.get"}${'}'.repeat(depth - 1)}`;
  }

  it(`JSON nested deeper than ${MAX_JSON_DEPTH} levels: 400 BAD_REQUEST, for functions and controls`, async () => {
    const { base, emulator } = await serve();
    for (const path of ['/functions/api', '/__emulator/faults', '/__emulator/import']) {
      const deep = await call(base, path, {
        headers: { 'x-wx-openid': 'u1' },
        body: nested(5000),
      });
      expect(deep.status).toBe(400);
      expect(deep.body.error).toEqual({
        code: 'BAD_REQUEST',
        message: `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
      });
    }
    expect((await call(base, '/functions/api', { body: nested(MAX_JSON_DEPTH + 1) })).status).toBe(
      400,
    );
    // Braces inside strings are text, not nesting.
    const inString = await call(base, '/functions/api', {
      headers: { 'x-wx-openid': 'u1' },
      body: JSON.stringify({ action: 'campaign.get', note: '{'.repeat(500) }),
    });
    expect(inString.status).toBe(200);
    // At the limit the function runs (and answers for itself).
    const atLimit = await call(base, '/functions/api', {
      headers: { 'x-wx-openid': 'u1' },
      body: nested(MAX_JSON_DEPTH),
    });
    expect(atLimit.status).toBe(200);
    expect(users(emulator)).toBe(0);
  });

  it('an event over 6 MB: 413 EXCEED_MAX_PAYLOAD_SIZE, and the function never runs', async () => {
    const { base, emulator } = await serve();
    const big = await call(base, '/functions/api', {
      headers: { 'x-wx-openid': 'u1' },
      body: JSON.stringify({ action: 'session.enter', filler: 'x'.repeat(MAX_EVENT_BYTES) }),
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ code: 'EXCEED_MAX_PAYLOAD_SIZE', errCode: -501001 });
    expect(users(emulator)).toBe(0);
  });
});

describe('GET|POST /__emulator/faults', () => {
  it('sets and reports every fault, accepts failureRate as failBeforeRate, refuses bad values', async () => {
    const { base, emulator } = await serve();
    const set = await call(base, '/__emulator/faults', {
      body: JSON.stringify({
        latencyMs: 1,
        failBeforeRate: 0.25,
        failAfterRate: 0.5,
        killRate: 0.125,
        docLatencyMs: 3,
        seed: 42,
      }),
    });
    const expected = {
      latencyMs: 1,
      failBeforeRate: 0.25,
      failureRate: 0.25,
      failAfterRate: 0.5,
      killRate: 0.125,
      docLatencyMs: 3,
      seed: 42,
    };
    expect(set.body).toEqual(expected);
    expect((await call(base, '/__emulator/faults')).body).toEqual(expected);
    const alias = await call(base, '/__emulator/faults', { body: '{"failureRate":1}' });
    expect(alias.body.failBeforeRate).toBe(1);

    const bad = await call(base, '/__emulator/faults', { body: '{"killRate":2,"latencyMs":0}' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('killRate must be a number from 0 to 1');
    expect(emulator.faults.latencyMs).toBe(1); // nothing applied
    expect((await call(base, '/__emulator/faults', { body: '[]' })).status).toBe(400);

    await call(base, '/__emulator/reset', { body: '{}' });
    expect((await call(base, '/__emulator/faults')).body).toMatchObject({
      failBeforeRate: 0,
      killRate: 0,
      seed: null,
    });
  });

  it('a killed invocation answers 504 with CloudBase’s timeout error', async () => {
    const projectRoot = buildProbeProject();
    try {
      const { base } = await serve({ projectRoot, seed: false, functionTimeoutMs: { probe: 50 } });
      const slow = await call(base, '/functions/probe', {
        body: JSON.stringify({ action: 'steps', tag: 's', steps: 2, pauseMs: 200 }),
      });
      expect(slow.status).toBe(504);
      expect(slow.body).toEqual({
        code: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
        errCode: -504003,
        errMsg: 'Invoking task timed out after 0.05 seconds',
        requestId: slow.headers['x-request-id'],
      });
    } finally {
      rmSync(projectRoot, { recursive: true, force: true });
    }
  });
});

describe('GET|POST /__emulator/clock', () => {
  it('freezes, steps while frozen, runs again, and keeps it all across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'growth-kit-clock-'));
    try {
      const { base, emulator } = await serve({ dataDir });
      const frozen = await call(base, '/__emulator/clock', { body: '{"freeze":true}' });
      expect(frozen.body.frozen).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 30));
      const still = await call(base, '/__emulator/clock');
      expect(still.body.now).toBe(frozen.body.now); // time stands still
      const stepped = await call(base, '/__emulator/clock', { body: '{"advanceMs":90000}' });
      expect(Date.parse(stepped.body.now) - Date.parse(frozen.body.now)).toBe(90_000);
      expect(stepped.body.frozen).toBe(true);
      // functions read the frozen time too
      const campaign = await call(base, '/functions/api', {
        headers: { 'x-wx-openid': 'u1' },
        body: JSON.stringify({ action: 'campaign.get' }),
      });
      expect(campaign.body.data.serverNow).toBe(stepped.body.now);

      await emulator.close();
      const again = await serve({ dataDir });
      const restored = await call(again.base, '/__emulator/clock');
      expect(restored.body).toMatchObject({ now: stepped.body.now, frozen: true });

      const thawed = await call(again.base, '/__emulator/clock', { body: '{"freeze":false}' });
      expect(thawed.body.frozen).toBe(false);
      expect(Date.parse(thawed.body.now)).toBeGreaterThanOrEqual(Date.parse(stepped.body.now));
      for (const body of ['{}', '{"freeze":"yes"}', '{"advanceMs":"1"}', '{"later":1}']) {
        expect((await call(again.base, '/__emulator/clock', { body })).status).toBe(400);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// Rewards (issue 12)
describe('POST /__emulator/subscriptions and GET /__emulator/messages', () => {
  it('accepts a user’s subscriptions as WeChat would, and lists the messages WeChat delivered', async () => {
    const { base } = await serve();
    const invoke = (openid: string, event: object) =>
      call(base, '/functions/api', {
        headers: { 'x-wx-openid': openid },
        body: JSON.stringify(event),
      });
    const { body: templates } = await invoke('inviter', { action: 'reminders.get' });
    const progress = templates.data.templates.find(
      (t: { event: string }) => t.event === 'inviteProgress',
    ).templateId;

    // the preview's wx.requestSubscribeMessage, then the page telling the server
    const accepted = await call(base, '/__emulator/subscriptions', {
      body: JSON.stringify({ openid: 'inviter', templateIds: [progress] }),
    });
    expect(accepted).toMatchObject({ status: 200, body: { ok: true } });
    await invoke('inviter', { action: 'session.enter' });
    await invoke('inviter', { action: 'reminders.subscribe', results: { [progress]: 'accept' } });
    const claimed = await invoke('inviter', { action: 'magnet.claim', requestId: 'claim-inviter' });
    expect(claimed.body.ok).toBe(true);
    const { body: session } = await invoke('inviter', { action: 'session.enter' });
    await invoke('friend', { action: 'session.enter', inviteCode: session.data.inviteCode });
    await invoke('friend', { action: 'magnet.claim', requestId: 'claim-friend' });

    const all = await call(base, '/__emulator/messages');
    expect(all.status).toBe(200);
    expect(all.body.messages).toEqual([
      expect.objectContaining({
        touser: 'inviter',
        templateId: progress,
        page: 'pages/blackcard/index',
        functionName: 'api',
      }),
    ]);
    const mine = await call(base, '/__emulator/messages?touser=friend');
    expect(mine.body.messages).toEqual([]);

    for (const body of ['{}', '{"openid":"u"}', '{"openid":"u","templateIds":["a.b"]}']) {
      expect((await call(base, '/__emulator/subscriptions', { body })).status).toBe(400);
    }
  });
});
