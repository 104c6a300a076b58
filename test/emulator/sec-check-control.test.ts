/**
 * Distribution (issue 10): the gateway's control for WeChat's content check, so a developer (or
 * the e2e walk) can mark a word as refused and watch the Mini Program refuse a nickname with it.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Emulator } from '../../emulator/emulator';
import { createGateway } from '../../emulator/gateway';

let server: Server;
let emulator: Emulator;
let base: string;

beforeEach(async () => {
  emulator = await Emulator.start({ dataDir: null, seed: false });
  server = createGateway(emulator, { filesDir: null });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
  await emulator.close();
});

const post = (body: unknown) =>
  fetch(`${base}/__emulator/sec-check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const verdict = async (content: string) =>
  (
    (await emulator.sdk.openapi.security.msgSecCheck({
      openid: 'o-1',
      scene: 2,
      version: 2,
      content,
    })) as { result: { suggest: string } }
  ).result.suggest;

it('marks a word refused (risky by default, or for review) and forgets it with pass', async () => {
  expect(await verdict('一个违禁词')).toBe('pass');
  expect((await post({ word: '违禁词' })).status).toBe(200);
  expect(await verdict('一个违禁词')).toBe('risky');
  expect((await post({ word: '再看看', suggest: 'review' })).status).toBe(200);
  expect(await verdict('再看看吧')).toBe('review');
  expect((await post({ word: '违禁词', suggest: 'pass' })).status).toBe(200);
  expect(await verdict('一个违禁词')).toBe('pass');
});

it('refuses a malformed control with a 400 and changes nothing', async () => {
  for (const body of [{}, { word: '' }, { word: 'x', suggest: 'block' }, { word: 3 }]) {
    expect((await post(body)).status).toBe(400);
  }
  expect(await verdict('x')).toBe('pass');
});
