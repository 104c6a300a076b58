// `npm run bench`: bundles the functions and scripts/bench.ts, then runs the benchmark.
import { build } from 'esbuild';
import { join } from 'node:path';
import { bundleFunctions, root } from './bundle.mjs';

await bundleFunctions();
const outfile = join(root, 'dist', 'bench.js');
await build({
  entryPoints: [join(root, 'scripts', 'bench.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
});
await import(outfile);
