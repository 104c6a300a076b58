/**
 * `npm run pack:miniprogram`: compiles the Mini Program with miniprogram-ci, offline, into the
 * package WeChat would receive, and prints its size per package next to `npm run size`'s estimate.
 * It proves the project compiles with WeChat's own compiler (TypeScript through the project's
 * `useCompilerPlugins`, ES5, minified, as project.config.json asks) on a machine with no WeChat
 * DevTools, no AppID and no network: a throwaway AppID and RSA key are enough to pack.
 * The zip is kept at dist/miniprogram.zip. Exits 1 when a package is over WeChat's 2 MB.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type * as MiniprogramCi from 'miniprogram-ci';
import { miniprogramProject } from './miniprogram';

const KB = 1024;
const MB = 1024 * KB;
const PACKAGE_LIMIT = 2 * MB;
/** A syntactically valid AppID that belongs to no one: packing never sends it anywhere. */
const THROWAWAY_APPID = 'wx0000000000000000';

export async function pack(projectRoot: string): Promise<number> {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const project = miniprogramProject(
    projectRoot,
    { appid: THROWAWAY_APPID, privateKey },
    { offline: true },
  );
  mkdirSync(join(projectRoot, 'dist'), { recursive: true });
  const zip = join(projectRoot, 'dist', 'miniprogram.zip');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ci = require('miniprogram-ci') as typeof MiniprogramCi;
  const files = await ci.getCompiledResult(
    { project, version: '0.0.0', setting: { useProjectConfig: true } },
    zip,
  );

  const config = JSON.parse(readFileSync(join(projectRoot, 'project.config.json'), 'utf8')) as {
    miniprogramRoot?: string;
  };
  const app = JSON.parse(
    readFileSync(join(projectRoot, config.miniprogramRoot ?? '', 'app.json'), 'utf8'),
  ) as { subpackages?: Array<{ root: string }>; subPackages?: Array<{ root: string }> };
  const roots = (app.subpackages ?? app.subPackages ?? []).map((s) => s.root.replace(/\/+$/, ''));

  const sizes = new Map<string, { files: number; bytes: number }>([
    ['main', { files: 0, bytes: 0 }],
  ]);
  for (const root of roots) sizes.set(root, { files: 0, bytes: 0 });
  for (const [path, content] of Object.entries(files)) {
    const owner = roots.find((root) => path.startsWith(`${root}/`)) ?? 'main';
    const entry = sizes.get(owner) as { files: number; bytes: number };
    entry.files += 1;
    entry.bytes += Buffer.byteLength(content);
  }

  const size = (bytes: number) =>
    bytes >= MB ? `${(bytes / MB).toFixed(2)} MB` : `${(bytes / KB).toFixed(1)} KB`;
  console.log(
    '\nMini Program as miniprogram-ci packs it (offline; WeChat’s compiler, project.config.json settings)',
  );
  let total = 0;
  const over: string[] = [];
  for (const [name, { files: count, bytes }] of sizes) {
    total += bytes;
    if (bytes > PACKAGE_LIMIT) over.push(name);
    const label = name === 'main' ? 'main' : `${name}/`;
    console.log(
      `  ${label.padEnd(8)} ${String(count).padStart(4)} files  ${size(bytes).padStart(9)}`,
    );
  }
  console.log(
    `  ${'total'.padEnd(8)} ${String(Object.keys(files).length).padStart(4)} files  ${size(total).padStart(9)}  (zip ${size(statSync(zip).size)}: dist/miniprogram.zip)`,
  );
  if (over.length > 0) {
    console.error(`✗ over WeChat's 2 MB per package: ${over.join(', ')}`);
    return 1;
  }
  return 0;
}
