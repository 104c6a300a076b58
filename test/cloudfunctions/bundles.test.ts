/**
 * What deploys: each function bundle stays small, because every cold container loads it, and a
 * stack trace from it can still be read. The global setup built the bundles as `npm run build`
 * does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const functionsDir = join(root, 'cloudfunctions');
const LIMIT_BYTES = 250 * 1024;

const functions = readdirSync(functionsDir).filter(
  (name) => !name.startsWith('_') && existsSync(join(functionsDir, name, 'index.ts')),
);

it('finds every function', () => {
  expect(functions).toEqual(expect.arrayContaining(['api', 'admin', 'cron']));
});

it.each(functions)('%s/index.js is at most 250 KB', (name) => {
  expect(statSync(join(functionsDir, name, 'index.js')).size).toBeLessThanOrEqual(LIMIT_BYTES);
});

it('a stack trace names the functions, and its source map leads back to the TypeScript', () => {
  // Node loads the bundle as CloudBase does, with a wx-server-sdk whose database fails, so
  // `main` logs an INTERNAL error with its stack.
  const failingSdk = `
    const Module = require('node:module');
    const sdk = {
      init() {},
      DYNAMIC_CURRENT_ENV: 'env',
      getWXContext: () => ({ OPENID: 'visitor' }),
      database() { throw new Error('database unavailable'); },
    };
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) {
      return request === 'wx-server-sdk' ? 'wx-server-sdk' : resolve.call(this, request, ...rest);
    };
    require.cache['wx-server-sdk'] = { id: 'wx-server-sdk', loaded: true, exports: sdk };
    require(process.argv[1]).main({ action: 'campaign.get' });`;
  const run = spawnSync(
    process.execPath,
    ['-e', failingSdk, join(functionsDir, 'api', 'index.js')],
    {
      encoding: 'utf8',
    },
  );
  const trace = run.stderr;
  expect(trace).toMatch(/Error: database unavailable/);
  expect(trace).toMatch(/at Object\.main \(.*cloudfunctions\/api\/index\.js:\d+:\d+\)/);

  const mapped = execFileSync(process.execPath, [join(root, 'scripts', 'trace.mjs'), 'api'], {
    input: trace,
    encoding: 'utf8',
  });
  expect(mapped).toMatch(/at Object\.main \(cloudfunctions\/_shared\/dispatch\.ts:\d+:\d+\)/);
  expect(mapped).not.toMatch(/index\.js:\d+:\d+/);
});
