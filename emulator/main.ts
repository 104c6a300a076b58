/**
 * `npm start`: the whole backend on this machine, no cloud account needed.
 *   PORT      (default 8787)
 *   DATA_DIR  (default .cloudbase-local/ in the project)
 *   HOST      (default 127.0.0.1)
 *   MINIPROGRAM_ROOT  the Mini Program /preview/ renders (default miniprogram/ in the project)
 */
import { join, resolve } from 'node:path';
import { Emulator, findProjectRoot } from './emulator';
import { createGateway } from './gateway';
import { createPreviewServer } from './preview-server';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 8787);
  const host = process.env.HOST ?? '127.0.0.1';
  const projectRoot = findProjectRoot(__dirname);
  const dataDir = resolve(process.env.DATA_DIR ?? join(projectRoot, '.cloudbase-local'));
  // PORT=0 picks a free port; the real one is known after listen.
  let baseUrl = `http://${host}:${port}`;

  const emulator = await Emulator.start({
    dataDir,
    projectRoot,
    publicBaseUrl: () => baseUrl,
    echoFunctionLogs: true,
  });
  const preview = createPreviewServer({
    projectRoot,
    emulator,
    miniprogramRoot: process.env.MINIPROGRAM_ROOT,
  });
  const server = createGateway(emulator, { filesDir: join(dataDir, 'files'), preview, host });
  await new Promise<void>((done, failed) => {
    server.once('error', failed);
    server.listen(port, host, done);
  });
  const address = server.address();
  if (address && typeof address === 'object') baseUrl = `http://${host}:${address.port}`;

  console.log(`Growth Kit local CloudBase emulator
  gateway   ${baseUrl}   (POST /functions/<api|admin|cron>, header x-wx-openid)
  preview   ${baseUrl}/preview/   (the Mini Program in a phone frame, in your browser)
  health    ${baseUrl}/healthz
  controls  ${baseUrl}/__emulator/{reset,export,import,clock,risk,faults}
  data      ${dataDir}
  functions ${emulator.functionNames().join(', ')}`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`\n${signal}: saving data…`);
    server.close();
    emulator
      .close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
