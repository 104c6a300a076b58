/**
 * The emulator as `npm start` runs it: the built dist/emulator/main.js in its own process,
 * spoken to over HTTP only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator, type SpawnedEmulator } from '../support/spawn-emulator';

async function post(url: string, body: unknown, openid?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(openid ? { 'x-wx-openid': openid } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

describe('the emulator gateway', () => {
  let dataDir: string;
  let running: SpawnedEmulator | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'growth-kit-gateway-'));
  });
  afterEach(async () => {
    if (running) await running.stop();
    running = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers healthz, runs the functions, and keeps the data across a restart', async () => {
    running = await spawnEmulator({ dataDir });
    expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ ok: true });

    const campaign = await post(`${running.url}/functions/api`, { action: 'campaign.get' }, 'u1');
    expect(campaign.status).toBe(200);
    expect(campaign.body.ok).toBe(true);
    expect(campaign.body.data.wheel.sectors.length).toBeGreaterThanOrEqual(6);
    expect(Number(campaign.headers.get('x-db-calls'))).toBeGreaterThan(0);

    const first = await post(`${running.url}/functions/api`, { action: 'session.enter' }, 'u1');
    expect(first.body.data.isNew).toBe(true);

    await running.stop();
    running = await spawnEmulator({ dataDir });
    const again = await post(`${running.url}/functions/api`, { action: 'session.enter' }, 'u1');
    expect(again.body.data).toEqual({ ...first.body.data, isNew: false });
    const campaignAgain = await post(
      `${running.url}/functions/api`,
      { action: 'campaign.get' },
      'u1',
    );
    expect(campaignAgain.body.data.id).toBe(campaign.body.data.id);
  });

  it('answers UNAUTHENTICATED without x-wx-openid, and BAD_REQUEST for a body that is not JSON', async () => {
    running = await spawnEmulator({ dataDir });
    const anonymous = await post(`${running.url}/functions/api`, { action: 'campaign.get' });
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');

    const res = await fetch(`${running.url}/functions/api`, { method: 'POST', body: '{nope' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe('BAD_REQUEST');

    const unknown = await post(`${running.url}/functions/nope`, {}, 'u1');
    expect(unknown.status).toBe(404);
  });

  it('advances the emulated clock, exports, resets and imports', async () => {
    running = await spawnEmulator({ dataDir });
    const before = (await (await fetch(`${running.url}/__emulator/clock`)).json()) as any;
    const advanced = await post(`${running.url}/__emulator/clock`, { advanceMs: 86_400_000 });
    expect(Date.parse(advanced.body.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(
      86_400_000,
    );
    const serverNow = await post(`${running.url}/functions/api`, { action: 'campaign.get' }, 'u1');
    expect(Date.parse(serverNow.body.data.serverNow)).toBeGreaterThanOrEqual(
      Date.parse(advanced.body.now),
    );

    await post(`${running.url}/functions/api`, { action: 'session.enter' }, 'u1');
    const exported = (await (await fetch(`${running.url}/__emulator/export`)).json()) as any;
    expect(exported.collections.users).toHaveLength(1);

    await post(`${running.url}/__emulator/reset`, {});
    const afterReset = (await (await fetch(`${running.url}/__emulator/export`)).json()) as any;
    expect(afterReset.collections.users ?? []).toHaveLength(0);
    expect(afterReset.collections.campaigns).toHaveLength(1); // seeded again

    await post(`${running.url}/__emulator/import`, exported);
    const revisit = await post(`${running.url}/functions/api`, { action: 'session.enter' }, 'u1');
    expect(revisit.body.data.isNew).toBe(false);
  });

  it('serves the seeded group QR images it stored', async () => {
    running = await spawnEmulator({ dataDir });
    const res = await fetch(`${running.url}/__emulator/files/groups/demo-group-1.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    expect(await res.text()).toMatch(/^<svg[^>]*>.*<path/s);
  });
});
