// The bundler behind `npm run build` and the test setup: each cloud function
// (cloudfunctions/<name>/index.ts → index.js, the file that deploys), the local emulator
// (→ dist/emulator/main.js) and the browser preview's runtime (→ dist/preview/runtime.js). Shared code is bundled in; `wx-server-sdk` stays external:
// CloudBase installs it from the function's own package.json, the emulator hands over its stand-in.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
const functionsDir = join(root, 'cloudfunctions');

export function functionNames() {
  return readdirSync(functionsDir).filter(
    (name) => !name.startsWith('_') && existsSync(join(functionsDir, name, 'index.ts')),
  );
}

/**
 * Every cold container loads its function's bundle, so it is minified (a test keeps each under
 * 250 KB: test/cloudfunctions/bundles.test.ts). `keepNames` keeps the function names in stack
 * traces (`at spin (index.js:1:20817)`), readable in the CloudBase log as they are. The source
 * map `index.js.map` beside the bundle is for reading a trace offline (`scripts/trace.mjs`):
 * Node applies maps only with `--enable-source-maps`, which a CloudBase function cannot set;
 * turning them on from inside the bundle comes too late for the bundle itself, and would read
 * the map on every cold start.
 * @returns {Promise<Array<{ file: string, bytes: number, mapBytes: number }>>}
 */
export async function bundleFunctions() {
  const outputs = [];
  for (const name of functionNames()) {
    const outfile = join(functionsDir, name, 'index.js');
    await build({
      entryPoints: [join(functionsDir, name, 'index.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      // the runtime declared in cloudbaserc.json (Nodejs18.15)
      target: 'node18',
      format: 'cjs',
      external: ['wx-server-sdk'],
      minify: true,
      keepNames: true,
      // Chinese messages as UTF-8 (3 bytes a character) rather than \u escapes (6)
      charset: 'utf8',
      sourcemap: 'linked',
      legalComments: 'none',
      logLevel: 'warning',
    });
    outputs.push({
      file: relative(root, outfile),
      bytes: statSync(outfile).size,
      mapBytes: statSync(`${outfile}.map`).size,
    });
  }
  return outputs;
}

/**
 * Bundles a Node entry point of this repository (dependencies stay in node_modules).
 * @returns {Promise<{ file: string, bytes: number }>}
 */
export async function bundleNodeScript(entry, outfile) {
  await build({
    entryPoints: [join(root, entry)],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
  return { file: outfile, bytes: statSync(join(root, outfile)).size };
}

export function bundleEmulator() {
  return bundleNodeScript('emulator/main.ts', 'dist/emulator/main.js');
}

/**
 * The browser preview's runtime (preview/main.ts → dist/preview/runtime.js), served by the
 * emulator at /preview/. j-component and exparser are bundled in; the pages are not (the emulator
 * compiles them from miniprogram/ on request, so an edit shows without a rebuild).
 * @returns {Promise<{ file: string, bytes: number }>}
 */
export async function bundlePreview() {
  const outfile = 'dist/preview/runtime.js';
  await build({
    entryPoints: [join(root, 'preview/main.ts')],
    outfile: join(root, outfile),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2020',
    // the chrome's stylesheet travels inside the script
    loader: { '.css': 'text' },
    // j-component assigns its built-in behaviors to Node's `global`
    define: { global: 'globalThis' },
    sourcemap: true,
    logLevel: 'warning',
  });
  return { file: outfile, bytes: statSync(join(root, outfile)).size };
}
